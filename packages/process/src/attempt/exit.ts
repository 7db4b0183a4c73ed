/**
 * Exit classification: how the end of an attempt (the leader's exit code or signal, a failure of
 * the attempt's own, whether a stop was asked for) becomes the {@link RunnerExit} core sees.
 *
 * @module
 */
import type { RunnerExit } from '@statevisor/core';

/**
 * How the group's leader exited, as its `'exit'` event says.
 *
 * @example
 * ```ts
 * const leader: LeaderExit = { code: null, signal: 'SIGTERM' };
 * ```
 */
export interface LeaderExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A reason of the attempt's own to end as a failure (ready timeout, read error), whatever the
 * exit code.
 *
 * @example
 * ```ts
 * const failure: AttemptFailure = { reason: error.message, error };
 * ```
 */
export interface AttemptFailure {
  readonly reason: string;
  readonly error: Error;
}

const NO_LEADER_EXIT: LeaderExit = { code: null, signal: null };

/**
 * Classifies an attempt's end: exit 0 completes; a failure of the attempt's own, another exit
 * code, or a signal fails it, with a reason that names the command and how it ended.
 *
 * @param command - the user's command, for the reason
 * @param leaderExit - undefined when the leader's exit was never seen
 * @param failure - the attempt's own reason to fail, if any: it wins over the exit code
 * @param stopped - a stop (or a kill) was asked for, so a death by signal is no surprise
 * @param tail - the last stderr lines, undefined when there were none
 *
 * @example
 * ```ts
 * attemptExit('web', { code: 3, signal: null }, undefined, false, ['boom']);
 * // { kind: 'failed', reason: 'web exited with code 3', stderrTail: ['boom'], exitCode: 3 }
 * ```
 */
export function attemptExit(
  command: string,
  leaderExit: LeaderExit | undefined,
  failure: AttemptFailure | undefined,
  stopped: boolean,
  tail: readonly string[] | undefined,
): RunnerExit {
  const leader = leaderExit ?? NO_LEADER_EXIT;
  const stderrTail = tail === undefined ? [] : [...tail];
  const how: { exitCode?: number; signal?: string } = {};
  if (leader.code !== null) how.exitCode = leader.code;
  if (leader.signal !== null) how.signal = leader.signal;
  if (failure !== undefined) {
    return { kind: 'failed', reason: failure.reason, error: failure.error, stderrTail, ...how };
  }
  if (leader.code === 0) return { kind: 'completed', exitCode: 0 };
  if (leader.code !== null) {
    return { kind: 'failed', reason: `${command} exited with code ${leader.code}`, stderrTail, ...how };
  }
  const by = leader.signal ?? 'an unknown signal';
  const reason = stopped
    ? `${command} was stopped by ${by}`
    : `${command} was killed by ${by}, which nobody asked for`;
  return { kind: 'failed', reason, stderrTail, ...how };
}
