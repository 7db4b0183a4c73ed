/**
 * Event filters by kind and by path: validation of what a user gave, and the predicates that
 * `subscribe({ kinds, path })`, `ofKind(...)` and `underPath(...)` share (DESIGN.md §4 "Filters").
 *
 * @module
 */
import type { SupervisorEvent, SupervisorEventKind } from '../events.ts';
import { isEventKind } from '../event-kinds.ts';
import { invalid } from '../validate.ts';

/**
 * A predicate over events; `null` stands for "every event" (no filter: no cost).
 *
 * @example
 * ```ts
 * const failures: EventPredicate = (event) => event.kind === 'TaskFailed';
 * ```
 */
export type EventPredicate = ((event: SupervisorEvent) => boolean) | null;

/**
 * A non-empty array of known event kinds; throws a ConfigError naming `kinds` or `kinds[i]`.
 *
 * @example
 * ```ts
 * expectKinds(['TaskFailed'], 'kinds'); // ['TaskFailed']
 * expectKinds(['TaskFialed'], 'kinds'); // throws ConfigError: kinds[0]: expected an event kind ...
 * ```
 */
export function expectKinds(value: unknown, field: string): readonly SupervisorEventKind[] {
  if (!Array.isArray(value) || value.length === 0) invalid(field, 'a non-empty array of event kinds', value);
  const kinds: SupervisorEventKind[] = [];
  for (let i = 0; i < value.length; i++) {
    const kind: unknown = value[i];
    if (!isEventKind(kind)) invalid(`${field}[${String(i)}]`, "an event kind such as 'TaskFailed'", kind);
    kinds.push(kind);
  }
  return kinds;
}

/**
 * A path: a non-empty string of non-empty segments separated by `/`; throws a ConfigError
 * naming `field` otherwise.
 *
 * @example
 * ```ts
 * expectPath('app/workers', 'path'); // 'app/workers'
 * expectPath('app//workers', 'path'); // throws ConfigError
 * ```
 */
export function expectPath(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '' || value.split('/').includes('')) {
    invalid(field, "a path such as 'app/workers' (non-empty segments separated by '/')", value);
  }
  return value;
}

/** Length of the first segment of a path. */
function rootLength(path: string): number {
  const slash = path.indexOf('/');
  return slash === -1 ? path.length : slash;
}

/** Whether `task` is `path` itself or below it (`app/workers` holds `app/workers/a`, not `app/workers2`). */
function isUnder(task: string, path: string, from: number): boolean {
  if (!task.startsWith(path, from)) return false;
  const end = from + path.length;
  return task.length === end || task.charCodeAt(end) === 47; // '/'
}

/**
 * A path as the tree rooted at `root` reads it: full when its first segment is the root's name
 * (`app`, `app/workers`), otherwise relative to the root (`workers` is `app/workers`).
 *
 * @example
 * ```ts
 * resolveUnder('workers', 'app'); // 'app/workers'
 * resolveUnder('app/workers', 'app'); // 'app/workers'
 * ```
 */
export function resolveUnder(path: string, root: string): string {
  const length = rootLength(path);
  return length === root.length && path.startsWith(root) ? path : `${root}/${path}`;
}

/**
 * A test of whether an event about `task` is under `path`, the tree's root being the first
 * segment of `task` (every event of a tree has a `task` that starts with its root's name): the
 * same answer as `resolveUnder(path, root)` followed by a prefix test, for a stream that has no
 * root to ask.
 *
 * @example
 * ```ts
 * const under = pathTest('workers');
 * under('app/workers/a'); // true
 * under('app/web'); // false
 * pathTest('app/workers')('app/workers/a'); // true
 * ```
 */
export function pathTest(path: string): (task: string) => boolean {
  const pathRoot = path.slice(0, rootLength(path));
  return (task) => {
    const root = rootLength(task);
    if (root === pathRoot.length && task.startsWith(pathRoot)) return isUnder(task, path, 0);
    return task.length > root && isUnder(task, path, root + 1);
  };
}

/**
 * The predicate of `subscribe({ kinds, path })` on a tree whose root is `root`, or `null` when
 * neither is given. `path` is resolved against `root` once.
 *
 * @example
 * ```ts
 * const accepts = eventPredicate(['TaskFailed'], 'workers', 'app');
 * accepts?.(event); // true for a TaskFailed of app/workers or below
 * ```
 */
export function eventPredicate(kinds: readonly SupervisorEventKind[] | undefined, path: string | undefined, root: string): EventPredicate {
  const set = kinds === undefined ? undefined : new Set<string>(kinds);
  const full = path === undefined ? undefined : resolveUnder(path, root);
  if (set !== undefined && full !== undefined) return (event) => set.has(event.kind) && isUnder(event.task, full, 0);
  if (set !== undefined) return (event) => set.has(event.kind);
  if (full !== undefined) return (event) => isUnder(event.task, full, 0);
  return null;
}
