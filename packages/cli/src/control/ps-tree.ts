/**
 * `ps`'s answer: the tree of `snapshot()` with the run's statistics, the last output lines, and
 * the children that left the tree (stopped with `statevisor stop`, or ended on their own).
 *
 * @module
 */
import type { NodeSnapshot } from '@statevisor/core';
import type { LogBook } from '../logs/log-book.ts';
import { relativePath } from '../logs/log-line.ts';
import type { PsNode } from './protocol.ts';
import type { RunStats } from './run-stats.ts';

/**
 * What {@link psTree} reads.
 *
 * @example
 * ```ts
 * const sources: PsSources = { root: app.name, stats, logs, stopped: new Set(['web']), now: Date.now() };
 * ```
 */
export interface PsSources {
  /** The root supervisor's name. */
  readonly root: string;
  readonly stats: RunStats;
  readonly logs: LogBook;
  /** Relative paths stopped by the control endpoint (shown as `stopped`). */
  readonly stopped: ReadonlySet<string>;
  /** Epoch ms now, for the uptimes. */
  readonly now: number;
}

/**
 * The parent's relative path of a relative path (`workers/a` → `workers`, `web` → `''`).
 *
 * @param path - a relative path
 * @returns its parent's
 *
 * @example
 * ```ts
 * parentOf('workers/a'); // 'workers'
 * ```
 */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/**
 * Builds `ps`'s tree from a snapshot.
 *
 * @param snapshot - `app.snapshot()`
 * @param sources - the statistics, logs and stopped set
 * @returns the root node, paths relative to the root
 *
 * @example
 * ```ts
 * const tree = psTree(app.snapshot(), { root: app.name, stats, logs, stopped, now: Date.now() });
 * ```
 */
export function psTree(snapshot: NodeSnapshot, sources: PsSources): PsNode {
  const gone = sources.stats.gone();
  const build = (node: NodeSnapshot): PsNode => {
    const path = relativePath(sources.root, node.path);
    sources.stats.noteKind(path, node.kind);
    const live = (node.children ?? []).map(build);
    const livePaths = new Set(live.map((child) => child.path));
    const left = gone
      .filter((child) => parentOf(child.path) === path && path !== child.path && !livePaths.has(child.path))
      .map((child): PsNode => ({
        path: child.path,
        kind: child.kind,
        state: sources.stopped.has(child.path) ? 'stopped' : child.ended,
        restarts: sources.stats.restarts(child.path),
        ...lastLineOf(sources.logs, child.path),
        children: [],
      }));
    const children = [...live, ...left].sort((a, b) => sources.stats.order(a.path) - sources.stats.order(b.path));
    const startedAt = sources.stats.startedAt(path);
    return {
      path,
      kind: node.kind,
      state: node.state,
      ...(node.pid === undefined ? {} : { pid: node.pid }),
      ...(node.attempt === undefined ? {} : { attempt: node.attempt }),
      restarts: sources.stats.restarts(path),
      ...(startedAt === undefined ? {} : { uptimeMs: Math.max(0, sources.now - startedAt) }),
      ...lastLineOf(sources.logs, path),
      children,
    };
  };
  return build(snapshot);
}

function lastLineOf(logs: LogBook, path: string): { lastLine?: string } {
  if (path === '') return {};
  const last = logs.last(path);
  return last === undefined ? {} : { lastLine: last.line };
}

/**
 * Every relative path of a `ps` tree (the root's `''` left out), for error messages.
 *
 * @param node - a `ps` tree
 * @returns the paths, depth first
 *
 * @example
 * ```ts
 * allPaths(tree); // ['web', 'workers', 'workers/a']
 * ```
 */
export function allPaths(node: PsNode): string[] {
  return [...(node.path === '' ? [] : [node.path]), ...node.children.flatMap(allPaths)];
}

/**
 * Finds a node by relative path.
 *
 * @param node - a `ps` tree
 * @param path - a relative path
 * @returns the node, if there is one
 *
 * @example
 * ```ts
 * findNode(tree, 'workers/a')?.state; // 'running'
 * ```
 */
export function findNode(node: PsNode, path: string): PsNode | undefined {
  if (node.path === path) return node;
  for (const child of node.children) {
    const found = findNode(child, path);
    if (found !== undefined) return found;
  }
  return undefined;
}
