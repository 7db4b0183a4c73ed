/**
 * Cancellation and removal (DESIGN.md §2 "Tasks", §3 "Stopping"; taskvisor S25-S32):
 * cooperative and stubborn tasks, cancels while waiting (backoff, interval, concurrency slot),
 * concurrent cancels, remove vs cancel, unknown names. All timing is on the SimulatedClock.
 */
import { describe, expect, it } from 'vitest';
import { FatalError, task } from '../src/index.ts';
import type { SupervisorEvent } from '../src/index.ts';
import { flush, gate, harness, track, untilAborted } from './support.ts';

const FORCE_REASON = 'task did not stop within grace; force-aborted';
const NO_JITTER = { firstMs: 100, maxMs: 60_000, factor: 2, jitter: 'none' } as const;

/** A task body that never settles and ignores its signal. */
const stubborn = (): Promise<never> => new Promise<never>(() => undefined);

function shape(event: SupervisorEvent): Record<string, unknown> {
  const { seq: _seq, at: _at, task: _task, ...rest } = event;
  delete (rest as { explanation?: unknown }).explanation; // covered by the trees tests
  return rest;
}

describe('cancel a cooperative task', () => {
  it.each([
    ['returns a value', async (signal: AbortSignal) => { await untilAborted(signal); return 'value'; }],
    ['rejects with the abort reason', async (signal: AbortSignal) => { await untilAborted(signal); throw signal.reason; }],
    ['rejects with its own error', async (signal: AbortSignal) => { await untilAborted(signal); throw new Error('interrupted'); }],
    ['throws a FatalError', async (signal: AbortSignal) => { await untilAborted(signal); throw new FatalError('fatal on stop'); }],
  ])('that %s: TaskStopped{terminated user-requested}, ActorExhausted cancelled, outcome cancelled', async (_how, onStop) => {
    let reason: unknown;
    const h = harness({
      children: [
        task('coop', async ({ signal }) => {
          signal.addEventListener('abort', () => { reason = signal.reason; });
          return onStop(signal);
        }, { restart: 'always' }),
      ],
    });
    await h.app.start();
    await flush();
    await expect(h.app.cancel('coop')).resolves.toBe(true);
    // cancel resolves only once the child's final events are published.
    expect(h.of('coop').slice(3).map(shape)).toEqual([
      { kind: 'TaskStarted', attempt: 1 },
      { kind: 'TaskRemoveRequested' },
      { kind: 'TaskStopped', attempt: 1, stopReason: { terminated: 'user-requested' }, durationMs: 0 },
      { kind: 'ActorExhausted', outcome: 'cancelled' },
      { kind: 'TaskRemoved' },
    ]);
    await expect(h.app.outcome('coop')).resolves.toEqual({ kind: 'cancelled' });
    expect(reason).toBeInstanceOf(DOMException);
    expect((reason as DOMException).name).toBe('AbortError');
    // Not restarted, even under always.
    await h.advance(10_000, 1_000);
    expect(h.kinds('coop').filter((kind) => kind === 'TaskStarting')).toHaveLength(1);
  });

  it('a second cancel after the child is gone resolves false at once and publishes nothing', async () => {
    const h = harness({ children: [task('coop', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    await flush();
    await expect(h.app.cancel('coop')).resolves.toBe(true);
    const count = h.events.length;
    await expect(h.app.cancel('coop')).resolves.toBe(false);
    await expect(h.app.remove('coop')).resolves.toBe(false);
    expect(h.events).toHaveLength(count);
  });

  it('cancel accepts the path as well as the name', async () => {
    const h = harness({ children: [task('coop', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    await flush();
    await expect(h.app.cancel('elsewhere/coop')).resolves.toBe(false);
    await expect(h.app.cancel('app/coop')).resolves.toBe(true);
    expect(h.kinds('coop').at(-1)).toBe('TaskRemoved');
  });
});

describe('cancel a stubborn task', () => {
  it('is force-aborted exactly at graceMs: TaskStopped{terminated}, ActorDead force-aborted, outcome force-aborted', async () => {
    const h = harness({ graceMs: 300, children: [task('stuck', stubborn)] });
    await h.app.start();
    await flush();
    const cancel = track(h.app.cancel('stuck'));
    await h.advance(299);
    expect(cancel.settled).toBe(false);
    expect(h.kinds('stuck').at(-1)).toBe('TaskRemoveRequested');
    await h.advance(1);
    expect(cancel.settled).toBe(true);
    expect(cancel.value).toBe(true);
    expect(h.of('stuck').slice(4).map(shape)).toEqual([
      { kind: 'TaskRemoveRequested' },
      { kind: 'TaskStopped', attempt: 1, stopReason: { terminated: 'user-requested' }, durationMs: 300 },
      { kind: 'ActorDead', outcome: 'force-aborted', reason: FORCE_REASON },
      { kind: 'TaskRemoved' },
    ]);
    await expect(h.app.outcome('stuck')).resolves.toEqual({ kind: 'force-aborted', reason: FORCE_REASON });
  });

  it('what an abandoned attempt does later is ignored', async () => {
    const late = gate<string>();
    const h = harness({ graceMs: 100, children: [task('stuck', () => late.promise, { restart: 'always' })] });
    await h.app.start();
    await flush();
    const cancelled = h.app.cancel('stuck');
    await h.advance(100);
    await expect(cancelled).resolves.toBe(true);
    const count = h.events.length;
    late.open('too late');
    await h.advance(1_000, 100);
    expect(h.events).toHaveLength(count);
    await expect(h.app.outcome('stuck')).resolves.toMatchObject({ kind: 'force-aborted' });
  });

  it('graceMs 0 force-aborts at once, without advancing the clock', async () => {
    const h = harness({ graceMs: 0, children: [task('stuck', stubborn)] });
    await h.app.start();
    await flush();
    await expect(h.app.cancel('stuck')).resolves.toBe(true);
    expect(h.clock.now()).toBe(0);
    await expect(h.app.outcome('stuck')).resolves.toEqual({ kind: 'force-aborted', reason: FORCE_REASON });
  });

  it('a task that stops within the grace is cancelled, not force-aborted', async () => {
    const h = harness({
      graceMs: 300,
      children: [
        task('slow', async ({ signal }) => {
          await untilAborted(signal);
          await new Promise<void>((resolve) => {
            h.clock.setTimeout(resolve, 200);
          });
        }),
      ],
    });
    await h.app.start();
    await flush();
    const cancel = track(h.app.cancel('slow'));
    await h.advance(199);
    expect(cancel.settled).toBe(false);
    await h.advance(1);
    expect(cancel.value).toBe(true);
    await expect(h.app.outcome('slow')).resolves.toEqual({ kind: 'cancelled' });
    expect(h.kinds('slow')).not.toContain('ActorDead');
  });
});

describe('cancel while waiting', () => {
  it('during a backoff: ends at once, no further attempt', async () => {
    const h = harness({
      children: [task('f', async () => { throw new Error('boom'); }, { backoff: { ...NO_JITTER, firstMs: 60_000 } })],
    });
    await h.app.start();
    await h.advance(10);
    expect(h.of('f').at(-1)).toMatchObject({ kind: 'BackoffScheduled', delayMs: 60_000 });
    await expect(h.app.cancel('f')).resolves.toBe(true);
    expect(h.clock.now()).toBe(10);
    expect(h.of('f').slice(-4).map(shape)).toEqual([
      { kind: 'BackoffScheduled', attempt: 1, delayMs: 60_000, backoffSource: 'failure', reason: 'boom' },
      { kind: 'TaskRemoveRequested' },
      { kind: 'ActorExhausted', outcome: 'cancelled' },
      { kind: 'TaskRemoved' },
    ]);
    await expect(h.app.outcome('f')).resolves.toEqual({ kind: 'cancelled' });
    await h.advance(120_000, 10_000);
    expect(h.kinds('f').filter((kind) => kind === 'TaskStarting')).toHaveLength(1);
  });

  it('during an interval wait after a success: ends at once, keeps the last output', async () => {
    const h = harness({ children: [task('poll', async ({ attempt }) => attempt, { restart: { always: { intervalMs: 5_000 } } })] });
    await h.app.start();
    await h.advance(10);
    await expect(h.app.cancel('poll')).resolves.toBe(true);
    await expect(h.app.outcome('poll')).resolves.toEqual({ kind: 'cancelled', output: 1 });
    expect(h.kinds('poll').slice(-4)).toEqual(['BackoffScheduled', 'TaskRemoveRequested', 'ActorExhausted', 'TaskRemoved']);
    await h.advance(10_000, 1_000);
    expect(h.kinds('poll').filter((kind) => kind === 'TaskStarting')).toHaveLength(1);
  });

  it('during the one-macrotask yield of always: no further attempt', async () => {
    const h = harness({ children: [task('loop', async ({ attempt }) => attempt, { restart: 'always' })] });
    const claims: Promise<boolean>[] = [];
    h.app.events$.subscribe((event) => {
      if (event.kind === 'BackoffScheduled' && event.task === 'app/loop') claims.push(h.app.cancel('loop'));
    });
    await h.app.start();
    await flush();
    expect(claims).toHaveLength(1);
    await expect(claims[0]).resolves.toBe(true);
    expect(h.kinds('loop').filter((kind) => kind === 'TaskStarting')).toHaveLength(1);
    await expect(h.app.outcome('loop')).resolves.toEqual({ kind: 'cancelled', output: 1 });
  });

  it('while waiting for a concurrency slot: no TaskStarting, and the slot queue is not disturbed', async () => {
    const holder = gate();
    const ran: string[] = [];
    const h = harness({
      maxConcurrent: 1,
      children: [
        task('holder', async () => { ran.push('holder'); await holder.promise; }),
        task('waiting', async () => { ran.push('waiting'); }),
        task('next', async () => { ran.push('next'); }),
      ],
    });
    await h.app.start();
    await flush();
    expect(ran).toEqual(['holder']);
    await expect(h.app.cancel('waiting')).resolves.toBe(true);
    expect(h.kinds('waiting')).toEqual(['TaskAddRequested', 'TaskAdded', 'TaskRemoveRequested', 'ActorExhausted', 'TaskRemoved']);
    expect(h.of('waiting').find((event) => event.kind === 'ActorExhausted')).toMatchObject({ outcome: 'cancelled' });
    await expect(h.app.outcome('waiting')).resolves.toEqual({ kind: 'cancelled' });
    holder.open();
    await flush();
    await expect(h.app.outcome('next')).resolves.toMatchObject({ kind: 'completed' });
    expect(ran).toEqual(['holder', 'next']);
  });
});

describe('concurrent cancels', () => {
  it('16 concurrent cancels: exactly one true, all resolve only after TaskRemoved', async () => {
    const exit = gate();
    const h = harness({
      children: [
        task('x', async ({ signal }) => {
          await untilAborted(signal);
          await exit.promise;
        }),
      ],
    });
    await h.app.start();
    await flush();
    const removedWhenResolved: boolean[] = [];
    const cancels = Array.from({ length: 16 }, () =>
      h.app.cancel('x').then((claimed) => {
        removedWhenResolved.push(h.kinds('x').includes('TaskRemoved'));
        return claimed;
      }),
    );
    await flush();
    expect(removedWhenResolved).toEqual([]);
    exit.open();
    const results = await Promise.all(cancels);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(results.filter((claimed) => !claimed)).toHaveLength(15);
    expect(removedWhenResolved).toEqual(Array.from({ length: 16 }, () => true));
    expect(h.kinds('x').filter((kind) => kind === 'TaskRemoveRequested')).toHaveLength(1);
    expect(h.kinds('x').filter((kind) => kind === 'TaskRemoved')).toHaveLength(1);
  });
});

describe('remove vs cancel', () => {
  it('remove claims at once (before the child has stopped); cancel after it resolves false once TaskRemoved is out', async () => {
    const h = harness({ graceMs: 300, children: [task('stuck', stubborn)] });
    await h.app.start();
    await flush();
    await expect(h.app.remove('stuck')).resolves.toBe(true);
    expect(h.kinds('stuck').at(-1)).toBe('TaskRemoveRequested');
    await expect(h.app.remove('stuck')).resolves.toBe(false);
    const cancel = track(h.app.cancel('stuck'));
    await h.advance(299);
    expect(cancel.settled).toBe(false);
    await h.advance(1);
    expect(cancel.settled).toBe(true);
    expect(cancel.value).toBe(false);
    expect(h.kinds('stuck').at(-1)).toBe('TaskRemoved');
    expect(h.kinds('stuck').filter((kind) => kind === 'TaskRemoveRequested')).toHaveLength(1);
    await expect(h.app.outcome('stuck')).resolves.toMatchObject({ kind: 'force-aborted' });
  });

  it('remove after cancel resolves false; the cancel still claims', async () => {
    const h = harness({ children: [task('coop', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    await flush();
    const cancel = h.app.cancel('coop');
    await expect(h.app.remove('coop')).resolves.toBe(false);
    await expect(cancel).resolves.toBe(true);
  });

  it('a removed child ends like a cancelled one', async () => {
    const h = harness({ children: [task('coop', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    await flush();
    await expect(h.app.remove('coop')).resolves.toBe(true);
    await expect(h.app.outcome('coop')).resolves.toEqual({ kind: 'cancelled' });
    expect(h.kinds('coop').slice(-4)).toEqual(['TaskRemoveRequested', 'TaskStopped', 'ActorExhausted', 'TaskRemoved']);
  });
});

describe('unknown names', () => {
  it('remove and cancel of a name never seen resolve false and publish nothing', async () => {
    const h = harness({ children: [task('real', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    await flush();
    const count = h.events.length;
    await expect(h.app.remove('ghost')).resolves.toBe(false);
    await expect(h.app.cancel('ghost')).resolves.toBe(false);
    await expect(h.app.remove('app/ghost')).resolves.toBe(false);
    await expect(h.app.cancel('app/ghost')).resolves.toBe(false);
    expect(h.events).toHaveLength(count);
    await h.app.cancel('real');
  });

  it('remove and cancel before start resolve false', async () => {
    const h = harness({ children: [task('later', async () => 1)] });
    await expect(h.app.remove('later')).resolves.toBe(false);
    await expect(h.app.cancel('later')).resolves.toBe(false);
    expect(h.events).toEqual([]);
  });
});
