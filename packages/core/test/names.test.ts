/**
 * Names among siblings (DESIGN.md §2 "Outcomes", "Validation"; taskvisor R2, R6, R23, S33-S35):
 * a live (or removing) name is reserved, a clash rejects with TaskAlreadyExistsError and
 * publishes TaskAddRequested + TaskAddFailed, and the name is reusable after TaskRemoved.
 */
import { describe, expect, it } from 'vitest';
import { TaskAlreadyExistsError, UnknownTaskError, task } from '../src/index.ts';
import { flush, gate, harness, rejection, untilAborted } from './support.ts';

describe('duplicate names', () => {
  it('add of a live name rejects with TaskAlreadyExistsError (ERR_TASK_EXISTS); the body never runs', async () => {
    const bodies: string[] = [];
    const h = harness();
    await h.app.start();
    await expect(h.app.add(task('dup', async ({ signal }) => { bodies.push('first'); await untilAborted(signal); }))).resolves.toBe('app/dup');
    await flush();
    const error = await rejection(h.app.add(task('dup', async () => { bodies.push('second'); })));
    expect(error).toBeInstanceOf(TaskAlreadyExistsError);
    expect(error).toMatchObject({ name: 'TaskAlreadyExistsError', code: 'ERR_TASK_EXISTS', path: 'app/dup' });
    await flush();
    expect(bodies).toEqual(['first']);
    const kinds = h.kinds('dup');
    expect(kinds.filter((kind) => kind === 'TaskAddRequested')).toHaveLength(2);
    expect(kinds.filter((kind) => kind === 'TaskAdded')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'TaskAddFailed')).toHaveLength(1);
    // The second TaskAddRequested is immediately followed by its TaskAddFailed.
    const failedAt = kinds.indexOf('TaskAddFailed');
    expect(kinds[failedAt - 1]).toBe('TaskAddRequested');
    expect(h.of('dup')[failedAt]).toMatchObject({ kind: 'TaskAddFailed', reason: expect.stringContaining('app/dup') as string });
    // The live child is untouched.
    expect(kinds).not.toContain('TaskStopped');
    await h.app.cancel('dup');
  });

  it('a clash is a rejection, never a synchronous throw', async () => {
    const h = harness({ children: [task('dup', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    let promise: Promise<string> | undefined;
    expect(() => {
      promise = h.app.add(task('dup', async () => 1));
    }).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(TaskAlreadyExistsError);
    await h.app.cancel('dup');
  });

  it('an initial child reserves its name too, also while it waits in backoff', async () => {
    const h = harness({
      children: [task('flaky', async () => { throw new Error('boom'); }, { backoff: { firstMs: 1_000, maxMs: 1_000, factor: 1, jitter: 'none' } })],
    });
    await h.app.start();
    await flush();
    expect(h.kinds('flaky').at(-1)).toBe('BackoffScheduled');
    await expect(h.app.add(task('flaky', async () => 'other'))).rejects.toBeInstanceOf(TaskAlreadyExistsError);
    await h.app.cancel('flaky');
  });

  it('64 concurrent adds of one name: exactly one wins, 63 TaskAddFailed', async () => {
    let runs = 0;
    const h = harness();
    await h.app.start();
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, () => h.app.add(task('storm', async ({ signal }) => { runs++; await untilAborted(signal); }))),
    );
    await flush();
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(fulfilled[0]).toEqual({ status: 'fulfilled', value: 'app/storm' });
    expect(rejected).toHaveLength(63);
    for (const result of rejected) expect(result.reason).toBeInstanceOf(TaskAlreadyExistsError);
    const kinds = h.kinds('storm');
    expect(kinds.filter((kind) => kind === 'TaskAddRequested')).toHaveLength(64);
    expect(kinds.filter((kind) => kind === 'TaskAdded')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'TaskAddFailed')).toHaveLength(63);
    expect(kinds.filter((kind) => kind === 'TaskStarting')).toHaveLength(1);
    expect(runs).toBe(1);
    await h.app.cancel('storm');
  });
});

describe('reserved until TaskRemoved, then reusable', () => {
  it('a name stays reserved while its child is being removed, and is reusable after TaskRemoved', async () => {
    const exit = gate();
    const h = harness();
    await h.app.start();
    await h.app.add(task('x', async ({ signal }) => {
      await untilAborted(signal);
      await exit.promise;
      return 'old';
    }));
    await flush();
    await expect(h.app.remove('x')).resolves.toBe(true);
    await expect(h.app.add(task('x', async () => 'new'))).rejects.toBeInstanceOf(TaskAlreadyExistsError);
    expect(h.kinds('x')).not.toContain('TaskRemoved');

    exit.open();
    await expect(h.app.outcome('x')).resolves.toEqual({ kind: 'cancelled' });
    const removedSeq = h.of('x').find((event) => event.kind === 'TaskRemoved')!.seq;

    await expect(h.app.add(task('x', async () => 'new'))).resolves.toBe('app/x');
    const readded = h.of('x').filter((event) => event.kind === 'TaskAdded');
    expect(readded).toHaveLength(2);
    expect(readded[1]!.seq).toBeGreaterThan(removedSeq);
    // outcome('x') now refers to the new child; its attempts count from 1 again.
    await expect(h.app.outcome('x')).resolves.toEqual({ kind: 'completed', output: 'new' });
    const starts = h.of('x').flatMap((event) => (event.kind === 'TaskStarting' ? [event.attempt] : []));
    expect(starts).toEqual([1, 1]);
  });

  it('a name is reusable after the child completes on its own; outcome keeps the finished one until reuse', async () => {
    const h = harness({ children: [task('once', async () => 'first')] });
    await h.app.start();
    await expect(h.app.outcome('once')).resolves.toEqual({ kind: 'completed', output: 'first' });
    await flush();
    await expect(h.app.outcome('once')).resolves.toEqual({ kind: 'completed', output: 'first' });
    const gateSecond = gate();
    await expect(h.app.add(task('once', async () => { await gateSecond.promise; return 'second'; }))).resolves.toBe('app/once');
    let settled = false;
    void h.app.outcome('once').then(() => { settled = true; });
    await flush();
    expect(settled).toBe(false);
    gateSecond.open();
    await expect(h.app.outcome('once')).resolves.toEqual({ kind: 'completed', output: 'second' });
  });

  it('outcome of a name never seen rejects with UnknownTaskError', async () => {
    const h = harness();
    await h.app.start();
    await expect(h.app.outcome('nobody')).rejects.toBeInstanceOf(UnknownTaskError);
    await expect(h.app.outcome('nobody')).rejects.toMatchObject({ code: 'ERR_UNKNOWN_TASK' });
  });

  it('after a force-abort the name is reusable too', async () => {
    const h = harness({ graceMs: 0, children: [task('stuck', () => new Promise<never>(() => undefined))] });
    await h.app.start();
    await flush();
    await expect(h.app.cancel('stuck')).resolves.toBe(true);
    await expect(h.app.add(task('stuck', async () => 'fresh'))).resolves.toBe('app/stuck');
    await expect(h.app.outcome('stuck')).resolves.toEqual({ kind: 'completed', output: 'fresh' });
  });
});
