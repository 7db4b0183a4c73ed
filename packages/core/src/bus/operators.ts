/**
 * RxJS operators over `events$` that filter by kind and by path and narrow the event type
 * (DESIGN.md §4 "Filters"): what `subscribe({ kinds, path })` does, for an operator chain.
 *
 * @module
 */
import { filter, type MonoTypeOperatorFunction, type OperatorFunction } from 'rxjs';
import type { EventOfKind } from '../event-kinds.ts';
import type { SupervisorEvent, SupervisorEventKind } from '../events.ts';
import { expectKinds, expectPath, pathTest } from './event-filter.ts';

/**
 * Lets through only the events of the given kinds, and narrows their type to those members of
 * the union. The kinds are checked when the operator is made.
 *
 * @param kinds - one or more event kinds
 * @returns an operator for `events$.pipe(...)`
 * @throws ConfigError naming `kinds` (none given) or `kinds[i]` (not an event kind)
 * @example
 * ```ts
 * app.events$.pipe(ofKind('TaskFailed', 'ActorDead')).subscribe((event) => {
 *   alert(`${event.task}: ${event.reason}`); // event: TaskFailed | ActorDead
 * });
 * ```
 */
export function ofKind<K extends SupervisorEventKind>(...kinds: readonly [K, ...K[]]): OperatorFunction<SupervisorEvent, EventOfKind<K>> {
  const set = new Set<string>(expectKinds(kinds, 'kinds'));
  return filter((event: SupervisorEvent): event is EventOfKind<K> => set.has(event.kind));
}

/**
 * Lets through only the events about `path` itself or a node below it (`app/workers` holds
 * `app/workers/a`, not `app/workers2`). A path may be full (`app/workers`) or relative to the
 * root (`workers`): a stream has no root to ask, so a path whose first segment is not the
 * first segment of an event's `task` (the root's name) is read below that root, exactly as
 * `subscribe({ path })` reads it.
 *
 * @param path - a full path, or a path relative to the root
 * @returns an operator for `events$.pipe(...)`, keeping the event type it is given
 * @throws ConfigError naming `path` when it is not a path (empty, or with an empty segment)
 * @example
 * ```ts
 * app.events$.pipe(underPath('workers'), ofKind('TaskFailed')).subscribe((event) => {
 *   console.error(event.task, event.reason); // only app/workers and below
 * });
 * ```
 */
export function underPath<E extends SupervisorEvent = SupervisorEvent>(path: string): MonoTypeOperatorFunction<E> {
  const under = pathTest(expectPath(path, 'path'));
  return filter((event: E) => under(event.task));
}
