/**
 * The Runner contract (DESIGN.md §7 "runners"), as @statevisor/process and other runner authors
 * rely on it: reporting hooks, readiness in the start step, the abort signal every stop goes
 * through, the control handle's kill on a force-abort, and the abort reasons.
 */
import { describe, expect, it } from 'vitest';
import { runnerTask } from '../src/index.ts';
import type { Runner, RunnerContext, RunnerControl, RunnerExit, SupervisorOptions } from '../src/index.ts';
import { flush, harness } from './support.ts';

/** A runner that records what happens to it and ends when `end` is called. */
function recordingRunner(options: { readyAtStart?: boolean; ignoreAbort?: boolean; readForce?: boolean } = {}): {
  runner: Runner;
  log: string[];
  contexts: RunnerContext[];
  end(exit?: RunnerExit): void;
} {
  const log: string[] = [];
  const contexts: RunnerContext[] = [];
  let finish: ((exit: RunnerExit) => void) | undefined;
  const runner: Runner = (ctx) =>
    new Promise<RunnerExit>((resolve) => {
      contexts.push(ctx);
      finish = resolve;
      const control: RunnerControl = {
        kill: () => log.push('control.kill'),
      };
      ctx.setControl(control);
      ctx.signal.addEventListener('abort', () => {
        const reason = ctx.signal.reason as DOMException;
        log.push(`abort ${reason.name}`);
        if (!options.ignoreAbort) resolve({ kind: 'failed', reason: 'aborted' });
      });
      if (options.readForce) {
        ctx.forceSignal.addEventListener('abort', () => {
          log.push('force signal');
          resolve({ kind: 'failed', reason: 'killed' });
        });
      }
      ctx.started({ pid: 4242, ready: options.readyAtStart === true });
    });
  return {
    runner,
    log,
    contexts,
    end: (exit = { kind: 'completed' }) => {
      finish?.(exit);
    },
  };
}

/** An inspector that records the task machine states of child `id`, one per snapshot. */
function recordStates(id: string, states: unknown[]): NonNullable<SupervisorOptions['inspect']> {
  return (event) => {
    const actor = event.actorRef as { id?: string };
    if (event.type === '@xstate.snapshot' && actor.id === id) states.push((event.snapshot as { value?: unknown }).value);
  };
}

/** Child `r`, a recording runner ready as it starts, added and started, its states recorded. */
async function startReadyAtStart(): Promise<{ r: ReturnType<typeof recordingRunner>; states: unknown[]; h: ReturnType<typeof harness> }> {
  const r = recordingRunner({ readyAtStart: true });
  const states: unknown[] = [];
  const h = harness({ inspect: recordStates('app/r', states) });
  await h.app.start();
  await h.app.add(runnerTask('r', r.runner));
  await flush();
  return { r, states, h };
}

