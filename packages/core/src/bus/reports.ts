/**
 * The event bus's own reports: `SubscriberOverflow` (coalesced, re-reported while a subscriber
 * stays stalled) and `SubscriberPanicked` (DESIGN.md §4 "Overflow", "Panics").
 *
 * Reports are queued inside a delivery; the delivery loop delivers them before it ends.
 *
 * @module
 */
import type { EventDraft, SupervisorEvent } from '../events.ts';
import { describeThrown } from '../foreign.ts';
import { CLOSED, type BusState } from './bus-state.ts';
import { safeWallNow, type Stampable } from './stamp.ts';
import type { BufferedSubscriber } from './subscriber.ts';

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
 * Whether `event` is one of the two report kinds the bus itself publishes (a failure while
 * handling one is not reported again: no storms).
 *
 * @param event - a delivered event
 * @returns true for `SubscriberOverflow` and `SubscriberPanicked`
 * @example
 * ```ts
 * if (!isReport(event)) emitPanic(state, s.name, error, s);
 * ```
 */
export function isReport(event: SupervisorEvent): boolean {
  return event.kind === 'SubscriberOverflow' || event.kind === 'SubscriberPanicked';
}

/**
 * Lists `s` as a report candidate when it has drops that call for a report.
 *
 * @param state - the bus
 * @param s - a subscriber that dropped or drained
 * @example
 * ```ts
 * s.pending = true;
 * listIfPending(state, s); // examined by flushReports when the delivery ends
 * ```
 */
export function listIfPending(state: BusState, s: BufferedSubscriber): void {
  if (s.pending && !s.listed) {
    s.listed = true;
    state.reportList.push(s);
  }
}

/**
 * Publishes the due overflow reports of the listed candidates (the delivery in progress has
 * ended); one per drain step, the rest waits for the next one.
 *
 * @param state - the bus, inside a delivery
 * @example
 * ```ts
 * if (state.reportList.length !== 0) flushReports(state);
 * ```
 */
export function flushReports(state: BusState): void {
  const list = state.reportList;
  for (const s of list) {
    s.listed = false;
    if (!s.attached || !s.pending) continue;
    // Coalescing gate: one report per drain step; the rest waits for the next one.
    if (s.reportedThisCycle) continue;
    emitOverflow(state, s);
  }
  list.length = 0;
}

/**
 * Reports the subscribers that are still stalled with drops waiting, once
 * {@link STALLED_REPORT_MS} has passed since their previous report.
 *
 * @param state - the bus, inside a delivery
 * @returns how long until the next of the others is due; `Infinity` when no drop waits
 * @example
 * ```ts
 * const wait = reportStalled(state);
 * if (wait !== Infinity) state.stalled.start(wait);
 * ```
 */
export function reportStalled(state: BusState): number {
  let wait = Infinity;
  const now = state.now();
  for (const s of state.subs) {
    if (!s.attached || !s.pending || !s.reportedThisCycle) continue;
    const since = now - s.reportedAt;
    if (since >= STALLED_REPORT_MS) emitOverflow(state, s);
    else wait = Math.min(wait, STALLED_REPORT_MS - since);
  }
  return wait;
}

/**
 * Publishes `s`'s unreported drops as a `SubscriberOverflow` to everyone else.
 *
 * @param state - the bus, inside a delivery
 * @param s - the subscriber that dropped
 * @example
 * ```ts
 * for (const s of reporting) emitOverflow(state, s); // the final reports at close
 * ```
 */
export function emitOverflow(state: BusState, s: BufferedSubscriber): void {
  const dropped = s.unreported;
  s.unreported = 0;
  s.pending = false;
  s.reportedThisCycle = true;
  s.reportedAt = state.now();
  emit(state, { kind: 'SubscriberOverflow', task: state.path, subscriber: s.name, dropped }, s);
}

/**
 * Publishes a `SubscriberPanicked` for a throwing or rejecting `next` to everyone else.
 *
 * @param state - the bus, inside a delivery
 * @param subscriber - the name of the one that panicked
 * @param error - what it threw or rejected with
 * @param exclude - its sink or subscriber, which does not receive the report
 * @example
 * ```ts
 * emitPanic(state, sink.name, error, sink);
 * ```
 */
export function emitPanic(state: BusState, subscriber: string, error: unknown, exclude: object): void {
  emit(state, { kind: 'SubscriberPanicked', task: state.path, subscriber, reason: describeThrown(error) }, exclude);
}

/**
 * Stamps one of the bus's own reports and queues it for everyone but `exclude`. Called only inside
 * a delivery, whose loop delivers it before the delivery ends.
 */
function emit(state: BusState, draft: EventDraft, exclude: object): void {
  if (state.phase === CLOSED) return;
  const event = draft as unknown as Stampable;
  event.seq = ++state.lastSeq;
  event.at = safeWallNow(state.wallNow);
  state.published++;
  state.queue.push(draft as unknown as SupervisorEvent);
  state.queueExclude.push(exclude);
}
