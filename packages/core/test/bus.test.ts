import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { SimulatedClock } from 'xstate';
import { firstValueFrom, lastValueFrom, map } from 'rxjs';
import { EventBus, type EventSubscription } from '../src/bus/event-bus.ts';
import { RingBuffer } from '../src/bus/ring-buffer.ts';
import { ConfigError } from '../src/errors.ts';
import type { EventDraft, SupervisorEvent } from '../src/events.ts';

// ---------------------------------------------------------------------------------------------
// Helpers

const WALL = 1_700_000_000_000;

function makeBus(clock = new SimulatedClock()): { bus: EventBus; clock: SimulatedClock } {
  return { bus: new EventBus({ clock, wallNow: () => WALL, path: 'app' }), clock };
}

function out(i: number): EventDraft {
  return { kind: 'TaskOutput', task: 'app/t', attempt: 1, line: `line ${i}`, stream: 'stdout' };
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets promise reactions we triggered run (microtasks only, no timers). */
async function flush(): Promise<void> {
  for (let i = 0; i < 8; i++) await Promise.resolve();
}

const isOverflow = (e: SupervisorEvent): e is Extract<SupervisorEvent, { kind: 'SubscriberOverflow' }> =>
  e.kind === 'SubscriberOverflow';
const isPanic = (e: SupervisorEvent): e is Extract<SupervisorEvent, { kind: 'SubscriberPanicked' }> =>
  e.kind === 'SubscriberPanicked';

/** Sum of `dropped` reported for `name` in `log`. */
function reported(log: readonly SupervisorEvent[], name: string): number {
  let sum = 0;
  for (const e of log) if (isOverflow(e) && e.subscriber === name) sum += e.dropped;
  return sum;
}

/** Events of `log` that were published to `name` (its own reports are not). */
function publishedTo(log: readonly SupervisorEvent[], name: string, uptoSeq = Infinity, accepts = (_e: SupervisorEvent) => true): number {
  let n = 0;
  for (const e of log) {
    if (e.seq > uptoSeq || !accepts(e)) continue;
    if ((isOverflow(e) || isPanic(e)) && e.subscriber === name) continue;
    n++;
  }
  return n;
}

/** Throws any value (not only an Error). */
function throwValue(value: unknown): never {
  throw value;
}

function expectStrictlyIncreasing(log: readonly SupervisorEvent[]): void {
  for (let i = 1; i < log.length; i++) expect(log[i]!.seq).toBeGreaterThan(log[i - 1]!.seq);
}

/** A subscriber whose every `next` takes `ms` on the simulated clock. */
function slowNext(clock: SimulatedClock, ms: number, log: SupervisorEvent[]): (e: SupervisorEvent) => Promise<void> {
  return (e) => {
    log.push(e);
    return new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
  };
}

/** Advances the simulated clock in `step`s, letting the bus react between steps. */
async function advance(clock: SimulatedClock, total: number, step: number): Promise<void> {
  for (let t = 0; t < total; t += step) {
    clock.increment(Math.min(step, total - t));
    await flush();
  }
}

// ---------------------------------------------------------------------------------------------

describe('RingBuffer', () => {
  it('is FIFO, refuses when full, grows only on request', () => {
    const ring = new RingBuffer<number>(3);
    expect([ring.push(1), ring.push(2), ring.push(3), ring.push(4)]).toEqual([true, true, true, false]);
    expect(ring.shift()).toBe(1);
    expect(ring.push(5)).toBe(true); // wraps
    ring.pushGrowing(6);
    expect(ring.capacity).toBe(6);
    const got: (number | undefined)[] = [];
    while (ring.size > 0) got.push(ring.shift());
    expect(got).toEqual([2, 3, 5, 6]);
    expect(ring.shift()).toBeUndefined();
    ring.push(7);
    expect(ring.clear()).toBe(1);
    expect(ring.size).toBe(0);
  });
});

describe('EventBus: stamping', () => {
  it('stamps the draft in place with seq from 1 and one wall-clock read, and counts it', () => {
    let reads = 0;
    const bus = new EventBus({ clock: new SimulatedClock(), wallNow: () => (reads++, 42) });
    const draft = out(1);
    const event = bus.publish(draft);
    expect(event).toBe(draft);
    expect(event.seq).toBe(1);
    expect(event.at).toBe(42);
    expect(reads).toBe(1);
    expect(Object.keys(event).slice(-2)).toEqual(['seq', 'at']);
    expect(bus.publish(out(2)).seq).toBe(2);
    expect(bus.published).toBe(2);
  });

  it('defaults `at` to Date.now and reports with task "root"', () => {
    const bus = new EventBus({ clock: new SimulatedClock() });
    const before = Date.now();
    const event = bus.publish(out(1));
    expect(event.at).toBeGreaterThanOrEqual(before);
    expect(event.at).toBeLessThanOrEqual(Date.now());
    const log: SupervisorEvent[] = [];
    bus.events$.subscribe((e) => log.push(e));
    bus.subscribe({
      name: 'bad',
      next: () => {
        throw new Error('x');
      },
    });
    bus.publish(out(2));
    expect(log.find(isPanic)?.task).toBe('root');
  });

  it('never throws out of publish, even for a frozen draft or a throwing wall clock', () => {
    const bus = new EventBus({
      clock: new SimulatedClock(),
      wallNow: () => {
        throw new Error('clock broke');
      },
    });
    const frozen = Object.freeze(out(1));
    const event = bus.publish(frozen);
    expect(event.seq).toBe(1);
    expect(event.kind).toBe('TaskOutput');
    expect(typeof event.at).toBe('number');
  });
});

describe('EventBus: validation', () => {
  it('rejects a bad capacity with a ConfigError naming capacity', () => {
    const { bus } = makeBus();
    for (const capacity of [0, -1, 1.5, Number.NaN, '8' as unknown as number]) {
      let caught: unknown;
      try {
        bus.subscribe({ capacity, next: () => undefined });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).field).toBe('capacity');
    }
    expect(() => bus.subscribe({ next: 'no' as unknown as () => void })).toThrow(ConfigError);
    expect(() => bus.subscribe({ name: '', next: () => undefined })).toThrow(ConfigError);
    expect(() => bus.close(-1)).toThrow(ConfigError);
  });

  it('names subscribers subscriber-<n> by default', () => {
    const { bus } = makeBus();
    expect(bus.subscribe({ next: () => undefined }).name).toBe('subscriber-1');
    expect(bus.subscribe({ name: 'audit', next: () => undefined }).name).toBe('audit');
    expect(bus.subscribe({ next: () => undefined }).name).toBe('subscriber-3');
  });
});

