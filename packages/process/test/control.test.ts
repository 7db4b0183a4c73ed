/**
 * The process runner driven directly (no supervisor): the abort of `ctx.signal` is how every
 * stop reaches a process (its killSignal, then SIGKILL after the grace), and the control
 * handle's `kill()` is the force-abort.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { RunnerContext, RunnerControl, RunnerExit } from '@statevisor/core';
import { resolveProcessConfig } from '../src/config.ts';
import type { ProcessConfig } from '../src/index.ts';
import { killAllGroups } from '../src/process-group.ts';
import { processRunner } from '../src/runner.ts';
import { groupGone, isAlive, sleep, waitFor } from './support.ts';

afterEach(killAllGroups);

const sh = (script: string, extra: Partial<ProcessConfig> = {}): ProcessConfig => ({ command: 'sh', args: ['-c', script], ...extra });
const IGNORES_TERM = 'trap "" TERM; echo armed; while :; do sleep 0.1; done';
const HANDLES_TERM = 'trap "echo got-term; exit 7" TERM; echo armed; while :; do sleep 0.1; done';

interface Run {
  readonly clock: SimulatedClock;
  readonly abort: AbortController;
  /** ProcessControl actions, in order. */
  readonly actions: string[];
  /** stdout lines. */
  readonly lines: string[];
  readonly exit: Promise<RunnerExit>;
  /** How many times the runner called `ctx.heartbeat()`. */
  heartbeats(): number;
  control(): RunnerControl;
  pid(): number;
  /** Waits for the script's `armed` line (its TERM trap is set). */
  armed(): Promise<void>;
}

/** Runs one attempt with a hand-made context on a SimulatedClock. */
function run(config: ProcessConfig, graceMs = 5_000): Run {
  const clock = new SimulatedClock();
  const abort = new AbortController();
  // The runner must never need the force signal: a force-abort comes through kill().
  const neverForced = new AbortController();
  const actions: string[] = [];
  const lines: string[] = [];
  let control: RunnerControl | undefined;
  let pid: number | undefined;
  let beats = 0;
  const ctx: RunnerContext = {
    signal: abort.signal,
    forceSignal: neverForced.signal,
    graceMs,
    clock,
    attempt: 1,
    name: 'p',
    path: 'app/p',
    ready: () => undefined,
    heartbeat: () => {
      beats++;
    },
    started: (info) => {
      pid = info?.pid;
    },
    output: (line, stream) => {
      if (stream === 'stdout') lines.push(line);
    },
    outputBatch: (batch, stream) => {
      if (stream === 'stdout') lines.push(...batch);
    },
    control: (action, signal) => {
      actions.push(signal === undefined ? action : `${action} ${signal}`);
    },
    healthCheckFailed: (probe, reason, failures) => {
      actions.push(`${probe} failed ${failures}: ${reason}`);
    },
    helperUnavailable: (reason) => {
      actions.push(`helper unavailable: ${reason}`);
    },
    stdinClosed: (error) => {
      actions.push(`stdin-closed ${error.code}`);
    },
    setControl: (handle) => {
      control = handle;
    },
  };
  const exit = processRunner(resolveProcessConfig(config))(ctx);
  return {
    clock,
    abort,
    actions,
    lines,
    exit,
    heartbeats: () => beats,
    control: () => {
      if (control === undefined) throw new Error('no control handle');
      return control;
    },
    pid: () => {
      if (pid === undefined) throw new Error('not started');
      return pid;
    },
    armed: () => waitFor(() => lines.includes('armed'), 'armed'),
  };
}

describe('heartbeats and a zero grace', { timeout: 20_000 }, () => {
  it("output: 'none' still calls ctx.heartbeat() for output nobody reads (stdout) and for split lines (stderr)", async () => {
    const r = run(sh('echo out; echo err >&2', { output: 'none' }));
    await expect(r.exit).resolves.toMatchObject({ kind: 'completed' });
    expect(r.heartbeats()).toBeGreaterThanOrEqual(2);
  });

  it("in 'lines' mode the runner leaves heartbeats to ctx.output() (the supervisor's context beats there)", async () => {
    const r = run(sh('echo out'));
    await expect(r.exit).resolves.toMatchObject({ kind: 'completed' });
    expect(r.lines).toEqual(['out']);
    expect(r.heartbeats()).toBe(0);
  });

  it('an abort with a grace of 0 sends SIGKILL to the group at once, with no killSignal first', async () => {
    const r = run(sh(HANDLES_TERM), 0);
    await r.armed();
    r.abort.abort();
    await expect(r.exit).resolves.toMatchObject({ kind: 'failed', signal: 'SIGKILL' });
    expect(r.lines).toEqual(['armed']);
    expect(r.actions).toEqual(['stop']);
    await groupGone(r.pid());
  });
});

