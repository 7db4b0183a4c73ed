/**
 * How the end of an attempt reads: why it failed, what the task's outcome is, what follows it
 * (retry, exhausted, dead), and the stop in force (its grace, its abort reason, its stop reason).
 * Pure functions over the task machine's context and events; the actions call them.
 */
import type { StopReason, TaskOutcomeKind } from '../events.ts';
import type { TaskOutcome } from '../outcome.ts';
import type { RestartDecision } from '../policies/restart.ts';
import { decideRestart } from '../policies/restart.ts';
import type { RunnerExit } from '../runner.ts';
import { describeThrown, toError } from '../foreign.ts';
import type { TaskMachineContext, TaskMachineEvent } from './task-types.ts';

/** The reason of an attempt abandoned after its grace (its outcome `force-aborted`, or its failure). */
export const FORCE_REASON = 'task did not stop within grace; force-aborted';

/**
 * The reason, exit code and error of the current attempt's failure (for events and outcomes).
 *
 * @example
 * ```ts
 * const { reason, exitCode } = failureOf(context); // e.g. 'timed out after 500ms'
 * ```
 */
export function failureOf(context: TaskMachineContext): { reason: string; exitCode?: number; signal?: string; error?: Error } {
  if (context.timedOut) return { reason: `timed out after ${context.input.policy.timeoutMs}ms` };
  const exit = context.exit;
  if (context.heartbeatMissed !== undefined) {
    const how: { reason: string; exitCode?: number; signal?: string } = { reason: context.heartbeatMissed };
    if ((exit?.kind === 'failed' || exit?.kind === 'fatal') && exit.exitCode !== undefined) how.exitCode = exit.exitCode;
    if (exit?.kind === 'failed' && exit.signal !== undefined) how.signal = exit.signal;
    return how;
  }
  if (exit === undefined) return { reason: FORCE_REASON };
  switch (exit.kind) {
    case 'failed':
    case 'fatal': {
      const result: { reason: string; exitCode?: number; signal?: string; error?: Error } = { reason: exit.reason };
      if (exit.exitCode !== undefined) result.exitCode = exit.exitCode;
      if (exit.kind === 'failed' && exit.signal !== undefined) result.signal = exit.signal;
      if (exit.error !== undefined) result.error = exit.error;
      return result;
    }
    case 'invalid':
      return { reason: exit.message };
    case 'completed':
      return { reason: 'completed' };
  }
}

/**
 * The task's outcome of kind `kind` after the current attempt; `reason` overrides the failure's.
 *
 * @example
 * ```ts
 * const outcome = outcomeOf(context, 'fatal', undefined); // { kind: 'fatal', reason, exitCode? }
 * ```
 */
export function outcomeOf(context: TaskMachineContext, kind: TaskOutcomeKind, reason: string | undefined): TaskOutcome {
  const failure = kind === 'completed' || kind === 'cancelled' ? undefined : failureOf(context);
  const outcome: {
    kind: TaskOutcomeKind;
    reason?: string;
    exitCode?: number;
    error?: Error;
    output?: unknown;
    stderrTail?: readonly string[];
    cause?: TaskOutcome;
  } = { kind };
  const why = reason ?? failure?.reason;
  if (why !== undefined) outcome.reason = why;
  if (failure?.exitCode !== undefined) outcome.exitCode = failure.exitCode;
  if (kind === 'completed' && context.exit?.kind === 'completed' && context.exit.exitCode !== undefined) {
    outcome.exitCode = context.exit.exitCode;
  }
  if (failure?.error !== undefined) outcome.error = failure.error;
  const exit = context.exit;
  if ((exit?.kind === 'failed' || exit?.kind === 'fatal') && exit.stderrTail !== undefined) outcome.stderrTail = exit.stderrTail;
  if (kind === 'failed' && context.exit?.kind === 'failed' && context.exit.cause !== undefined) outcome.cause = context.exit.cause;
  if (context.output !== undefined) outcome.output = context.output;
  return outcome;
}

