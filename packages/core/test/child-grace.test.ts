/**
 * Per-child `graceMs` (DESIGN §2 "Graces and heartbeats", §3 "Stopping"): a child's own grace
 * overrides the supervisor's for every stop of it; 0 force-aborts at once (OTP's `brutal_kill`);
 * at shutdown each child's deadline is the start of the shutdown + its own grace.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, runnerTask, supervisor, task } from '../src/index.ts';
import type { TaskFn } from '../src/index.ts';
import { configError, flush, harness, rejection, track, untilAborted } from './support.ts';

const stubborn = (): Promise<never> => new Promise<never>(() => undefined);
/** Ends `ms` after its signal aborts (on the test's clock: the test advances it). */
const slowToStop = (stopped: { at: number }[], now: () => number): TaskFn => async ({ signal }) => {
  await untilAborted(signal);
  stopped.push({ at: now() });
  await new Promise<never>(() => undefined);
};

describe('per-child graceMs', () => {
  it('overrides the supervisor grace for cancel: force-aborted after the child grace', async () => {
    const h = harness({ graceMs: 5_000, children: [task('quick', stubborn, { graceMs: 100 })] });
    await h.app.start();
    await flush();
    const cancelled = track(h.app.cancel('quick'));
    await h.advance(99);
    expect(cancelled.settled).toBe(false);
    await h.advance(1);
    expect(cancelled.settled).toBe(true);
    await expect(h.app.outcome('quick')).resolves.toMatchObject({ kind: 'force-aborted' });
  });

  it('graceMs 0 force-aborts at once on remove, with the supervisor grace at 5000, and aborts the signal', async () => {
    let reason: unknown;
    const h = harness({
      graceMs: 5_000,
      children: [
        task('brutal', async ({ signal }) => {
          await untilAborted(signal);
          reason = signal.reason;
          await stubborn();
        }, { graceMs: 0 }),
      ],
    });
    await h.app.start();
    await flush();
    await expect(h.app.remove('brutal')).resolves.toBe(true);
    await flush();
    expect(h.clock.now()).toBe(0);
    await expect(h.app.outcome('brutal')).resolves.toMatchObject({ kind: 'force-aborted' });
    expect((reason as DOMException).name).toBe('AbortError');
  });

  it('applies to restart(), a handle stop() and a strategy stop', async () => {
    const h = harness({
      graceMs: 5_000,
      strategy: 'one-for-all',
      children: [
        task('restarted', stubborn, { graceMs: 10 }),
        task('handled', stubborn, { graceMs: 20 }),
        task('sibling', stubborn, { graceMs: 30 }),
        task('failing', async ({ attempt }) => {
          if (attempt === 1) throw new Error('boom');
          return stubborn();
        }, { graceMs: 40 }),
        task('tail', stubborn, { graceMs: 50 }),
      ],
    });
    await h.app.start();
    await flush();
    // 'failing' failed at once: one-for-all stops the others newest first, each with its own grace.
    // tail (50), sibling (30), handled (20), restarted (10): 110 ms in all.
    await h.advance(109, 1);
    expect(h.kinds('restarted')).not.toContain('TaskStopped');
    await h.advance(1);
    expect(h.kinds('restarted')).toContain('TaskStopped');
    await h.advance(10);
    const restartedAt = h.clock.now();
    await expect(h.app.restart('restarted')).resolves.toBe(true);
    await h.advance(9);
    expect(h.of('restarted').filter((event) => event.kind === 'TaskStopped')).toHaveLength(1);
    await h.advance(1);
    expect(h.of('restarted').filter((event) => event.kind === 'TaskStopped')).toHaveLength(2);
    expect(h.clock.now() - restartedAt).toBe(10);
    const stop = track(h.app.child('handled').stop());
    await h.advance(19);
    expect(stop.settled).toBe(false);
    await h.advance(1);
    expect(stop.settled).toBe(true);
  });

  it('a timed-out attempt that ignores its signal is abandoned after the child grace', async () => {
    const h = harness({ graceMs: 5_000, children: [task('deaf', stubborn, { graceMs: 50, timeoutMs: 1_000, restart: 'never' })] });
    await h.app.start();
    await h.advance(1_049, 1);
    expect(h.kinds('deaf')).not.toContain('TimeoutHit');
    await h.advance(1);
    expect(h.of('deaf').find((event) => event.kind === 'TimeoutHit')).toMatchObject({ durationMs: 1_050 });
  });

  it('shutdown: each child is force-aborted at the start of the shutdown + its own grace; stuck lists them', async () => {
    const stopped: { at: number }[] = [];
    let now = (): number => 0;
    const h = harness({
      graceMs: 500,
      children: [
        task('a', stubborn, { graceMs: 100 }),
        task('b', stubborn, { graceMs: 300 }),
        task('c', stubborn),
        task('polite', async ({ signal }) => untilAborted(signal), { graceMs: 100 }),
        task('slow', slowToStop(stopped, () => now()), { graceMs: 0 }),
      ],
    });
    now = () => h.clock.now();
    await h.app.start();
    await flush();
    const result = track(h.app.shutdown());
    await flush();
    expect(h.kinds('slow')).toContain('ActorDead');
    expect(h.kinds('polite')).toContain('TaskRemoved');
    await h.advance(99);
    expect(h.kinds('a')).not.toContain('TaskStopped');
    await h.advance(1);
    expect(h.of('a').find((event) => event.kind === 'ActorDead')).toMatchObject({ outcome: 'force-aborted' });
    await h.advance(199);
    expect(h.kinds('b')).not.toContain('TaskStopped');
    await h.advance(1);
    expect(h.kinds('b')).toContain('ActorDead');
    expect(result.settled).toBe(false);
    await h.advance(200);
    expect(result.settled).toBe(true);
    expect(h.clock.now()).toBe(500);
    expect([...(result.value?.stuck ?? [])].sort()).toEqual(['app/a', 'app/b', 'app/c', 'app/slow']);
    expect(result.value?.withinGrace).toBe(false);
    expect(stopped).toEqual([{ at: 0 }]);
  });

  it('shutdown: children that stop within their own grace leave withinGrace true', async () => {
    const h = harness({
      graceMs: 0,
      children: [task('a', async ({ signal }) => untilAborted(signal), { graceMs: 100 })],
    });
    await h.app.start();
    await flush();
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
  });

  it('defaults.graceMs sets the grace of a subtree; a nested supervisor graceMs is its children default; the child wins', async () => {
    const graces: Record<string, number> = {};
    const probe = (name: string, options = {}) =>
      runnerTask(name, async (ctx) => {
        graces[name] = ctx.graceMs;
        ctx.started();
        return { kind: 'completed' };
      }, options);
    const h = harness({
      graceMs: 5_000,
      defaults: { graceMs: 1_000 },
      children: [
        probe('root-default'),
        probe('own', { graceMs: 7 }),
        supervisor('sub', { graceMs: 200, children: [probe('in-sub'), probe('in-sub-own', { graceMs: 3 })] }),
        supervisor('sub2', { defaults: { graceMs: 40 }, graceMs: 200, children: [probe('in-sub2')] }),
        supervisor('sub3', { children: [probe('in-sub3')] }),
      ],
    });
    await h.app.start();
    await h.advance(10, 1);
    expect(graces).toEqual({ 'root-default': 1_000, own: 7, 'in-sub': 200, 'in-sub-own': 3, 'in-sub2': 40, 'in-sub3': 1_000 });
  });

  it('without defaults.graceMs, RunnerContext.graceMs is the supervisor graceMs', async () => {
    let grace = -1;
    const h = harness({
      graceMs: 1_234,
      children: [
        runnerTask('r', async (ctx) => {
          grace = ctx.graceMs;
          ctx.started();
          return { kind: 'completed' };
        }),
      ],
    });
    await h.app.start();
    await flush();
    expect(grace).toBe(1_234);
  });

  it('a nested supervisor graceMs is also its own grace: its parent force-aborts it after that long', async () => {
    const h = harness({
      graceMs: 5_000,
      children: [supervisor('sub', { graceMs: 50, children: [task('stuck', stubborn, { graceMs: 1_000 })] })],
    });
    await h.app.start();
    await flush();
    const cancelled = track(h.app.cancel('sub'));
    await h.advance(49);
    expect(cancelled.settled).toBe(false);
    await h.advance(1);
    expect(cancelled.settled).toBe(true);
    await expect(h.app.outcome('sub')).resolves.toMatchObject({ kind: 'force-aborted' });
  });
});

