/** `app.child(name).signal(name)`: any signal to the whole group, published as ProcessControl, against real processes. */
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@statevisor/core';
import { processTask, ProcessConfigError, ProcessExitError } from '../src/index.ts';
import type { ProcessConfig } from '../src/index.ts';
import { disposeAll, tracked, waitFor } from './support.ts';
import type { Harness } from './support.ts';

afterEach(disposeAll);

const sh = (script: string, extra: Partial<ProcessConfig> = {}): ProcessConfig => ({ command: 'sh', args: ['-c', script], ...extra });
const RELOADS_ON_HUP = 'trap "echo reloaded" HUP; echo armed; while :; do sleep 0.1; done';

/**
 * Waits for `count` stdout lines. (The `sleep` of a script's loop is in the group too, so it dies
 * of the signal, and the shell may say so on stderr: "Hangup".)
 */
function stdoutLines(h: Harness, path: string, count: number): Promise<void> {
  return waitFor(() => h.lines(path, 'stdout').length >= count, () => `${count} stdout lines of ${path}: ${h.lines(path).join(' | ')}`);
}

/** The kinds of a child's events, leaving out its stderr lines. */
function kindsWithoutStderr(h: Harness, path: string): string[] {
  return h
    .of(path)
    .filter((event) => !(event.kind === 'TaskOutput' && event.stream === 'stderr'))
    .map((event) => event.kind);
}

describe('signal(name)', { timeout: 20_000 }, () => {
  it('sends the signal to the process, publishes ProcessControl before what the process does about it', async () => {
    const h = tracked({ children: [processTask('web', sh(RELOADS_ON_HUP, { readyIndicator: 'armed' }))] });
    await h.app.start();
    await h.until('web', 'TaskReady');
    expect(h.app.child('web').signal('SIGHUP')).toBe(true);
    await stdoutLines(h, 'web', 2);
    expect(h.lines('web', 'stdout')).toEqual(['armed', 'reloaded']);
    expect(h.find('web', 'ProcessControl')).toMatchObject({ action: 'signal', signal: 'SIGHUP', attempt: 1 });
    expect(kindsWithoutStderr(h, 'web').slice(2)).toEqual(['TaskStarting', 'TaskStarted', 'TaskOutput', 'TaskReady', 'ProcessControl', 'TaskOutput']);
    // The process handled it and lives on: a second one works the same.
    expect(h.app.child('web').signal('SIGHUP')).toBe(true);
    await stdoutLines(h, 'web', 3);
    expect(h.lines('web', 'stdout')).toEqual(['armed', 'reloaded', 'reloaded']);
    expect(h.kinds('web')).not.toContain('TaskFailed');
  });

  it('reaches every process of the group, not only the leader', async () => {
    const child = 'trap "echo child-usr1" USR1; echo child-armed; while :; do sleep 0.1; done';
    const script = `sh -c '${child}' & trap "echo parent-usr1" USR1; echo parent-armed; while :; do sleep 0.1; done`;
    const h = tracked({ children: [processTask('pair', sh(script))] });
    await h.app.start();
    await stdoutLines(h, 'pair', 2);
    expect(h.app.child('pair').signal('SIGUSR1')).toBe(true);
    await stdoutLines(h, 'pair', 4);
    expect(h.lines('pair', 'stdout').slice(2).sort()).toEqual(['child-usr1', 'parent-usr1']);
  });

  it('a SIGTERM sent with signal() is a failure that says who sent it, retried by the restart policy', async () => {
    const h = tracked({ children: [processTask('nap', { command: 'sleep', args: ['30'] }, { restart: 'on-failure', maxRetries: 1 })] });
    await h.app.start();
    await h.until('nap', 'TaskStarted');
    expect(h.app.child('nap').signal('SIGTERM')).toBe(true);
    await h.until('nap', 'BackoffScheduled');
    const failed = h.find('nap', 'TaskFailed');
    expect(failed).toMatchObject({ signal: 'SIGTERM', reason: 'sleep 30 was killed by SIGTERM, sent with signal()' });
    expect(failed).not.toHaveProperty('exitCode');
    expect(h.kinds('nap').slice(-4)).toEqual(['TaskReady', 'ProcessControl', 'TaskFailed', 'BackoffScheduled']);
  });

  it('a name that is not a signal throws ProcessConfigError (field signal) naming it, and sends nothing', async () => {
    const h = tracked({ children: [processTask('web', sh(RELOADS_ON_HUP))] });
    await h.app.start();
    await h.until('web', 'TaskOutput');
    for (const name of ['HUP', 'SIGFOO', 'sighup', '']) {
      const call = (): boolean => h.app.child('web').signal(name);
      expect(call).toThrow(ProcessConfigError);
      expect(call).toThrow(ConfigError);
      expect(call).toThrow(`signal: expected a signal name such as 'SIGTERM', received ${JSON.stringify(name)}`);
    }
    expect(() => h.app.child('web').signal(9 as unknown as string)).toThrow(/^signal: expected a signal name/);
    expect(h.kinds('web')).not.toContain('ProcessControl');
  });

  it('refuses the job-control signals and points to pause() and resume()', async () => {
    const h = tracked({ children: [processTask('web', sh(RELOADS_ON_HUP))] });
    await h.app.start();
    await h.until('web', 'TaskOutput');
    for (const name of ['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGCONT']) {
      let error: unknown;
      try {
        h.app.child('web').signal(name);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(ProcessConfigError);
      expect(error).toMatchObject({ field: 'signal', message: `signal: ${name} stops or continues the process: use pause() and resume() instead` });
    }
    expect(h.kinds('web')).not.toContain('ProcessControl');
  });

  it('returns false once the child has ended, and publishes nothing', async () => {
    const h = tracked({ children: [processTask('web', sh(RELOADS_ON_HUP), { restart: 'never' })] });
    await h.app.start();
    await h.until('web', 'TaskOutput');
    const handle = h.app.child('web');
    expect(handle.signal('SIGKILL')).toBe(true);
    const outcome = await h.app.outcome('web');
    expect(outcome).toMatchObject({ kind: 'failed', reason: `sh -c ${JSON.stringify(RELOADS_ON_HUP)} was killed by SIGKILL, sent with signal()` });
    expect(outcome.error).toBeInstanceOf(ProcessExitError);
    expect(outcome.error).toMatchObject({ signal: 'SIGKILL', exitCode: undefined });
    expect(handle.signal('SIGHUP')).toBe(false);
    expect(h.of('web').filter((event) => event.kind === 'ProcessControl')).toHaveLength(1);
  });
});
