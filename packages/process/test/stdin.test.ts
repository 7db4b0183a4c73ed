import { afterEach, describe, expect, it } from 'vitest';
import { processTask } from '../src/index.ts';
import { disposeAll, tracked, waitFor } from './support.ts';

afterEach(disposeAll);

describe('stdin', { timeout: 20_000 }, () => {
  it('write() reaches the process (strings and bytes); closeStdin() gives it EOF', async () => {
    const h = tracked({ children: [processTask('cat', { command: 'cat', stdin: true })] });
    await h.app.start();
    await h.until('cat', 'TaskStarted');
    const handle = h.app.child('cat');
    expect(handle.write('hello\n')).toBe(true);
    await waitFor(() => h.lines('cat').length === 1, 'hello echoed');
    expect(handle.write(new TextEncoder().encode('world\n'))).toBe(true);
    await waitFor(() => h.lines('cat').length === 2, 'world echoed');
    expect(handle.closeStdin()).toBe(true);
    await expect(h.app.outcome('cat')).resolves.toEqual({ kind: 'completed', exitCode: 0 });
    expect(h.lines('cat')).toEqual(['hello', 'world']);
  });

  it('round-trips unicode', async () => {
    const text = 'สวัสดี 你好 how are you?';
    const h = tracked({ children: [processTask('head', { command: 'head', args: ['-n', '1'], stdin: true })] });
    await h.app.start();
    await h.until('head', 'TaskStarted');
    h.app.child('head').write(`${text}\n`);
    await expect(h.app.outcome('head')).resolves.toEqual({ kind: 'completed', exitCode: 0 });
    expect(h.lines('head')).toEqual([text]);
  });

  it('without stdin: true the process reads /dev/null and write()/closeStdin() return false', async () => {
    const h = tracked({ children: [processTask('p', { command: 'sh', args: ['-c', 'cat; echo eof; sleep 30'] })] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    expect(h.lines('p')).toEqual(['eof']);
    const handle = h.app.child('p');
    expect(handle.write('x\n')).toBe(false);
    expect(handle.closeStdin()).toBe(false);
  });

  it('EPIPE from a process that closed its stdin is a StdinClosed event, never a crash of the host; later writes return false', async () => {
    const h = tracked({ children: [processTask('p', { command: 'sh', args: ['-c', 'exec 0<&-; echo closed; sleep 30'], stdin: true })] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const handle = h.app.child('p');
    expect(handle.write('x\n')).toBe(true); // accepted; the EPIPE arrives asynchronously
    await h.until('p', 'StdinClosed');
    expect(h.find('p', 'StdinClosed')).toMatchObject({ attempt: 1, error: { code: 'EPIPE' } });
    expect(handle.write('y\n')).toBe(false);
    expect(handle.closeStdin()).toBe(true); // nothing to close any more: a no-op
    await expect(h.app.cancel('p')).resolves.toBe(true);
    expect(h.find('p', 'TaskStopped')).toMatchObject({ stopReason: { terminated: 'user-requested' } });
    expect(h.kinds('p').filter((kind) => kind === 'StdinClosed')).toHaveLength(1);
  });

  it('a kept handle never writes to a later process that reused the name', async () => {
    const h = tracked({ children: [processTask('p', { command: 'cat', stdin: true })] });
    await h.app.start();
    await h.until('p', 'TaskStarted');
    const old = h.app.child('p');
    expect(old.write('first\n')).toBe(true);
    await h.until('p', 'TaskOutput');
    await expect(h.app.cancel('p')).resolves.toBe(true);
    await h.app.add(processTask('p', { command: 'cat', stdin: true }));
    await h.until('p', 'TaskStarted', 2);
    expect(old.write('to the old one\n')).toBe(false);
    expect(old.closeStdin()).toBe(false);
    await expect(old.stop()).resolves.toBe(false);
    h.app.child('p').write('second\n');
    await h.until('p', 'TaskOutput', 2);
    expect(h.lines('p')).toEqual(['first', 'second']);
    await expect(h.app.cancel('p')).resolves.toBe(true);
  });

  it('writes after closeStdin() return false; closing it yourself publishes no StdinClosed', async () => {
    const h = tracked({ children: [processTask('p', { command: 'sh', args: ['-c', 'cat; sleep 30'], stdin: true })] });
    await h.app.start();
    await h.until('p', 'TaskStarted');
    const handle = h.app.child('p');
    handle.closeStdin();
    expect(handle.write('late\n')).toBe(false);
    await expect(h.app.cancel('p')).resolves.toBe(true);
    expect(h.kinds('p')).not.toContain('StdinClosed');
  });
});
