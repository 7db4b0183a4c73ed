/**
 * The attempt group of DESIGN.md §4: one attempt's life, from `TaskStarting` to its one terminal
 * event, with its output and the notices in between.
 *
 * @module
 */
import type { AttemptBase, OutputStream, StopReason } from './event-base.ts';

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
/**
 * A control action was applied to a running process: `pause`, `resume`, `stop`, or `signal`
 * (any signal sent to the whole group with `app.child(name).signal(name)`, named in `signal`).
 */
export interface ProcessControl extends AttemptBase {
  readonly kind: 'ProcessControl';
  readonly action: ControlAction;
  /** For `action: 'signal'`: the signal sent, e.g. `SIGHUP`. */
  readonly signal?: string;
}
/**
 * What a `ProcessControl` event reports.
 *
 * @example
 * ```ts
 * const action: ControlAction = 'signal';
 * ```
 */
export type ControlAction = 'pause' | 'resume' | 'stop' | 'signal';
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
 * A notice between `TaskStarted` and the attempt's terminal event: this process group was
 * spawned by the host itself because the process helper (which holds every group so that none
 * outlives the host) is not available. The group still ends with its attempt and on any `exit`
 * of the host, but not if the host is killed (SIGKILL, or a signal without handlers).
 *
 * @example
 * ```ts
 * app.events$.pipe(ofKind('ProcessHelperUnavailable')).subscribe((event) => console.warn(event.reason));
 * ```
 */
export interface ProcessHelperUnavailable extends AttemptBase {
  readonly kind: 'ProcessHelperUnavailable';
  /** Why, e.g. `the process helper could not start (it exited with code 1)`. */
  readonly reason: string;
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
