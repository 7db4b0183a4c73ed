/**
 * The paths of a config's processes and groups, relative to the root, in the config's order.
 *
 * @module
 */
import type { GroupEntry, StatevisorConfig } from '../config/config-types.ts';

/** A config's paths: every process, and every group. */
export interface ConfigPaths {
  /** The processes (`web`, `workers/a`), in order. */
  readonly processes: readonly string[];
  /** Processes and groups together, each group before its members (`web`, `workers`, `workers/a`). */
  readonly all: readonly string[];
  /** The processes with a readiness gate (`readyIndicator` or `readinessProbe`): only their `ready` is worth a line. */
  readonly gated: readonly string[];
}

/**
 * Lists a config's paths, relative to the root: processes first, then groups, at every level
 * (the order the config builds the children in).
 *
 * @param config - the config
 * @returns the paths
 *
 * @example
 * ```ts
 * configPaths({ processes: { web: { command: 'w' } }, groups: { workers: { processes: { a: { command: 'a' } } } } });
 * // { processes: ['web', 'workers/a'], all: ['web', 'workers', 'workers/a'], gated: [] }
 * ```
 */
export function configPaths(config: StatevisorConfig): ConfigPaths {
  const processes: string[] = [];
  const all: string[] = [];
  const gated: string[] = [];
  const walk = (group: GroupEntry | StatevisorConfig, prefix: string): void => {
    for (const [name, entry] of Object.entries(group.processes ?? {})) {
      processes.push(prefix + name);
      if (entry.readyIndicator !== undefined || entry.readinessProbe !== undefined) gated.push(prefix + name);
      all.push(prefix + name);
    }
    for (const [name, nested] of Object.entries(group.groups ?? {})) {
      all.push(prefix + name);
      walk(nested, `${prefix}${name}/`);
    }
  };
  walk(config, '');
  return { processes, all, gated };
}
