/**
 * The log's filters: by kind and by path (the path or below it).
 *
 * @module
 */
import type { SupervisorEvent } from '@statevisor/core';

/**
 * What the log shows.
 *
 * @example
 * ```ts
 * const filter: EventFilter = { kinds: new Set(['TaskFailed']), path: 'app/web' };
 * ```
 */
export interface EventFilter {
  /** The kinds shown; `undefined` shows every kind. */
  readonly kinds: ReadonlySet<string> | undefined;
  /** A path: the events of that node or below it. Empty shows every path. */
  readonly path: string;
}

/**
 * A path as the filter reads it: a full path (`app/web`), or one relative to the root (`web`).
 *
 * @example
 * ```ts
 * fullPath('web', 'app'); // 'app/web'
 * ```
 */
export function fullPath(path: string, root: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (trimmed === '' || root === '' || trimmed === root || trimmed.startsWith(`${root}/`)) return trimmed;
  return `${root}/${trimmed}`;
}

/**
 * Whether `task` is `path` or below it (`app/w` holds `app/w/a`, never `app/w2`).
 *
 * @example
 * ```ts
 * isUnder('app/web/a', 'app/web'); // true
 * ```
 */
export function isUnder(task: string, path: string): boolean {
  return path === '' || task === path || task.startsWith(`${path}/`);
}

/**
 * The indexes of the events the filter shows, in order.
 *
 * @example
 * ```ts
 * const rows = filterEvents(model.events, { kinds: new Set(['TaskFailed']), path: 'web' }, model.root);
 * ```
 */
export function filterEvents(events: readonly SupervisorEvent[], filter: EventFilter, root: string): number[] {
  const path = fullPath(filter.path, root);
  const { kinds } = filter;
  const out: number[] = [];
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index];
    if (event === undefined) continue;
    if (kinds !== undefined && !kinds.has(event.kind)) continue;
    if (!isUnder(event.task, path)) continue;
    out.push(index);
  }
  return out;
}
