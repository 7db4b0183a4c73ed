/**
 * The event bus of one supervision tree: stamps every event with `seq` and `at`, and fans it out
 * synchronously to `events$` observers and to `subscribe()` subscribers with bounded,
 * per-subscriber buffers that report their overflow (DESIGN.md §4 "Delivery", "Overflow",
 * "Panics", "Shutdown"). This file holds the bus's entry points; its parts are `delivery.ts`,
 * `reports.ts`, `shutdown.ts`, `events-observable.ts` and `stamp.ts`, over the shared
 * `bus-state.ts`.
 *
 * It knows no machine and no task: producers hand it {@link EventDraft}s.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { nowOf } from '../clock.ts';
import type { Clock } from '../clock.ts';
import type { EventDraft, SupervisorEvent, SupervisorEventKind } from '../events.ts';
import { expectFunction, expectInteger, expectObject, expectKnownKeys, invalid } from '../validate.ts';
import { BusState, CLOSED, CLOSING, OPEN } from './bus-state.ts';
import { deliver, loop, section } from './delivery.ts';
import { eventPredicate, expectKinds, expectPath } from './event-filter.ts';
import { BusEvents, completeSink, EVENTS_OBSERVER_NAME, type Sink } from './events-observable.ts';
import { OneShotTimer } from './one-shot-timer.ts';
import { reportStalled } from './reports.ts';
import { BusShutdown } from './shutdown.ts';
import { copyStamped, type Stampable } from './stamp.ts';
import { BufferedSubscriber, type EventSubscription, type SubscribeOptions } from './subscriber.ts';

export type { EventSubscription, SubscribeOptions } from './subscriber.ts';
export { EVENTS_OBSERVER_NAME } from './events-observable.ts';
export { STALLED_REPORT_MS } from './reports.ts';

/** Default capacity of a subscriber's buffer. */
export const DEFAULT_SUBSCRIBER_CAPACITY = 1024;

/**
 * Options of the {@link EventBus} constructor.
 *
 * @example
 * ```ts
 * const options: EventBusOptions = { clock: new SimulatedClock(), wallNow: () => 0, path: 'app' };
 * ```
 */
export interface EventBusOptions {
  /** Times the shutdown drain (`close(drainMs)`) and the re-reports of stalled subscribers. */
  clock: Clock;
  /** Epoch milliseconds for `at`; default `Date.now`. Read once per event. */
  wallNow?: () => number;
  /** `task` of the bus's own reports (the root supervisor's path); default `'root'`. */
  path?: string;
}

/**
 * The event bus of one supervision tree (internal: the supervisor owns one and exposes
 * `events$` and `subscribe`).
 *
 * - `publish` stamps the draft in place (`seq`, then `at`) and delivers it synchronously. An event
 *   published while another is being delivered (by a subscriber, or a report) is queued and
 *   delivered, in seq order, before the outermost `publish` returns: no subscriber is ever called
 *   while another subscriber's call is on the stack.
 * - `events$` observers are called synchronously inside a try/catch; never buffered, never dropped.
 * - `subscribe()` subscribers whose `next` returned a pending thenable have their events buffered
 *   (bounded, lazily allocated); a full buffer drops the new event for that subscriber alone.
 * - Overflow is reported as `SubscriberOverflow` to everyone but the subscriber that dropped.
 *   Coalescing: a subscriber has at most one pending report; it is published when the delivery
 *   in progress ends, unless that subscriber already had a report since its last drain step (its
 *   previous `next` settling), in which case it waits for the next drain step, or for
 *   {@link STALLED_REPORT_MS} after its previous report if it stays stalled while it keeps
 *   dropping; plus a final one at close. So a stuck subscriber costs one report per second, not
 *   one per event.
 * - `subscribe({ kinds, path })` filters before buffering: other events never reach that
 *   subscriber's buffer nor its counts.
 * - A throw or rejection of `next` is reported as `SubscriberPanicked` to everyone else, except
 *   while handling a report; an `events$` subscription is named `events$#<n>` (n from 1).
 * - Nothing throws out of `publish`; every rejection is handled.
 *
 * @example
 * ```ts
 * const bus = new EventBus({ clock: new SimulatedClock(), path: 'app' });
 * bus.events$.subscribe((event) => console.log(event.seq, event.kind));
 * const audit = bus.subscribe({ name: 'audit', capacity: 256, next: async (event) => save(event) });
 * bus.publish({ kind: 'TaskAddRequested', task: 'app/web' }); // seq 1
 * await bus.close(5_000);
 * audit.stats(); // { delivered: 1, dropped: 0 }
 * ```
 */
