import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processTask, ProcessExitError, SpawnError, WorkingDirectoryError } from '../src/index.ts';
import { disposeAll, groupGone, tracked } from './support.ts';

const none = { firstMs: 100, maxMs: 10_000, factor: 2, jitter: 'none' } as const;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'statevisor-process-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(disposeAll);

describe('exit status', { timeout: 20_000 }, () => {
  it('exit 0 completes: the full event order, exitCode 0, nothing left of the group', async () => {
    const h = tracked({ children: [processTask('hello', { command: 'sh', args: ['-c', 'echo hello'] })] });
    await h.app.start();
    await expect(h.app.outcome('hello')).resolves.toEqual({ kind: 'completed', exitCode: 0 });
    expect(h.kinds('hello')).toEqual([
      'TaskAddRequested',
      'TaskAdded',
      'TaskStarting',
      'TaskStarted',
      'TaskReady',
      'TaskOutput',
      'TaskStopped',
      'ActorExhausted',
      'TaskRemoved',
    ]);
    expect(h.find('hello', 'TaskStopped')).toMatchObject({ exitCode: 0, stopReason: 'finished' });
    expect(h.find('hello', 'TaskStopped')).not.toHaveProperty('signal');
    expect(h.lines('hello', 'stdout')).toEqual(['hello']);
    await groupGone(h.pid('hello'));
  });

  it('a non-zero exit fails with a reason like execa\'s (command line, code, last stderr line), and keeps stderrTail', async () => {
    const h = tracked({
      children: [processTask('bad', { command: 'sh', args: ['-c', 'echo first >&2; echo boom >&2; exit 3'] }, { restart: 'never' })],
    });
    await h.app.start();
    const outcome = await h.app.outcome('bad');
    const reason = 'sh -c "echo first >&2; echo boom >&2; exit 3" exited with code 3: boom';
    expect(outcome).toMatchObject({ kind: 'failed', exitCode: 3, stderrTail: ['first', 'boom'], reason });
    expect(h.find('bad', 'TaskFailed')).toMatchObject({ exitCode: 3, reason });
    expect(h.kinds('bad').slice(-3)).toEqual(['TaskFailed', 'ActorExhausted', 'TaskRemoved']);
    expect(outcome.error).toBeInstanceOf(ProcessExitError);
    expect(outcome.error).toMatchObject({
      name: 'ProcessExitError',
      code: 'ERR_PROCESS_EXIT',
      message: reason,
      command: 'sh',
      args: ['-c', 'echo first >&2; echo boom >&2; exit 3'],
      exitCode: 3,
      signal: undefined,
      stderrTail: ['first', 'boom'],
    });
  });

  it('a reason without stderr ends with how the process ended; blank last lines are skipped', async () => {
    const h = tracked({
      children: [
        processTask('quiet', { command: 'sh', args: ['-c', 'exit 4'] }, { restart: 'never' }),
        processTask('blank', { command: 'sh', args: ['-c', 'echo real >&2; echo "  " >&2; echo >&2; exit 5'] }, { restart: 'never' }),
      ],
    });
    await h.app.start();
    await expect(h.app.outcome('quiet')).resolves.toMatchObject({ reason: 'sh -c "exit 4" exited with code 4', stderrTail: [] });
    const blank = await h.app.outcome('blank');
    expect(blank.reason).toMatch(/ exited with code 5: real$/);
    expect(blank.stderrTail).toEqual(['real', '  ', '']);
  });

  it('cuts a long command line at 100 characters with an ellipsis', async () => {
    const script = `exit 6; ${'x'.repeat(200)}`;
    const h = tracked({ children: [processTask('long', { command: 'sh', args: ['-c', script] }, { restart: 'never' })] });
    await h.app.start();
    const outcome = await h.app.outcome('long');
    const commandLine = `sh -c "${script}"`;
    expect(outcome.reason).toBe(`${commandLine.slice(0, 100)}… exited with code 6`);
    expect(outcome.error).toMatchObject({ args: ['-c', script] });
  });

  it('an exit code above 128 is a code, not a signal', async () => {
    const h = tracked({ children: [processTask('c137', { command: 'sh', args: ['-c', 'exit 137'] }, { restart: 'never' })] });
    await h.app.start();
    await expect(h.app.outcome('c137')).resolves.toMatchObject({ kind: 'failed', exitCode: 137 });
    expect(h.find('c137', 'TaskFailed')).not.toHaveProperty('signal');
  });

  it('stderrTail keeps the last 20 stderr lines', async () => {
    const script = 'i=1; while [ $i -le 30 ]; do echo e$i >&2; echo o$i; i=$((i+1)); done; exit 1';
    const h = tracked({ children: [processTask('tail', { command: 'sh', args: ['-c', script] }, { restart: 'never' })] });
    await h.app.start();
    const outcome = await h.app.outcome('tail');
    expect(outcome.stderrTail).toEqual(Array.from({ length: 20 }, (_, i) => `e${i + 11}`));
  });

  it('death by an outside signal is a failure naming the signal', async () => {
    const h = tracked({ children: [processTask('victim', { command: 'sleep', args: ['30'] }, { restart: 'never' })] });
    await h.app.start();
    await h.until('victim', 'TaskStarted');
    process.kill(h.pid('victim'), 'SIGKILL');
    const outcome = await h.app.outcome('victim');
    expect(outcome.kind).toBe('failed');
    const failed = h.find('victim', 'TaskFailed');
    expect(failed).toMatchObject({ signal: 'SIGKILL' });
    expect(failed).not.toHaveProperty('exitCode');
    expect(failed?.reason).toBe('sleep 30 was killed by SIGKILL, which nobody asked for');
    expect(outcome.error).toBeInstanceOf(ProcessExitError);
    expect(outcome.error).toMatchObject({ command: 'sleep', args: ['30'], exitCode: undefined, signal: 'SIGKILL', stderrTail: [] });
  });

  it('a process that signals itself fails with that signal', async () => {
    const h = tracked({ children: [processTask('self', { command: 'sh', args: ['-c', 'kill -TERM $$'] }, { restart: 'never' })] });
    await h.app.start();
    await expect(h.app.outcome('self')).resolves.toMatchObject({ kind: 'failed' });
    expect(h.find('self', 'TaskFailed')).toMatchObject({ signal: 'SIGTERM' });
  });
});

