/**
 * The event vocabulary of a supervision tree: one flat discriminated union keyed by `kind`.
 *
 * Every event carries `seq` (strictly increasing, unique per tree), `at` (epoch ms) and `task`
 * (the path of the node it concerns). Attempt events also carry `attempt` (from 1).
 *
 * @module
 */

/** Why an attempt was stopped from outside, or `'finished'` when it ended on its own. */
export type TerminateReason =
  | 'user-requested'
  | 'shutdown'
  | 'cleanup'
  | 'dependencies-finished'
  | 'internal-error';

/**
 * `'finished'` for an attempt that ended by itself, otherwise who stopped it.
 *
 * @example
 * ```ts
 * const why: StopReason = { terminated: 'shutdown' };
 * ```
 */
export type StopReason = 'finished' | { readonly terminated: TerminateReason };

/** The stream a line of process output came from. */
export type OutputStream = 'stdout' | 'stderr';

/** How a child ended for good. */
export type TaskOutcomeKind =
  | 'completed'
  | 'failed'
  | 'fatal'
  | 'cancelled'
  | 'force-aborted'
  | 'rejected';

/** Supervisor restart strategies, with OTP semantics. */
export type Strategy = 'one-for-one' | 'one-for-all' | 'rest-for-one';

/** Fields every event has. */
export interface EventBase {
  /** Strictly increasing, unique within one supervision tree. */
  readonly seq: number;
  /** Wall-clock time of publication, epoch milliseconds. */
  readonly at: number;
  /** Path of the node the event concerns, e.g. `app/workers/a`. */
  readonly task: string;
}

/** Fields of events that belong to one attempt. */
export interface AttemptBase extends EventBase {
  /** The attempt number, from 1 in each incarnation. */
  readonly attempt: number;
}

/** An attempt is about to start (a concurrency slot is held from here to its terminal event). */
export interface TaskStarting extends AttemptBase {
  readonly kind: 'TaskStarting';
}
/** The attempt's work has begun; `pid` for processes. */
export interface TaskStarted extends AttemptBase {
  readonly kind: 'TaskStarted';
  readonly pid?: number;
}
/** One line of output. */
export interface TaskOutput extends AttemptBase {
  readonly kind: 'TaskOutput';
  readonly line: string;
  readonly stream: OutputStream;
}
/** A chunk of complete lines (opt-in, for high-volume output). */
export interface TaskOutputBatch extends AttemptBase {
  readonly kind: 'TaskOutputBatch';
  readonly lines: readonly string[];
  readonly stream: OutputStream;
}
/** The attempt reported readiness (once per attempt). */
export interface TaskReady extends AttemptBase {
  readonly kind: 'TaskReady';
}
/**
 * Fields of an attempt's terminal event that ran (`TaskStopped`, `TaskFailed`, `TimeoutHit`).
 *
 * @example
 * ```ts
 * app.events$.subscribe((event) => {
 *   if (event.kind === 'TaskFailed') console.log(`${event.task} failed after ${event.durationMs} ms`);
 * });
 * ```
 */
export interface AttemptEnd extends AttemptBase {
  /**
   * The attempt's run time in ms on the supervisor clock, from its `TaskStarted` to this event;
   * 0 for an attempt that never published `TaskStarted` (it never began its work).
   */
  readonly durationMs: number;
}
/** Terminal: the attempt ended on its own successfully (`'finished'`) or was stopped. */
export interface TaskStopped extends AttemptEnd {
  readonly kind: 'TaskStopped';
  readonly stopReason: StopReason;
  readonly exitCode?: number;
  readonly signal?: string;
}
/** Terminal: the attempt failed. */
export interface TaskFailed extends AttemptEnd {
  readonly kind: 'TaskFailed';
  readonly reason: string;
  readonly exitCode?: number;
  readonly signal?: string;
}
/** Terminal: the attempt ran longer than `timeoutMs` and was stopped (retryable). */
export interface TimeoutHit extends AttemptEnd {
  readonly kind: 'TimeoutHit';
  readonly timeoutMs: number;
}
/** Terminal: the attempt's configuration was found invalid when it started. */
export interface TaskError extends AttemptBase {
  readonly kind: 'TaskError';
  readonly error: { readonly code: string; readonly message: string };
}
/** A control action was applied to a running process. */
export interface ProcessControl extends AttemptBase {
  readonly kind: 'ProcessControl';
  readonly action: 'pause' | 'resume' | 'stop';
}
/**
 * What a health check watched: `'heartbeat'` is the child's `heartbeatTimeoutMs` watchdog
 * (published by core); `'readiness'`, `'liveness'` and `'memory'` are the process probes of
 * `@statevisor/process` (DESIGN §5), named here so that the event type does not change when
 * they come.
 *
 * @example
 * ```ts
 * const probe: HealthProbe = 'heartbeat';
 * ```
 */
