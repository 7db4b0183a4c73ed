/**
 * The supervisor machine (id `supervisor`): the root of the actor system, and the attempt actor
 * of every child supervisor. Task machines are created with it as their parent, so the
 * inspector draws the tree. The registry itself lives in the {@link SupervisorHost} (a Map, so
 * 100k children stay linear); the machine owns the lifecycle:
 *
 *   running → shuttingDown → stopped   (shutdown, or a stop of a child supervisor)
 *   running | shuttingDown → failed    (the restart intensity was exceeded: it gave up)
 *
 * A task machine's completion and errors arrive here as `xstate.done.actor.<name>` /
 * `xstate.error.actor.<name>` (the inspector shows them). The runtime observes every task actor
 * directly, so the supervisor logic absorbs these events before the machine sees them: the
 * snapshot stays as it is, no child error ever fails the supervisor, and XState's per-event-type
 * transition memo (which would keep one entry per child name ever seen) never grows.
 */
import { setup } from 'xstate';
import type { AnyActorRef } from 'xstate';
import type { RunnerExit } from '../runner.ts';

/** What the supervisor machine drives. Implemented by the supervisor runtime. */
export interface SupervisorHost {
  /** The machine started: bind the runtime to its actor. */
  attach(self: AnyActorRef): void;
  /** How this incarnation ended (the machine's output). */
  exit(): RunnerExit;
}

/** Events of the supervisor machine. */
export type SupervisorMachineEvent =
  | { readonly type: 'supervisor.shutdown' }
  | { readonly type: 'supervisor.stopped' }
  | { readonly type: 'supervisor.gaveUp' }
  | { readonly type: `xstate.done.actor.${string}`; readonly actorId: string; readonly output: unknown }
  | { readonly type: `xstate.error.actor.${string}`; readonly actorId: string; readonly error: unknown };

/** The supervisor machine. */
export const supervisorMachine = setup({
  types: {
    context: {} as { readonly host: SupervisorHost },
    input: {} as { readonly host: SupervisorHost },
    events: {} as SupervisorMachineEvent,
    output: {} as RunnerExit,
  },
  actions: {
    attachHost: ({ context, self }) => {
      context.host.attach(self);
    },
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({ host: input.host }),
  output: ({ context }) => context.host.exit(),
  initial: 'running',
  on: {
    'supervisor.gaveUp': { target: '.failed' },
  },
  states: {
    running: {
      entry: 'attachHost',
      on: { 'supervisor.shutdown': { target: 'shuttingDown' } },
    },
    shuttingDown: {
      on: { 'supervisor.stopped': { target: 'stopped' } },
    },
    stopped: { type: 'final' },
    failed: { type: 'final' },
  },
});

/** Whether `event` reports the end of one of the supervisor's children. */
function isChildEnd(event: { readonly type: string }): boolean {
  return event.type.startsWith('xstate.done.actor.') || event.type.startsWith('xstate.error.actor.');
}

// Absorb the children's done and error events (see the module doc).
const machineTransition = supervisorMachine.transition.bind(supervisorMachine);
supervisorMachine.transition = (snapshot, event, actorScope) =>
  isChildEnd(event) ? snapshot : machineTransition(snapshot, event, actorScope);
