/**
 * The event bus's delivery: synchronous fan-out to `events$` observers and `subscribe()`
 * subscribers, the bounded buffers of subscribers whose `next` is still pending, and the loop that
 * runs reentrant publishes, drains and reports before a delivery ends (DESIGN.md §4 "Delivery",
 * "Overflow").
 *
 * Everything here runs inside a delivery (`state.delivering`), except {@link section}, which
 * opens one, and a pending `next` settling, which opens its own.
 *
 * @module
 */
import type { SupervisorEvent } from '../events.ts';
import { CLOSING, FINAL, type BusState } from './bus-state.ts';
import { emitPanic, flushReports, isReport, listIfPending, STALLED_REPORT_MS } from './reports.ts';
import { RingBuffer } from './ring-buffer.ts';
import type { BufferedSubscriber } from './subscriber.ts';

/**
 * Delivers `event` to every observer and subscriber except `exclude`. Never throws.
 *
 * @param state - the bus, inside a delivery
 * @param event - a stamped event
 * @param exclude - the sink or subscriber a report is about; `undefined` for a published event
 * @example
 * ```ts
 * state.delivering = true;
 * try {
 *   deliver(state, event, undefined);
 * } finally {
 *   state.delivering = false;
 * }
 * ```
 */
export function deliver(state: BusState, event: SupervisorEvent, exclude: object | undefined): void {
  for (const sink of state.sinks) {
    if (sink === exclude || sink.closed) continue;
    try {
      sink.observer.next?.(event);
    } catch (error) {
      if (!isReport(event)) emitPanic(state, sink.name, error, sink);
    }
  }
  for (const s of state.subs) {
    if (s === exclude) continue;
    if (s.accepts !== null && !s.accepts(event)) continue;
    if (s.direct) invoke(state, s, event);
    else offer(state, s, event);
  }
}

/** Hands `event` to an idle subscriber's `next`. */
function invoke(state: BusState, s: BufferedSubscriber, event: SupervisorEvent): void {
  s.delivered++;
  const fn = s.fn;
  let result: void | PromiseLike<void>;
  try {
    result = fn(event);
  } catch (error) {
    if (!isReport(event)) emitPanic(state, s.name, error, s);
    return;
  }
  if (result !== undefined) track(state, s, event, result);
}

/** Starts awaiting `result` when it is a thenable. */
function track(state: BusState, s: BufferedSubscriber, event: SupervisorEvent, result: unknown): void {
  if ((typeof result !== 'object' && typeof result !== 'function') || result === null) return;
  let then: unknown;
  try {
    then = (result as { then?: unknown }).then;
  } catch (error) {
    if (!isReport(event)) emitPanic(state, s.name, error, s);
    return;
  }
  if (typeof then !== 'function') return;
  s.busy = true;
  s.direct = false;
  let settled = false;
  const onFulfilled = (): void => {
    if (settled) return;
    settled = true;
    settle(state, s, event, false, undefined);
  };
  const onRejected = (error: unknown): void => {
    if (settled) return;
    settled = true;
    settle(state, s, event, true, error);
  };
  try {
    (then as (this: unknown, f: () => void, r: (error: unknown) => void) => unknown).call(result, onFulfilled, onRejected);
  } catch (error) {
    onRejected(error);
  }
}

/** A subscriber's pending `next` settled: report a rejection, then drain its buffer. */
function settle(state: BusState, s: BufferedSubscriber, event: SupervisorEvent, rejected: boolean, error: unknown): void {
  s.busy = false;
  s.reportedThisCycle = false;
  if (!s.attached) return;
  const panic = rejected && !isReport(event);
  if (state.delivering) {
    // Settled synchronously inside a delivery (a custom thenable): finish before it ends.
    if (panic) emitPanic(state, s.name, error, s);
    listIfPending(state, s);
    if (s.buffered === 0) s.direct = true;
    else state.drainList.push(s);
    return;
  }
  state.delivering = true;
  try {
    if (panic) emitPanic(state, s.name, error, s);
    listIfPending(state, s);
    drain(state, s);
    loop(state);
  } finally {
    state.delivering = false;
  }
  if (state.phase === CLOSING) state.checkClose();
}

/** Delivers `s`'s buffered events while it stays idle (inside a delivery). */
function drain(state: BusState, s: BufferedSubscriber): void {
  const ring = s.ring;
  while (ring !== null && s.attached && !s.busy) {
    const event = ring.shift();
    if (event === undefined) break;
    invoke(state, s, event);
  }
  s.direct = s.attached && !s.busy && (ring === null || ring.size === 0);
}

/** The slow path for a subscriber that is busy, has a backlog, or left. */
function offer(state: BusState, s: BufferedSubscriber, event: SupervisorEvent): void {
  if (!s.attached) return;
  if (s.ring === null) s.ring = new RingBuffer<SupervisorEvent>(s.capacity);
  if (state.phase === FINAL) {
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
    // Already reported since its last drain step: the report waits for the next one (settle),
    // or for the stalled re-report if it stays stalled.
    if (!s.reportedThisCycle) listIfPending(state, s);
    else state.stalled.start(STALLED_REPORT_MS);
  }
}

/**
 * Runs queued events, pending drains and due reports until none is left (inside a delivery).
 * The queue only grows while this runs and is emptied before it returns.
 *
 * @param state - the bus, inside a delivery
 * @example
 * ```ts
 * deliver(state, event, undefined);
 * if (state.queue.length !== 0 || state.reportList.length !== 0 || state.drainList.length !== 0) loop(state);
 * ```
 */
export function loop(state: BusState): void {
  const queue = state.queue;
  const exclude = state.queueExclude;
  for (;;) {
    while (state.queueHead < queue.length) {
      const i = state.queueHead++;
      const event = queue[i];
      if (event !== undefined) deliver(state, event, exclude[i]);
    }
    queue.length = 0;
    exclude.length = 0;
    state.queueHead = 0;
    const settled = state.drainList.shift();
    if (settled !== undefined) {
      drain(state, settled);
      continue;
    }
    if (state.reportList.length !== 0) {
      flushReports(state);
      if (queue.length !== 0) continue;
    }
    break;
  }
}

/**
 * Runs `body` as a delivery: what it publishes or reports is queued and delivered before this
 * returns.
 *
 * @param state - the bus
 * @param body - the work, e.g. emitting reports
 * @example
 * ```ts
 * section(state, () => {
 *   for (const s of reporting) emitOverflow(state, s);
 * });
 * ```
 */
export function section(state: BusState, body: () => void): void {
  if (state.delivering) {
    body();
    return;
  }
  state.delivering = true;
  try {
    body();
    loop(state);
  } finally {
    state.delivering = false;
  }
}
