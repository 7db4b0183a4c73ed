/**
 * A machine's logic that takes its children's ends under two fixed event types.
 *
 * XState tells a parent that a child ended with an event named after the child:
 * `xstate.done.actor.<id>` or `xstate.error.actor.<id>`. Statevisor names its actors by path
 * (a task machine is `app/web`, its third attempt `app/web#3`), so those names are unbounded,
 * and XState keeps one memo entry per event type it has ever seen, on every state node. This
 * logic renames a child's end to one type for a done child and one for a failed child, carrying
 * the child's id, before the machine sees it. The machine itself is not changed: the logic is
 * the machine seen through this filter, with the same definition for the inspector.
 */
import type { AnyStateMachine, EventObject } from 'xstate';

const DONE_PREFIX = 'xstate.done.actor.';
const ERROR_PREFIX = 'xstate.error.actor.';

/** The event types a filtered machine receives for its children's ends. */
export interface ChildEndTypes<Done extends string, Failed extends string> {
  /** A child finished: `{ type: done, actorId, output }`. */
  readonly done: Done;
  /** A child failed: `{ type: error, actorId, error }`. */
  readonly error: Failed;
}

/** A child's end, as a filtered machine receives it. */
export type ChildEndEvent<Done extends string, Failed extends string> =
  | { readonly type: Done; readonly actorId: string; readonly output: unknown }
  | { readonly type: Failed; readonly actorId: string; readonly error: unknown };

/** Renames a child's done or error event; any other event is passed on as it is. */
function renamed(event: EventObject, types: ChildEndTypes<string, string>): EventObject {
  const type = event.type;
  // One character tells both prefixes from every other event the machines take.
  if (type.charCodeAt(0) !== 120 /* x */) return event;
  const actorId = (event as { actorId?: unknown }).actorId;
  if (type.startsWith(DONE_PREFIX)) {
    return { type: types.done, actorId, output: (event as { output?: unknown }).output } as EventObject;
  }
  if (type.startsWith(ERROR_PREFIX)) {
    return { type: types.error, actorId, error: (event as { error?: unknown }).error } as EventObject;
  }
  return event;
}

/**
 * The logic of `machine` with its children's ends renamed to `types`. The result is the
 * machine in every other respect (its definition, its initial state, its snapshots), so an
 * inspector draws it as the machine.
 *
 * @example
 * ```ts
 * const logic = withChildEnds(taskMachine, { done: 'attempt.done', error: 'attempt.error' });
 * const actor = createActor(logic, { input });
 * ```
 */
export function withChildEnds<T extends AnyStateMachine>(machine: T, types: ChildEndTypes<string, string>): T {
  const logic = Object.create(machine) as T;
  Object.defineProperty(logic, 'transition', {
    value: ((snapshot, event: EventObject, scope) => machine.transition(snapshot, renamed(event, types), scope)) satisfies T['transition'],
  });
  return logic;
}
