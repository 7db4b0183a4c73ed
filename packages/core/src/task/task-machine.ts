/**
 * The task machine (id `task`): one per child, created by the supervisor. Its states are
 * top-level so every tool draws them; each attempt runs as a fresh child actor (`attempt`).
 *
 *   idle → starting → running → ready → stopped | failed → backoff → idle ...
 *                                       stopping (on request or timeout)
 *   final: exhausted (no more attempts) | dead (fatal, invalid, force-aborted)
 *
 * Lifecycle events are published from the machine's actions; output lines never pass
 * through it (see attempt.ts).
 */
import { and, assign, not, enqueueActions, setup } from 'xstate';
import type { AnyActorLogic, AnyActorRef } from 'xstate';
import type { EventDraft, RestartExplanation, StopReason, TaskOutcomeKind, TerminateReason } from '../events.ts';
import type { TaskOutcome } from '../outcome.ts';
import type { BackoffPolicy } from '../policies/backoff.ts';
import type { RestartDecision, RestartPolicy } from '../policies/restart.ts';
import { decideRestart } from '../policies/restart.ts';
import type { Clock, RandomSource } from '../clock.ts';
import { cancelTimer } from '../clock.ts';
import type { RunnerExit } from '../runner.ts';
import { describeThrown, toError } from '../foreign.ts';
import type { TaskWork } from '../spec/task.ts';
import type { AttemptNotice } from '../attempt/attempt.ts';
import { AttemptContext, LiveAttempt, abortReason, attemptLogic } from '../attempt/attempt.ts';
import { watchHeartbeat } from '../attempt/heartbeat-watchdog.ts';
import { withChildEnds } from './child-end-filter.ts';

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

