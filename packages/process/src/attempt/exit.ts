/**
 * Exit classification: how the end of an attempt (the leader's exit code or signal, a failure of
 * the attempt's own, who asked for a signal) becomes the {@link RunnerExit} core sees.
 *
 * @module
 */
import type { RunnerExit } from '@statevisor/core';
import type { ResolvedProcessConfig } from '../config.ts';
import { ProcessExitError } from '../errors.ts';
import { killedBy, reasonOf } from './exit-reason.ts';

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

/**
 * Everything an attempt knows about its end.
 *
 * @example
 * ```ts
 * const end: AttemptEnd = { leaderExit: { code: 3, signal: null }, failure: undefined, stopped: false, sentSignals: undefined, stderrTail: ['boom'] };
 * ```
 */
export interface AttemptEnd {
  /** Undefined when the leader's exit was never seen. */
  readonly leaderExit: LeaderExit | undefined;
  /** The attempt's own reason to fail, if any: it wins over the exit status. */
  readonly failure: AttemptFailure | undefined;
  /** The framework asked for a stop (or a kill): a death by signal is no surprise, and no exit is fatal. */
  readonly stopped: boolean;
  /** The signals sent with `signal()` during the attempt, if any. */
  readonly sentSignals: ReadonlySet<string> | undefined;
  /** The last stderr lines, undefined when there were none. */
  readonly stderrTail: readonly string[] | undefined;
}

const NO_LEADER_EXIT: LeaderExit = { code: null, signal: null };

/**
 * Classifies an attempt's end. A natural exit with a code in `successExitCodes` completes; one in
 * `fatalExitCodes` (unless the framework was stopping the process) is fatal; a failure of the
 * attempt's own, any other code, or a signal fails it (retryable). A failure's `reason` names the
 * command line, how it ended and the last stderr line; its `error` is a {@link ProcessExitError}
 * (or the attempt's own error).
 *
 * @example
 * ```ts
 * attemptExit(resolveProcessConfig({ command: 'sh', args: ['-c', 'exit 3'] }), {
 *   leaderExit: { code: 3, signal: null }, failure: undefined, stopped: false, sentSignals: undefined, stderrTail: ['boom'],
 * });
 * // { kind: 'failed', reason: 'sh -c "exit 3" exited with code 3: boom', exitCode: 3, stderrTail: ['boom'], error: ProcessExitError }
 * ```
 */
export function attemptExit(config: ResolvedProcessConfig, end: AttemptEnd): RunnerExit {
  const leader = end.leaderExit ?? NO_LEADER_EXIT;
  const stderrTail = end.stderrTail === undefined ? [] : [...end.stderrTail];
  const how: { exitCode?: number; signal?: string } = {};
  if (leader.code !== null) how.exitCode = leader.code;
  if (leader.signal !== null) how.signal = leader.signal;
  const failure = end.failure;
  if (failure !== undefined) {
    return { kind: 'failed', reason: failure.reason, error: failure.error, stderrTail, ...how };
  }
  const code = leader.code;
  if (code !== null && config.successExitCodes.includes(code)) return { kind: 'completed', exitCode: code };
  const fatal = code !== null && !end.stopped && config.fatalExitCodes.includes(code);
  const reason = reasonOf(config.commandLine, endedHow(leader, end, fatal), stderrTail);
  const error = new ProcessExitError(reason, {
    command: config.command,
    args: config.args,
    exitCode: how.exitCode,
    signal: how.signal,
    stderrTail,
  });
  if (fatal) return { kind: 'fatal', reason, error, stderrTail, exitCode: code };
  return { kind: 'failed', reason, error, stderrTail, ...how };
}

/** `exited with code 3`, `was killed by SIGSEGV, which nobody asked for`, ... */
function endedHow(leader: LeaderExit, end: AttemptEnd, fatal: boolean): string {
  if (leader.code !== null) return fatal ? `exited with code ${leader.code}, listed in fatalExitCodes` : `exited with code ${leader.code}`;
  const signal = leader.signal;
  if (signal === null) return end.stopped ? 'was stopped' : 'ended without an exit status';
  if (end.stopped) return killedBy(signal, 'stop');
  return killedBy(signal, end.sentSignals?.has(signal) === true ? 'user' : undefined);
}
