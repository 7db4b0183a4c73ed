/**
 * The task machine's types: what it is given (its input, environment and policy), the events it
 * takes, its context, what it tells its supervisor, and the type of its actions (which live in
 * the files named after their job: attempt-actions.ts, record-actions.ts, publish-actions.ts).
 */
import type { ActionFunction } from 'xstate';
import type { EventDraft, RestartExplanation, TerminateReason } from '../events.ts';
import type { TaskOutcome } from '../outcome.ts';
import type { BackoffPolicy } from '../policies/backoff.ts';
import type { RestartDecision, RestartPolicy } from '../policies/restart.ts';
import type { Clock, RandomSource } from '../clock.ts';
import type { RunnerExit } from '../runner.ts';
import type { TaskWork } from '../spec/task.ts';
import type { AttemptNotice } from '../attempt/attempt-context.ts';
import type { LiveAttempt } from '../attempt/live-attempt.ts';
import type { attemptLogic } from '../attempt/attempt-actor.ts';

/** Limits running attempts: `acquire` calls `granted(release)` once a slot is free. */
export interface SlotLimiter {
  /** Asks for a slot; returns a function that withdraws the request (no-op once granted). */
  acquire(granted: (release: () => void) => void): () => void;
}

/** What a task machine needs from its supervisor. Shared by all its tasks. */
export interface TaskEnvironment {
  /** Records an event of the current step (published right after it). */
  readonly publish: (draft: EventDraft) => void;
  /** Publishes at once: for output and reports from a running attempt, outside any step. */
  readonly publishNow: (draft: EventDraft) => void;
  readonly random: RandomSource;
  readonly clock: Clock;
  /** The supervisor clock's current time, for run times. */
  readonly now: () => number;
  readonly slots: SlotLimiter | undefined;
  /** Called when an attempt reports readiness (dependencies use it). */
  readonly onReady: ((path: string) => void) | undefined;
  /** Runs `effect` once the current step of the machine has finished (never inside an action). */
  readonly defer: (effect: () => void) => void;
}

/** A `retry` decision. */
export type RetryDecision = Extract<RestartDecision, { kind: 'retry' }>;

/**
 * What a task tells its supervisor (its XState parent) when an attempt failed and its own
 * policy would restart it: the supervisor's transition that takes this event decides whether
 * the restart counts, which children the strategy affects, and whether to give up. Until a
 * `task.hold` or `task.deny` says otherwise, the task waits out its backoff as decided.
 */
export interface ChildFailed {
  readonly type: 'child.failed';
  readonly path: string;
  readonly attempt: number;
  /** What the task's policy decided: the backoff delay and how it was chosen. */
  readonly decision: RetryDecision;
  /** Why the attempt failed (for BackoffScheduled). */
  readonly reason: string;
  /** The supervisor clock's time of the failure. */
  readonly at: number;
}

/** What a task tells its supervisor when a strategy stop has parked it in `backoff`. */
export interface ChildParked {
  readonly type: 'child.parked';
  readonly path: string;
}

/** The resolved policy of one child. */
export interface TaskPolicy {
  readonly restart: RestartPolicy;
  readonly backoff: BackoffPolicy;
  readonly maxRetries: number | undefined;
  /** A failure after this much run time begins a new streak. */
  readonly resetAfterMs: number;
  readonly timeoutMs: number;
  /** The child's grace: a stop (or a timeout, a missed heartbeat) force-aborts after it. */
  readonly graceMs: number;
  /** The heartbeat watchdog's timeout; 0 = none. */
  readonly heartbeatTimeoutMs: number;
}

/** Input of the task machine. */
export interface TaskMachineInput {
  readonly name: string;
  readonly path: string;
  readonly work: TaskWork;
  readonly policy: TaskPolicy;
  readonly env: TaskEnvironment;
  /** When true the task waits in `idle` for `task.release` (dependencies). */
  readonly gated: boolean;
}

/** A request to stop the current attempt (or the whole task). */
export interface StopRequest {
  readonly reason: TerminateReason;
  readonly graceMs: number;
  /**
   * `exit`: end the task; `restart`: start a fresh attempt at once (a user restart); `hold`:
   * wait in `backoff` until `task.resume` (a strategy restart by the supervisor).
   */
  readonly then: 'exit' | 'restart' | 'hold';
}

/** Events the task machine accepts. */
export type TaskMachineEvent =
  | { readonly type: 'task.release' }
  | { readonly type: 'slot.granted' }
  | ({ readonly type: 'task.stop' } & StopRequest)
  | AttemptNotice
  | { readonly type: 'attempt.timeout'; readonly attempt: number }
  | { readonly type: 'attempt.heartbeatMissed'; readonly attempt: number; readonly reason: string }
  | { readonly type: 'backoff.elapsed'; readonly attempt: number }
  | { readonly type: 'stop.graceElapsed'; readonly attempt: number }
  | { readonly type: 'task.resume' }
  | { readonly type: 'task.hold' }
  | { readonly type: 'task.deny'; readonly explanation: RestartExplanation }
  | { readonly type: 'attempt.done'; readonly actorId: string; readonly output: unknown }
  | { readonly type: 'attempt.error'; readonly actorId: string; readonly error: unknown };

/** The task machine's context: plain data, except `live` (the current attempt's handles). */
export interface TaskMachineContext {
  readonly input: TaskMachineInput;
  readonly live: LiveAttempt;
  readonly gated: boolean;
  readonly attempt: number;
  readonly failureStreak: number;
  /** The external stop request in force, if any. */
  readonly stop: StopRequest | undefined;
  /** The current attempt was stopped by its timeout. */
  readonly timedOut: boolean;
  /** Why the current attempt's heartbeat watchdog stopped it, if it did. */
  readonly heartbeatMissed: string | undefined;
  /** The current (or just ended) attempt's run time, from its TaskStarted; set when it ends. */
  readonly durationMs: number;
  /** The current attempt was abandoned after its grace. */
  readonly forced: boolean;
  /** How the current attempt ended, as its runner reported it. */
  readonly exit: RunnerExit | undefined;
  /** What the last successful attempt returned. */
  readonly output: unknown;
  readonly decision: RestartDecision | undefined;
  /** What decided the pending restart (for BackoffScheduled and `explain`). */
  readonly explanation: RestartExplanation | undefined;
  /** In `backoff`, waiting for the supervisor's `task.resume` before the delay starts. */
  readonly held: boolean;
  readonly outcome: TaskOutcome | undefined;
}

/** The actors the task machine provides by name: its attempts' runner. */
export interface TaskActors {
  readonly src: 'attemptRunner';
  readonly logic: typeof attemptLogic;
  readonly id: string | undefined;
}

/**
 * One of the task machine's actions, written outside `setup()`: it reads the machine's context
 * and events and may spawn its attempts' runner. Its type parameters are what `setup()` gives an
 * inline action, so moving an action between files changes nothing at run time.
 */
export type TaskAction = ActionFunction<
  TaskMachineContext,
  TaskMachineEvent,
  TaskMachineEvent,
  undefined,
  TaskActors,
  never,
  never,
  never,
  never
>;
