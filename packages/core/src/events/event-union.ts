/**
 * The unions over every event group: `SupervisorEvent` (what subscribers receive) and
 * `EventDraft` (what producers publish, before the bus stamps `seq` and `at`).
 *
 * @module
 */
import type {
  HealthCheckFailed,
  ProcessControl,
  StdinClosed,
  ProcessHelperUnavailable,
  TaskError,
  TaskFailed,
  TaskOutput,
  TaskOutputBatch,
  TaskReady,
  TaskStarted,
  TaskStarting,
  TaskStopped,
  TimeoutHit,
} from './attempt-events.ts';
import type { ControllerRejected, ControllerSlotTransition, ControllerSubmitted } from './controller-events.ts';
import type { EventBase } from './event-base.ts';
import type { ActorDead, ActorExhausted, BackoffScheduled } from './policy-events.ts';
import type { SubscriberOverflow, SubscriberPanicked } from './subscriber-events.ts';
import type {
  AllStoppedWithinGrace,
  DependencyReady,
  DependencyWaiting,
  GraceExceeded,
  IntensityExceeded,
  ShutdownRequested,
  SupervisorRestarting,
  TaskAdded,
  TaskAddFailed,
  TaskAddRequested,
  TaskRemoved,
  TaskRemoveRequested,
} from './supervisor-events.ts';

/**
 * Every event of a supervision tree, discriminated by `kind`.
 *
 * @example
 * ```ts
 * app.events$.subscribe((event: SupervisorEvent) => {
 *   if (event.kind === 'TaskFailed') console.error(event.task, event.reason);
 * });
 * ```
 */
export type SupervisorEvent =
  | TaskStarting
  | TaskStarted
  | TaskOutput
  | TaskOutputBatch
  | TaskReady
  | TaskStopped
  | TaskFailed
  | TimeoutHit
  | TaskError
  | ProcessControl
  | HealthCheckFailed
  | StdinClosed
  | ProcessHelperUnavailable
  | BackoffScheduled
  | ActorExhausted
  | ActorDead
  | SupervisorRestarting
  | IntensityExceeded
  | DependencyWaiting
  | DependencyReady
  | TaskAddRequested
  | TaskAdded
  | TaskAddFailed
  | TaskRemoveRequested
  | TaskRemoved
  | ShutdownRequested
  | AllStoppedWithinGrace
  | GraceExceeded
  | SubscriberOverflow
  | SubscriberPanicked
  | ControllerSubmitted
  | ControllerRejected
  | ControllerSlotTransition;

/** The `kind` of any event. */
export type SupervisorEventKind = SupervisorEvent['kind'];

/**
 * Removes `seq` and `at` from each member of an event union (distributively).
 *
 * @example
 * ```ts
 * type ReadyDraft = Unstamp<TaskReady>; // { kind: 'TaskReady'; task: string; attempt: number }
 * ```
 */
export type Unstamp<E> = E extends EventBase ? Omit<E, 'seq' | 'at'> : never;

/**
 * An event before the bus stamps it with `seq` and `at`: what producers publish.
 *
 * @example
 * ```ts
 * const draft: EventDraft = { kind: 'TaskReady', task: 'app/web', attempt: 1 };
 * ```
 */
export type EventDraft = Unstamp<SupervisorEvent>;