describe('graceMs validation', () => {
  it.each([
    ['a negative number', -1],
    ['beyond Number.MAX_SAFE_INTEGER', 2 ** 60],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['null', null],
  ])('task() refuses %s, naming options.graceMs and quoting the value', (_what, value) => {
    const error = configError(() => task('t', async () => 1, { graceMs: value as number }));
    expect(error.field).toBe('options.graceMs');
    expect(error.message).toContain(String(value));
  });

  it('createSupervisor refuses a bad defaults.graceMs and children[i].options.graceMs', () => {
    expect(configError(() => createSupervisor({ defaults: { graceMs: -1 } })).field).toBe('defaults.graceMs');
    const handMade = { ...task('t', async () => 1), options: { graceMs: 'soon' } };
    // Only specs made by the builders are accepted: a copy is refused as a whole.
    expect(configError(() => createSupervisor({ children: [handMade as never] })).field).toBe('children[0]');
  });

  it('supervisor() refuses a bad graceMs and options.defaults.graceMs', () => {
    expect(configError(() => supervisor('s', { graceMs: -0.5 })).field).toBe('options.graceMs');
    expect(configError(() => supervisor('s', { defaults: { graceMs: -3 } })).field).toBe('options.defaults.graceMs');
  });

  it('add() rejects a hand-made spec with a bad graceMs, naming the field', async () => {
    const h = harness();
    await h.app.start();
    const spec = { ...task('x', async () => 1), options: { graceMs: -1 } };
    await expect(rejection(h.app.add(spec))).resolves.toMatchObject({ code: 'ERR_INVALID_CONFIG', field: 'spec' });
  });
});
