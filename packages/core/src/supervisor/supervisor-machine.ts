/**
 * The supervisor machine (id `supervisor`): the root of the actor system, and the attempt actor
 * of every child supervisor. It takes its children's attempt results as events and decides in
 * its own transitions, so the inspector shows every decision as it is taken:
 *
 *   running ──child.failed──▶ running      (one-for-one: the child restarts after its backoff)
 *   running ──child.failed──▶ restarting   (one-for-all / rest-for-one: others are stopped,
 *                                          newest first, then all restart in list order)
 *   running | restarting ──child.failed──▶ givingUp   (the intensity was exceeded)
 *   any live state ──supervisor.shutdown──▶ shuttingDown
 *   givingUp ──(no child left)──▶ failed        shuttingDown ──(no child left)──▶ stopped
 *
 * Its context is plain data: `window` (the restart times in the intensity period), `restart`
 * (the strategy restart under way) and `live` (how many children it has). The registry of
 * children, which can hold 100k of them, stays in its {@link SupervisorHost}: the machine's
 * actions ask the host to carry out what a transition decided (publish an event, signal a
 * child), and the host does it right after the step.
 */
import { assign, enqueueActions, setup } from 'xstate';
import type { AnyActorRef } from 'xstate';
import type { RestartExplanation, Strategy } from '../events.ts';
import { admitRestart } from '../policies/intensity.ts';
import type { RunnerExit } from '../runner.ts';
import type { Intensity } from '../spec/supervisor-options.ts';
import { withChildEnds } from '../task/child-end-filter.ts';
import type { ChildFailed, ChildParked } from '../task/task-types.ts';

/** A strategy restart under way, as the machine's context shows it. */
export interface StrategyRestart {
  /** The child whose failure began the restart. */
  readonly failed: string;
  /** The other children it stops and restarts, in list order. */
  readonly affected: readonly string[];
  /** Those of `affected` that have stopped (parked, or gone for good). */
  readonly stopped: readonly string[];
}

/** The supervisor machine's context: small plain data, for the inspector. */
export interface SupervisorContext {
  /** The times of the restarts in the current intensity period, oldest first. */
  readonly window: readonly number[];
  /** The strategy restart under way, or null. */
  readonly restart: StrategyRestart | null;
  /** How many children are live (registered and not yet removed). */
  readonly live: number;
}

/** How the supervisor carries out the restart decisions of its machine (see restarts.ts). */
export interface RestartEffects {
  readonly strategy: Strategy;
  readonly intensity: Intensity | undefined;
  /** Restarts counted by this incarnation so far (the count without an intensity). */
  readonly count: number;
  /** Counts one restart decision and keeps it for `explain()`. */
  recordDecision(failed: ChildFailed, explanation: RestartExplanation): void;
  /** The live children (paths, list order) that a failure of `path` makes the strategy restart. */
  affectedBy(path: string): readonly string[];
  /** Publishes the failed child's BackoffScheduled: it restarts after its backoff, as it decided. */
  scheduleBackoff(failed: ChildFailed, explanation: RestartExplanation): void;
  /** The failed child must not restart: it ends `failed`. */
  deny(path: string, explanation: RestartExplanation): void;
  /** Publishes SupervisorRestarting for a failure of `path` that restarts `affected`. */
  announceRestart(path: string, affected: readonly string[]): void;
  /** The failed child waits in its backoff until the strategy restart resumes it. */
  hold(path: string): void;
  /** Stops the next affected child of `restart` (newest first, one at a time). */
  stopNextAffected(restart: StrategyRestart): void;
  /** Resumes the children of a finished strategy restart, in list order. */
  resume(restart: StrategyRestart): void;
  /** The intensity was exceeded by a failure of `path`: admission closes. */
  giveUp(path: string, restarts: number): void;
  /** Giving up: once the failed child is gone, stops the rest newest first, one at a time. */
  stopNextRemaining(): void;
}

/** What the supervisor machine asks of the supervisor that runs it. */
export interface SupervisorHost {
  /** The machine started: bind the host to its actor. */
  attach(self: AnyActorRef): void;
  /** The restart decisions' effects. */
  readonly restarts: RestartEffects;
  /** Shutting down: stops every child (a child after its dependents). */
  stopAll(): void;
  /**
   * Children registered since the machine last counted them (and counts them now): the registry
   * announces new children in one `children.added` per batch, and a child's end folds in any
   * not yet announced, so `live` is exact whenever it decreases.
   */
  takeAdded(): number;
  /** A child ended: its outcome (or its machine's crash) and the registry's follow-up. */
  childEnded(path: string, end: { readonly output: unknown } | { readonly error: unknown }): void;
  /** This incarnation reached a final state. */
  finished(how: 'stopped' | 'failed'): void;
  /** How this incarnation ended (the machine's output). */
  exit(): RunnerExit;
}

