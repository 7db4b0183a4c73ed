/**
 * A `subscribe()` registration: its options, its public handle, and the bounded buffer and
 * counters the bus keeps for it (DESIGN.md §4 "Delivery", "Overflow", "Filters").
 *
 * @module
 */
import type { EventOfKind } from '../event-kinds.ts';
import type { SupervisorEvent, SupervisorEventKind } from '../events.ts';
import type { EventPredicate } from './event-filter.ts';
import type { RingBuffer } from './ring-buffer.ts';

/**
 * Options of `subscribe()` (on a supervisor: `app.subscribe(options)`). `K` is inferred from
 * `kinds` alone, and narrows the event `next` receives.
 *
 * @example
 * ```ts
 * const options: SubscribeOptions<'TaskFailed' | 'ActorDead'> = {
 *   name: 'alerts',
 *   capacity: 64,
 *   kinds: ['TaskFailed', 'ActorDead'],
 *   path: 'workers',
 *   next: async (event) => { await pager.send(`${event.task}: ${event.reason}`); },
 * };
 * ```
 */
export interface SubscribeOptions<K extends SupervisorEventKind = SupervisorEventKind> {
  /** Name used in `SubscriberOverflow` / `SubscriberPanicked` reports; default `subscriber-<n>`. */
  name?: string;
  /** Events this subscriber may have waiting while its `next` is busy; an integer >= 1, default 1024. */
  capacity?: number;
  /**
   * Only events of these kinds reach this subscriber (a non-empty array of event kinds). The
   * filter runs before the buffer: other events neither fill it nor count in `stats()`.
   */
  kinds?: readonly K[];
  /**
   * Only events about this path or below reach this subscriber: a full path (`app/workers`) or
   * one relative to the root (`workers`). Filters before the buffer, like `kinds`.
   */
  path?: string;
  /**
   * Receives each event. When it returns a thenable, the subscriber gets no further event until
   * that thenable settles; a throw or a rejection is reported as `SubscriberPanicked`.
   */
  next: (event: EventOfKind<NoInfer<K>>) => void | PromiseLike<void>;
}

/**
 * A live `subscribe()` registration.
 *
 * @example
 * ```ts
 * const sub = bus.subscribe({ name: 'audit', next: (event) => log(event) });
 * sub.stats(); // { delivered: 3, dropped: 0 }
 * sub.unsubscribe();
 * ```
 */
export interface EventSubscription {
  /** The subscriber's name, as it appears in reports. */
  readonly name: string;
  /**
   * `delivered`: events handed to `next` (an event whose `next` is still pending counts);
   * `dropped`: events lost for this subscriber so far, reported or not yet.
   */
  stats(): { delivered: number; dropped: number };
  /**
   * Stops delivery at once. Events still waiting in the buffer and a not-yet-published overflow
   * report are discarded (the subscriber asked to leave); `stats()` keeps its last values.
   */
  unsubscribe(): void;
}

/**
 * A `subscribe()` registration and its bounded buffer (internal to the bus, which reads and
 * writes its fields directly on the delivery path).
 *
 * @example
 * ```ts
 * const s = new BufferedSubscriber('audit', 256, (event) => log(event), null, (x) => leave(x));
 * ```
 */
export class BufferedSubscriber implements EventSubscription {
  readonly name: string;
  readonly capacity: number;
  readonly fn: (event: SupervisorEvent) => void | PromiseLike<void>;
  /** Its `kinds` / `path` filter; null when it has none (no cost). */
  readonly accepts: EventPredicate;
  /** True when idle, with an empty buffer, and attached: the publish fast path calls `fn` directly. */
  direct = true;
  /** Awaiting a thenable returned by `fn`. */
  busy = false;
  /** Receives events (false once unsubscribed, or detached at the shutdown deadline). */
  attached = true;
  /** Allocated on first need. */
  ring: RingBuffer<SupervisorEvent> | null = null;
  delivered = 0;
  dropped = 0;
  /** Dropped since the previous published report. */
  unreported = 0;
  /** Has drops that call for a report (a dropped report alone does not: it waits for the next one). */
  pending = false;
  /** A report was published since this subscriber's last drain step (coalescing gate). */
  reportedThisCycle = false;
  /** When its last report was published (supervisor clock). */
  reportedAt = 0;
  /** In the bus's list of report candidates. */
  listed = false;
  readonly #leave: (subscriber: BufferedSubscriber) => void;

  constructor(
    name: string,
    capacity: number,
    fn: (event: SupervisorEvent) => void | PromiseLike<void>,
    accepts: EventPredicate,
    leave: (subscriber: BufferedSubscriber) => void,
  ) {
    this.name = name;
    this.capacity = capacity;
    this.fn = fn;
    this.accepts = accepts;
    this.#leave = leave;
  }

  get buffered(): number {
    return this.ring === null ? 0 : this.ring.size;
  }

  stats(): { delivered: number; dropped: number } {
    return { delivered: this.delivered, dropped: this.dropped };
  }

  unsubscribe(): void {
    this.#leave(this);
  }
}
