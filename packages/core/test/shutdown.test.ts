/**
 * Shutdown (DESIGN.md §2 "Lifecycle", §3 "Stopping", §4 "Shutdown"; taskvisor R25-R29,
 * S40-S46): one shared grace deadline, a verdict event, a memoised result, admission closed,
 * the supervisor's own outcome, and events$ completing after the subscriber drain.
 */
import { describe, expect, it } from 'vitest';
import { ShuttingDownError, task } from '../src/index.ts';
import type { SupervisorEvent } from '../src/index.ts';
import { flush, gate, harness, track, untilAborted } from './support.ts';

const FORCE_REASON = 'task did not stop within grace; force-aborted';
const stubborn = (): Promise<never> => new Promise<never>(() => undefined);

/** The supervisor's own events (task === 'app'). */
const rootEvents = (events: readonly SupervisorEvent[]): SupervisorEvent[] => events.filter((event) => event.task === 'app');
const rootKinds = (events: readonly SupervisorEvent[]): string[] => rootEvents(events).map((event) => event.kind);

const seqOf = (events: readonly SupervisorEvent[], kind: string, path: string): number[] =>
  events.filter((event) => event.kind === kind && event.task === path).map((event) => event.seq);

describe('shutdown within grace', () => {
  it('stops every child (terminated shutdown), publishes ShutdownRequested ... AllStoppedWithinGrace, no TaskRemoveRequested', async () => {
    const reasons: unknown[] = [];
    const coop = (name: string): ReturnType<typeof task> =>
      task(name, async ({ signal }) => {
        await untilAborted(signal);
        reasons.push(signal.reason);
      });
    const h = harness({ children: [coop('c0'), coop('c1')] });
    await h.app.start();
    await flush();
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });

    expect(rootKinds(h.events)).toEqual(['ShutdownRequested', 'AllStoppedWithinGrace']);
    const requested = seqOf(h.events, 'ShutdownRequested', 'app')[0]!;
    const verdict = seqOf(h.events, 'AllStoppedWithinGrace', 'app')[0]!;
    for (const name of ['c0', 'c1']) {
      expect(h.kinds(name).slice(-3)).toEqual(['TaskStopped', 'ActorExhausted', 'TaskRemoved']);
      expect(h.of(name).find((event) => event.kind === 'TaskStopped')).toMatchObject({ stopReason: { terminated: 'shutdown' } });
      expect(h.kinds(name)).not.toContain('TaskRemoveRequested');
      const removed = seqOf(h.events, 'TaskRemoved', `app/${name}`)[0]!;
      expect(removed).toBeGreaterThan(requested);
      expect(removed).toBeLessThan(verdict);
      await expect(h.app.outcome(name)).resolves.toEqual({ kind: 'cancelled' });
    }
    expect(h.events.map((event) => event.kind)).not.toContain('GraceExceeded');
    expect(reasons).toHaveLength(2);
    for (const reason of reasons) expect((reason as DOMException).name).toBe('AbortError');
    // The verdict is the last event of the tree.
    expect(h.events.at(-1)?.kind).toBe('AllStoppedWithinGrace');
  });

  it('children in backoff or waiting for a slot end at once, without an attempt', async () => {
    const h = harness({
      maxConcurrent: 1,
      children: [
        task('busy', ({ signal }) => untilAborted(signal)),
        task('queued', async () => 'never runs'),
        task('backoff', async () => { throw new Error('boom'); }, { backoff: { firstMs: 60_000, maxMs: 60_000, factor: 1, jitter: 'none' } }),
      ],
    });
    await h.app.start();
    await flush();
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
    expect(h.clock.now()).toBe(0);
    expect(h.kinds('queued')).toEqual(['TaskAddRequested', 'TaskAdded', 'ActorExhausted', 'TaskRemoved']);
    await expect(h.app.outcome('queued')).resolves.toEqual({ kind: 'cancelled' });
    await expect(h.app.outcome('backoff')).resolves.toEqual({ kind: 'cancelled' });
    await expect(h.app.outcome('busy')).resolves.toEqual({ kind: 'cancelled' });
  });
});