export type HealthProbe = 'heartbeat' | 'readiness' | 'liveness' | 'memory';

/**
 * A notice between `TaskStarted` and the attempt's terminal event: a health check failed. For
 * `probe: 'heartbeat'`, no heartbeat (`heartbeat()`, or for a process an output line) came for
 * `heartbeatTimeoutMs`: the attempt is then stopped and ends `TaskFailed` (retryable).
 *
 * @example
 * ```ts
 * app.events$.subscribe((event) => {
 *   if (event.kind === 'HealthCheckFailed') console.warn(event.task, event.probe, event.reason);
 * });
 * ```
 */
export interface HealthCheckFailed extends AttemptBase {
  readonly kind: 'HealthCheckFailed';
  readonly probe: HealthProbe;
  /** What failed, e.g. `no heartbeat for 5000ms`. */
  readonly reason: string;
  /** Failures in a row of this probe in this attempt (a heartbeat watchdog fails once). */
  readonly failures: number;
}
/**
 * The attempt's stdin stopped taking writes because the process closed its end (`EPIPE`) or
 * the pipe failed: later `write()` calls return false. At most once per attempt; not published
 * for the caller's own `closeStdin()`.
 */
export interface StdinClosed extends AttemptBase {
  readonly kind: 'StdinClosed';
  readonly error: { readonly code: string; readonly message: string };
}
/**
 * Why a failure began a new failure streak: the failed attempt had run for `uptimeMs`, at
 * least `resetAfterMs`.
 *
 * @example
 * ```ts
 * const reset: StreakReset = { uptimeMs: 3_600_000, resetAfterMs: 30_000 };
 * ```
 */
export interface StreakReset {
  /** How long the failed attempt ran, from its `TaskStarted` (ms, supervisor clock). */
  readonly uptimeMs: number;
  /** The child's `resetAfterMs`. */
  readonly resetAfterMs: number;
}

/**
 * What decided a restart: the supervisor's strategy and intensity window, and the backoff.
 *
 * @example
 * ```ts
 * const why: RestartExplanation = {
 *   strategy: 'one-for-one', restartsBefore: 1, restartsAfter: 2, maxRestarts: 3, periodMs: 5_000,
 *   delayMs: 400, baseMs: 400, jitterSample: undefined, allowed: true,
 * };
 * ```
 */
export interface RestartExplanation {
  /** The supervisor's strategy. */
  readonly strategy: Strategy;
  /** Restarts in the intensity window before this one. */
  readonly restartsBefore: number;
  /** Restarts in the window counting this one. */
  readonly restartsAfter: number;
  /** The limit, when the supervisor has an intensity. */
  readonly maxRestarts?: number;
  /** The window, when the supervisor has an intensity. */
  readonly periodMs?: number;
  /** The backoff delay chosen. */
  readonly delayMs: number;
  /** The backoff base before jitter. */
  readonly baseMs: number | undefined;
  /** The random sample the jitter used. */
  readonly jitterSample: number | undefined;
  /** False when the restart exceeded the intensity: the supervisor gives up instead. */
  readonly allowed: boolean;
  /**
   * Present when this failure began a new failure streak because the failed attempt had stayed
   * up for at least the child's `resetAfterMs`: the backoff started again from its first delay.
   */
  readonly streakReset?: StreakReset;
}

