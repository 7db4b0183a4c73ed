/**
 * What every event has in common: `seq`, `at`, `task` (and `attempt` for an attempt's events),
 * and the small vocabularies several event groups share (stop reasons, outcomes, strategies).
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