export class EventBus {
  /**
   * Every event, hot, delivered synchronously. A throwing observer is reported as
   * `SubscriberPanicked { subscriber: 'events$#<n>' }` (the n-th subscription, from 1) and keeps
   * receiving. Completes at close.
   */
  readonly events$: Observable<SupervisorEvent>;

  readonly #state: BusState;
  readonly #shutdown: BusShutdown;
  #unnamed = 0;
  /** `events$` subscriptions so far (for their names). */
  #sinkCount = 0;

  /**
   * @param options - `clock` for the shutdown drain; `wallNow` for `at` (default `Date.now`);
   *   `path` for the `task` of the bus's own reports (default `'root'`)
   */
  constructor(options: EventBusOptions) {
    const opts = expectObject(options, 'options');
    const clock = expectObject(opts['clock'], 'clock');
    expectFunction(clock['setTimeout'], 'clock.setTimeout');
    expectFunction(clock['clearTimeout'], 'clock.clearTimeout');
    const now = nowOf(options.clock);
    const wallNow = options.wallNow === undefined ? Date.now : expectFunction<() => number>(options.wallNow, 'wallNow');
    if (options.path !== undefined && (typeof options.path !== 'string' || options.path === '')) {
      invalid('path', 'a non-empty string', options.path);
    }
    this.#state = new BusState({
      now,
      wallNow,
      path: options.path ?? 'root',
      stalled: new OneShotTimer(options.clock, () => this.#reportStalled()),
      checkClose: () => this.#shutdown.check(),
    });
    this.#shutdown = new BusShutdown(this.#state, options.clock);
    this.events$ = new BusEvents((sink) => this.#attachSink(sink));
  }

  /** Events accepted for delivery so far, the bus's own reports included (not those ignored after close). */
  get published(): number {
    return this.#state.published;
  }

  /** True once `close` has finished: `events$` completed and `publish` delivers nothing. */
  get closed(): boolean {
    return this.#state.phase === CLOSED;
  }

  /**
   * Stamps `draft` in place with `seq` (the next integer, from 1) and then `at` (one wall-clock
   * read), delivers it, and returns it. Never throws. After close the event is stamped and
   * returned but not delivered.
   *
   * @param draft - the event without `seq` and `at`; it becomes the delivered event
   * @returns the stamped event (the same object, unless the draft could not be written to)
   * @example
   * ```ts
   * const event = bus.publish({ kind: 'TaskReady', task: 'app/web', attempt: 1 });
   * event.seq; // 1
   * ```
   */
  publish(draft: EventDraft): SupervisorEvent {
    const state = this.#state;
    const seq = ++state.lastSeq;
    let event: SupervisorEvent;
    try {
      const target = draft as unknown as Stampable;
      target.seq = seq;
      target.at = state.wallNow();
      event = draft as unknown as SupervisorEvent;
    } catch {
      event = copyStamped(draft, seq, state.wallNow);
    }
    if (state.phase > CLOSING) return event;
    state.published++;
    if (state.delivering) {
      state.queue.push(event);
      state.queueExclude.push(undefined);
      return event;
    }
    state.delivering = true;
    try {
      deliver(state, event, undefined);
      if (state.queue.length !== 0 || state.reportList.length !== 0 || state.drainList.length !== 0) loop(state);
    } finally {
      state.delivering = false;
    }
    if (state.phase === CLOSING) this.#shutdown.check();
    return event;
  }