/** The next attempt is scheduled after `delayMs`. */
export interface BackoffScheduled extends AttemptBase {
  readonly kind: 'BackoffScheduled';
  readonly delayMs: number;
  readonly backoffSource: 'success' | 'failure';
  readonly reason?: string;
  /** What decided a restart after a failure. */
  readonly explanation?: RestartExplanation;
}
/** The policy allows no further attempt: the child is done (completed, failed or cancelled). */
export interface ActorExhausted extends EventBase {
  readonly kind: 'ActorExhausted';
  readonly outcome: TaskOutcomeKind;
  readonly reason?: string;
  readonly exitCode?: number;
}
/** The child ended for good by a fatal error, an invalid configuration or a force-abort. */
export interface ActorDead extends EventBase {
  readonly kind: 'ActorDead';
  readonly outcome: TaskOutcomeKind;
  readonly reason: string;
  readonly exitCode?: number;
}
/** A supervisor applies its strategy; `affected` are the paths it stops and restarts. */
export interface SupervisorRestarting extends EventBase {
  readonly kind: 'SupervisorRestarting';
  readonly strategy: Strategy;
  readonly affected: readonly string[];
}
/** A supervisor exceeded its restart intensity and gives up. */
export interface IntensityExceeded extends EventBase {
  readonly kind: 'IntensityExceeded';
  readonly restarts: number;
  readonly periodMs: number;
}
/** A child waits for its dependencies. */
export interface DependencyWaiting extends EventBase {
  readonly kind: 'DependencyWaiting';
  readonly waitingFor: readonly string[];
}
/** Every dependency of a child is ready. */
export interface DependencyReady extends EventBase {
  readonly kind: 'DependencyReady';
}
/** `add` (or a start) asked for a child. */
export interface TaskAddRequested extends EventBase {
  readonly kind: 'TaskAddRequested';
}
/** The child is registered; its first attempt may start. */
export interface TaskAdded extends EventBase {
  readonly kind: 'TaskAdded';
}
/** The child was not added. */
export interface TaskAddFailed extends EventBase {
  readonly kind: 'TaskAddFailed';
  readonly reason: string;
}
/** `remove` or `cancel` asked for a child to go. */
export interface TaskRemoveRequested extends EventBase {
  readonly kind: 'TaskRemoveRequested';
}
/** Last event of every child: it is gone and its name is free. */
export interface TaskRemoved extends EventBase {
  readonly kind: 'TaskRemoved';
}
/** Shutdown began. */
export interface ShutdownRequested extends EventBase {
  readonly kind: 'ShutdownRequested';
}
/** Shutdown verdict: every child stopped before the deadline. */
export interface AllStoppedWithinGrace extends EventBase {
  readonly kind: 'AllStoppedWithinGrace';
}
/** Shutdown verdict: some children were force-aborted. */
export interface GraceExceeded extends EventBase {
  readonly kind: 'GraceExceeded';
  readonly stuck: readonly string[];
}
/** A subscriber's buffer was full: `dropped` events were lost for it since its previous report. */
export interface SubscriberOverflow extends EventBase {
  readonly kind: 'SubscriberOverflow';
  readonly subscriber: string;
  readonly dropped: number;
}
/** A subscriber threw (or its async `next` rejected); it keeps receiving. */
export interface SubscriberPanicked extends EventBase {
  readonly kind: 'SubscriberPanicked';
  readonly subscriber: string;
  readonly reason: string;
}
/** A submission was admitted to a slot (started or queued). */
export interface ControllerSubmitted extends EventBase {
  readonly kind: 'ControllerSubmitted';
  readonly slot: string;
  readonly admission: 'queue' | 'replace' | 'drop-if-running';
  readonly depth: number;
}
/** A submission was refused. */
export interface ControllerRejected extends EventBase {
  readonly kind: 'ControllerRejected';
  readonly slot: string;
  readonly reason: string;
}
/** A slot changed state. */
export interface ControllerSlotTransition extends EventBase {
  readonly kind: 'ControllerSlotTransition';
  readonly slot: string;
  readonly from: string;
  readonly to: string;
}

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
