/**
 * The bus's subscriber features of issue 9: filters before buffering, `events$#<n>` names in
 * panic reports, and the periodic report of a subscriber that stays stalled (defect 6).
 */
import { describe, it, expect } from 'vitest';
import { SimulatedClock } from 'xstate';
import { config, map } from 'rxjs';
import { EventBus, STALLED_REPORT_MS } from '../src/bus/event-bus.ts';
import { ConfigError } from '../src/errors.ts';
import type { Clock } from '../src/clock.ts';
import type { EventDraft, SupervisorEvent } from '../src/events.ts';
import { configError } from './support.ts';

const never = new Promise<void>(() => undefined);

function output(task: string, i = 0): EventDraft {
  return { kind: 'TaskOutput', task, attempt: 1, line: `line ${String(i)}`, stream: 'stdout' };
}

function failed(task: string): EventDraft {
  return { kind: 'TaskFailed', task, attempt: 1, reason: 'boom', durationMs: 0 };
}

/** A SimulatedClock that tells how many of its timers are pending. */
function countingClock(): { clock: Clock; sim: SimulatedClock; pending: () => number } {
  const sim = new SimulatedClock();
  const live = new Set<unknown>();
  const clock: Clock = {
    setTimeout(fn, ms) {
      const handle: unknown = sim.setTimeout(() => {
        live.delete(handle);
        fn();
      }, ms);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      sim.clearTimeout(handle as number);
    },
    now: () => sim.now(),
  };
  return { clock, sim, pending: () => live.size };
}

function overflowsOf(log: readonly SupervisorEvent[], name: string): number[] {
  return log.flatMap((e) => (e.kind === 'SubscriberOverflow' && e.subscriber === name ? [e.dropped] : []));
}

describe('subscribe({ kinds, path }): filters before buffering', () => {
  it('delivers only the chosen kinds under the path (full or relative to the root), and counts only those', () => {
    const bus = new EventBus({ clock: new SimulatedClock(), path: 'app' });
    const got: Record<string, string[]> = { kinds: [], full: [], relative: [], both: [], root: [] };
    const line = (e: SupervisorEvent): string => `${e.kind} ${e.task}`;
    const subs = {
      kinds: bus.subscribe({ kinds: ['TaskFailed'], next: (e) => void got['kinds']?.push(line(e)) }),
      full: bus.subscribe({ path: 'app/workers', next: (e) => void got['full']?.push(line(e)) }),
      relative: bus.subscribe({ path: 'workers', next: (e) => void got['relative']?.push(line(e)) }),
      both: bus.subscribe({ kinds: ['TaskFailed', 'TaskOutput'], path: 'workers/a', next: (e) => void got['both']?.push(line(e)) }),
      root: bus.subscribe({ path: 'app', next: (e) => void got['root']?.push(line(e)) }),
    };
    for (const draft of [
      output('app/web'),
      failed('app/web'),
      output('app/workers'),
      output('app/workers/a'),
      failed('app/workers/a'),
      failed('app/workers2'), // a sibling whose name starts the same is not below app/workers
      { kind: 'TaskReady', task: 'app/workers/a/deep', attempt: 1 } satisfies EventDraft,
      { kind: 'ShutdownRequested', task: 'app' } satisfies EventDraft,
    ]) {
      bus.publish(draft);
    }
    expect(got['kinds']).toEqual(['TaskFailed app/web', 'TaskFailed app/workers/a', 'TaskFailed app/workers2']);
    const workers = ['TaskOutput app/workers', 'TaskOutput app/workers/a', 'TaskFailed app/workers/a', 'TaskReady app/workers/a/deep'];
    expect(got['full']).toEqual(workers);
    expect(got['relative']).toEqual(workers);
    expect(got['both']).toEqual(['TaskOutput app/workers/a', 'TaskFailed app/workers/a']);
    expect(got['root']).toHaveLength(8);
    expect(subs.kinds.stats()).toEqual({ delivered: 3, dropped: 0 });
    expect(subs.both.stats()).toEqual({ delivered: 2, dropped: 0 });
  });

  it('keeps unwanted events out of a small buffer: a slow alerting subscriber gets all 31 TaskFailed among 20,000 lines', async () => {
    const bus = new EventBus({ clock: new SimulatedClock(), path: 'app' });
    const rx: SupervisorEvent[] = [];
    bus.events$.subscribe((e) => rx.push(e));
    // A pager that is busy until we let it go on: everything it is sent meanwhile is buffered.
    const pages: (() => void)[] = [];
    const paged: string[] = [];
    const slowPager = (e: SupervisorEvent): Promise<void> => {
      paged.push(e.kind);
      return new Promise<void>((resolve) => pages.push(resolve));
    };
    const alerts = bus.subscribe({ name: 'alerts', capacity: 64, kinds: ['TaskFailed'], next: slowPager });
    const unfiltered = bus.subscribe({ name: 'unfiltered', capacity: 64, next: () => never });
    for (let i = 0; i < 20_000; i++) {
      bus.publish(output('app/chatty', i));
      if (i % 650 === 0) bus.publish(failed('app/flaky'));
    }
    expect(rx.filter((e) => e.kind === 'TaskFailed')).toHaveLength(31);
    while (pages.length > 0) {
      pages.shift()?.();
      for (let i = 0; i < 4; i++) await Promise.resolve();
    }
    expect(paged).toEqual(Array<string>(31).fill('TaskFailed'));
    expect(alerts.stats()).toEqual({ delivered: 31, dropped: 0 });
    expect(overflowsOf(rx, 'alerts')).toEqual([]);
    // Without the filter, the same buffer fills with output long before the failures come.
    expect(unfiltered.stats()).toEqual({ delivered: 1, dropped: 20_031 - 1 - 64 });
  });

  it('refuses bad filters with a ConfigError naming the field', () => {
    const bus = new EventBus({ clock: new SimulatedClock(), path: 'app' });
    const next = (): void => undefined;
    const cases: [unknown, string][] = [
      [{ kinds: [] }, 'kinds'],
      [{ kinds: 'TaskFailed' }, 'kinds'],
      [{ kinds: ['TaskFailed', 'TaskFialed'] }, 'kinds[1]'],
      [{ kinds: ['toString'] }, 'kinds[0]'],
      [{ kinds: [42] }, 'kinds[0]'],
      [{ path: '' }, 'path'],
      [{ path: 'app//workers' }, 'path'],
      [{ path: '/app' }, 'path'],
      [{ path: 7 }, 'path'],
      [{ kind: ['TaskFailed'] }, 'kind'],
    ];
    for (const [extra, field] of cases) {
      const error = configError(() => bus.subscribe({ next, ...(extra as object) }));
      expect(error.field).toBe(field);
      expect(error.code).toBe('ERR_INVALID_CONFIG');
    }
    expect(configError(() => bus.subscribe({ next, kinds: ['TaskFialed' as 'TaskFailed'] })).message).toContain('"TaskFialed"');
    expect(() => bus.subscribe({ next, kinds: ['TaskFailed'], path: 'workers' })).not.toThrow(ConfigError);
  });
});