describe('spawn failures', { timeout: 20_000 }, () => {
  it('ENOENT fails the attempt with a reason naming the command and the errno, retried by policy', async () => {
    const command = 'definitely-not-a-command-4242';
    const h = tracked({ children: [processTask('missing', { command }, { maxRetries: 2, backoff: none })] });
    await h.app.start();
    await h.until('missing', 'BackoffScheduled');
    const failed = h.find('missing', 'TaskFailed');
    expect(failed?.reason).toContain(command);
    expect(failed?.reason).toContain('ENOENT');
    expect(h.kinds('missing')).not.toContain('TaskStarted');
    await h.advance(100);
    await h.until('missing', 'BackoffScheduled', 2);
    await h.advance(200);
    const outcome = await h.app.outcome('missing');
    expect(outcome.kind).toBe('failed');
    expect(outcome.error).toBeInstanceOf(SpawnError);
    expect(outcome.error).toMatchObject({ code: 'ERR_SPAWN_FAILED', errno: 'ENOENT', command });
    expect(h.kinds('missing').filter((kind) => kind === 'TaskStarting')).toHaveLength(3);
    expect(h.kinds('missing').filter((kind) => kind === 'TaskFailed')).toHaveLength(3);
  });

  it('EACCES for a file that is not executable', async () => {
    const script = join(dir, 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o644);
    const h = tracked({ children: [processTask('noexec', { command: script }, { restart: 'never' })] });
    await h.app.start();
    const outcome = await h.app.outcome('noexec');
    expect(outcome.kind).toBe('failed');
    expect(outcome.reason).toContain(script);
    expect(outcome.reason).toContain('EACCES');
    expect(outcome.error).toMatchObject({ errno: 'EACCES' });
  });

  it('EACCES for a directory given as the command', async () => {
    const h = tracked({ children: [processTask('dir', { command: dir }, { restart: 'never' })] });
    await h.app.start();
    const outcome = await h.app.outcome('dir');
    expect(outcome.reason).toContain('EACCES');
  });

  it.each([
    ['missing', () => join(dir, 'no', 'such', 'dir'), /does not exist/],
    ['a file', () => '/etc/hostname', /is not a directory/],
  ])('a cwd that is %s gives TaskError, then ActorDead (fatal), and is never retried', async (_what, cwd, message) => {
    const h = tracked({ children: [processTask('cwd', { command: 'pwd', cwd: cwd() }, { restart: 'always' })] });
    await h.app.start();
    const outcome = await h.app.outcome('cwd');
    expect(outcome.kind).toBe('fatal');
    expect(outcome.reason).toMatch(message);
    expect(h.kinds('cwd')).toEqual(['TaskAddRequested', 'TaskAdded', 'TaskStarting', 'TaskError', 'ActorDead', 'TaskRemoved']);
    const error = h.find('cwd', 'TaskError')?.error;
    expect(error?.code).toBe(WorkingDirectoryError.CODE);
    expect(error?.message).toMatch(message);
  });
});

