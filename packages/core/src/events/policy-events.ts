/**
 * The policy group of DESIGN.md §4: what the restart policy decided after an attempt
 * (`BackoffScheduled`, or the final `ActorExhausted` / `ActorDead`), and what decided it.
 *
 * @module
 */
import type { AttemptBase, EventBase, Strategy, TaskOutcomeKind } from './event-base.ts';

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
