/**
 * Builds the supervisor options of a validated config: `processTask()` for each process,
 * `supervisor()` for each group. Their own validation (core's and process's) throws a
 * `ConfigError` naming a field of the call; it is mapped back to the config's field path, and
 * every such problem is collected.
 *
 * @module
 */
import { resolve } from 'node:path';
import { ConfigError, supervisor, type ChildOptions, type ChildSpec, type SupervisorOptions } from '@statevisor/core';
import { processTask, type ProcessConfig } from '@statevisor/process';
import type { ChildOptionsConfig, GroupEntry, ProcessEntry, StatevisorConfig } from './config-types.ts';
import type { FieldPath } from './config-problems.ts';
import { loadEnvFiles } from './env-file.ts';
import { splitCommand } from './split-command.ts';

/**
 * A problem found while building: its path (segments) and message.
 *
 * @example
 * ```ts
 * const found: BuildProblem = { path: ['processes', 'web', 'backoff', 'firstMs'], message: 'firstMs 100 exceeds maxMs 10' };
 * ```
 */
export interface BuildProblem {
  readonly path: FieldPath;
  readonly message: string;
}

const CHILD_OPTION_KEYS = ['restart', 'backoff', 'maxRetries', 'resetAfterMs', 'timeoutMs', 'graceMs', 'heartbeatTimeoutMs', 'dependsOn'] as const;
const PASSED_KEYS = [
  'inheritEnv', 'readySource', 'readyTimeoutMs', 'readinessProbe', 'livenessProbe', 'maxMemoryBytes', 'stdin', 'killSignal',
  'killGraceMs', 'maxLineBytes', 'drainTimeoutMs', 'output', 'successExitCodes', 'fatalExitCodes',
] as const;

/**
 * The argv a process entry runs: its list, `sh -c <string>` with `shell: true`, else the
 * string split like a shell would.
 *
 * @param entry - the process entry
 * @returns the argv (never empty for a validated entry)
 *
 * @example
 * ```ts
 * argvOf({ command: 'node "my app.js"' }); // ['node', 'my app.js']
 * argvOf({ command: 'a | b', shell: true }); // ['sh', '-c', 'a | b']
 * ```
 */
export function argvOf(entry: Pick<ProcessEntry, 'command' | 'shell'>): readonly string[] {
  if (typeof entry.command !== 'string') return entry.command;
  if (entry.shell === true) return ['sh', '-c', entry.command];
  const split = splitCommand(entry.command);
  return 'argv' in split ? split.argv : [entry.command];
}

/**
 * The supervisor options of `config`, ready for `createSupervisor`.
 *
 * @param config - a config that passed the schema
 * @param name - the root's name
 * @param dir - the config's folder (for `cwd` and `envFile`)
 * @returns the options, or every problem found
 *
 * @example
 * ```ts
 * const built = buildSupervisor(config, 'shop', '/app');
 * if ('options' in built) createSupervisor(built.options);
 * ```
 */
export function buildSupervisor(
  config: StatevisorConfig,
  name: string,
  dir: string,
): { readonly options: SupervisorOptions } | { readonly problems: readonly BuildProblem[] } {
  const problems: BuildProblem[] = [];
  const children = buildChildren(config, [], dir, problems);
  const options: SupervisorOptions = {
    name,
    ...pick(config, ['strategy', 'intensity', 'graceMs', 'maxConcurrent', 'defaults'] as const),
    children,
  };
  if (problems.length === 0) {
    // The root's own options, checked by core as a nested supervisor takes the same ones.
    attempt(() => supervisor(name, { ...pick(options, ['strategy', 'intensity', 'graceMs', 'maxConcurrent', 'defaults'] as const) }), [], [], problems);
  }
  return problems.length > 0 ? { problems } : { options };
}

function buildChildren(group: GroupEntry | StatevisorConfig, at: FieldPath, dir: string, problems: BuildProblem[]): ChildSpec[] {
  const children: ChildSpec[] = [];
  const names: FieldPath[] = [];
  for (const [name, entry] of Object.entries(group.processes ?? {})) {
    const path = [...at, 'processes', name];
    const config = processConfigOf(entry, path, dir, problems);
    if (config === undefined) continue;
    const spec = attempt(() => processTask(name, config, childOptionsOf(entry)), path, names, problems);
    if (spec !== undefined) children.push(spec);
    names.push(path);
  }
  for (const [name, entry] of Object.entries(group.groups ?? {})) {
    const path = [...at, 'groups', name];
    const nested = buildChildren(entry, path, dir, problems);
    const options = { ...childOptionsOf(entry), ...pick(entry, ['strategy', 'intensity'] as const), children: nested };
    const spec = attempt(() => supervisor(name, options), path, nested.map((child) => [...path, child.type === 'supervisor' ? 'groups' : 'processes', child.name]), problems);
    if (spec !== undefined) children.push(spec);
    names.push(path);
  }
  return children;
}

function processConfigOf(entry: ProcessEntry, path: FieldPath, dir: string, problems: BuildProblem[]): ProcessConfig | undefined {
  const [command = '', ...args] = argvOf(entry);
  let env = entry.env;
  if (entry.envFile !== undefined) {
    const loaded = loadEnvFiles(entry.envFile, dir);
    if ('problems' in loaded) {
      for (const problem of loaded.problems) {
        problems.push({ path: problem.index === undefined ? [...path, 'envFile'] : [...path, 'envFile', problem.index], message: problem.message });
      }
      return undefined;
    }
    env = { ...loaded.env, ...entry.env };
  }
  return {
    command,
    args,
    cwd: resolve(dir, entry.cwd ?? '.'),
    ...(env === undefined ? {} : { env }),
    ...(entry.readyIndicator === undefined ? {} : { readyIndicator: new RegExp(entry.readyIndicator) }),
    ...pick(entry, PASSED_KEYS),
  };
}

function childOptionsOf(entry: ChildOptionsConfig): ChildOptions {
  return pick(entry, CHILD_OPTION_KEYS);
}

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Pick<T, K> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (object[key] !== undefined) picked[key] = object[key];
  return picked as Pick<T, K>;
}

/** Runs a builder; a ConfigError becomes a problem at the config's path of its field. */
function attempt<T>(build: () => T, at: FieldPath, children: readonly FieldPath[], problems: BuildProblem[]): T | undefined {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push({ path: mapField(error.field, at, children), message: error.message.slice(error.field.length + 2) });
    return undefined;
  }
}

/** `config.args[0]` → `<at>.command`, `options.backoff.factor` → `<at>.backoff.factor`, `options.children[1].x` → the child's. */
function mapField(field: string, at: FieldPath, children: readonly FieldPath[]): FieldPath {
  const child = /^options\.children\[(\d+)\]\.?(?:options\.)?(.*)$/.exec(field);
  const childPath = child === null ? undefined : children[Number(child[1])];
  if (child !== null && childPath !== undefined) return [...childPath, ...segments(child[2] ?? '')];
  const rest = field.replace(/^(config|options)\.?/, '').replace(/^name$/, '');
  if (/^args\b/.test(rest)) return [...at, 'command'];
  return [...at, ...segments(rest)];
}

function segments(rest: string): FieldPath {
  return rest === '' ? [] : rest.split(/\.|\[(\d+)\]/).filter((s): s is string => typeof s === 'string' && s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
