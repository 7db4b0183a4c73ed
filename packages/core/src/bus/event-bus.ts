/**
 * The event bus of one supervision tree: stamps every event with `seq` and `at`, and fans it out
 * synchronously to `events$` observers and to `subscribe()` subscribers with bounded,
 * per-subscriber buffers that report their overflow (DESIGN.md §4 "Delivery", "Overflow",
 * "Panics", "Shutdown").
 *
 * It knows no machine and no task: producers hand it {@link EventDraft}s.
 *
 * @module
 */
import { Observable, Subscriber, Subscription, type Observer } from 'rxjs';
import { nowOf, type Clock } from '../clock.ts';
import type { EventDraft, SupervisorEvent, SupervisorEventKind } from '../events.ts';
import { describeThrown } from '../foreign.ts';
import { expectFunction, expectInteger, expectNumber, expectObject, expectKnownKeys, invalid } from '../validate.ts';
import { eventPredicate, expectKinds, expectPath } from './event-filter.ts';
import { OneShotTimer } from './one-shot-timer.ts';
import { RingBuffer } from './ring-buffer.ts';
import { BufferedSubscriber, type EventSubscription, type SubscribeOptions } from './subscriber.ts';

export type { EventSubscription, SubscribeOptions } from './subscriber.ts';

/** Default capacity of a subscriber's buffer. */
export const DEFAULT_SUBSCRIBER_CAPACITY = 1024;

/**
 * Prefix of the names of `events$` subscriptions in `SubscriberPanicked` reports: `events$#<n>`.
 *
 * @example
 * ```ts
 * if (event.kind === 'SubscriberPanicked' && event.subscriber.startsWith(`${EVENTS_OBSERVER_NAME}#`)) fixObserver();
 * ```
 */
export const EVENTS_OBSERVER_NAME = 'events$';

/**
 * A subscriber that stays stalled while it keeps dropping is reported again after this long
 * (supervisor clock) since its previous report.
 *
 * @example
 * ```ts
 * clock.increment(STALLED_REPORT_MS); // a stalled subscriber's drops are reported again
 * ```
 */
export const STALLED_REPORT_MS = 1_000;

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

/** The two report kinds the bus itself publishes. */
function isReport(event: SupervisorEvent): boolean {
  return event.kind === 'SubscriberOverflow' || event.kind === 'SubscriberPanicked';
}


/** What `publish` writes onto a draft. */
interface Stampable {
  seq: number;
  at: number;
}

/**
 * One `events$` observer. Delivered synchronously, never buffered, never dropped. `next` and
 * `complete` are called as methods of `observer`, as rxjs does.
 */
interface Sink {
  closed: boolean;
  readonly observer: Partial<Observer<SupervisorEvent>>;
  /** `events$#<n>`, given when it attaches. */
  name: string;
}

type ObserverOrNext = Partial<Observer<SupervisorEvent>> | ((value: SupervisorEvent) => void);

function isSubscriberLike(value: unknown): value is Subscriber<SupervisorEvent> {
  if (value instanceof Subscriber) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['next'] === 'function' &&
    typeof v['error'] === 'function' &&
    typeof v['complete'] === 'function' &&
    typeof v['add'] === 'function' &&
    typeof v['unsubscribe'] === 'function'
  );
}

/**
 * The bus's hot observable. It overrides `subscribe` so that the bus calls each direct observer
 * itself, inside its own try/catch: rxjs would otherwise swallow a throwing `next` and rethrow it
 * on a timer, where the bus could neither report it nor keep the process alive.
 */
class BusEvents extends Observable<SupervisorEvent> {
  readonly #attach: (sink: Sink) => () => void;

  constructor(attach: (sink: Sink) => () => void) {
    super();
    this.#attach = attach;
  }

