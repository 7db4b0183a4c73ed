/**
 * Every event `kind` as a runtime value, for the places that check a kind a user gave
 * (`subscribe({ kinds })`, `ofKind(...)`).
 *
 * @module
 */
import type { SupervisorEvent, SupervisorEventKind } from './events.ts';

/**
 * The member of {@link SupervisorEvent} (or of any event union `E`) whose `kind` is `K`.
 *
 * @example
 * ```ts
 * type Failure = EventOfKind<'TaskFailed' | 'ActorDead'>; // TaskFailed | ActorDead
 * ```
 */
export type EventOfKind<K extends SupervisorEventKind, E extends SupervisorEvent = SupervisorEvent> = Extract<E, { readonly kind: K }>;

/**
 * One key per kind of DESIGN.md §4. Typed as a complete map, so a kind added to
 * `SupervisorEvent` and missing here fails the typecheck. `HealthCheckFailed` is listed ahead of
 * its event type (the heartbeat watchdog publishes it).
 */
const KINDS: { readonly [K in SupervisorEventKind | 'HealthCheckFailed']: true } = {
  TaskStarting: true,
  TaskStarted: true,
  TaskOutput: true,
  TaskOutputBatch: true,
  TaskReady: true,
  TaskStopped: true,
  TaskFailed: true,
  TimeoutHit: true,
  TaskError: true,
  ProcessControl: true,
  HealthCheckFailed: true,
  StdinClosed: true,
  ProcessHelperUnavailable: true,
  BackoffScheduled: true,
  ActorExhausted: true,
  ActorDead: true,
  SupervisorRestarting: true,
  IntensityExceeded: true,
  DependencyWaiting: true,
  DependencyReady: true,
  TaskAddRequested: true,
  TaskAdded: true,
  TaskAddFailed: true,
  TaskRemoveRequested: true,
  TaskRemoved: true,
  ShutdownRequested: true,
  AllStoppedWithinGrace: true,
  GraceExceeded: true,
  SubscriberOverflow: true,
  SubscriberPanicked: true,
  ControllerSubmitted: true,
  ControllerRejected: true,
  ControllerSlotTransition: true,
};

/**
 * Every event kind, in the order of DESIGN.md §4's table.
 *
 * @example
 * ```ts
 * EVENT_KINDS.includes('TaskFailed'); // true
 * ```
 */
export const EVENT_KINDS: readonly string[] = Object.freeze(Object.keys(KINDS));

/**
 * Whether `value` is the name of an event kind (own keys only: `'toString'` is not one).
 *
 * @example
 * ```ts
 * isEventKind('TaskFailed'); // true
 * isEventKind('TaskFialed'); // false
 * ```
 */
export function isEventKind(value: unknown): value is SupervisorEventKind {
  return typeof value === 'string' && Object.hasOwn(KINDS, value);
}