describe('SubscriberPanicked names events$ subscriptions events$#<n>', () => {
  it('numbers every events$ subscription of the bus from 1, operator chains included', () => {
    const bus = new EventBus({ clock: new SimulatedClock(), path: 'app' });
    const reports: string[] = [];
    bus.subscribe({
      name: 'watch',
      next: (e) => {
        if (e.kind === 'SubscriberPanicked') reports.push(e.subscriber);
      },
    });
    bus.events$.subscribe(() => undefined); // #1
    const second = bus.events$.subscribe(() => {
      throw new Error('second'); // #2
    });
    bus.events$.subscribe({
      next: () => {
        throw new Error('third'); // #3
      },
    });
    bus.publish(output('app/t'));
    second.unsubscribe();
    bus.events$.subscribe(() => {
      throw new Error('fourth'); // #4: numbers are never reused
    });
    bus.publish(output('app/t'));
    expect(reports).toEqual(['events$#2', 'events$#3', 'events$#3', 'events$#4']);
  });
});

describe('a stalled subscriber is reported while it keeps dropping (defect 6)', () => {
  it('reports again at most once per second of the supervisor clock, then stops when the drops stop', () => {
    const { clock, sim, pending } = countingClock();
    const bus = new EventBus({ clock, path: 'app' });
    const rx: SupervisorEvent[] = [];
    const reportTimes: number[] = [];
    bus.events$.subscribe((e) => {
      rx.push(e);
      if (e.kind === 'SubscriberOverflow') reportTimes.push(sim.now());
    });
    const stalled = bus.subscribe({ name: 'stalled', capacity: 2, next: () => never });
    for (let i = 0; i < 10; i++) bus.publish(output('app/t', i)); // 1 in flight, 2 buffered, 7 dropped
    expect(overflowsOf(rx, 'stalled')).toEqual([1]); // the first drop, at once
    expect(pending()).toBe(1); // the other 6 wait for the re-report
    sim.increment(STALLED_REPORT_MS - 1);
    expect(overflowsOf(rx, 'stalled')).toEqual([1]);
    sim.increment(1);
    expect(overflowsOf(rx, 'stalled')).toEqual([1, 6]);
    expect(pending()).toBe(0); // nothing is dropping: nothing keeps the host alive

    // A steady producer, one event every 100 ms for 5 s: one report per second, no more.
    for (let t = 0; t < 50; t++) {
      bus.publish(output('app/t', t));
      sim.increment(100);
    }
    sim.increment(10_000);
    expect(pending()).toBe(0);
    const gaps = reportTimes.slice(1).map((t, i) => t - (reportTimes[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(STALLED_REPORT_MS);
    expect(overflowsOf(rx, 'stalled').length).toBeGreaterThanOrEqual(6);
    expect(overflowsOf(rx, 'stalled').length).toBeLessThanOrEqual(8);
    // Every loss reported, while it is still stalled.
    const reported = overflowsOf(rx, 'stalled').reduce((a, b) => a + b, 0);
    expect(stalled.stats()).toEqual({ delivered: 1, dropped: 57 });
    expect(reported).toBe(57);
  });

  it('keeps the drain-step coalescing and never arms a timer for a dropped report alone', async () => {
    const { clock, sim, pending } = countingClock();
    const bus = new EventBus({ clock, path: 'app' });
    const rx: SupervisorEvent[] = [];
    bus.events$.subscribe((e) => rx.push(e));
    let open: () => void = () => undefined;
    const slow = bus.subscribe({
      name: 'slow',
      capacity: 1,
      next: () =>
        new Promise<void>((resolve) => {
          open = resolve;
        }),
    });
    bus.publish(output('app/t', 1)); // in flight
    bus.publish(output('app/t', 2)); // buffered
    bus.publish(output('app/t', 3)); // dropped: reported at once
    expect(overflowsOf(rx, 'slow')).toEqual([1]);
    expect(pending()).toBe(0);
    open(); // its drain step: it takes event 2, event 3's slot frees
    await Promise.resolve();
    await Promise.resolve();
    bus.publish(output('app/t', 4)); // buffered
    bus.publish(output('app/t', 5)); // dropped, after a drain step: reported at once
    expect(overflowsOf(rx, 'slow')).toEqual([1, 1]);
    expect(pending()).toBe(0);
    sim.increment(5 * STALLED_REPORT_MS);
    expect(overflowsOf(rx, 'slow')).toEqual([1, 1]);
    expect(slow.stats()).toEqual({ delivered: 2, dropped: 2 });
  });

  it('cancels the re-report timer at close; the final report carries what is left', async () => {
    const { clock, sim, pending } = countingClock();
    const bus = new EventBus({ clock, path: 'app' });
    const rx: SupervisorEvent[] = [];
    bus.events$.subscribe((e) => rx.push(e));
    const stalled = bus.subscribe({ name: 'stalled', capacity: 1, next: () => never });
    for (let i = 0; i < 5; i++) bus.publish(output('app/t', i)); // 1 in flight, 1 buffered, 3 dropped
    expect(pending()).toBe(1);
    const closing = bus.close(10);
    expect(pending()).toBe(2); // the drain deadline and the re-report
    sim.increment(10);
    await closing;
    expect(pending()).toBe(0);
    expect(overflowsOf(rx, 'stalled')).toEqual([1, 3]); // 2 waiting + 1 left in the buffer
    expect(stalled.stats()).toEqual({ delivered: 1, dropped: 4 });
    sim.increment(10 * STALLED_REPORT_MS);
    expect(overflowsOf(rx, 'stalled')).toEqual([1, 3]);
  });
});

describe('errors in a user\'s own RxJS operators follow RxJS rules (docs/events.md, defect 8)', () => {
  it('a direct observer is wrapped and reported; an operator that throws is not: RxJS ends that chain and rethrows without an error callback', async () => {
    const bus = new EventBus({ clock: new SimulatedClock(), path: 'app' });
    const panics: string[] = [];
    bus.subscribe({
      name: 'watch',
      next: (e) => {
        if (e.kind === 'SubscriberPanicked') panics.push(e.subscriber);
      },
    });
    const unhandled: unknown[] = [];
    const before = config.onUnhandledError;
    config.onUnhandledError = (error) => unhandled.push(error); // instead of an uncaught exception
    try {
      bus.events$.subscribe(() => {
        throw new Error('direct');
      });
      const errors: unknown[] = [];
      const piped: number[] = [];
      bus.events$
        .pipe(
          map((e) => {
            if (e.seq === 2) throw new Error('in my operator');
            return e.seq;
          }),
        )
        .subscribe({ next: (seq) => piped.push(seq), error: (error: unknown) => errors.push(error) });
      bus.events$
        .pipe(
          map((e) => {
            if (e.seq === 2) throw new Error('no error callback');
            return e.seq;
          }),
        )
        .subscribe(() => undefined);
      bus.publish(output('app/t', 1));
      bus.publish(output('app/t', 2));
      bus.publish(output('app/t', 4));
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(panics).toEqual(['events$#1', 'events$#1', 'events$#1']); // the direct observer, each time
      expect(piped).toEqual([1]); // the chain ended at the throw
      expect(errors).toEqual([new Error('in my operator')]);
      expect(unhandled).toEqual([new Error('no error callback')]); // RxJS would crash the host with it
    } finally {
      config.onUnhandledError = before;
    }
  });
});