  override subscribe(
    observerOrNext?: ObserverOrNext | null,
    _error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    if (isSubscriberLike(observerOrNext)) {
      // An operator chain (`events$.pipe(...)`) or firstValueFrom & co: rxjs rules apply downstream.
      const subscriber = observerOrNext;
      subscriber.add(this.#attach({ closed: false, observer: subscriber, name: EVENTS_OBSERVER_NAME }));
      return subscriber;
    }
    let observer: Partial<Observer<SupervisorEvent>>;
    if (typeof observerOrNext === 'function') {
      observer = complete == null ? { next: observerOrNext } : { next: observerOrNext, complete };
    } else if (typeof observerOrNext === 'object' && observerOrNext !== null) {
      observer = observerOrNext;
    } else {
      observer = complete == null ? {} : { complete };
    }
    return new Subscription(this.#attach({ closed: false, observer, name: EVENTS_OBSERVER_NAME }));
  }
}

/**
 * OPEN: normal delivery. CLOSING: `close` was called, buffers drain, publishing still works.
 * FINAL: the drain ended; only the final reports are delivered (publish is ignored). CLOSED: done.
 */
const OPEN = 0;
const CLOSING = 1;
const FINAL = 2;
const CLOSED = 3;
type BusState = typeof OPEN | typeof CLOSING | typeof FINAL | typeof CLOSED;

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

  readonly #now: () => number;
  readonly #wallNow: () => number;
  readonly #path: string;
  #lastSeq = 0;
  #published = 0;
  #state: BusState = OPEN;
  #delivering = false;
  #sinks: readonly Sink[] = [];
  #subs: readonly BufferedSubscriber[] = [];
  #unnamed = 0;
  /** `events$` subscriptions so far (for their names). */
  #sinkCount = 0;
  // Reentrancy queue (two parallel arrays: the event and whom it excludes).
  readonly #queue: SupervisorEvent[] = [];
  readonly #queueExclude: (object | undefined)[] = [];
  #queueHead = 0;
  /** Subscribers whose `next` settled during a delivery; they drain before it ends. */
  readonly #drainList: BufferedSubscriber[] = [];
  /** Report candidates, examined when the delivery in progress ends. */
  readonly #reportList: BufferedSubscriber[] = [];
  #closePromise: Promise<void> | undefined;
  #resolveClose: (() => void) | undefined;
  /** The shutdown drain's deadline. */
  readonly #deadline: OneShotTimer;
  /** Re-reports subscribers that stay stalled while they keep dropping. */
  readonly #stalled: OneShotTimer;
  #deadlinePassed = false;

  /**
   * @param options - `clock` for the shutdown drain; `wallNow` for `at` (default `Date.now`);
   *   `path` for the `task` of the bus's own reports (default `'root'`)
   */
  constructor(options: EventBusOptions) {
    const opts = expectObject(options, 'options');
    const clock = expectObject(opts['clock'], 'clock');
    expectFunction(clock['setTimeout'], 'clock.setTimeout');
    expectFunction(clock['clearTimeout'], 'clock.clearTimeout');
    this.#now = nowOf(options.clock);
    this.#deadline = new OneShotTimer(options.clock, () => this.#onDeadline());
    this.#stalled = new OneShotTimer(options.clock, () => this.#reportStalled());
    this.#wallNow = options.wallNow === undefined ? Date.now : expectFunction<() => number>(options.wallNow, 'wallNow');
    if (options.path !== undefined && (typeof options.path !== 'string' || options.path === '')) {
      invalid('path', 'a non-empty string', options.path);
    }
    this.#path = options.path ?? 'root';
    this.events$ = new BusEvents((sink) => this.#attachSink(sink));
  }

  /** Events accepted for delivery so far, the bus's own reports included (not those ignored after close). */
  get published(): number {
    return this.#published;
  }

  /** True once `close` has finished: `events$` completed and `publish` delivers nothing. */
  get closed(): boolean {
    return this.#state === CLOSED;
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
    const seq = ++this.#lastSeq;
    let event: SupervisorEvent;
    try {
      const target = draft as unknown as Stampable;
      target.seq = seq;
      target.at = this.#wallNow();
      event = draft as unknown as SupervisorEvent;
    } catch {
      event = this.#copyStamped(draft, seq);
    }
    if (this.#state > CLOSING) return event;
    this.#published++;
    if (this.#delivering) {
      this.#queue.push(event);
      this.#queueExclude.push(undefined);
      return event;
    }
    this.#delivering = true;
    try {
      this.#deliver(event, undefined);
      if (this.#queue.length !== 0 || this.#reportList.length !== 0 || this.#drainList.length !== 0) this.#loop();
    } finally {
      this.#delivering = false;
    }
    if (this.#state === CLOSING) this.#checkClose();
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
    const accepts = eventPredicate(kinds, path, this.#path);
    const subscriber = new BufferedSubscriber(name, capacity, next, accepts, (s) => this.#leave(s));
    if (this.#state !== OPEN && this.#state !== CLOSING) {
      subscriber.attached = false;
      subscriber.direct = false;
      return subscriber;
    }
    this.#subs = [...this.#subs, subscriber];
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
    if (this.#closePromise !== undefined) return this.#closePromise;
    expectNumber(drainMs, 'drainMs', 0);
    this.#closePromise = new Promise<void>((resolve) => {
      this.#resolveClose = resolve;
    });
    this.#state = CLOSING;
    if (!this.#delivering && this.#quiescent()) this.#finish(false);
    else this.#deadline.start(drainMs);
    return this.#closePromise;
  }

  // ---------------------------------------------------------------------------------------------
  // Delivery

  /** Delivers `event` to every observer and subscriber except `exclude`. Never throws. */
  #deliver(event: SupervisorEvent, exclude: object | undefined): void {
    for (const sink of this.#sinks) {
      if (sink === exclude || sink.closed) continue;
      try {
        sink.observer.next?.(event);
      } catch (error) {
        if (!isReport(event)) this.#emitPanic(sink.name, error, sink);
      }
    }
    for (const s of this.#subs) {
      if (s === exclude) continue;
      if (s.accepts !== null && !s.accepts(event)) continue;
      if (s.direct) this.#invoke(s, event);
      else this.#offer(s, event);
    }
  }

  /** Hands `event` to an idle subscriber's `next`. */
  #invoke(s: BufferedSubscriber, event: SupervisorEvent): void {
    s.delivered++;
    const fn = s.fn;
    let result: void | PromiseLike<void>;
    try {
      result = fn(event);
    } catch (error) {
      if (!isReport(event)) this.#emitPanic(s.name, error, s);
      return;
    }
    if (result !== undefined) this.#track(s, event, result);
  }

  /** Starts awaiting `result` when it is a thenable. */
  #track(s: BufferedSubscriber, event: SupervisorEvent, result: unknown): void {
    if ((typeof result !== 'object' && typeof result !== 'function') || result === null) return;
    let then: unknown;
    try {
      then = (result as { then?: unknown }).then;
    } catch (error) {
      if (!isReport(event)) this.#emitPanic(s.name, error, s);
      return;
    }
    if (typeof then !== 'function') return;
    s.busy = true;
    s.direct = false;
    let settled = false;
    const onFulfilled = (): void => {
      if (settled) return;
      settled = true;
      this.#settled(s, event, false, undefined);
    };
    const onRejected = (error: unknown): void => {
      if (settled) return;
      settled = true;
      this.#settled(s, event, true, error);
    };
    try {
      (then as (this: unknown, f: () => void, r: (error: unknown) => void) => unknown).call(result, onFulfilled, onRejected);
    } catch (error) {
      onRejected(error);
    }
  }

  /** A subscriber's pending `next` settled: report a rejection, then drain its buffer. */
  #settled(s: BufferedSubscriber, event: SupervisorEvent, rejected: boolean, error: unknown): void {
    s.busy = false;
    s.reportedThisCycle = false;
    if (!s.attached) return;
    const panic = rejected && !isReport(event);
    if (this.#delivering) {
      // Settled synchronously inside a delivery (a custom thenable): finish before it ends.
      if (panic) this.#emitPanic(s.name, error, s);
      this.#listIfPending(s);
      if (s.buffered === 0) s.direct = true;
      else this.#drainList.push(s);
      return;
    }
    this.#delivering = true;
    try {
      if (panic) this.#emitPanic(s.name, error, s);
      this.#listIfPending(s);
      this.#drain(s);
      this.#loop();
    } finally {
      this.#delivering = false;
    }
    if (this.#state === CLOSING) this.#checkClose();
  }

  /** Delivers `s`'s buffered events while it stays idle (inside a delivery). */
  #drain(s: BufferedSubscriber): void {
    const ring = s.ring;
    while (ring !== null && s.attached && !s.busy) {
      const event = ring.shift();
      if (event === undefined) break;
      this.#invoke(s, event);
    }
    s.direct = s.attached && !s.busy && (ring === null || ring.size === 0);
  }

  /** The slow path for a subscriber that is busy, has a backlog, or left. */
  #offer(s: BufferedSubscriber, event: SupervisorEvent): void {
    if (!s.attached) return;
    if (s.ring === null) s.ring = new RingBuffer<SupervisorEvent>(s.capacity);
    if (this.#state === FINAL) {
      // Final reports are never dropped: at most one per other subscriber, so this stays bounded.
      s.ring.pushGrowing(event);
      return;
    }
    if (s.ring.push(event)) return;
    s.dropped++;
    s.unreported++;
    // A dropped report never calls for a report by itself (no storms); the next report, or the
    // final one at close, carries it.
    if (!isReport(event)) {
      s.pending = true;
      // Already reported since its last drain step: the report waits for the next one (#settled),
      // or for the stalled re-report if it stays stalled.
      if (!s.reportedThisCycle) this.#listIfPending(s);
      else this.#stalled.start(STALLED_REPORT_MS);
    }
  }

  #listIfPending(s: BufferedSubscriber): void {
    if (s.pending && !s.listed) {
      s.listed = true;
      this.#reportList.push(s);
    }
  }

  /**
   * Runs queued events, pending drains and due reports until none is left (inside a delivery).
   * The queue only grows while this runs and is emptied before it returns.
   */
  #loop(): void {
    const queue = this.#queue;
    const exclude = this.#queueExclude;
    for (;;) {
      while (this.#queueHead < queue.length) {
        const i = this.#queueHead++;
        const event = queue[i];
        if (event !== undefined) this.#deliver(event, exclude[i]);
      }
      queue.length = 0;
      exclude.length = 0;
      this.#queueHead = 0;
      const settled = this.#drainList.shift();
      if (settled !== undefined) {
        this.#drain(settled);
        continue;
      }
      if (this.#reportList.length !== 0) {
        this.#flushReports();
        if (queue.length !== 0) continue;
      }
      break;
    }
  }

