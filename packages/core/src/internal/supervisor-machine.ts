/**
 * The supervisor machine (id `supervisor`): the root of the actor system. Task machines are
 * created with it as their parent, so their completions and errors arrive here as
 * `xstate.done.actor.<name>` / `xstate.error.actor.<name>` events, and every error of a child
 * is handled here, never reported to the host. The registry itself lives in the
 * {@link SupervisorHost} (a Map, so 100k children stay linear); the machine owns the lifecycle.
 * The host signals children after the machine has taken a step, never from inside one of its
 * actions, so one actor's step never runs inside another's.
 */
import { setup } from 'xstate';
import type { TaskOutcome } from '../outcome.ts';

/** What the supervisor machine drives. Implemented by the supervisor runtime. */
export interface SupervisorHost {
  /** A child's task machine reached a final state. */
  childEnded(name: string, outcome: TaskOutcome): void;
  /** A child's task machine crashed (a bug in an action, never a task failure). */
  childCrashed(name: string, error: unknown): void;
}

/** Events of the supervisor machine. */
export type SupervisorMachineEvent =
  | { readonly type: 'supervisor.shutdown' }
  | { readonly type: 'supervisor.stopped' }
  | { readonly type: `xstate.done.actor.${string}`; readonly actorId: string; readonly output: unknown }
  | { readonly type: `xstate.error.actor.${string}`; readonly actorId: string; readonly error: unknown };

const DONE_PREFIX = 'xstate.done.actor.';
const ERROR_PREFIX = 'xstate.error.actor.';

function childId(event: SupervisorMachineEvent, prefix: string): string {
  return 'actorId' in event ? event.actorId : event.type.slice(prefix.length);
}

/** The supervisor machine: `running` → `shuttingDown` → `stopped`. */
export const supervisorMachine = setup({
  types: {
    context: {} as { readonly host: SupervisorHost },
    input: {} as { readonly host: SupervisorHost },
    events: {} as SupervisorMachineEvent,
  },
  actions: {
    recordChildEnded: ({ context, event }) => {
      if (!('output' in event)) return;
      context.host.childEnded(childId(event, DONE_PREFIX), event.output as TaskOutcome);
    },
    recordChildCrashed: ({ context, event }) => {
      if (!('error' in event)) return;
      context.host.childCrashed(childId(event, ERROR_PREFIX), event.error);
    },
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({ host: input.host }),
  initial: 'running',
  on: {
    'xstate.done.actor.*': { actions: 'recordChildEnded' },
    'xstate.error.actor.*': { actions: 'recordChildCrashed' },
  },
  states: {
    running: {
      on: { 'supervisor.shutdown': { target: 'shuttingDown' } },
    },
    shuttingDown: {
      on: { 'supervisor.stopped': { target: 'stopped' } },
    },
    stopped: { type: 'final' },
  },
});
