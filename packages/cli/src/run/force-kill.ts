/**
 * The forced end: SIGKILL to every process group of the tree at once. Without it the process
 * helper would, once the CLI is gone, give each group its killSignal and wait its grace first.
 *
 * @module
 */
import type { NodeSnapshot } from '@statevisor/core';

/**
 * The pids of the running processes in a snapshot (each leads its own process group).
 *
 * @example
 * ```ts
 * groupLeaders(app.snapshot()); // [4242, 4250]
 * ```
 */
export function groupLeaders(node: NodeSnapshot): number[] {
  const own = node.kind === 'task' && node.pid !== undefined ? [node.pid] : [];
  return [...own, ...(node.children ?? []).flatMap(groupLeaders)];
}

/**
 * Sends SIGKILL to every process group in the snapshot; a group already gone is skipped.
 *
 * @param snapshot - the tree now (`app.snapshot()`)
 * @returns how many groups were signalled
 *
 * @example
 * ```ts
 * killAllGroups(app.snapshot());
 * process.exit(1);
 * ```
 */
export function killAllGroups(snapshot: NodeSnapshot): number {
  let killed = 0;
  for (const pid of groupLeaders(snapshot)) {
    try {
      process.kill(-pid, 'SIGKILL');
      killed += 1;
    } catch {
      // the group is gone already
    }
  }
  return killed;
}
