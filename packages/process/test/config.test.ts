import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@statevisor/core';
import type { ChildOptions } from '@statevisor/core';
import { processTask, ProcessConfigError, UnsupportedPlatformError } from '../src/index.ts';
import type { ProcessConfig } from '../src/index.ts';

/** Calls processTask with a config that TypeScript would refuse, as JavaScript callers can. */
function build(config: unknown, options?: unknown): unknown {
  return processTask('p', config as ProcessConfig, options as ChildOptions);
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const base = { command: 'echo' };

const cases: readonly (readonly [string, unknown, string, unknown?])[] = [
  ['an empty command', { command: '' }, 'config.command'],
  ['a blank command', { command: '   ' }, 'config.command'],
  ['a command with surrounding whitespace', { command: ' echo' }, 'config.command'],
  ['a NUL byte in the command', { command: 'ec\0ho' }, 'config.command'],
  ['a command that is not a string', { command: 42 }, 'config.command'],
  ['no command', {}, 'config.command'],
  ['args that are not an array', { ...base, args: 'a b' }, 'config.args'],
  ['an argument that is not a string', { ...base, args: ['ok', 1] }, 'config.args[1]'],
  ['a NUL byte in an argument', { ...base, args: ['ok', 'a\0b'] }, 'config.args[1]'],
  ['env that is not an object', { ...base, env: ['A=1'] }, 'config.env'],
  ['an empty env key', { ...base, env: { '': 'v' } }, 'config.env'],
  ['an env key with =', { ...base, env: { 'KEY=BAD': 'v' } }, 'config.env["KEY=BAD"]'],
  ['a NUL byte in an env key', { ...base, env: { 'A\0B': 'v' } }, 'config.env["A\\u0000B"]'],
  ['a NUL byte in an env value', { ...base, env: { K: 'v\0w' } }, 'config.env["K"]'],
  ['an env value that is not a string', { ...base, env: { K: 5 } }, 'config.env["K"]'],
  ['an empty cwd', { ...base, cwd: '' }, 'config.cwd'],
  ['a NUL byte in cwd', { ...base, cwd: '/tmp\0' }, 'config.cwd'],
  ['inheritEnv that is not a boolean', { ...base, inheritEnv: 'yes' }, 'config.inheritEnv'],
  ['a negative timeoutMs', { ...base, timeoutMs: -1 }, 'config.timeoutMs'],
  ['a NaN timeoutMs', { ...base, timeoutMs: Number.NaN }, 'config.timeoutMs'],
  ['an infinite timeoutMs', { ...base, timeoutMs: Infinity }, 'config.timeoutMs'],
  ['timeoutMs in both places', { ...base, timeoutMs: 100 }, 'config.timeoutMs', { timeoutMs: 200 }],
  ['an empty readyIndicator', { ...base, readyIndicator: '' }, 'config.readyIndicator'],
  ['a readyIndicator with a newline', { ...base, readyIndicator: 'a\nb' }, 'config.readyIndicator'],
  ['a readyIndicator that is a number', { ...base, readyIndicator: 5 }, 'config.readyIndicator'],
  ['an unknown readySource', { ...base, readyIndicator: 'x', readySource: 'both' }, 'config.readySource'],
  ['a negative readyTimeoutMs', { ...base, readyIndicator: 'x', readyTimeoutMs: -1 }, 'config.readyTimeoutMs'],
  ['a NaN readyTimeoutMs', { ...base, readyIndicator: 'x', readyTimeoutMs: Number.NaN }, 'config.readyTimeoutMs'],
  ['readyTimeoutMs without readyIndicator', { ...base, readyTimeoutMs: 100 }, 'config.readyTimeoutMs'],
  ['stdin that is not a boolean', { ...base, stdin: 1 }, 'config.stdin'],
  ['an unknown killSignal', { ...base, killSignal: 'SIGFOO' }, 'config.killSignal'],
  ['a killSignal number', { ...base, killSignal: 9 }, 'config.killSignal'],
  ['SIGSTOP as killSignal', { ...base, killSignal: 'SIGSTOP' }, 'config.killSignal'],
  ['a negative killGraceMs', { ...base, killGraceMs: -1 }, 'config.killGraceMs'],
  ['an infinite killGraceMs', { ...base, killGraceMs: Infinity }, 'config.killGraceMs'],
  ['a killGraceMs above Number.MAX_SAFE_INTEGER', { ...base, killGraceMs: Number.MAX_SAFE_INTEGER + 2 }, 'config.killGraceMs'],
  ['a readyTimeoutMs above Number.MAX_SAFE_INTEGER', { ...base, readyIndicator: 'x', readyTimeoutMs: 2 ** 60 }, 'config.readyTimeoutMs'],
  ['a drainTimeoutMs above Number.MAX_SAFE_INTEGER', { ...base, drainTimeoutMs: 1e300 }, 'config.drainTimeoutMs'],
  ['a zero maxLineBytes', { ...base, maxLineBytes: 0 }, 'config.maxLineBytes'],
  ['a negative maxLineBytes', { ...base, maxLineBytes: -1 }, 'config.maxLineBytes'],
  ['a fractional maxLineBytes', { ...base, maxLineBytes: 1.5 }, 'config.maxLineBytes'],
  ['a maxLineBytes below 4', { ...base, maxLineBytes: 3 }, 'config.maxLineBytes'],
  ['a negative drainTimeoutMs', { ...base, drainTimeoutMs: -5 }, 'config.drainTimeoutMs'],
  ['a NaN drainTimeoutMs', { ...base, drainTimeoutMs: Number.NaN }, 'config.drainTimeoutMs'],
  ['an unknown output mode', { ...base, output: 'stream' }, 'config.output'],
  ['an unknown option', { ...base, comand: 'typo' }, 'config.comand'],
  ['a config that is not an object', null, 'config'],
  ['successExitCodes that are not an array', { ...base, successExitCodes: 0 }, 'config.successExitCodes'],
  ['a fractional exit code', { ...base, successExitCodes: [0, 1.5] }, 'config.successExitCodes[1]'],
  ['an exit code above 255', { ...base, fatalExitCodes: [256] }, 'config.fatalExitCodes[0]'],
  ['a negative exit code', { ...base, fatalExitCodes: [-1] }, 'config.fatalExitCodes[0]'],
  ['an exit code that is a string', { ...base, successExitCodes: ['0'] }, 'config.successExitCodes[0]'],
  ['a duplicate exit code', { ...base, fatalExitCodes: [78, 78] }, 'config.fatalExitCodes[1]'],
  ['a code in both lists', { ...base, successExitCodes: [0, 2], fatalExitCodes: [1, 2] }, 'config.fatalExitCodes[1]'],
  ['a fatal 0 against the default successExitCodes', { ...base, fatalExitCodes: [0] }, 'config.fatalExitCodes[0]'],
];

describe('processTask validation', () => {
  it.each(cases)('rejects %s, naming the field', (_what, config, field, options) => {
    const error = thrown(() => build(config, options));
    expect(error).toBeInstanceOf(ProcessConfigError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ name: 'ProcessConfigError', code: 'ERR_INVALID_CONFIG', field });
    expect((error as Error).message.startsWith(`${String(field)}: `)).toBe(true);
  });

  it('never quotes an env value in its error', () => {
    const error = thrown(() => build({ ...base, env: { TOKEN: 'top-secret\0value' } }));
    expect((error as Error).message).not.toContain('top-secret');
  });

  it('quotes the received value otherwise', () => {
    const error = thrown(() => build({ ...base, killGraceMs: -7 }));
    expect((error as Error).message).toContain('-7');
  });

  it('says why a code may not be in both lists', () => {
    expect((thrown(() => build({ ...base, fatalExitCodes: [0] })) as Error).message).toBe(
      'config.fatalExitCodes[0]: exit code 0 is also in the default successExitCodes [0]: a code is either a success or fatal',
    );
  });

  it('leaves the name and child options to core', () => {
    expect(thrown(() => processTask('', base))).toMatchObject({ code: 'ERR_INVALID_CONFIG', field: 'name' });
    expect(thrown(() => build(base, { restart: 'sometimes' }))).toMatchObject({ field: 'options.restart' });
  });

  it('accepts the edge values that are valid', () => {
    expect(() =>
      build({
        command: 'echo',
        args: ['', ' spaced ', '--flag=a=b'],
        env: { 'A\r': '', PATH_EXTRA: ' v ' },
        inheritEnv: false,
        timeoutMs: 0,
        readyIndicator: ' ',
        readySource: 'any',
        readyTimeoutMs: 0,
        stdin: true,
        killSignal: 'SIGINT',
        killGraceMs: 0,
        maxLineBytes: 4,
        drainTimeoutMs: 0,
        output: 'batches',
        successExitCodes: [],
        fatalExitCodes: [0, 255],
      }),
    ).not.toThrow();
    expect(() => build({ ...base, readyIndicator: /ready/gy })).not.toThrow();
  });

  it('moves config.timeoutMs to the child option', () => {
    const spec = processTask('p', { ...base, timeoutMs: 1_500 }, { restart: 'never' });
    expect(spec.options).toEqual({ restart: 'never', timeoutMs: 1_500 });
    expect(spec.name).toBe('p');
    expect(spec.type).toBe('task');
  });
});

describe('platforms', () => {
  const original = Object.getOwnPropertyDescriptor(process, 'platform');
  afterEach(() => {
    if (original !== undefined) Object.defineProperty(process, 'platform', original);
  });

  it('refuses Windows with a clear error', () => {
    Object.defineProperty(process, 'platform', { value: 'win32', configurable: true });
    const error = thrown(() => processTask('p', base));
    expect(error).toBeInstanceOf(UnsupportedPlatformError);
    expect(error).toMatchObject({ code: 'ERR_UNSUPPORTED_PLATFORM', platform: 'win32', name: 'UnsupportedPlatformError' });
    expect((error as Error).message).toMatch(/not supported on win32/);
  });
});
