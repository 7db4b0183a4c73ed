/**
 * The task machine (id `task`): one per child, created by the supervisor. Its states are
 * top-level so every tool draws them; each attempt runs as a fresh child actor (`attempt`).
 *
 *   idle → starting → running → ready → stopped | failed → backoff → idle ...
 *                                       stopping (on request or timeout)
 *   final: exhausted (no more attempts) | dead (fatal, invalid, force-aborted)
 *
 * This file is the machine's definition: its states, transitions and guards. Its types are in
 * task-types.ts, its actions in attempt-actions.ts (running an attempt and its timers),
 * record-actions.ts (recording and deciding) and publish-actions.ts (events and reports to the
 * supervisor); attempt-end.ts reads how an attempt ended. Output lines never pass through it
 * (see attempt/attempt-context.ts).
 */
import { and, not, setup } from 'xstate';
import type { TaskOutcome } from '../outcome.ts';
import type { RunnerExit } from '../runner.ts';
import { attemptLogic } from '../attempt/attempt-actor.ts';
import { LiveAttempt } from '../attempt/live-attempt.ts';
import { attemptActions } from './attempt-actions.ts';
import { graceOf } from './attempt-end.ts';
import { withChildEnds } from './child-end-filter.ts';
import { publishActions } from './publish-actions.ts';
import { recordActions } from './record-actions.ts';
import type { TaskMachineContext, TaskMachineEvent, TaskMachineInput } from './task-types.ts';

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

/**
 * The task machine. Create one actor per child incarnation with `parent` = its supervisor; a
 * supervisor runs it as {@link taskLogic}.
 *
 * @example
 * ```ts
 * const actor = createActor(taskLogic, { parent: supervisor, id: path, systemId: path, input });
 * ```
 */
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
  actions: { ...attemptActions, ...recordActions, ...publishActions },
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
 *
 * @example
 * ```ts
 * const task = createActor(taskLogic, { parent: self, id: path, systemId: path, input }).start();
 * ```
 */
export const taskLogic = withChildEnds(taskMachine, { done: 'attempt.done', error: 'attempt.error' });
