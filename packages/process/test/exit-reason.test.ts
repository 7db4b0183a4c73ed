/** The text of a failure's reason: cuts that never break a character, and the last stderr line. */
import { describe, expect, it } from 'vitest';
import { MAX_COMMAND_CHARS, MAX_STDERR_CHARS, killedBy, reasonOf } from '../src/attempt/exit-reason.ts';

describe('reasonOf', () => {
  it('keeps a command line of exactly the limit whole', () => {
    const line = 'c'.repeat(MAX_COMMAND_CHARS);
    expect(reasonOf(line, 'exited with code 1', undefined)).toBe(`${line} exited with code 1`);
  });

  it('never cuts inside a surrogate pair', () => {
    const line = `${'a'.repeat(MAX_COMMAND_CHARS - 1)}😀 and more`;
    expect(reasonOf(line, 'exited with code 1', [])).toBe(`${'a'.repeat(MAX_COMMAND_CHARS - 1)}… exited with code 1`);
  });

  it('cuts a long stderr line, which stays whole in stderrTail', () => {
    const long = 'e'.repeat(MAX_STDERR_CHARS * 3);
    expect(reasonOf('tool', 'exited with code 2', ['earlier', long])).toBe(`tool exited with code 2: ${'e'.repeat(MAX_STDERR_CHARS)}…`);
  });

  it('takes the last line that has something in it, without its trailing spaces', () => {
    expect(reasonOf('tool', 'exited with code 2', ['error: disk full  \r', ' ', ''])).toBe('tool exited with code 2: error: disk full');
    expect(reasonOf('tool', 'exited with code 2', ['', '   '])).toBe('tool exited with code 2');
  });
});

describe('killedBy', () => {
  it('says who asked for the signal', () => {
    expect(killedBy('SIGTERM', 'stop')).toBe('was stopped by SIGTERM');
    expect(killedBy('SIGTERM', 'user')).toBe('was killed by SIGTERM, sent with signal()');
    expect(killedBy('SIGSEGV', undefined)).toBe('was killed by SIGSEGV, which nobody asked for');
  });
});