describe('shutdown past grace', () => {
  it('a stubborn child is force-aborted at the deadline and reported stuck; GraceExceeded, no AllStoppedWithinGrace', async () => {
    const h = harness({
      graceMs: 500,
      children: [task('coop', ({ signal }) => untilAborted(signal)), task('stuck', stubborn)],
    });
    await h.app.start();
    await flush();
    const result = track(h.app.shutdown());
    await h.advance(499);
    expect(result.settled).toBe(false);
    await expect(h.app.outcome('coop')).resolves.toEqual({ kind: 'cancelled' });
    await h.advance(1);
    expect(result.settled).toBe(true);
    expect(result.value).toEqual({ withinGrace: false, stuck: ['app/stuck'] });
    expect(rootKinds(h.events)).toEqual(['ShutdownRequested', 'GraceExceeded']);
    expect(rootEvents(h.events).at(-1)).toMatchObject({ kind: 'GraceExceeded', stuck: ['app/stuck'] });
    await expect(h.app.outcome('stuck')).resolves.toEqual({ kind: 'force-aborted', reason: FORCE_REASON });
    expect(h.kinds('stuck').slice(-3)).toEqual(['TaskStopped', 'ActorDead', 'TaskRemoved']);
    expect(h.of('stuck').find((event) => event.kind === 'TaskStopped')).toMatchObject({ stopReason: { terminated: 'shutdown' } });
  });

  it('one shared deadline: several stubborn children are all force-aborted at graceMs, not one grace each', async () => {
    const h = harness({
      graceMs: 200,
      children: [task('a', stubborn), task('b', stubborn), task('c', stubborn)],
    });
    await h.app.start();
    await flush();
    const result = track(h.app.shutdown());
    await h.advance(200);
    expect(result.settled).toBe(true);
    expect(h.clock.now()).toBe(200);
    expect([...result.value!.stuck].sort()).toEqual(['app/a', 'app/b', 'app/c']);
    expect(result.value!.withinGrace).toBe(false);
  });

  it('graceMs 0: stuck at once, without advancing the clock', async () => {
    const h = harness({ graceMs: 0, children: [task('z', stubborn)] });
    await h.app.start();
    await flush();
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: false, stuck: ['app/z'] });
    expect(h.clock.now()).toBe(0);
    await expect(h.app.outcome('z')).resolves.toMatchObject({ kind: 'force-aborted' });
  });
});

describe('empty shutdown', () => {
  it('a started supervisor with no children: ShutdownRequested, AllStoppedWithinGrace, no clock needed', async () => {
    const h = harness();
    await h.app.start();
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
    expect(h.events.map((event) => event.kind)).toEqual(['ShutdownRequested', 'AllStoppedWithinGrace']);
    expect(h.events.every((event) => event.task === 'app')).toBe(true);
    expect(h.clock.now()).toBe(0);
  });

  it('a supervisor whose children have all finished shuts down at once', async () => {
    const h = harness({ children: [task('done', async () => 1)] });
    await h.app.start();
    await h.app.outcome('done');
    await flush();
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
    expect(rootKinds(h.events)).toEqual(['ShutdownRequested', 'AllStoppedWithinGrace']);
  });
});

describe('memoised shutdown', () => {
  it('three callers (two concurrent, one late) share one result; exactly one ShutdownRequested and one verdict', async () => {
    const h = harness({ graceMs: 50, children: [task('a', stubborn), task('b', stubborn)] });
    await h.app.start();
    await flush();
    const first = h.app.shutdown();
    const second = h.app.shutdown();
    expect(second).toBe(first);
    await h.advance(50);
    const [r1, r2] = await Promise.all([first, second]);
    const late = h.app.shutdown();
    expect(late).toBe(first);
    const r3 = await late;
    expect(r2).toBe(r1);
    expect(r3).toBe(r1);
    expect([...r1.stuck].sort()).toEqual(['app/a', 'app/b']);
    expect(h.events.filter((event) => event.kind === 'ShutdownRequested')).toHaveLength(1);
    expect(h.events.filter((event) => event.kind === 'GraceExceeded' || event.kind === 'AllStoppedWithinGrace')).toHaveLength(1);
  });
});

