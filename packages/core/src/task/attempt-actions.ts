/**
 * The task machine's actions that run an attempt: its slot, its actor, its timers (timeout,
 * heartbeat watchdog, stop grace, backoff), its abort and its end. They touch the task's
 * `LiveAttempt` handles; effects that run user code are deferred past the step.
 *
 * Timers run on the supervisor's clock directly (not as XState delayed events), so a tree of
 * many tasks never walks a shared scheduler when one of them stops.
 */
import { assign, enqueueActions } from 'xstate';
import type { AnyActorLogic, AnyActorRef } from 'xstate';
import { cancelTimer } from '../clock.ts';
import { AttemptContext, abortReason } from '../attempt/attempt-context.ts';
import { watchHeartbeat } from '../attempt/heartbeat-watchdog.ts';
import { abortKindOf, graceOf } from './attempt-end.ts';
import { attemptIdOf } from './attempt-id.ts';
import type { TaskAction } from './task-types.ts';

/**
 * The actions that run an attempt and its timers, by the names the machine definition uses.
 *
 * @example
 * ```ts
 * setup({ actions: { ...attemptActions, ...recordActions, ...publishActions } });
 * ```
 */
export const attemptActions = {
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
} satisfies Record<string, TaskAction>;
