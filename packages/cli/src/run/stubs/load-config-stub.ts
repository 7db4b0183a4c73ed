/**
 * TEMPORARY stand-in for CFG's `loadConfig` (src/config/load-config.ts) until branch `cfg`
 * lands: loads a JSON config only (processes and groups, `command` an argv array or a string
 * split on spaces, `shell: true` through `sh -c`). Deleted once `cfg` is merged.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { StatevisorError, supervisor, type ChildSpec, type SupervisorOptions } from '@statevisor/core';
import { processTask, type ProcessConfig } from '@statevisor/process';
import type { GroupEntry, ProcessEntry, StatevisorConfig } from '../../config/config-types.ts';

/** A loaded config (the interface of CFG's `LoadedConfig`). */
export interface LoadedConfig {
  readonly file: string;
  readonly dir: string;
  readonly name: string;
  readonly config: StatevisorConfig;
  readonly supervisor: SupervisorOptions;
}

/** A config file with problems (the interface of CFG's `ConfigFileError`). */
export class ConfigFileError extends StatevisorError {
  constructor(
    readonly file: string,
    readonly problems: readonly { line?: number; path: string; message: string }[],
  ) {
    super('ERR_CONFIG_FILE', problems.map((p) => `${file}${p.line === undefined ? '' : `:${String(p.line)}`}: ${p.path}: ${p.message}`).join('\n'));
  }
}

/** No config found (the interface of CFG's `ConfigNotFoundError`). */
export class ConfigNotFoundError extends StatevisorError {
  constructor(readonly cwd: string) {
    super('ERR_CONFIG_NOT_FOUND', `no statevisor config found in ${cwd}`);
  }
}

const CHILD_KEYS = ['restart', 'backoff', 'maxRetries', 'resetAfterMs', 'timeoutMs', 'graceMs', 'heartbeatTimeoutMs', 'dependsOn'] as const;

function childOptions(entry: ProcessEntry | GroupEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of CHILD_KEYS) if (entry[key] !== undefined) out[key] = entry[key];
  return out;
}

function processSpec(name: string, entry: ProcessEntry, dir: string): ChildSpec {
  const { command, shell, readyIndicator, envFile: _envFile, ...rest } = entry;
  const argv = typeof command === 'string' ? (shell === true ? ['sh', '-c', command] : command.split(/\s+/).filter(Boolean)) : [...command];
  const own = Object.fromEntries(Object.entries(rest).filter(([key]) => !(CHILD_KEYS as readonly string[]).includes(key)));
  const config: Record<string, unknown> = { ...own, command: argv[0] ?? '', args: argv.slice(1), cwd: resolve(dir, entry.cwd ?? '.') };
  if (readyIndicator !== undefined) config['readyIndicator'] = new RegExp(readyIndicator);
  return processTask(name, config as unknown as ProcessConfig, childOptions(entry));
}

function children(entry: GroupEntry, dir: string): ChildSpec[] {
  return [
    ...Object.entries(entry.processes ?? {}).map(([name, p]) => processSpec(name, p, dir)),
    ...Object.entries(entry.groups ?? {}).map(([name, g]) =>
      supervisor(name, { ...childOptions(g), ...(g.strategy === undefined ? {} : { strategy: g.strategy }), children: children(g, dir) }),
    ),
  ];
}

/**
 * Loads a JSON config (stub).
 *
 * @example
 * ```ts
 * const loaded = await loadConfig({ file: 'statevisor.json', cwd: process.cwd() });
 * ```
 */
export async function loadConfig(options: { file?: string; cwd: string }): Promise<LoadedConfig> {
  const file = resolve(options.cwd, options.file ?? 'statevisor.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigNotFoundError(options.cwd);
  }
  let config: StatevisorConfig;
  try {
    config = JSON.parse(text) as StatevisorConfig;
  } catch (error) {
    throw new ConfigFileError(file, [{ path: '(file)', message: String(error) }]);
  }
  const dir = dirname(file);
  const name = config.name ?? basename(dir);
  const { processes: _p, groups: _g, ...rest } = config;
  return { file, dir, name, config, supervisor: { ...rest, name, children: children(config, dir) } };
}