/** The id of attempt `attempt` of the task at `path`, as the inspector shows it. */
export function attemptIdOf(path: string, attempt: number): string {
  return `${path}#${attempt}`;
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

interface TaskMachineContext {
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

const FORCE_REASON = 'task did not stop within grace; force-aborted';

/** The reason, exit code and error of the current attempt's failure (for events and outcomes). */
function failureOf(context: TaskMachineContext): { reason: string; exitCode?: number; signal?: string; error?: Error } {
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

function outcomeOf(context: TaskMachineContext, kind: TaskOutcomeKind, reason: string | undefined): TaskOutcome {
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
  if (context.exit?.kind === 'failed' && context.exit.stderrTail !== undefined) outcome.stderrTail = context.exit.stderrTail;
  if (kind === 'failed' && context.exit?.kind === 'failed' && context.exit.cause !== undefined) outcome.cause = context.exit.cause;
  if (context.output !== undefined) outcome.output = context.output;
  return outcome;
}

/** Decides what follows the current attempt. */
function decide(context: TaskMachineContext): RestartDecision {
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

/** The runner's exit carried by the attempt actor's done event. */
function exitOf(event: TaskMachineEvent): RunnerExit | undefined {
  return event.type === 'attempt.done' ? ((event.output as RunnerExit | undefined) ?? { kind: 'completed' }) : undefined;
}

/** The failure of an attempt actor that errored (a runner never rejects: this is a crash). */
function crashOf(event: TaskMachineEvent): RunnerExit {
  const thrown = event.type === 'attempt.error' ? event.error : undefined;
  return { kind: 'failed', reason: `attempt crashed: ${describeThrown(thrown)}`, error: toError(thrown) };
}

/** The grace of the stop in force: its request's, else (a timeout, a missed heartbeat) the child's. */
function graceOf(context: TaskMachineContext): number {
  return context.stop?.graceMs ?? context.input.policy.graceMs;
}

/** Why the framework aborts the current attempt's signal. */
function abortKindOf(context: TaskMachineContext): 'timeout' | 'heartbeat' | 'stopped' {
  if (context.stop !== undefined) return 'stopped';
  if (context.timedOut) return 'timeout';
  return context.heartbeatMissed === undefined ? 'stopped' : 'heartbeat';
}

function terminateOf(context: TaskMachineContext): StopReason {
  return context.stop === undefined ? 'finished' : { terminated: context.stop.reason };
}

/**
 * How an attempt ends, the same in `starting`, `running` and `ready`: its actor finishes or
 * errors, its timeout fires, or a stop is requested. XState actors (`isActorWork`) stop at once.
 */
const whileAttemptRuns = {
  'attempt.done': [
    { guard: 'isActorWork', target: 'stopped', actions: 'recordActorOutcome' },
    { guard: 'exitCompleted', target: 'stopped', actions: 'recordExit' },
    { target: 'failed', actions: 'recordExit' },
  ],
  'attempt.error': [
    { guard: 'isActorWork', target: 'failed', actions: 'recordActorOutcome' },
    { target: 'failed', actions: 'recordCrash' },
  ],
  'attempt.timeout': [
    { guard: and(['isActorWork', 'isCurrentAttempt']), target: 'failed', actions: ['markTimedOut', 'stopAttemptActor'] },
    { guard: 'isCurrentAttempt', target: 'stopping', actions: 'markTimedOut' },
  ],
  'attempt.heartbeatMissed': { guard: 'isCurrentAttempt', target: 'stopping', actions: 'recordHeartbeatMissed' },
  'task.stop': [
    { guard: 'isActorWork', target: 'stopped', actions: ['recordStop', 'stopAttemptActor'] },
    { target: 'stopping', actions: 'recordStop' },
  ],
} as const;

/** The task machine. Create one actor per child incarnation with `parent` = its supervisor. */
export const taskMachine = setup({
  types: {
    context: {} as TaskMachineContext,
    events: {} as TaskMachineEvent,
    input: {} as TaskMachineInput,
    output: {} as TaskOutcome,
  },
  actors: { attemptRunner: attemptLogic },
  guards: {
    isGated: ({ context }) => context.gated,
    isActorWork: ({ context }) => context.input.work.kind === 'actor',
    startedReady: ({ event }) => event.type === 'attempt.started' && event.ready,
    isCurrentAttempt: ({ context, event }) => 'attempt' in event && event.attempt === context.attempt,
    exitCompleted: ({ event }) =>
      event.type === 'attempt.done' && (event.output as RunnerExit | undefined)?.kind === 'completed',
    stopIsExternal: ({ context }) => context.stop !== undefined,
    stopIsRestart: ({ event }) => event.type === 'task.stop' && event.then === 'restart',
    graceIsZero: ({ context }) => graceOf(context) <= 0,
    decidedRetry: ({ context }) => context.decision?.kind === 'retry',
    isHeld: ({ context }) => context.held,
    stopIsHold: ({ event }) => event.type === 'task.stop' && event.then === 'hold',
    decidedDead: ({ context }) => context.decision?.kind === 'dead',
  },
  actions: {
    requestSlot: enqueueActions(({ context, self, enqueue }) => {
      if (context.gated) return;
      const { slots } = context.input.env;
      if (slots === undefined) {
        enqueue.raise({ type: 'slot.granted' });
        return;
      }
      const live = context.live;
      live.cancelSlotWait = slots.acquire((release) => {
        live.cancelSlotWait = undefined;
        live.releaseSlot = release;
        self.send({ type: 'slot.granted' });
      });
    }),
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
    cancelSlotWait: ({ context }) => {
      const { live } = context;
      live.cancelSlotWait?.();
      live.cancelSlotWait = undefined;
      live.releaseSlot?.();
      live.releaseSlot = undefined;
    },
    beginAttempt: assign(({ context }) => ({
      attempt: context.attempt + 1,
      stop: undefined,
      timedOut: false,
      heartbeatMissed: undefined,
      durationMs: 0,
      forced: false,
      exit: undefined,
      decision: undefined,
    })),
    publishStarting: ({ context }) => {
      context.input.env.publish({ kind: 'TaskStarting', task: context.input.path, attempt: context.attempt });
    },
    spawnAttempt: enqueueActions(({ context, enqueue, self }) => {
      const { input, live, attempt } = context;
      const work = input.work;
      const { env } = input;
      const attemptContext = new AttemptContext(
        {
          name: input.name,
          path: input.path,
          task: self as AnyActorRef,
          live,
          graceMs: input.policy.graceMs,
          clock: env.clock,
          publish: env.publishNow,
          runner: work.kind === 'runner' ? work.runner : undefined,
        },
        attempt,
      );
      live.attempt = attempt;
      live.active = true;
      live.context = attemptContext;
      // User and nested logic are not this machine's provided actors; XState's types only allow
      // an id for provided ones, so widen the signature (the runtime accepts any logic).
      const spawnLogic = enqueue.spawnChild as unknown as (
        src: AnyActorLogic,
        options: { id: string; input?: unknown },
      ) => void;
      const id = attemptIdOf(input.path, attempt);
      if (work.kind === 'runner') {
        enqueue.spawnChild('attemptRunner', { id, input: attemptContext });
      } else if (work.kind === 'nested') {
        const nested = work.create(attemptContext);
        spawnLogic(nested.logic, { id, input: nested.input });
      } else {
        spawnLogic(work.logic, { id, input: work.input });
        enqueue.raise({ type: 'attempt.started', attempt, pid: undefined, ready: true });
      }
      // Timers run on the supervisor's clock directly (not as XState delayed events), so a
      // tree of many tasks never walks a shared scheduler when one of them stops.
      const { timeoutMs } = input.policy;
      if (timeoutMs > 0) {
        const { clock } = input.env;
        live.timeoutTimer = clock.setTimeout(() => {
          live.timeoutTimer = undefined;
          self.send({ type: 'attempt.timeout', attempt });
        }, timeoutMs);
      }
    }),
    publishStarted: ({ context, event, self }) => {
      const { live, input } = context;
      live.startedAt = input.env.now();
      const { heartbeatTimeoutMs } = input.policy;
      if (heartbeatTimeoutMs > 0) {
        const attempt = context.attempt;
        live.watchdog = watchHeartbeat({ ...input.env, path: input.path, heartbeatTimeoutMs }, live, attempt, (reason) => {
          self.send({ type: 'attempt.heartbeatMissed', attempt, reason });
        });
      }
      const pid = event.type === 'attempt.started' ? event.pid : undefined;
      context.input.env.publish(
        pid === undefined
          ? { kind: 'TaskStarted', task: context.input.path, attempt: context.attempt }
          : { kind: 'TaskStarted', task: context.input.path, attempt: context.attempt, pid },
      );
    },
    publishReady: ({ context }) => {
      const { env, path } = context.input;
      env.publish({ kind: 'TaskReady', task: path, attempt: context.attempt });
      env.onReady?.(path);
    },
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
    abortAttempt: ({ context }) => {
      const { live } = context;
      const attemptContext = live.context;
      live.stopReason = context.stop?.reason;
      // A stop under way is governed by its grace: the watchdog has nothing left to say.
      live.watchdog?.stop();
      live.watchdog = undefined;
      if (attemptContext === undefined || attemptContext.signal.aborted) return;
      const reason = abortReason(abortKindOf(context));
      // A zero grace force-aborts before the abort (a process: SIGKILL, no killSignal first).
      const force = graceOf(context) <= 0;
      const control = live.control;
      // Abort listeners are user code: run them after this step, never inside an action.
      context.input.env.defer(() => {
        if (force) attemptContext.force(control);
        attemptContext.abort(reason);
      });
    },
    abandonAttempt: enqueueActions(({ context, enqueue }) => {
      const { context: attemptContext, control } = context.live;
      if (attemptContext !== undefined) {
        context.input.env.defer(() => {
          attemptContext.force(control);
        });
      }
      enqueue.stopChild(attemptIdOf(context.input.path, context.attempt));
      enqueue.assign({ forced: true });
    }),
    stopAttemptActor: enqueueActions(({ context, enqueue }) => {
      enqueue.stopChild(attemptIdOf(context.input.path, context.attempt));
    }),
    endAttempt: enqueueActions(({ context, enqueue }) => {
      const { live } = context;
      const { env } = context.input;
      live.timeoutTimer = cancelTimer(env.clock, live.timeoutTimer);
      const durationMs = live.startedAt === undefined ? 0 : Math.max(0, env.now() - live.startedAt);
      enqueue.assign({ durationMs });
      live.deactivate();
      // The ended attempt leaves the machine's children (an attempt actor is never reused).
      enqueue.stopChild(attemptIdOf(context.input.path, context.attempt));
      live.releaseSlot?.();
      live.releaseSlot = undefined;
      const exit = context.exit;
      // Only an attempt that ended on its own is a success: one stopped on request or by its
      // timeout is decided by why it was aborted, whatever it then returned.
      if (exit?.kind === 'completed' && context.stop === undefined && !context.timedOut && context.heartbeatMissed === undefined) {
        enqueue.assign({ output: exit.output });
      }
    }),
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
    armBackoff: ({ context, self }) => {
      const decision = context.decision;
      if (context.held || decision?.kind !== 'retry') return;
      const { live } = context;
      const attempt = context.attempt;
      if (decision.delayMs === 0) {
        // A zero delay never waits on the clock, but yields one macrotask to the event loop.
        live.immediate = setImmediate(() => {
          live.immediate = undefined;
          self.send({ type: 'backoff.elapsed', attempt });
        });
        return;
      }
      live.backoffTimer = context.input.env.clock.setTimeout(() => {
        live.backoffTimer = undefined;
        self.send({ type: 'backoff.elapsed', attempt });
      }, decision.delayMs);
    },
    clearBackoff: ({ context }) => {
      const { live } = context;
      if (live.immediate !== undefined) clearImmediate(live.immediate);
      live.immediate = undefined;
      live.backoffTimer = cancelTimer(context.input.env.clock, live.backoffTimer);
    },
    armStopGrace: ({ context, self }) => {
      const graceMs = graceOf(context);
      if (graceMs <= 0) return;
      const { live } = context;
      const attempt = context.attempt;
      live.graceTimer = context.input.env.clock.setTimeout(() => {
        live.graceTimer = undefined;
        self.send({ type: 'stop.graceElapsed', attempt });
      }, graceMs);
    },
    clearStopGrace: ({ context }) => {
      const { live } = context;
      live.graceTimer = cancelTimer(context.input.env.clock, live.graceTimer);
    },
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
  },
}).createMachine({
  id: 'task',
  context: ({ input }) => ({
    input,
    live: new LiveAttempt(),
    gated: input.gated,
    attempt: 0,
    failureStreak: 0,
    stop: undefined,
    timedOut: false,
    heartbeatMissed: undefined,
    durationMs: 0,
    forced: false,
    exit: undefined,
    output: undefined,
    decision: undefined,
    explanation: undefined,
    held: false,
    outcome: undefined,
  }),
  output: ({ context }) => context.outcome ?? { kind: 'cancelled' },
  initial: 'idle',
  states: {
    idle: {
      entry: 'requestSlot',
      on: {
        'task.release': { guard: 'isGated', actions: ['ungate', 'requestSlot'] },
        'slot.granted': { target: 'starting' },
        'task.stop': [
          { guard: 'stopIsHold', target: 'backoff', actions: ['cancelSlotWait', 'holdAtZero', 'reportParked'] },
          { guard: not('stopIsRestart'), target: 'exhausted', actions: ['cancelSlotWait', 'decideCancelled'] },
        ],
      },
    },
    starting: {
      entry: ['beginAttempt', 'publishStarting', 'spawnAttempt'],
      on: {
        'attempt.started': [
          { guard: and(['isCurrentAttempt', 'startedReady']), target: 'ready', actions: ['publishStarted', 'publishReady'] },
          { guard: 'isCurrentAttempt', target: 'running', actions: 'publishStarted' },
        ],
        'attempt.ready': { guard: 'isCurrentAttempt', target: 'ready', actions: 'publishReady' },
        ...whileAttemptRuns,
      },
    },
    running: {
      on: {
        'attempt.ready': { guard: 'isCurrentAttempt', target: 'ready', actions: 'publishReady' },
        ...whileAttemptRuns,
      },
    },
    ready: {
      on: {
        ...whileAttemptRuns,
      },
    },
    stopping: {
      entry: ['abortAttempt', 'armStopGrace'],
      exit: 'clearStopGrace',
      always: [
        { guard: and(['graceIsZero', 'stopIsExternal']), target: 'stopped', actions: 'abandonAttempt' },
        { guard: 'graceIsZero', target: 'failed', actions: 'abandonAttempt' },
      ],
      on: {
        'stop.graceElapsed': [
          { guard: and(['isCurrentAttempt', 'stopIsExternal']), target: 'stopped', actions: 'abandonAttempt' },
          { guard: 'isCurrentAttempt', target: 'failed', actions: 'abandonAttempt' },
        ],
        'attempt.done': [
          { guard: 'stopIsExternal', target: 'stopped', actions: 'recordExit' },
          { target: 'failed', actions: 'recordExit' },
        ],
        'attempt.error': [
          { guard: 'stopIsExternal', target: 'stopped', actions: 'recordCrash' },
          { target: 'failed', actions: 'recordCrash' },
        ],
        'task.stop': { target: 'stopping', reenter: true, actions: 'recordStop' },
      },
    },
    stopped: {
      entry: ['endAttempt', 'publishStopped', 'decideNext'],
      always: [
        { guard: 'decidedRetry', target: 'backoff', actions: 'announceBackoff' },
        { guard: 'decidedDead', target: 'dead' },
        { target: 'exhausted' },
      ],
    },
    failed: {
      entry: ['endAttempt', 'publishFailure', 'decideNext'],
      always: [
        { guard: 'decidedRetry', target: 'backoff', actions: 'announceBackoff' },
        { guard: 'decidedDead', target: 'dead' },
        { target: 'exhausted' },
      ],
    },
    backoff: {
      entry: 'armBackoff',
      exit: 'clearBackoff',
      on: {
        'backoff.elapsed': { guard: and(['isCurrentAttempt', not('isHeld')]), target: 'idle' },
        'task.resume': { guard: 'isHeld', target: 'backoff', reenter: true, actions: 'unhold' },
        'task.hold': { target: 'backoff', reenter: true, actions: 'hold' },
        'task.deny': { target: 'exhausted', actions: 'decideDenied' },
        'task.stop': [
          { guard: 'stopIsRestart', target: 'idle', actions: 'unhold' },
          { guard: 'stopIsHold', actions: ['hold', 'reportParked'] },
          { target: 'exhausted', actions: 'decideCancelled' },
        ],
      },
    },
    exhausted: { type: 'final', entry: 'publishExhausted' },
    dead: { type: 'final', entry: 'publishDead' },
  },
});

/**
 * The logic a supervisor runs for each child: the task machine, with its attempts' ends (which
 * XState names after each attempt, `xstate.done.actor.<path>#<n>`) taken as `attempt.done` and
 * `attempt.error`.
 */
export const taskLogic = withChildEnds(taskMachine, { done: 'attempt.done', error: 'attempt.error' });