/**
 * Decides what follows the current attempt: a stop request's own decision, else the task's
 * restart policy over how the attempt ended.
 *
 * @example
 * ```ts
 * if (decide(context).kind === 'retry') armBackoff();
 * ```
 */
export function decide(context: TaskMachineContext): RestartDecision {
  const { stop, input } = context;
  if (stop !== undefined) {
    // A restart (user or strategy) still happens when the old attempt had to be abandoned.
    if (stop.then !== 'exit') {
      return {
        kind: 'retry',
        delayMs: 0,
        backoffSource: stop.then === 'hold' ? 'failure' : 'success',
        failureStreak: stop.then === 'hold' ? context.failureStreak : 0,
        jitterSample: undefined,
        baseMs: undefined,
      };
    }
    return context.forced ? { kind: 'dead', outcome: 'fatal' } : { kind: 'exhausted', outcome: 'cancelled', retryLimitReached: false };
  }
  const exit = context.exit;
  const result = context.timedOut || context.heartbeatMissed !== undefined
    ? 'failure'
    : exit === undefined
      ? 'failure'
      : exit.kind === 'completed'
        ? 'success'
        : exit.kind === 'failed'
          ? 'failure'
          : 'fatal';
  return decideRestart({
    policy: input.policy.restart,
    result,
    failureStreak: context.failureStreak,
    maxRetries: input.policy.maxRetries,
    backoff: input.policy.backoff,
    random: input.env.random,
    uptimeMs: context.durationMs,
    resetAfterMs: input.policy.resetAfterMs,
  });
}

/**
 * The runner's exit carried by the attempt actor's done event.
 *
 * @example
 * ```ts
 * exitOf({ type: 'attempt.done', actorId: 'app/web#1', output: undefined }); // { kind: 'completed' }
 * ```
 */
export function exitOf(event: TaskMachineEvent): RunnerExit | undefined {
  return event.type === 'attempt.done' ? ((event.output as RunnerExit | undefined) ?? { kind: 'completed' }) : undefined;
}

/**
 * The failure of an attempt actor that errored (a runner never rejects: this is a crash).
 *
 * @example
 * ```ts
 * crashOf({ type: 'attempt.error', actorId: 'app/web#1', error }); // { kind: 'failed', reason: 'attempt crashed: ...' }
 * ```
 */
export function crashOf(event: TaskMachineEvent): RunnerExit {
  const thrown = event.type === 'attempt.error' ? event.error : undefined;
  return { kind: 'failed', reason: `attempt crashed: ${describeThrown(thrown)}`, error: toError(thrown) };
}

/**
 * The grace of the stop in force: its request's, else (a timeout, a missed heartbeat) the child's.
 *
 * @example
 * ```ts
 * const force = graceOf(context) <= 0; // abandon the attempt at once
 * ```
 */
export function graceOf(context: TaskMachineContext): number {
  return context.stop?.graceMs ?? context.input.policy.graceMs;
}

/**
 * Why the framework aborts the current attempt's signal.
 *
 * @example
 * ```ts
 * attemptContext.abort(abortReason(abortKindOf(context)));
 * ```
 */
export function abortKindOf(context: TaskMachineContext): 'timeout' | 'heartbeat' | 'stopped' {
  if (context.stop !== undefined) return 'stopped';
  if (context.timedOut) return 'timeout';
  return context.heartbeatMissed === undefined ? 'stopped' : 'heartbeat';
}

/**
 * The stop reason of the current attempt's TaskStopped: `finished`, or the stop request's.
 *
 * @example
 * ```ts
 * terminateOf(context); // 'finished' | { terminated: 'user-requested' } ...
 * ```
 */
export function terminateOf(context: TaskMachineContext): StopReason {
  return context.stop === undefined ? 'finished' : { terminated: context.stop.reason };
}