describe('command, cwd and environment', { timeout: 20_000 }, () => {
  it('runs in cwd, and a command with a slash is taken relative to it', async () => {
    const script = join(dir, 'hi.sh');
    writeFileSync(script, '#!/bin/sh\necho "hi from $(pwd)"\n');
    chmodSync(script, 0o755);
    const h = tracked({
      children: [processTask('pwd', { command: 'pwd', cwd: '/tmp' }), processTask('rel', { command: './hi.sh', cwd: dir })],
    });
    await h.app.start();
    await h.app.outcome('pwd');
    await h.app.outcome('rel');
    expect(h.lines('pwd')).toEqual(['/tmp']);
    expect(h.lines('rel')).toEqual([`hi from ${dir}`]);
  });

  it('keeps argv[0] as configured when the command is resolved through PATH', async () => {
    const h = tracked({ children: [processTask('argv0', { command: 'node', args: ['-e', 'console.log(process.argv0)'] })] });
    await h.app.start();
    await expect(h.app.outcome('argv0')).resolves.toMatchObject({ kind: 'completed' });
    expect(h.lines('argv0')).toEqual(['node']);
  });

  it('env is added on top of the host environment; with inheritEnv false it is the whole environment', async () => {
    const h = tracked({
      children: [
        processTask('added', {
          command: 'sh',
          args: ['-c', 'echo "$SV_TEST_VAR"; test -n "$PATH" && echo has-path'],
          env: { SV_TEST_VAR: 'test_value_123' },
        }),
        processTask('alone', { command: '/usr/bin/env', env: { ONLY: '1' }, inheritEnv: false }),
      ],
    });
    await h.app.start();
    await h.app.outcome('added');
    await h.app.outcome('alone');
    expect(h.lines('added')).toEqual(['test_value_123', 'has-path']);
    expect(h.lines('alone')).toEqual(['ONLY=1']);
  });

  it('never publishes the values of env', async () => {
    const secret = 'sv-secret-value-9f2c';
    const h = tracked({
      children: [
        processTask('quiet', { command: 'true', env: { API_TOKEN: secret } }),
        processTask('failing', { command: 'sh', args: ['-c', 'exit 4'], env: { API_TOKEN: secret } }, { restart: 'never' }),
        processTask('nocmd', { command: 'no-such-command-77', env: { API_TOKEN: secret } }, { restart: 'never' }),
      ],
    });
    await h.app.start();
    await h.app.outcome('quiet');
    await h.app.outcome('failing');
    await h.app.outcome('nocmd');
    expect(JSON.stringify(h.events)).not.toContain(secret);
  });
});
