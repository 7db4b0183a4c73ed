/**
 * The task machine's actions that tell others: the lifecycle events it publishes (recorded in
 * the current step, published right after it) and what it tells its supervisor (`child.failed`,
 * `child.parked`). Output lines never pass through here (see attempt/attempt-context.ts).
 */
import { enqueueActions } from 'xstate';
import type { RestartExplanation, StopReason, TaskOutcomeKind } from '../events.ts';
import { failureOf, terminateOf } from './attempt-end.ts';
import type { ChildFailed, ChildParked, TaskAction } from './task-types.ts';

/**
 * The actions that publish the task's events and report to its supervisor, by the names the
 * machine definition uses.
 *
 * @example
 * ```ts
 * setup({ actions: { ...attemptActions, ...recordActions, ...publishActions } });
 * ```
 */
export const publishActions = {
  publishStarting: ({ context }) => {
    context.input.env.publish({ kind: 'TaskStarting', task: context.input.path, attempt: context.attempt });
  },
  publishReady: ({ context }) => {
    const { env, path } = context.input;
    env.publish({ kind: 'TaskReady', task: path, attempt: context.attempt });
    env.onReady?.(path);
  },
  publishStopped: ({ context }) => {
    const { env, path } = context.input;
    const exit = context.exit;
    const draft: {
      kind: 'TaskStopped';
      task: string;
      attempt: number;
      stopReason: StopReason;
      durationMs: number;
      exitCode?: number;
      signal?: string;
    } = { kind: 'TaskStopped', task: path, attempt: context.attempt, stopReason: terminateOf(context), durationMs: context.durationMs };
    if (exit !== undefined && (exit.kind === 'completed' || exit.kind === 'failed' || exit.kind === 'fatal')) {
      if (exit.exitCode !== undefined) draft.exitCode = exit.exitCode;
      if (exit.kind === 'failed' && exit.signal !== undefined) draft.signal = exit.signal;
    }
    env.publish(draft);
  },
  publishFailure: ({ context }) => {
    const { env, path, policy } = context.input;
    const { attempt, durationMs } = context;
    if (context.timedOut) {
      env.publish({ kind: 'TimeoutHit', task: path, attempt, timeoutMs: policy.timeoutMs, durationMs });
      return;
    }
    const exit = context.exit;
    if (exit?.kind === 'invalid') {
      env.publish({ kind: 'TaskError', task: path, attempt, error: { code: exit.code, message: exit.message } });
      return;
    }
    const failure = failureOf(context);
    const draft: {
      kind: 'TaskFailed';
      task: string;
      attempt: number;
      reason: string;
      durationMs: number;
      exitCode?: number;
      signal?: string;
    } = { kind: 'TaskFailed', task: path, attempt, reason: failure.reason, durationMs };
    if (failure.exitCode !== undefined) draft.exitCode = failure.exitCode;
    if (failure.signal !== undefined) draft.signal = failure.signal;
    env.publish(draft);
  },
  /**
   * A restart after a failure of the task's own is the supervisor's to decide: the task tells
   * it (`child.failed`), and the supervisor's step publishes BackoffScheduled with its
   * explanation. Any other restart (after a success, or one the supervisor or a user asked
   * for) is the task's own BackoffScheduled. A task parked by a strategy stop says so.
   */
  announceBackoff: enqueueActions(({ context, enqueue }) => {
    const decision = context.decision;
    if (decision?.kind !== 'retry') return;
    const { env, path } = context.input;
    if (decision.backoffSource === 'failure' && context.stop === undefined) {
      const failed: ChildFailed = {
        type: 'child.failed',
        path,
        attempt: context.attempt,
        decision,
        reason: failureOf(context).reason,
        at: env.now(),
      };
      enqueue.sendParent(failed);
      return;
    }
    const draft: {
      kind: 'BackoffScheduled';
      task: string;
      attempt: number;
      delayMs: number;
      backoffSource: 'success' | 'failure';
      reason?: string;
      explanation?: RestartExplanation;
    } = { kind: 'BackoffScheduled', task: path, attempt: context.attempt, delayMs: decision.delayMs, backoffSource: decision.backoffSource };
    env.publish(draft);
    if (context.held) enqueue.sendParent({ type: 'child.parked', path } satisfies ChildParked);
  }),
  reportParked: enqueueActions(({ context, enqueue }) => {
    enqueue.sendParent({ type: 'child.parked', path: context.input.path } satisfies ChildParked);
  }),
  publishExhausted: ({ context }) => {
    const outcome = context.outcome;
    if (outcome === undefined) return;
    const draft: { kind: 'ActorExhausted'; task: string; outcome: TaskOutcomeKind; reason?: string; exitCode?: number } = {
      kind: 'ActorExhausted',
      task: context.input.path,
      outcome: outcome.kind,
    };
    if (outcome.reason !== undefined) draft.reason = outcome.reason;
    if (outcome.exitCode !== undefined) draft.exitCode = outcome.exitCode;
    context.input.env.publish(draft);
  },
  publishDead: ({ context }) => {
    const outcome = context.outcome;
    if (outcome === undefined) return;
    const draft: { kind: 'ActorDead'; task: string; outcome: TaskOutcomeKind; reason: string; exitCode?: number } = {
      kind: 'ActorDead',
      task: context.input.path,
      outcome: outcome.kind,
      reason: outcome.reason ?? outcome.kind,
    };
    if (outcome.exitCode !== undefined) draft.exitCode = outcome.exitCode;
    context.input.env.publish(draft);
  },
} satisfies Record<string, TaskAction>;
