/**
 * The task machine's actions that only change its context: they record how the attempt ended
 * (its exit, a crash, a timeout, a missed heartbeat, a stop request), decide what follows it,
 * and gate or hold the task. No effects: `assign` only.
 */
import { assign } from 'xstate';
import type { RestartDecision } from '../policies/restart.ts';
import type { RunnerExit } from '../runner.ts';
import { describeThrown, toError } from '../foreign.ts';
import { FORCE_REASON, crashOf, decide, exitOf, failureOf, outcomeOf } from './attempt-end.ts';
import type { TaskAction } from './task-types.ts';

/**
 * The actions that record what happened and decide what follows, by the names the machine
 * definition uses.
 *
 * @example
 * ```ts
 * setup({ actions: { ...attemptActions, ...recordActions, ...publishActions } });
 * ```
 */
export const recordActions = {
  ungate: assign({ gated: false }),
  hold: assign({ held: true }),
  holdAtZero: assign({
    held: true,
    decision: ({ context }): RestartDecision => ({
      kind: 'retry',
      delayMs: 0,
      backoffSource: 'failure',
      failureStreak: context.failureStreak,
      jitterSample: undefined,
      baseMs: undefined,
    }),
  }),
  unhold: assign({ held: false }),
  recordExit: assign({ exit: ({ event }) => exitOf(event) }),
  recordActorOutcome: assign({
    exit: ({ event }): RunnerExit => {
      if (event.type === 'attempt.done') return { kind: 'completed', output: event.output };
      const thrown = event.type === 'attempt.error' ? event.error : undefined;
      return { kind: 'failed', reason: describeThrown(thrown), error: toError(thrown) };
    },
  }),
  recordCrash: assign({ exit: ({ event }) => crashOf(event) }),
  recordStop: assign({
    stop: ({ context, event }) => {
      if (event.type !== 'task.stop') return context.stop;
      const previous = context.stop;
      // A stop that ends the task wins over a restart; the shorter grace wins.
      if (previous === undefined) return { reason: event.reason, graceMs: event.graceMs, then: event.then };
      return {
        reason: previous.then === 'exit' ? previous.reason : event.reason,
        graceMs: Math.min(previous.graceMs, event.graceMs),
        then: previous.then === 'exit' || event.then === 'exit' ? 'exit' : 'restart',
      };
    },
  }),
  markTimedOut: assign({ timedOut: true }),
  recordHeartbeatMissed: assign({
    heartbeatMissed: ({ event }) => (event.type === 'attempt.heartbeatMissed' ? event.reason : undefined),
  }),
  decideNext: assign(({ context }) => {
    const decision = decide(context);
    if (decision.kind === 'retry') {
      const held = context.stop?.then === 'hold';
      return { decision, failureStreak: decision.failureStreak, held, explanation: undefined };
    }
    if (decision.kind === 'dead') {
      const forced = context.forced && context.stop !== undefined;
      return {
        decision,
        outcome: forced ? outcomeOf(context, 'force-aborted', FORCE_REASON) : outcomeOf(context, 'fatal', undefined),
      };
    }
    const reason = decision.outcome === 'failed' ? failureOf(context).reason : undefined;
    return { decision, outcome: outcomeOf(context, decision.outcome, reason) };
  }),
  /** The supervisor gave up instead of restarting this task: it ends `failed`. */
  decideDenied: assign(({ context, event }) => ({
    decision: { kind: 'exhausted', outcome: 'failed', retryLimitReached: false } as const,
    explanation: event.type === 'task.deny' ? event.explanation : context.explanation,
    outcome: outcomeOf(context, 'failed', failureOf(context).reason),
  })),
  decideCancelled: assign(({ context }) => ({
    decision: { kind: 'exhausted', outcome: 'cancelled', retryLimitReached: false } as const,
    outcome: outcomeOf(context, 'cancelled', undefined),
  })),
} satisfies Record<string, TaskAction>;