/** Events of the supervisor machine. */
export type SupervisorMachineEvent =
  | { readonly type: 'children.added'; readonly count: number }
  | ChildFailed
  | ChildParked
  | { readonly type: 'child.done'; readonly actorId: string; readonly output: unknown }
  | { readonly type: 'child.error'; readonly actorId: string; readonly error: unknown }
  | { readonly type: 'supervisor.shutdown' };

/** How the supervisor judges one failure: the window after it and why. */
function judge(context: SupervisorContext, failed: ChildFailed, restarts: RestartEffects): { window: readonly number[]; explanation: RestartExplanation } {
  const { intensity, strategy } = restarts;
  let allowed = true;
  let restartsBefore = restarts.count;
  let restartsAfter = restartsBefore + 1;
  let window = context.window;
  if (intensity !== undefined) {
    const admission = admitRestart(context.window, failed.at, intensity);
    ({ allowed, restartsBefore, restartsAfter } = admission);
    window = admission.times;
  }
  const { decision } = failed;
  const explanation: RestartExplanation = {
    strategy,
    restartsBefore,
    restartsAfter,
    ...(intensity === undefined ? {} : { maxRestarts: intensity.maxRestarts, periodMs: intensity.periodMs }),
    delayMs: decision.delayMs,
    baseMs: decision.baseMs,
    jitterSample: decision.jitterSample,
    allowed,
    ...(decision.streakReset === undefined ? {} : { streakReset: decision.streakReset }),
  };
  return { window, explanation };
}

/** The path of the child an end event is about (a task actor's id is its path). */
function endedPath(event: SupervisorMachineEvent): string | undefined {
  if (event.type === 'child.parked') return event.path;
  if (event.type === 'child.done' || event.type === 'child.error') return event.actorId;
  return undefined;
}

/**
 * The supervisor machine of one incarnation, its actions bound to `host`. The machine's
 * children's ends arrive as `child.done` / `child.error` (see child-end-filter.ts).
 */
