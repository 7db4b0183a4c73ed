/**
 * `snapshot()`: a supervisor's tree as plain data, from what the registry keeps (no machine is
 * asked), so polling it stays cheap.
 */
import type { ChildEntry } from './child-entry.ts';

/**
 * A node of `snapshot()`: plain data, cheap to poll.
 *
 * @example
 * ```ts
 * const tree: NodeSnapshot = app.snapshot();
 * for (const child of tree.children ?? []) console.log(child.path, child.state, child.attempt);
 * ```
 */
export interface NodeSnapshot {
  readonly path: string;
  readonly kind: 'supervisor' | 'task';
  /**
   * The task machine's state (for a child supervisor: its task machine's state), or `'paused'`
   * for a task whose running or ready attempt was paused through its handle (until it is
   * resumed or the attempt ends).
   */
  readonly state: string;
  readonly attempt?: number;
  readonly pid?: number;
  /** Restarts counted in this supervisor's intensity window now (supervisors only). */
  readonly restartsInWindow?: number;
  /**
   * Submissions waiting in the admission slots of `submit()`, across all slots (the occupants not
   * counted). On the root only: a nested supervisor has no slots, so the field is absent there.
   */
  readonly queueDepth?: number;
  readonly children?: readonly NodeSnapshot[];
}

/** What a child supervisor's runtime gives its parent's snapshot. */
export interface SnapshotSource {
  snapshot(state: string): NodeSnapshot;
}

/**
 * The snapshots of a supervisor's live children, in list order.
 *
 * @example
 * ```ts
 * const children = childSnapshots(registry.values());
 * ```
 */
export function childSnapshots(entries: Iterable<ChildEntry<SnapshotSource>>): NodeSnapshot[] {
  const children: NodeSnapshot[] = [];
  for (const entry of entries) {
    const { live, state, attempt } = entry;
    if (entry.nested !== undefined || entry.spec.type === 'supervisor') {
      const nested = entry.nested?.snapshot(state);
      children.push(
        nested === undefined ? { path: entry.path, kind: 'supervisor', state, attempt, children: [] } : { ...nested, state, attempt },
      );
    } else {
      // A paused attempt shows as 'paused' until it is resumed or ends (stopping shows as such).
      const shown = live.active && live.paused && (state === 'running' || state === 'ready') ? 'paused' : state;
      children.push(
        live.active && live.pid !== undefined
          ? { path: entry.path, kind: 'task', state: shown, attempt, pid: live.pid }
          : { path: entry.path, kind: 'task', state: shown, attempt },
      );
    }
  }
  return children;
}
