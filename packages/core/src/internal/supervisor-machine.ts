/**
 * The supervisor machine (id `supervisor`): the root of the actor system, and the attempt actor
 * of every child supervisor. Task machines are created with it as their parent, so the
 * inspector draws the tree; their completions and errors also arrive here as
 * `xstate.done.actor.<name>` / `xstate.error.actor.<name>` and are accepted in every state, so
 * no child error ever reaches the host. The registry itself lives in the {@link SupervisorHost}
 * (a Map, so 100k children stay linear); the machine owns the lifecycle:
 *
 *   running → shuttingDown → stopped   (shutdown, or a stop of a child supervisor)
 *   running | shuttingDown → failed    (the restart intensity was exceeded: it gave up)
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
    // The runtime observes every task actor itself; these transitions only make a child's end
    // visible in the inspector and keep its error from being reported as unhandled.
    noteChildDone: () => undefined,
    noteChildError: () => undefined,
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({ host: input.host }),
  output: ({ context }) => context.host.exit(),
  initial: 'running',
  on: {
    'xstate.done.actor.*': { actions: 'noteChildDone' },
    'xstate.error.actor.*': { actions: 'noteChildError' },
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