describe('the control handle', { timeout: 20_000 }, () => {
  it('an abort of ctx.signal sends killSignal to the group and publishes stop once', async () => {
    const r = run(sh(HANDLES_TERM));
    await r.armed();
    r.abort.abort();
    await expect(r.exit).resolves.toMatchObject({ kind: 'failed', exitCode: 7 });
    expect(r.lines).toEqual(['armed', 'got-term']);
    expect(r.actions).toEqual(['stop']);
    await groupGone(r.pid());
  });

  it('an abort escalates to SIGKILL after killGraceMs, by default the grace of the context', async () => {
    const r = run(sh(IGNORES_TERM), 1_000);
    await r.armed();
    const pid = r.pid();
    r.abort.abort();
    await sleep(100);
    expect(isAlive(pid)).toBe(true);
    r.clock.increment(999);
    await sleep(50);
    expect(isAlive(pid)).toBe(true);
    r.clock.increment(1);
    await expect(r.exit).resolves.toMatchObject({ kind: 'failed', signal: 'SIGKILL', reason: `sh -c ${JSON.stringify(IGNORES_TERM)} was stopped by SIGKILL` });
    await groupGone(pid);

    const short = run(sh(IGNORES_TERM, { killGraceMs: 300 }), 60_000);
    await short.armed();
    short.abort.abort();
    short.clock.increment(300);
    await expect(short.exit).resolves.toMatchObject({ signal: 'SIGKILL' });
    await groupGone(short.pid());
  });

  it('an abort once the attempt has ended signals nothing', async () => {
    const r = run({ command: 'true' });
    await expect(r.exit).resolves.toMatchObject({ kind: 'completed' });
    r.abort.abort();
    r.control().pause?.();
    expect(r.actions).toEqual([]);
  });

  it('kill() SIGKILLs a group that an abort signalled, at once', async () => {
    const r = run(sh(IGNORES_TERM));
    await r.armed();
    r.abort.abort();
    await sleep(100);
    expect(isAlive(r.pid())).toBe(true);
    r.control().kill?.();
    await expect(r.exit).resolves.toMatchObject({ signal: 'SIGKILL' });
    await groupGone(r.pid());
  });

  it('kill() without an abort SIGKILLs the group, and publishes no stop', async () => {
    const r = run(sh(IGNORES_TERM));
    await r.armed();
    r.control().kill?.();
    await expect(r.exit).resolves.toMatchObject({ kind: 'failed', signal: 'SIGKILL' });
    await groupGone(r.pid());
    expect(r.actions).toEqual([]);
  });

  it('has write and closeStdin only with stdin: true', async () => {
    const plain = run({ command: 'sleep', args: ['30'] });
    await waitFor(() => r0(plain), 'started');
    expect(plain.control()).not.toHaveProperty('write');
    expect(plain.control()).not.toHaveProperty('closeStdin');
    plain.abort.abort();
    await plain.exit;

    const piped = run({ command: 'cat', stdin: true });
    await waitFor(() => r0(piped), 'started');
    expect(piped.control().write?.('hello\n')).toBe(true);
    piped.control().closeStdin?.();
    await expect(piped.exit).resolves.toMatchObject({ kind: 'completed' });
    expect(piped.lines).toEqual(['hello']);
  });
});

describe('signal() of the control handle', { timeout: 20_000 }, () => {
  it('publishes the signal it sent; false (and nothing published) once a stop has begun or the attempt has ended', async () => {
    const r = run(sh(IGNORES_TERM));
    await r.armed();
    // SIGWINCH does nothing to a shell: the attempt runs on.
    expect(r.control().signal?.('SIGWINCH')).toBe(true);
    r.abort.abort();
    expect(r.control().signal?.('SIGHUP')).toBe(false);
    r.control().kill?.();
    await expect(r.exit).resolves.toMatchObject({ kind: 'failed', signal: 'SIGKILL' });
    expect(r.control().signal?.('SIGHUP')).toBe(false);
    expect(r.actions).toEqual(['signal SIGWINCH', 'stop']);
  });
});

/** True once the attempt has a control handle. */
function r0(r: Run): boolean {
  try {
    r.control();
    return true;
  } catch {
    return false;
  }
}