  /**
   * Adds a subscriber with its own bounded buffer (see the class notes).
   *
   * @param options - `next`, and optionally `name`, `capacity`, `kinds` and `path` (full, or
   *   relative to the bus's root path)
   * @throws ConfigError when an option is invalid (e.g. `capacity` not an integer >= 1,
   *   `kinds[0]` not an event kind)
   * @example
   * ```ts
   * const sub = bus.subscribe({ name: 'alerts', capacity: 64, kinds: ['TaskFailed'], path: 'workers', next: page });
   * ```
   */
  subscribe<K extends SupervisorEventKind = SupervisorEventKind>(options: SubscribeOptions<K>): EventSubscription {
    const opts = expectObject(options, 'options');
    expectKnownKeys(opts, '', ['name', 'capacity', 'kinds', 'path', 'next']);
    // Only events the filter accepts reach `next`, so it may take the narrowed type.
    const next = expectFunction<(event: SupervisorEvent) => void | PromiseLike<void>>(opts['next'], 'next');
    const capacity = opts['capacity'] === undefined ? DEFAULT_SUBSCRIBER_CAPACITY : expectInteger(opts['capacity'], 'capacity', 1);
    const kinds = opts['kinds'] === undefined ? undefined : expectKinds(opts['kinds'], 'kinds');
    const path = opts['path'] === undefined ? undefined : expectPath(opts['path'], 'path');
    let name: string;
    this.#unnamed++;
    if (opts['name'] === undefined) {
      name = `subscriber-${this.#unnamed}`;
    } else {
      const given = opts['name'];
      if (typeof given !== 'string' || given === '') invalid('name', 'a non-empty string', given);
      name = given;
    }
    const state = this.#state;
    const accepts = eventPredicate(kinds, path, state.path);
    const subscriber = new BufferedSubscriber(name, capacity, next, accepts, (s) => this.#leave(s));
    if (state.phase !== OPEN && state.phase !== CLOSING) {
      subscriber.attached = false;
      subscriber.direct = false;
      return subscriber;
    }
    state.subs = [...state.subs, subscriber];
    return subscriber;
  }

  /**
   * Shuts the bus down, after the caller published its last (verdict) event. Drains every
   * subscriber's buffer for up to `drainMs` on the injected clock (pending `next`s keep being
   * awaited; resolves at once when nothing is waiting); at the deadline, what is still buffered is
   * counted as dropped, subscribers still awaiting a `next` are detached (their in-flight event
   * counts as delivered) and final `SubscriberOverflow` reports are published to the others. Then
   * `events$` completes and later `publish` calls are ignored. Idempotent: later calls share the
   * first call's promise.
   *
   * @param drainMs - the longest the drain may take, a finite number >= 0
   * @throws ConfigError when `drainMs` is invalid (on the first call)
   * @example
   * ```ts
   * bus.publish({ kind: 'AllStoppedWithinGrace', task: 'app' });
   * await bus.close(5_000);
   * ```
   */
  close(drainMs: number): Promise<void> {
    return this.#shutdown.close(drainMs);
  }

  /**
   * The stalled timer fired: reports the subscribers due for a re-report, re-arms for the others.
   * Nothing is armed once no drop waits, so an idle host is never kept alive.
   */
  #reportStalled(): void {
    const state = this.#state;
    if (state.phase > CLOSING) return;
    let wait = Infinity;
    section(state, () => {
      wait = reportStalled(state);
    });
    if (wait !== Infinity) state.stalled.start(wait);
    if (state.phase === CLOSING) this.#shutdown.check();
  }

  #attachSink(sink: Sink): () => void {
    const state = this.#state;
    sink.name = `${EVENTS_OBSERVER_NAME}#${String(++this.#sinkCount)}`;
    if (state.phase === CLOSED) {
      sink.closed = true;
      completeSink(sink);
      return () => undefined;
    }
    state.sinks = [...state.sinks, sink];
    return () => {
      if (sink.closed) return;
      sink.closed = true;
      state.sinks = state.sinks.filter((x) => x !== sink);
    };
  }

  #leave(s: BufferedSubscriber): void {
    if (!s.attached) return;
    s.attached = false;
    s.direct = false;
    s.pending = false;
    s.ring?.clear();
    s.ring = null;
    const state = this.#state;
    state.subs = state.subs.filter((x) => x !== s);
    if (state.phase === CLOSING) this.#shutdown.check();
  }
}
