/**
 * One line of the log book, and how paths are written in it.
 *
 * @module
 */

/**
 * A line of output kept by the log book. `path` is the process path relative to the root
 * (`web`, `workers/a`), as in `run`'s prefixes; a notice of the log book itself (lines it lost)
 * has stream `'notice'` and the root's path `''`.
 *
 * @example
 * ```ts
 * const line: LogLine = { seq: 1, at: Date.now(), path: 'web', stream: 'stdout', line: 'listening on 3000' };
 * ```
 */
export interface LogLine {
  /** The log book's own order: strictly increasing over every process. */
  readonly seq: number;
  /** Epoch milliseconds of the event that carried the line. */
  readonly at: number;
  readonly path: string;
  readonly stream: 'stdout' | 'stderr' | 'notice';
  readonly line: string;
}

/**
 * A task path relative to the root: `app/workers/a` → `workers/a` (the root itself → `''`).
 *
 * @param root - the root supervisor's name
 * @param path - a full path, or one already relative
 * @returns the path without the root segment
 *
 * @example
 * ```ts
 * relativePath('app', 'app/web'); // 'web'
 * ```
 */
export function relativePath(root: string, path: string): string {
  if (path === root) return '';
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

/**
 * True when `path` is `under` itself or below it (`workers/a` is under `workers`); everything
 * is under `undefined` or `''`.
 *
 * @param path - a relative path
 * @param under - a relative path, or none
 * @returns whether the path is in that subtree
 *
 * @example
 * ```ts
 * isUnder('workers/a', 'workers'); // true
 * ```
 */
export function isUnder(path: string, under: string | undefined): boolean {
  return under === undefined || under === '' || path === under || path.startsWith(`${under}/`);
}