describe('after shutdown', () => {
  it('add rejects with ShuttingDownError, also while shutdown is in progress; remove and cancel resolve false', async () => {
    const h = harness({ graceMs: 100, children: [task('stuck', stubborn), task('coop', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    await flush();
    const done = h.app.shutdown();
    // In progress.
    await expect(h.app.add(task('late', async () => 1))).rejects.toBeInstanceOf(ShuttingDownError);
    await expect(h.app.remove('stuck')).resolves.toBe(false);
    await expect(h.app.cancel('stuck')).resolves.toBe(false);
    await h.advance(100);
    await done;
    // Finished.
    const error = await h.app.add(task('later', async () => 1)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ShuttingDownError);
    expect(error).toMatchObject({ name: 'ShuttingDownError', code: 'ERR_SHUTTING_DOWN' });
    await expect(h.app.remove('coop')).resolves.toBe(false);
    await expect(h.app.cancel('coop')).resolves.toBe(false);
    expect(h.events.some((event) => event.task === 'app/late' || event.task === 'app/later')).toBe(false);
    // outcome still works for the children.
    await expect(h.app.outcome('coop')).resolves.toEqual({ kind: 'cancelled' });
  });

  it("the supervisor's own outcome is pending while it runs and cancelled after shutdown", async () => {
    const h = harness({ children: [task('coop', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    await flush();
    const own = track(h.app.outcome());
    await flush();
    expect(own.settled).toBe(false);
    await h.app.shutdown();
    await flush();
    expect(own.value).toEqual({ kind: 'cancelled' });
    await expect(h.app.outcome()).resolves.toEqual({ kind: 'cancelled' });
  });

  it('start after shutdown starts nothing', async () => {
    let ran = false;
    const h = harness({ children: [task('never', async () => { ran = true; })] });
    await h.app.shutdown();
    await h.app.start();
    await flush();
    expect(ran).toBe(false);
    expect(h.events.some((event) => event.task === 'app/never')).toBe(false);
  });
});

describe('events$ completes', () => {
  it('events$ completes after the verdict, once shutdown has resolved', async () => {
    const h = harness({ children: [task('coop', ({ signal }) => untilAborted(signal))] });
    const seen: string[] = [];
    h.app.events$.subscribe({ next: (event) => seen.push(event.kind), complete: () => seen.push('complete') });
    await h.app.start();
    await flush();
    const result = await h.app.shutdown();
    expect(result.withinGrace).toBe(true);
    expect(seen.at(-1)).toBe('complete');
    expect(seen.at(-2)).toBe('AllStoppedWithinGrace');
    expect(seen.filter((kind) => kind === 'complete')).toHaveLength(1);
  });

  it('a blocked subscriber delays completion by at most subscriberDrainMs (on the injected clock)', async () => {
    const blocked = gate();
    const h = harness({ subscriberDrainMs: 50, children: [task('coop', ({ signal }) => untilAborted(signal))] });
    let completed = false;
    h.app.events$.subscribe({ complete: () => { completed = true; } });
    h.app.subscribe({ name: 'slow', capacity: 16, next: () => blocked.promise });
    await h.app.start();
    await flush();
    const result = track(h.app.shutdown());
    await h.advance(0);
    expect(rootKinds(h.events)).toContain('AllStoppedWithinGrace');
    expect(result.settled).toBe(false);
    await h.advance(49);
    expect(result.settled).toBe(false);
    expect(completed).toBe(false);
    await h.advance(1);
    expect(result.settled).toBe(true);
    expect(result.value).toEqual({ withinGrace: true, stuck: [] });
    expect(completed).toBe(true);
    blocked.open();
  });
});
