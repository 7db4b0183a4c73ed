/**
 * maxConcurrent (DESIGN.md §2; taskvisor R9, S39): at most N attempts between TaskStarting and
 * their terminal event; backoff and interval waits hold no slot; every way an attempt ends
 * frees its slot.
 */
import { describe, expect, it } from 'vitest';
import { task } from '../src/index.ts';
import type { SupervisorEvent } from '../src/index.ts';
import { flush, gate, harness, untilAborted } from './support.ts';

const TERMINALS = new Set(['TaskStopped', 'TaskFailed', 'TimeoutHit', 'TaskError']);

/** The largest number of attempts between TaskStarting and their terminal, from the event log. */
function peakFromLog(events: readonly SupervisorEvent[]): number {
  const running = new Set<string>();
  let peak = 0;
  for (const event of events) {
    if (event.kind === 'TaskStarting') {
      expect(running.has(event.task)).toBe(false);
      running.add(event.task);
      peak = Math.max(peak, running.size);
    } else if (TERMINALS.has(event.kind)) {
      expect(running.delete(event.task)).toBe(true);
    }
  }
  return peak;
}

describe('maxConcurrent', () => {
  it('4 slots, 100 tasks: peak exactly 4 from the event log and from the task bodies; all 100 complete', async () => {
    const gates = Array.from({ length: 100 }, () => gate());
    let active = 0;
    let peak = 0;
    const h = harness({
      maxConcurrent: 4,
      children: gates.map((g, i) =>
        task(`t${i}`, async () => {
          active++;
          peak = Math.max(peak, active);
          try {
            await g.promise;
            return i;
          } finally {
            active--;
          }
        }),
      ),
    });
    await h.app.start();
    await flush();
    // Exactly 4 started; every child is added.
    expect(h.events.filter((event) => event.kind === 'TaskAdded')).toHaveLength(100);
    expect(h.events.filter((event) => event.kind === 'TaskStarting')).toHaveLength(4);
    expect(active).toBe(4);

    // Release them one at a time (in reverse of start order, when possible): each release admits one more.
    let released = 0;
    while (released < 100) {
      const runningNow = h.events.filter((event) => event.kind === 'TaskStarting').map((event) => event.task);
      const stopped = new Set(h.events.filter((event) => event.kind === 'TaskStopped').map((event) => event.task));
      const live = runningNow.filter((path) => !stopped.has(path));
      expect(live.length).toBe(Math.min(4, 100 - released));
      const victim = Number(live.at(-1)!.slice('app/t'.length));
      gates[victim]!.open();
      released++;
      await flush();
      expect(active).toBe(Math.min(4, 100 - released));
    }

    for (let i = 0; i < 100; i++) await expect(h.app.outcome(`t${i}`)).resolves.toEqual({ kind: 'completed', output: i });
    expect(peak).toBe(4);
    expect(peakFromLog(h.events)).toBe(4);
    expect(h.events.filter((event) => event.kind === 'TaskStarting')).toHaveLength(100);
  });

  it('100 cooperative tasks under 4 slots: shutdown ends them all, queued ones without ever starting', async () => {
    let bodies = 0;
    const h = harness({
      maxConcurrent: 4,
      children: Array.from({ length: 100 }, (_, i) =>
        task(`c${i}`, async ({ signal }) => {
          bodies++;
          await untilAborted(signal);
        }),
      ),
    });
    await h.app.start();
    await flush();
    expect(bodies).toBe(4);
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
    expect(bodies).toBe(4);
    expect(peakFromLog(h.events)).toBe(4);
    expect(h.events.filter((event) => event.kind === 'TaskRemoved')).toHaveLength(100);
    for (let i = 0; i < 100; i++) await expect(h.app.outcome(`c${i}`)).resolves.toEqual({ kind: 'cancelled' });
  });

  it('a backoff holds no slot: a waiting task runs while the failed one backs off', async () => {
    const h = harness({
      maxConcurrent: 1,
      children: [
        task('flaky', async ({ attempt }) => {
          if (attempt === 1) throw new Error('boom');
          return 'flaky ok';
        }, { backoff: { firstMs: 1_000, maxMs: 1_000, factor: 1, jitter: 'none' } }),
        task('other', async () => 'other ok'),
      ],
    });
    await h.app.start();
    await flush();
    await expect(h.app.outcome('other')).resolves.toEqual({ kind: 'completed', output: 'other ok' });
    expect(h.clock.now()).toBe(0);
    await h.advance(1_000);
    await expect(h.app.outcome('flaky')).resolves.toEqual({ kind: 'completed', output: 'flaky ok' });
    expect(peakFromLog(h.events)).toBe(1);
  });

  it('an interval wait holds no slot', async () => {
    const h = harness({
      maxConcurrent: 1,
      children: [
        task('poll', async ({ attempt }) => attempt, { restart: { always: { intervalMs: 1_000 } } }),
        task('other', async () => 'other ok'),
      ],
    });
    await h.app.start();
    await flush();
    await expect(h.app.outcome('other')).resolves.toEqual({ kind: 'completed', output: 'other ok' });
    expect(h.clock.now()).toBe(0);
    await h.app.cancel('poll');
  });

  it.each([
    ['a timeout (the task stops when told)', { timeoutMs: 50 }, 'cooperative'],
    ['a timeout (the task ignores its signal, abandoned after grace)', { timeoutMs: 50 }, 'stubborn'],
    ['a cancel with force-abort after grace', {}, 'stubborn'],
  ] as const)('the slot is freed by %s', async (_how, options, kind) => {
    const h = harness({
      maxConcurrent: 1,
      graceMs: 100,
      children: [
        task('first', ({ signal }) => (kind === 'cooperative' ? untilAborted(signal) : new Promise<never>(() => undefined)), {
          restart: 'never',
          ...options,
        }),
        task('second', async () => 'second ok'),
      ],
    });
    await h.app.start();
    await flush();
    expect(h.kinds('second')).not.toContain('TaskStarting');
    if (!('timeoutMs' in options)) void h.app.cancel('first');
    await h.advance(50);
    await h.advance(100);
    await expect(h.app.outcome('second')).resolves.toEqual({ kind: 'completed', output: 'second ok' });
    expect(peakFromLog(h.events)).toBe(1);
  });

  it('a runtime add waits for a slot like an initial child', async () => {
    const hold = gate();
    const h = harness({ maxConcurrent: 1, children: [task('holder', () => hold.promise)] });
    await h.app.start();
    await flush();
    await expect(h.app.add(task('late', async () => 'late ok'))).resolves.toBe('app/late');
    await flush();
    expect(h.kinds('late')).toEqual(['TaskAddRequested', 'TaskAdded']);
    hold.open();
    await expect(h.app.outcome('late')).resolves.toEqual({ kind: 'completed', output: 'late ok' });
    expect(peakFromLog(h.events)).toBe(1);
  });
});
