/**
 * The processes of a loaded config flattened for another engine: each with its path, argv,
 * folder, environment, effective restart policy and grace, and its dependencies resolved to
 * processes (a dependency on a group is one on each of its processes; a group's dependencies
 * apply to everything in it). The engines' writers only format this.
 *
 * @module
 */
import { DEFAULT_BACKOFF, type RestartPolicy } from '@statevisor/core';
import { resolve } from 'node:path';
import { argvOf } from '../config/build-supervisor.ts';
import type { GroupEntry, ProcessEntry, StatevisorConfig } from '../config/config-types.ts';
import { envFilePaths } from '../config/env-file.ts';
import type { LoadedConfig } from '../config/load-config.ts';

/**
 * One process to export.
 *
 * @example
 * ```ts
 * const [web]: readonly PlannedProcess[] = planExport(loaded).processes;
 * ```
 */
export interface PlannedProcess {
  /** Its path under the root: `['jobs', 'mail']`. */
  readonly path: readonly string[];
  readonly entry: ProcessEntry;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Absolute paths of its env files. */
  readonly envFiles: readonly string[];
  readonly restart: RestartPolicy;
  readonly restartDelayMs: number;
  readonly stopGraceMs: number;
  /** The processes it waits for (paths), its groups' dependencies included. */
  readonly dependsOn: readonly (readonly string[])[];
}

/**
 * A whole config planned for export.
 *
 * @example
 * ```ts
 * const plan: ExportPlan = planExport(await loadConfig({ cwd: process.cwd() }));
 * ```
 */
export interface ExportPlan {
  readonly name: string;
  readonly file: string;
  readonly config: StatevisorConfig;
  readonly processes: readonly PlannedProcess[];
}

/**
 * Flattens a loaded config.
 *
 * @param loaded - the loaded config
 * @returns the plan
 *
 * @example
 * ```ts
 * const plan = planExport(await loadConfig({ cwd: process.cwd() }));
 * plan.processes.map((p) => p.path.join('/')); // ['web', 'worker', 'jobs/mail']
 * ```
 */
export function planExport(loaded: LoadedConfig): ExportPlan {
  const { config, dir } = loaded;
  const defaults = config.defaults ?? {};
  const processes: PlannedProcess[] = [];
  const visit = (group: GroupEntry | StatevisorConfig, at: readonly string[], inherited: readonly (readonly string[])[]): void => {
    const own = (dependsOn: readonly string[] | undefined): (readonly string[])[] =>
      (dependsOn ?? []).flatMap((sibling) => processesUnder(group, sibling).map((path) => [...at, ...path]));
    for (const [name, entry] of Object.entries(group.processes ?? {})) {
      processes.push({
        path: [...at, name],
        entry,
        argv: argvOf(entry),
        cwd: resolve(dir, entry.cwd ?? '.'),
        env: entry.env ?? {},
        envFiles: envFilePaths(entry.envFile, dir),
        restart: entry.restart ?? defaults.restart ?? 'on-failure',
        restartDelayMs: entry.backoff?.firstMs ?? defaults.backoff?.firstMs ?? DEFAULT_BACKOFF.firstMs,
        stopGraceMs: entry.killGraceMs ?? entry.graceMs ?? defaults.graceMs ?? config.graceMs ?? 5_000,
        dependsOn: [...inherited, ...own(entry.dependsOn)],
      });
    }
    for (const [name, entry] of Object.entries(group.groups ?? {})) visit(entry, [...at, name], [...inherited, ...own(entry.dependsOn)]);
  };
  visit(config, [], []);
  return { name: loaded.name, file: loaded.file, config, processes };
}

/** The paths (relative to `group`) of the processes that the sibling `name` stands for. */
function processesUnder(group: GroupEntry | StatevisorConfig, name: string): (readonly string[])[] {
  if (group.processes?.[name] !== undefined) return [[name]];
  const nested = group.groups?.[name];
  if (nested === undefined) return [];
  return [
    ...Object.keys(nested.processes ?? {}).map((child) => [name, child]),
    ...Object.keys(nested.groups ?? {}).flatMap((child) => processesUnder(nested, child).map((path) => [name, ...path])),
  ];
}

/**
 * Every group of the config with its path, the root first (path `[]`).
 *
 * @param config - the config
 * @returns the groups
 *
 * @example
 * ```ts
 * groupsOf(config).map(([path]) => path.join('/')); // ['', 'jobs']
 * ```
 */
export function groupsOf(config: StatevisorConfig): [readonly string[], GroupEntry | StatevisorConfig][] {
  const groups: [readonly string[], GroupEntry | StatevisorConfig][] = [[[], config]];
  const visit = (group: GroupEntry | StatevisorConfig, at: readonly string[]): void => {
    for (const [name, nested] of Object.entries(group.groups ?? {})) {
      groups.push([[...at, name], nested]);
      visit(nested, [...at, name]);
    }
  };
  visit(config, []);
  return groups;
}