describe('EventBus: delivery order', () => {
  it('gives every subscriber the events in publish order with strictly increasing seq', async () => {
    const { bus } = makeBus();
    const rx: SupervisorEvent[] = [];
    const rx2: number[] = [];
    const sync: SupervisorEvent[] = [];
    const asyncLog: SupervisorEvent[] = [];
    const pending: Deferred[] = [];
    bus.events$.subscribe((e) => rx.push(e));
    bus.events$.pipe(map((e) => e.seq)).subscribe((seq) => rx2.push(seq));
    bus.subscribe({ name: 'sync', next: (e) => void sync.push(e) });
    bus.subscribe({
      name: 'async',
      next: (e) => {
        asyncLog.push(e);
        const d = deferred();
        pending.push(d);
        return d.promise;
      },
    });
    const published: SupervisorEvent[] = [];
    for (let i = 0; i < 20; i++) {
      published.push(bus.publish(out(i)));
      if (i % 3 === 0) {
        pending.shift()?.resolve();
        await flush();
      }
    }
    while (pending.length > 0) {
      pending.shift()!.resolve();
      await flush();
    }
    expect(rx).toEqual(published);
    expect(rx2).toEqual(published.map((e) => e.seq));
    expect(sync).toEqual(published);
    expect(asyncLog).toEqual(published);
    expect(published.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('delivers a reentrant publish after the current event, in seq order, before the outer publish returns', () => {
    const { bus } = makeBus();
    const first: number[] = [];
    const second: number[] = [];
    const rx: number[] = [];
    let depth = 0;
    let maxDepth = 0;
    const nested: number[] = [];
    let seenDuringOwnCall: number[] = [];
    const track = (log: number[], republish: boolean) => (e: SupervisorEvent) => {
      depth++;
      maxDepth = Math.max(maxDepth, depth);
      log.push(e.seq);
      if (republish && e.kind === 'TaskOutput' && e.line === 'outer') {
        // Two nested publishes from inside a subscriber: stamped now, delivered after this call.
        nested.push(bus.publish({ kind: 'TaskReady', task: 'app/t', attempt: 1 }).seq);
        nested.push(bus.publish({ kind: 'TaskReady', task: 'app/u', attempt: 1 }).seq);
        seenDuringOwnCall = [...log];
      }
      depth--;
    };
    bus.events$.subscribe((e) => rx.push(e.seq));
    bus.subscribe({ name: 'first', next: track(first, true) });
    bus.subscribe({ name: 'second', next: track(second, false) });
    const outer = bus.publish({ kind: 'TaskOutput', task: 'app/t', attempt: 1, line: 'outer', stream: 'stdout' });
    expect(outer.seq).toBe(1);
    expect(nested).toEqual([2, 3]);
    expect(seenDuringOwnCall).toEqual([1]); // nothing was delivered to it during its own call
    // `second` got the current event first, then the nested ones; all before publish returned.
    expect(first).toEqual([1, 2, 3]);
    expect(second).toEqual([1, 2, 3]);
    expect(rx).toEqual([1, 2, 3]);
    expect(maxDepth).toBe(1); // no subscriber call ever ran inside another
  });
});

describe('EventBus: slow subscribers', () => {
  it('a 50 ms/event subscriber gets its events in order and delivered + reported dropped = published; the fast one and the publisher are not slowed', async () => {
    const { bus, clock } = makeBus();
    const slowLog: SupervisorEvent[] = [];
    const fastLog: SupervisorEvent[] = [];
    const slow = bus.subscribe({ name: 'slow', capacity: 8, next: slowNext(clock, 50, slowLog) });
    const fast = bus.subscribe({ name: 'fast', next: (e) => void fastLog.push(e) });
    const published: SupervisorEvent[] = [];
    for (let burst = 0; burst < 5; burst++) {
      for (let i = 0; i < 20; i++) {
        const event = bus.publish(out(burst * 20 + i));
        published.push(event);
        // The fast subscriber already has it when publish returns: nobody waited on the slow one.
        expect(fastLog.filter((e) => e.kind === 'TaskOutput').at(-1)).toBe(event);
      }
      await advance(clock, 50, 50); // the producer yields; the slow one finishes one event
    }
    expect(fastLog.filter((e) => e.kind === 'TaskOutput')).toEqual(published);
    // Drain everything that is buffered.
    await advance(clock, 50 * 20, 50);
    const outputs = slowLog.filter((e) => e.kind === 'TaskOutput');
    expectStrictlyIncreasing(slowLog);
    for (const e of outputs) expect(published).toContain(e);
    const dropped = reported(fastLog, 'slow');
    expect(slow.stats()).toEqual({ delivered: slowLog.length, dropped });
    expect(slow.stats().delivered + dropped).toBe(100);
    expect(publishedTo(fastLog, 'slow')).toBe(100);
    expect(dropped).toBeGreaterThan(0);
    expect(fast.stats()).toEqual({ delivered: fastLog.length, dropped: 0 });
    expect(slowLog.some((e) => isOverflow(e) && e.subscriber === 'slow')).toBe(false);
  });

  it('reports overflow to the others only, coalesced to one pending report, with exact counts', async () => {
    const { bus } = makeBus();
    const rx: SupervisorEvent[] = [];
    const other: SupervisorEvent[] = [];
    const stuckLog: SupervisorEvent[] = [];
    let gate = deferred();
    bus.events$.subscribe((e) => rx.push(e));
    const stuck = bus.subscribe({
      name: 'stuck',
      capacity: 2,
      next: (e) => {
        stuckLog.push(e);
        return gate.promise;
      },
    });
    bus.subscribe({ name: 'other', next: (e) => void other.push(e) });

    for (let i = 0; i < 10; i++) bus.publish(out(i)); // 1 in flight, 2 buffered, 7 dropped
    expect(stuck.stats()).toEqual({ delivered: 1, dropped: 7 });
    // The first drop is reported at the end of its publish; the rest is pending (one report).
    expect(other.filter(isOverflow)).toEqual([expect.objectContaining({ subscriber: 'stuck', dropped: 1, task: 'app' })]);
    expect(rx.filter(isOverflow)).toHaveLength(1);
    for (let i = 0; i < 100; i++) bus.publish(out(i));
    expect(other.filter(isOverflow)).toHaveLength(1); // still coalesced: no storm
    expect(stuck.stats().dropped).toBe(107);

    // Its `next` settles: the drain step publishes the one pending report, with everything since.
    const release = gate;
    gate = deferred();
    release.resolve();
    await flush();
    expect(other.filter(isOverflow).map((e) => e.dropped)).toEqual([1, 106]);
    expect(stuck.stats()).toEqual({ delivered: 2, dropped: 107 });

    // A burst of reentrant publishes inside one delivery gives one report, after the burst.
    bus.subscribe({
      name: 'producer',
      next: (e) => {
        if (e.kind === 'TaskOutput' && e.line === 'burst') for (let i = 0; i < 5; i++) bus.publish(out(1000 + i));
      },
    });
    const releaseAgain = gate;
    gate = deferred();
    releaseAgain.resolve(); // stuck takes its 2nd buffered event: 2 free slots; gate re-armed
    await flush();
    expect(other.filter(isOverflow)).toHaveLength(2);
    const before = rx.length;
    bus.publish({ kind: 'TaskOutput', task: 'app/t', attempt: 1, line: 'burst', stream: 'stdout' });
    const burst = rx.slice(before);
    expect(burst.map((e) => e.kind)).toEqual([...Array<string>(6).fill('TaskOutput'), 'SubscriberOverflow']);
    expect(burst.at(-1)).toMatchObject({ subscriber: 'stuck', dropped: 4 }); // 6 published, 2 buffered
    expectStrictlyIncreasing(rx);

    // The dropper never sees reports about itself.
    expect(stuckLog.some((e) => isOverflow(e) && e.subscriber === 'stuck')).toBe(false);
    // Nothing is lost without a report once closed.
    gate.resolve();
    const closing = bus.close(0);
    for (let i = 0; i < 10; i++) {
      gate.resolve();
      await flush();
    }
    await closing;
    expect(stuck.stats().delivered + reported(rx, 'stuck')).toBe(publishedTo(rx, 'stuck'));
    expect(reported(rx, 'stuck')).toBe(stuck.stats().dropped);
  });

  it('counts a dropped report as a drop, reported later, without triggering a report by itself', async () => {
    const { bus, clock } = makeBus();
    const rx: SupervisorEvent[] = [];
    bus.events$.subscribe((e) => rx.push(e));
    const gates = { a: deferred(), b: deferred() };
    const a = bus.subscribe({ name: 'a', capacity: 1, next: () => gates.a.promise });
    const b = bus.subscribe({ name: 'b', capacity: 1, next: () => gates.b.promise });
    bus.publish(out(1)); // in flight at both
    bus.publish(out(2)); // buffered at both
    bus.publish(out(3)); // dropped at both -> one report each, each dropped by the other
    expect(rx.filter(isOverflow).map((e) => [e.subscriber, e.dropped])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(a.stats()).toEqual({ delivered: 1, dropped: 2 });
    expect(b.stats()).toEqual({ delivered: 1, dropped: 2 });
    // Releasing `a` does not report the dropped report (it triggers nothing by itself)...
    gates.a.resolve();
    await flush();
    expect(rx.filter(isOverflow)).toHaveLength(2);
    // ...but the final report at close carries it.
    const closing = bus.close(10);
    const cut = rx.at(-1)!.seq;
    clock.increment(10); // `b` still holds e2: dropped at the deadline
    await closing;
    expect(rx.filter(isOverflow).slice(2).map((e) => [e.subscriber, e.dropped])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(reported(rx, 'a')).toBe(a.stats().dropped);
    expect(reported(rx, 'b')).toBe(b.stats().dropped);
    // `a` was idle at the deadline and got b's final report.
    expect(a.stats().delivered + reported(rx, 'a')).toBe(publishedTo(rx, 'a'));
    // `b` was still awaiting a `next` at the deadline: nothing after it was published to it.
    expect(b.stats().delivered + reported(rx, 'b')).toBe(publishedTo(rx, 'b', cut));
  });
});

describe('EventBus: panics', () => {
  it('a throwing subscriber keeps receiving; each throw gives one SubscriberPanicked to the others', async () => {
    const { bus } = makeBus();
    const rx: SupervisorEvent[] = [];
    const thrower: SupervisorEvent[] = [];
    const other: SupervisorEvent[] = [];
    bus.events$.subscribe((e) => rx.push(e));
    bus.subscribe({
      name: 'thrower',
      next: (e) => {
        thrower.push(e);
        throw new Error(`boom ${e.seq}`); // throws on reports too: those are not reported
      },
    });
    bus.subscribe({
      name: 'other',
      next: (e) => {
        other.push(e);
        if (isPanic(e)) throw new Error('handling a report'); // not reported either
      },
    });
    const outputs = [bus.publish(out(1)), bus.publish(out(2)), bus.publish(out(3))];
    expect(thrower.filter((e) => e.kind === 'TaskOutput')).toEqual(outputs);
    const panics = other.filter(isPanic);
    expect(panics.map((e) => [e.subscriber, e.reason])).toEqual([
      ['thrower', 'boom 1'],
      ['thrower', 'boom 3'],
      ['thrower', 'boom 5'],
    ]);
    expect(rx.filter(isPanic)).toEqual(panics);
    expect(thrower.some((e) => isPanic(e) && e.subscriber === 'thrower')).toBe(false);

    // A rejected promise counts as a panic too, and the subscriber goes on.
    const seen: SupervisorEvent[] = [];
    bus.subscribe({
      name: 'rejecter',
      next: (e) => {
        seen.push(e);
        return e.kind === 'TaskOutput' ? Promise.reject(new Error('nope')) : undefined;
      },
    });
    bus.publish(out(4));
    bus.publish(out(5));
    await flush();
    await flush();
    expect(rx.filter((e) => isPanic(e) && e.subscriber === 'rejecter').map((e) => isPanic(e) && e.reason)).toEqual(['nope', 'nope']);
    expect(seen.filter((e) => e.kind === 'TaskOutput')).toHaveLength(2);
  });

  it('an events$ observer that throws does not break the others and keeps receiving', () => {
    const { bus } = makeBus();
    const bad: number[] = [];
    const good: SupervisorEvent[] = [];
    const sub: SupervisorEvent[] = [];
    bus.events$.subscribe({
      next: (e) => {
        bad.push(e.seq);
        throw new TypeError('observer bug');
      },
    });
    bus.events$.subscribe((e) => good.push(e));
    bus.subscribe({ name: 's', next: (e) => void sub.push(e) });
    bus.publish(out(1));
    bus.publish(out(2));
    expect(bad).toEqual([1, 3]); // not given reports about itself
    expect(good.map((e) => e.kind)).toEqual(['TaskOutput', 'SubscriberPanicked', 'TaskOutput', 'SubscriberPanicked']);
    expect(good[1]).toMatchObject({ subscriber: 'events$#1', reason: 'observer bug', task: 'app' });
    expect(sub).toEqual(good);
  });

  it('survives thenables with a throwing `then` and non-Error throws', async () => {
    const { bus } = makeBus();
    const rx: SupervisorEvent[] = [];
    bus.events$.subscribe((e) => rx.push(e));
    bus.subscribe({
      name: 'weird',
      next: (): PromiseLike<void> => ({
        then() {
          throwValue('no then');
        },
      }),
    });
    bus.subscribe({
      name: 'string-thrower',
      next: (e) => {
        if (e.kind === 'TaskOutput') throwValue('just a string');
      },
    });
    expect(() => bus.publish(out(1))).not.toThrow();
    expect(() => bus.publish(out(2))).not.toThrow();
    await flush();
    expect(rx.filter(isPanic).map((e) => isPanic(e) && `${e.subscriber}:${e.reason}`)).toEqual([
      'weird:no then',
      'string-thrower:just a string',
      'weird:no then',
      'string-thrower:just a string',
    ]);
  });
});

describe('EventBus: subscriptions', () => {
  it('unsubscribing stops delivery for events$ observers and subscribe() subscribers', () => {
    const { bus } = makeBus();
    const rx: number[] = [];
    const sub: number[] = [];
    const rxSub = bus.events$.subscribe((e) => rx.push(e.seq));
    const s = bus.subscribe({ next: (e) => void sub.push(e.seq) });
    bus.publish(out(1));
    rxSub.unsubscribe();
    s.unsubscribe();
    s.unsubscribe(); // idempotent
    bus.publish(out(2));
    expect(rx).toEqual([1]);
    expect(sub).toEqual([1]);
    expect(s.stats()).toEqual({ delivered: 1, dropped: 0 });
  });

  it('works with rxjs consumers: firstValueFrom, lastValueFrom, operators', async () => {
    const { bus } = makeBus();
    const first = firstValueFrom(bus.events$);
    const last = lastValueFrom(bus.events$.pipe(map((e) => e.seq)));
    bus.publish(out(1));
    bus.publish(out(2));
    expect((await first).seq).toBe(1);
    await bus.close(0);
    expect(await last).toBe(2);
  });

  it('an observer may unsubscribe another during delivery', () => {
    const { bus } = makeBus();
    const seen: string[] = [];
    const subs: { second?: EventSubscription } = {};
    bus.subscribe({
      name: 'first',
      next: (e) => {
        seen.push(`first ${e.seq}`);
        subs.second?.unsubscribe();
      },
    });
    subs.second = bus.subscribe({ name: 'second', next: (e) => void seen.push(`second ${e.seq}`) });
    bus.publish(out(1));
    bus.publish(out(2));
    expect(seen).toEqual(['first 1', 'first 2']);
  });
});

describe('EventBus: close', () => {
  it('drains within drainMs, then counts leftovers as dropped, reports them and completes events$', async () => {
    const { bus, clock } = makeBus();
    const slowLog: SupervisorEvent[] = [];
    const rx: SupervisorEvent[] = [];
    const order: string[] = [];
    const slow = bus.subscribe({ name: 'slow', capacity: 10, next: slowNext(clock, 50, slowLog) });
    bus.events$.subscribe({
      next: (e) => {
        rx.push(e);
        order.push(e.kind);
      },
      complete: () => order.push('complete'),
    });
    const piped: number[] = [];
    let pipedDone = false;
    bus.events$.pipe(map((e) => e.seq)).subscribe({ next: (s) => piped.push(s), complete: () => (pipedDone = true) });
    for (let i = 0; i < 10; i++) bus.publish(out(i)); // 1 in flight + 9 buffered
    bus.publish({ kind: 'AllStoppedWithinGrace', task: 'app' }); // the verdict: 10 buffered now
    let done = false;
    const closing = bus.close(120).then(() => (done = true));
    await advance(clock, 100, 50); // e1, e2 done; e3 in flight
    expect(done).toBe(false);
    expect(slow.stats()).toEqual({ delivered: 3, dropped: 0 });
    clock.increment(20); // deadline
    await closing;
    expect(done).toBe(true);
    expect(bus.closed).toBe(true);
    expect(slow.stats()).toEqual({ delivered: 3, dropped: 8 });
    expect(rx.at(-1)).toMatchObject({ kind: 'SubscriberOverflow', subscriber: 'slow', dropped: 8 });
    expect(order.slice(-2)).toEqual(['SubscriberOverflow', 'complete']);
    expect(pipedDone).toBe(true);
    expect(piped).toEqual(rx.map((e) => e.seq));
    expect(slow.stats().delivered + reported(rx, 'slow')).toBe(11);
    // Later publishes are stamped and returned, but not delivered.
    const late = bus.publish(out(99));
    expect(late.seq).toBe(rx.at(-1)!.seq + 1);
    expect(rx).toHaveLength(12);
    // The in-flight `next` settling later changes nothing.
    await advance(clock, 200, 50);
    expect(slowLog).toHaveLength(3);
    // A late observer completes at once.
    let lateDone = false;
    bus.events$.subscribe({
      complete: () => {
        lateDone = true;
      },
    });
    expect(lateDone).toBe(true);
    await expect(bus.close(5)).resolves.toBeUndefined(); // idempotent
  });

  it('resolves without waiting on the clock when nothing is buffered', async () => {
    const clock = new SimulatedClock();
    let timers = 0;
    const counting = {
      setTimeout: (fn: (...args: unknown[]) => void, ms: number) => {
        timers++;
        return clock.setTimeout(fn, ms);
      },
      clearTimeout: (id: unknown) => clock.clearTimeout(id as number),
    };
    const bus = new EventBus({ clock: counting, wallNow: () => WALL });
    let completed = false;
    bus.events$.subscribe({ complete: () => (completed = true) });
    const inFlight = deferred();
    const busy = bus.subscribe({ name: 'busy', next: () => inFlight.promise });
    bus.subscribe({ name: 'idle', next: () => undefined });
    bus.publish(out(1)); // `busy` is in flight, nothing buffered
    let done = false;
    void bus.close(60_000).then(() => (done = true));
    await flush();
    expect(done).toBe(true);
    expect(completed).toBe(true);
    expect(timers).toBe(0);
    expect(busy.stats()).toEqual({ delivered: 1, dropped: 0 });
    inFlight.resolve();
    await flush();
  });

  it('ends the drain as soon as every buffer is empty, before the deadline', async () => {
    const { bus, clock } = makeBus();
    const log: SupervisorEvent[] = [];
    const s = bus.subscribe({ name: 'slow', next: slowNext(clock, 10, log) });
    for (let i = 0; i < 3; i++) bus.publish(out(i));
    let done = false;
    const closing = bus.close(1_000).then(() => (done = true));
    await advance(clock, 10, 10);
    expect(done).toBe(false); // the third event is still buffered
    clock.increment(10); // the third event is in flight: nothing is buffered anymore
    await flush();
    expect(done).toBe(true);
    await closing;
    expect(s.stats()).toEqual({ delivered: 3, dropped: 0 });
    expect(clock.now()).toBe(20);
    expect(log).toHaveLength(3);
  });

  it('delivers final reports even to a subscriber that falls behind during them', async () => {
    const { bus, clock } = makeBus();
    const rx: SupervisorEvent[] = [];
    bus.events$.subscribe((e) => rx.push(e));
    const hung = [deferred(), deferred(), deferred()];
    const hungSubs = hung.map((d, i) => bus.subscribe({ name: `hung${i}`, capacity: 1, next: () => d.promise }));
    const lateLog: SupervisorEvent[] = [];
    const gates: Deferred[] = [];
    let slowFromNowOn = false;
    const late = bus.subscribe({
      name: 'late',
      capacity: 1,
      next: (e) => {
        lateLog.push(e);
        if (!slowFromNowOn) return undefined;
        const d = deferred();
        gates.push(d);
        return d.promise;
      },
    });
    bus.publish(out(1));
    bus.publish(out(2));
    bus.publish(out(3)); // each hung one drops one
    const closing = bus.close(5);
    const cut = rx.at(-1)!.seq;
    slowFromNowOn = true;
    clock.increment(5);
    await closing;
    // `late` was idle at the deadline: it got the first final report at once and keeps the other
    // two beyond its capacity of 1, delivered after close as its `next` settles.
    expect(rx.slice(-3).map((e) => isOverflow(e) && e.subscriber)).toEqual(['hung0', 'hung1', 'hung2']);
    expect(gates).toHaveLength(1);
    while (gates.length > 0) {
      gates.shift()!.resolve();
      await flush();
    }
    for (const [i, sub] of hungSubs.entries()) {
      expect(sub.stats().delivered + reported(rx, `hung${i}`)).toBe(publishedTo(rx, `hung${i}`, cut));
    }
    expect(late.stats().delivered + reported(rx, 'late')).toBe(publishedTo(rx, 'late'));
    expect(late.stats().dropped).toBe(0);
    expect(lateLog).toEqual(rx);
  });
});

describe('EventBus: property', () => {
  type Mode = 'sync' | 'async' | 'reject' | 'throw' | 'republish';
  type Op = { type: 'publish'; n: number; task: string } | { type: 'settle'; sub: number } | { type: 'tick'; ms: number };
  /** Filters a subscriber may have, with a reference predicate written independently of the bus's. */
  const FILTERS = {
    none: { options: {}, accepts: () => true },
    output: { options: { kinds: ['TaskOutput'] }, accepts: (e: SupervisorEvent) => e.kind === 'TaskOutput' },
    below: { options: { path: 'u' }, accepts: (e: SupervisorEvent) => e.task === 'app/u' || e.task.startsWith('app/u/') },
    reports: {
      options: { kinds: ['SubscriberOverflow', 'SubscriberPanicked', 'TaskReady'], path: 'app' },
      accepts: (e: SupervisorEvent) => isOverflow(e) || isPanic(e) || e.kind === 'TaskReady',
    },
  } as const satisfies Record<string, { options: object; accepts: (e: SupervisorEvent) => boolean }>;
  /** A TaskOutput or a TaskReady (every third event) about `task`. */
  const draft = (i: number, task: string): EventDraft =>
    i % 3 === 2 ? { kind: 'TaskReady', task, attempt: 1 } : { kind: 'TaskOutput', task, attempt: 1, line: `line ${i}`, stream: 'stdout' };

  const subArb = fc.record({
    filter: fc.constantFrom<keyof typeof FILTERS>('none', 'none', 'output', 'below', 'reports'),
    capacity: fc.integer({ min: 1, max: 4 }),
    modes: fc.array(fc.constantFrom<Mode>('sync', 'async', 'async', 'reject', 'throw', 'republish'), {
      minLength: 1,
      maxLength: 6,
    }),
  });
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ type: fc.constant('publish' as const), n: fc.integer({ min: 1, max: 6 }), task: fc.constantFrom('app/t', 'app/u', 'app/u/v') }),
    fc.record({ type: fc.constant('settle' as const), sub: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ type: fc.constant('tick' as const), ms: fc.integer({ min: 100, max: 1_500 }) }),
  );

  it('per-subscriber FIFO, strictly increasing seq, and delivered + reported dropped = published to it (filters and stalled re-reports included)', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(subArb, { minLength: 1, maxLength: 4 }),
        fc.array(opArb, { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        async (specs, ops, hitDeadline) => {
          const { bus, clock } = makeBus();
          const rx: SupervisorEvent[] = [];
          bus.events$.subscribe((e) => rx.push(e));
          let republishBudget = 20;
          const subs = specs.map((spec, index) => {
            const state = { name: `s${index}`, log: [] as SupervisorEvent[], pending: [] as Deferred[], calls: 0 };
            const handle = bus.subscribe({
              ...FILTERS[spec.filter].options,
              name: state.name,
              capacity: spec.capacity,
              next: (e) => {
                state.log.push(e);
                const mode = spec.modes[state.calls++ % spec.modes.length]!;
                if (mode === 'throw') throw new Error('t');
                if (mode === 'republish' && republishBudget > 0) {
                  republishBudget--;
                  bus.publish(out(-1));
                }
                if (mode === 'async' || mode === 'reject') {
                  const d = deferred();
                  const settle = mode === 'reject' ? () => d.reject(new Error('r')) : d.resolve;
                  state.pending.push({ promise: d.promise, resolve: settle, reject: d.reject });
                  return d.promise;
                }
                return undefined;
              },
            });
            return { ...state, handle, accepts: FILTERS[spec.filter].accepts };
          });
          const settleOne = (i: number): void => {
            const s = subs[i % subs.length]!;
            s.pending.shift()?.resolve();
          };
          for (const op of ops) {
            if (op.type === 'publish') for (let i = 0; i < op.n; i++) bus.publish(draft(i, op.task));
            else if (op.type === 'tick') {
              clock.increment(op.ms);
              await flush();
            } else {
              settleOne(op.sub);
              await flush();
            }
          }
          let closed = false;
          const isClosed = (): boolean => closed;
          // A deadline off the whole milliseconds, so that no re-report (armed on whole
          // milliseconds) falls on it: what is published before it is known.
          const closing = bus.close(100.5).then(() => (closed = true));
          let cut = Infinity;
          const detached = new Set<string>();
          if (hitDeadline) {
            clock.increment(100);
            await flush();
            // Who is still awaiting a `next` at the deadline is detached there. Look after the
            // drain window, not before it: a stalled re-report due within the window can hand a
            // subscriber a new event and make it busy.
            for (const s of subs) if (s.pending.length > 0) detached.add(s.name);
            cut = rx.length === 0 ? 0 : rx.at(-1)!.seq;
            clock.increment(0.5);
            await flush();
            expect(closed).toBe(true);
          }
          const allSettled = (): boolean => subs.every((s) => s.pending.length === 0);
          for (let round = 0; round < 1_000 && !(isClosed() && allSettled()); round++) {
            for (let i = 0; i < subs.length; i++) settleOne(i);
            await flush();
          }
          expect(closed).toBe(true);
          await closing;

          // events$ saw every event, seq 1..n without gaps.
          expect(rx.map((e) => e.seq)).toEqual(Array.from({ length: rx.length }, (_, i) => i + 1));
          for (const s of subs) {
            // FIFO and strictly increasing seq: the subscriber's log is a subsequence of rx.
            expectStrictlyIncreasing(s.log);
            let j = 0;
            for (const e of s.log) {
              while (j < rx.length && rx[j] !== e) j++;
              expect(j).toBeLessThan(rx.length);
            }
            // No event about itself.
            expect(s.log.some((e) => (isOverflow(e) || isPanic(e)) && e.subscriber === s.name)).toBe(false);
            const stats = s.handle.stats();
            expect(stats.delivered).toBe(s.log.length);
            const lost = reported(rx, s.name);
            expect(lost).toBe(stats.dropped);
            expect(stats.delivered + lost).toBe(publishedTo(rx, s.name, detached.has(s.name) ? cut : Infinity, s.accepts));
            // Only what passed its filter reached it.
            for (const e of s.log) expect(s.accepts(e)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
