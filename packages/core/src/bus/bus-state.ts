/**
 * The state an event bus's parts share (delivery, reports, shutdown), and its lifecycle phases.
 *
 * @module
 */
import type { SupervisorEvent } from '../events.ts';
import type { Sink } from './events-observable.ts';
import type { OneShotTimer } from './one-shot-timer.ts';
import type { BufferedSubscriber } from './subscriber.ts';

/**
 * Normal delivery.
 *
 * @example
 * ```ts
 * if (bus.phase === OPEN) subscribeNormally();
 * ```
 */
export const OPEN = 0;
/**
 * `close` was called: buffers drain, publishing still works.
 *
 * @example
 * ```ts
 * if (bus.phase === CLOSING) bus.checkClose();
 * ```
 */
export const CLOSING = 1;
/**
 * The drain ended: only the final reports are delivered (publish is ignored).
 *
 * @example
 * ```ts
 * if (bus.phase === FINAL) ring.pushGrowing(event); // final reports are never dropped
 * ```
 */
export const FINAL = 2;
/**
 * Done: `events$` completed, nothing is delivered any more.
 *
 * @example
 * ```ts
 * const closed = bus.phase === CLOSED;
 * ```
 */
export const CLOSED = 3;

/**
 * Where a bus is in its lifecycle: {@link OPEN} → {@link CLOSING} → {@link FINAL} → {@link CLOSED},
 * in that order (comparisons such as `phase > CLOSING` rely on it).
 *
 * @example
 * ```ts
 * const accepting = (phase: BusPhase): boolean => phase <= CLOSING;
 * ```
 */
export type BusPhase = typeof OPEN | typeof CLOSING | typeof FINAL | typeof CLOSED;

/**
 * What a {@link BusState} is made from.
 *
 * @example
 * ```ts
 * const parts: BusStateParts = { now: () => 0, wallNow: Date.now, path: 'app', stalled, checkClose };
 * ```
 */
export interface BusStateParts {
  /** The supervisor clock (stalled re-reports). */
  now: () => number;
  /** Epoch milliseconds for `at`. */
  wallNow: () => number;
  /** `task` of the bus's own reports. */
  path: string;
  /** Re-reports subscribers that stay stalled while they keep dropping. */
  stalled: OneShotTimer;
  /** The shutdown's check, for the bus's parts below it; called only while {@link CLOSING}. */
  checkClose: () => void;
}

/**
 * The fields of one event bus, read and written directly by its parts on the delivery path
 * (internal: the bus keeps it private).
 *
 * @example
 * ```ts
 * const state = new BusState({ now, wallNow: Date.now, path: 'app', stalled, checkClose });
 * state.subs = [...state.subs, subscriber];
 * ```
 */
export class BusState {
  readonly now: () => number;
  readonly wallNow: () => number;
  readonly path: string;
  /** The `seq` of the last stamped event. */
  lastSeq = 0;
  /** Events accepted for delivery so far (see `EventBus.published`). */
  published = 0;
  phase: BusPhase = OPEN;
  /** A delivery is on the stack: a reentrant publish is queued. */
  delivering = false;
  /** The `events$` observers (copied on write). */
  sinks: readonly Sink[] = [];
  /** The `subscribe()` subscribers (copied on write). */
  subs: readonly BufferedSubscriber[] = [];
  // Reentrancy queue (two parallel arrays: the event and whom it excludes).
  readonly queue: SupervisorEvent[] = [];
  readonly queueExclude: (object | undefined)[] = [];
  queueHead = 0;
  /** Subscribers whose `next` settled during a delivery; they drain before it ends. */
  readonly drainList: BufferedSubscriber[] = [];
  /** Report candidates, examined when the delivery in progress ends. */
  readonly reportList: BufferedSubscriber[] = [];
  readonly stalled: OneShotTimer;
  readonly checkClose: () => void;

  /** @param parts - the clocks, the report path, the stalled timer and the shutdown's check */
  constructor(parts: BusStateParts) {
    this.now = parts.now;
    this.wallNow = parts.wallNow;
    this.path = parts.path;
    this.stalled = parts.stalled;
    this.checkClose = parts.checkClose;
  }
}