export function createSupervisorLogic(host: SupervisorHost) {
  const { restarts } = host;
  const machine = setup({
    types: {
      context: {} as SupervisorContext,
      events: {} as SupervisorMachineEvent,
      output: {} as RunnerExit,
    },
    guards: {
      exceedsIntensity: ({ context, event }) => event.type === 'child.failed' && !judge(context, event, restarts).explanation.allowed,
      affectsOthers: ({ event }) => event.type === 'child.failed' && restarts.affectedBy(event.path).length > 0,
      restartDone: ({ context }) => context.restart === null || context.restart.stopped.length >= context.restart.affected.length,
      noLiveChildren: ({ context }) => context.live === 0,
    },
    actions: {
      attach: ({ self }) => {
        host.attach(self);
      },
      countAdded: assign({ live: ({ context }) => context.live + host.takeAdded() }),
      /** Counts the failure in the window and answers the child: restart as decided, or not (`deny`). */
      takeFailure: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'child.failed') return;
        const { window, explanation } = judge(context, event, restarts);
        enqueue.assign({ window });
        restarts.recordDecision(event, explanation);
        if (explanation.allowed) restarts.scheduleBackoff(event, explanation);
        else restarts.deny(event.path, explanation);
      }),
      /** A failure while giving up or shutting down: counted and kept, but the child does not restart. */
      refuseFailure: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'child.failed') return;
        const { window, explanation } = judge(context, event, restarts);
        enqueue.assign({ window });
        restarts.recordDecision(event, explanation);
        restarts.deny(event.path, explanation);
      }),
      beginRestart: assign({
        restart: ({ event }) => (event.type === 'child.failed' ? { failed: event.path, affected: restarts.affectedBy(event.path), stopped: [] } : null),
      }),
      /** Another failure during a restart joins it: its child is parked, its strategy's children added. */
      extendRestart: assign({
        restart: ({ context, event }) => {
          const restart = context.restart;
          if (restart === null || event.type !== 'child.failed') return restart;
          const more = [event.path, ...restarts.affectedBy(event.path)].filter((path) => path !== restart.failed && !restart.affected.includes(path));
          const stopped = restart.stopped.includes(event.path) || event.path === restart.failed ? restart.stopped : [...restart.stopped, event.path];
          return { failed: restart.failed, affected: [...restart.affected, ...more], stopped };
        },
      }),
      announceRestart: ({ event }) => {
        if (event.type === 'child.failed') restarts.announceRestart(event.path, restarts.affectedBy(event.path));
      },
      holdFailed: ({ event }) => {
        if (event.type === 'child.failed') restarts.hold(event.path);
      },
      markStopped: assign({
        restart: ({ context, event }) => {
          const restart = context.restart;
          const path = endedPath(event);
          if (restart === null || path === undefined || !restart.affected.includes(path) || restart.stopped.includes(path)) return restart;
          return { ...restart, stopped: [...restart.stopped, path] };
        },
      }),
      stopNextAffected: ({ context }) => {
        if (context.restart !== null) restarts.stopNextAffected(context.restart);
      },
      resumeRestarted: ({ context }) => {
        if (context.restart !== null) restarts.resume(context.restart);
      },
      endRestart: assign({ restart: null }),
      giveUp: ({ context, event }) => {
        if (event.type === 'child.failed') restarts.giveUp(event.path, context.window.length);
      },
      stopNextRemaining: () => {
        restarts.stopNextRemaining();
      },
      stopAllChildren: () => {
        host.stopAll();
      },
      forgetChild: ({ event }) => {
        if (event.type === 'child.done') host.childEnded(event.actorId, { output: event.output });
        else if (event.type === 'child.error') host.childEnded(event.actorId, { error: event.error });
      },
      countEnded: assign({ live: ({ context }) => Math.max(0, context.live + host.takeAdded() - 1) }),
      finishStopped: () => {
        host.finished('stopped');
      },
      finishFailed: () => {
        host.finished('failed');
      },
    },
  }).createMachine({
    id: 'supervisor',
    context: { window: [], restart: null, live: 0 },
    output: () => host.exit(),
    initial: 'running',
    on: {
      'children.added': { actions: 'countAdded' },
    },
    states: {
      running: {
        entry: 'attach',
        on: {
          'child.failed': [
            { guard: 'exceedsIntensity', target: 'givingUp', actions: ['countAdded', 'takeFailure'] },
            {
              guard: 'affectsOthers',
              target: 'restarting',
              actions: ['countAdded', 'takeFailure', 'beginRestart', 'announceRestart', 'holdFailed', 'stopNextAffected'],
            },
            { actions: ['countAdded', 'takeFailure'] },
          ],
          'child.done': { actions: ['forgetChild', 'countEnded'] },
          'child.error': { actions: ['forgetChild', 'countEnded'] },
          'supervisor.shutdown': { target: 'shuttingDown' },
        },
      },
      restarting: {
        always: { guard: 'restartDone', target: 'running', actions: ['resumeRestarted', 'endRestart'] },
        on: {
          'child.failed': [
            { guard: 'exceedsIntensity', target: 'givingUp', actions: ['countAdded', 'takeFailure', 'endRestart'] },
            { actions: ['countAdded', 'takeFailure', 'extendRestart', 'announceRestart', 'holdFailed', 'stopNextAffected'] },
          ],
          'child.parked': { actions: ['countAdded', 'markStopped', 'stopNextAffected'] },
          'child.done': { actions: ['forgetChild', 'countEnded', 'markStopped', 'stopNextAffected'] },
          'child.error': { actions: ['forgetChild', 'countEnded', 'markStopped', 'stopNextAffected'] },
          'supervisor.shutdown': { target: 'shuttingDown', actions: 'endRestart' },
        },
      },
      givingUp: {
        entry: 'giveUp',
        always: { guard: 'noLiveChildren', target: 'failed' },
        on: {
          'child.failed': { actions: ['countAdded', 'refuseFailure'] },
          'child.done': { actions: ['forgetChild', 'countEnded', 'stopNextRemaining'] },
          'child.error': { actions: ['forgetChild', 'countEnded', 'stopNextRemaining'] },
          'supervisor.shutdown': { actions: 'stopAllChildren' },
        },
      },
      shuttingDown: {
        entry: 'stopAllChildren',
        always: { guard: 'noLiveChildren', target: 'stopped' },
        on: {
          'child.failed': { actions: ['countAdded', 'refuseFailure'] },
          'child.done': { actions: ['forgetChild', 'countEnded'] },
          'child.error': { actions: ['forgetChild', 'countEnded'] },
        },
      },
      stopped: { type: 'final', entry: 'finishStopped' },
      failed: { type: 'final', entry: 'finishFailed' },
    },
  });
  return withChildEnds(machine, { done: 'child.done', error: 'child.error' });
}

/** The logic {@link createSupervisorLogic} returns. */
export type SupervisorLogic = ReturnType<typeof createSupervisorLogic>;