  /** Publishes the due overflow reports (the delivery in progress has ended). */
  #flushReports(): void {
    const list = this.#reportList;
    for (const s of list) {
      s.listed = false;
      if (!s.attached || !s.pending) continue;
      // Coalescing gate: one report per drain step; the rest waits for the next one.
      if (s.reportedThisCycle) continue;
      this.#emitOverflow(s);
    }
    list.length = 0;
  }

  /**
   * Reports the subscribers that are still stalled with drops waiting, once
   * {@link STALLED_REPORT_MS} has passed since their previous report; re-arms for the others.
   * Nothing is armed once no drop waits, so an idle host is never kept alive.
   */
  #reportStalled(): void {
    if (this.#state > CLOSING) return;
    let wait = Infinity;
    this.#section(() => {
      const now = this.#now();
      for (const s of this.#subs) {
        if (!s.attached || !s.pending || !s.reportedThisCycle) continue;
        const since = now - s.reportedAt;
        if (since >= STALLED_REPORT_MS) this.#emitOverflow(s);
        else wait = Math.min(wait, STALLED_REPORT_MS - since);
      }
    });
    if (wait !== Infinity) this.#stalled.start(wait);
    if (this.#state === CLOSING) this.#checkClose();
  }

  #emitOverflow(s: BufferedSubscriber): void {
    const dropped = s.unreported;
    s.unreported = 0;
    s.pending = false;
    s.reportedThisCycle = true;
    s.reportedAt = this.#now();
    this.#emit({ kind: 'SubscriberOverflow', task: this.#path, subscriber: s.name, dropped }, s);
  }

  #emitPanic(subscriber: string, error: unknown, exclude: object): void {
    this.#emit({ kind: 'SubscriberPanicked', task: this.#path, subscriber, reason: describeThrown(error) }, exclude);
  }

  /** Publishes one of the bus's own reports to everyone but `exclude` (queued when delivering). */
  #emit(draft: EventDraft, exclude: object): void {
    if (this.#state === CLOSED) return;
    const event = draft as unknown as Stampable;
    event.seq = ++this.#lastSeq;
    event.at = this.#safeWallNow();
    this.#published++;
    this.#queue.push(draft as unknown as SupervisorEvent);
    this.#queueExclude.push(exclude);
    if (!this.#delivering) this.#section(() => undefined);
  }

  /** Runs `body` as a delivery: reentrant publishes are queued and delivered before it returns. */
  #section(body: () => void): void {
    if (this.#delivering) {
      body();
      return;
    }
    this.#delivering = true;
    try {
      body();
      this.#loop();
    } finally {
      this.#delivering = false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Membership

  #attachSink(sink: Sink): () => void {
    sink.name = `${EVENTS_OBSERVER_NAME}#${String(++this.#sinkCount)}`;
    if (this.#state === CLOSED) {
      sink.closed = true;
      this.#complete(sink);
      return () => undefined;
    }
    this.#sinks = [...this.#sinks, sink];
    return () => {
      if (sink.closed) return;
      sink.closed = true;
      this.#sinks = this.#sinks.filter((x) => x !== sink);
    };
  }

  #leave(s: BufferedSubscriber): void {
    if (!s.attached) return;
    s.attached = false;
    s.direct = false;
    s.pending = false;
    s.ring?.clear();
    s.ring = null;
    this.#subs = this.#subs.filter((x) => x !== s);
    if (this.#state === CLOSING) this.#checkClose();
  }

  // ---------------------------------------------------------------------------------------------
  // Shutdown

  /** Nothing is buffered anywhere (pending `next`s may still run: they were handed over). */
  #quiescent(): boolean {
    for (const s of this.#subs) if (s.buffered !== 0) return false;
    return true;
  }

  #checkClose(): void {
    if (this.#state !== CLOSING || this.#delivering) return;
    if (this.#deadlinePassed) this.#finish(true);
    else if (this.#quiescent()) this.#finish(false);
  }

  #onDeadline(): void {
    this.#deadlinePassed = true;
    this.#checkClose();
  }

  #finish(deadline: boolean): void {
    this.#deadline.cancel();
    this.#stalled.cancel();
    this.#state = FINAL;
    const reporting: BufferedSubscriber[] = [];
    for (const s of this.#subs) {
      if (deadline && s.ring !== null && s.ring.size > 0) {
        const left = s.ring.clear();
        s.dropped += left;
        s.unreported += left;
      }
      if (deadline && s.busy) {
        // Still awaiting a `next` at the deadline: its in-flight event was handed over
        // (delivered); it receives nothing more.
        s.attached = false;
        s.direct = false;
        s.ring = null;
      }
      if (s.unreported > 0) reporting.push(s);
    }
    this.#subs = this.#subs.filter((s) => s.attached);
    // The final reports: one per subscriber with unreported drops, never dropped themselves
    // (see #offer), so that every loss is reported before `events$` completes.
    this.#section(() => {
      for (const s of reporting) this.#emitOverflow(s);
    });
    this.#state = CLOSED;
    const sinks = this.#sinks;
    this.#sinks = [];
    for (const sink of sinks) {
      if (sink.closed) continue;
      sink.closed = true;
      this.#complete(sink);
    }
    this.#resolveClose?.();
  }

  #complete(sink: Sink): void {
    try {
      sink.observer.complete?.();
    } catch {
      // The bus is closed: there is no one left to report to.
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Stamping fallbacks (cold)

  #safeWallNow(): number {
    try {
      return this.#wallNow();
    } catch {
      return Date.now();
    }
  }

  /** For a draft that cannot be written to (frozen) or a throwing `wallNow`. */
  #copyStamped(draft: EventDraft, seq: number): SupervisorEvent {
    return { ...draft, seq, at: this.#safeWallNow() };
  }
}