describe('the Runner contract', () => {
  it('started() then ready() publish TaskStarted { pid } and TaskReady, one step each', async () => {
    const r = recordingRunner();
    const h = harness();
    await h.app.start();
    await h.app.add(runnerTask('r', r.runner));
    await flush();
    expect(h.app.snapshot().children?.[0]).toMatchObject({ state: 'running', pid: 4242 });
    r.contexts[0]?.ready();
    r.contexts[0]?.ready();
    await flush();
    expect(h.app.snapshot().children?.[0]).toMatchObject({ state: 'ready' });
    r.end();
    await expect(h.app.outcome('r')).resolves.toMatchObject({ kind: 'completed' });
    expect(h.kinds('r')).toEqual(['TaskAddRequested', 'TaskAdded', 'TaskStarting', 'TaskStarted', 'TaskReady', 'TaskStopped', 'ActorExhausted', 'TaskRemoved']);
    expect(h.of('r').find((event) => event.kind === 'TaskStarted')).toMatchObject({ pid: 4242 });
  });

  it('started({ ready: true }) reports readiness in the same step; a later ready() is ignored', async () => {
    const { r, states, h } = await startReadyAtStart();
    r.contexts[0]?.ready();
    await flush();
    r.end();
    await h.app.outcome('r');
    // No 'running' in between: one step took the task from starting to ready.
    expect(states).toEqual(['starting', 'ready', 'exhausted']);
    expect(h.kinds('r').filter((kind) => kind === 'TaskReady')).toHaveLength(1);
    expect(h.kinds('r').slice(2, 5)).toEqual(['TaskStarting', 'TaskStarted', 'TaskReady']);
  });

  it('a stop aborts the signal (AbortError) in the stop\'s own step; the task waits in stopping for the work', async () => {
    const { r, states, h } = await startReadyAtStart();
    const cancelled = h.app.cancel('r');
    expect(r.log).toEqual(['abort AbortError']);
    expect(h.app.snapshot().children?.[0]).toMatchObject({ state: 'stopping' });
    await expect(cancelled).resolves.toBe(true);
    expect(states).toEqual(['starting', 'ready', 'stopping', 'exhausted']);
    expect(h.kinds('r').slice(-4)).toEqual(['TaskRemoveRequested', 'TaskStopped', 'ActorExhausted', 'TaskRemoved']);
    expect(h.of('r').find((event) => event.kind === 'TaskStopped')).toMatchObject({ stopReason: { terminated: 'user-requested' } });
    await expect(h.app.outcome('r')).resolves.toMatchObject({ kind: 'cancelled' });
  });

  it('a second stop while the first waits for the work joins it: the signal aborts once, and the stop that ends the task wins', async () => {
    const r = recordingRunner({ readyAtStart: true, ignoreAbort: true });
    const h = harness({ graceMs: 100 });
    await h.app.start();
    await h.app.add(runnerTask('r', r.runner));
    await flush();
    const restarted = h.app.restart('r');
    expect(h.app.snapshot().children?.[0]).toMatchObject({ state: 'stopping' });
    const cancelled = h.app.cancel('r');
    expect(h.app.snapshot().children?.[0]).toMatchObject({ state: 'stopping' });
    expect(r.log).toEqual(['abort AbortError']);
    r.end();
    await expect(restarted).resolves.toBe(true);
    await expect(cancelled).resolves.toBe(true);
    await expect(h.app.outcome('r')).resolves.toMatchObject({ kind: 'cancelled' });
  });

  it('a timeout aborts the signal with a TimeoutError', async () => {
    const r = recordingRunner({ readyAtStart: true });
    const h = harness();
    await h.app.start();
    await h.app.add(runnerTask('r', r.runner, { timeoutMs: 100, restart: 'never' }));
    await h.advance(100);
    await expect(h.app.outcome('r')).resolves.toMatchObject({ kind: 'failed' });
    expect(r.log).toEqual(['abort TimeoutError']);
    expect(h.kinds('r')).toContain('TimeoutHit');
  });

  it('a force-abort calls control.kill(); the force signal exists only for a runner that reads it', async () => {
    const h = harness({ graceMs: 50 });
    await h.app.start();
    /** Adds `runner` as `name`, cancels it, and lets the 50 ms grace pass. */
    const cancelPastGrace = async (name: string, runner: Runner): Promise<void> => {
      await h.app.add(runnerTask(name, runner));
      await flush();
      const cancelled = h.app.cancel(name);
      await h.advance(49);
      expect(h.app.snapshot().children?.find((child) => child.path === `app/${name}`)).toMatchObject({ state: 'stopping' });
      await h.advance(1);
      await cancelled;
    };
    const quiet = recordingRunner({ ignoreAbort: true });
    await cancelPastGrace('quiet', quiet.runner);
    await expect(h.app.outcome('quiet')).resolves.toMatchObject({ kind: 'force-aborted' });
    expect(quiet.log).toEqual(['abort AbortError', 'control.kill']);

    const listening = recordingRunner({ ignoreAbort: true, readForce: true });
    await cancelPastGrace('listening', listening.runner);
    expect(listening.log).toEqual(['abort AbortError', 'control.kill', 'force signal']);
    expect((listening.contexts[0]?.forceSignal.reason as DOMException).name).toBe('AbortError');
  });

  it("the attempt actor's snapshot context shows the attempt, and the pid and command the runner reported", async () => {
    const contexts: unknown[] = [];
    const h = harness({
      inspect: (event) => {
        const actor = event.actorRef as { id?: string };
        if (event.type === '@xstate.snapshot' && actor.id === 'app/r#1') contexts.push((event.snapshot as { context?: unknown }).context);
      },
    });
    await h.app.start();
    let end: (() => void) | undefined;
    const runner: Runner = (ctx) =>
      new Promise<RunnerExit>((resolve) => {
        end = () => {
          resolve({ kind: 'completed' });
        };
        ctx.started({ pid: 4242, command: 'web --port 80' });
      });
    await h.app.add(runnerTask('r', runner, { restart: 'never' }));
    await flush();
    expect(contexts.at(-1)).toEqual({ attempt: 1, pid: 4242, command: 'web --port 80' });
    end?.();
    await h.app.outcome('r');
    expect(contexts.at(-1)).toEqual({ attempt: 1, pid: 4242, command: 'web --port 80' });
  });

  it("a fatal exit's stderrTail reaches the outcome, like a failed one's", async () => {
    const r = recordingRunner();
    const h = harness();
    await h.app.start();
    await h.app.add(runnerTask('r', r.runner, { restart: 'always' }));
    await flush();
    const error = new Error('exited with code 78');
    r.end({ kind: 'fatal', reason: 'exited with code 78', exitCode: 78, error, stderrTail: ['bad config'] });
    await expect(h.app.outcome('r')).resolves.toEqual({ kind: 'fatal', reason: 'exited with code 78', exitCode: 78, error, stderrTail: ['bad config'] });
    expect(h.kinds('r').slice(-3)).toEqual(['TaskFailed', 'ActorDead', 'TaskRemoved']);
  });

  it('hooks called after the attempt ended publish nothing', async () => {
    const r = recordingRunner();
    const h = harness();
    await h.app.start();
    await h.app.add(runnerTask('r', r.runner, { restart: 'never' }));
    await flush();
    const ctx = r.contexts[0];
    ctx?.output('live', 'stdout');
    r.end();
    await h.app.outcome('r');
    const before = h.events.length;
    ctx?.output('late', 'stdout');
    ctx?.outputBatch(['late'], 'stdout');
    ctx?.control('pause');
    ctx?.ready();
    await flush();
    expect(h.events.length).toBe(before);
    expect(h.of('r').filter((event) => event.kind === 'TaskOutput')).toMatchObject([{ line: 'live', stream: 'stdout' }]);
  });
});
