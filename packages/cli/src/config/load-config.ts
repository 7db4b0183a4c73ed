/**
 * `loadConfig`: finds (or takes) the config file, reads it in its format, validates it with the
 * schema and the checks across fields, and builds the supervisor options, reporting every
 * problem at once as a {@link ConfigFileError}.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import type { SupervisorOptions } from '@statevisor/core';
import { buildSupervisor } from './build-supervisor.ts';
import { checkConfig } from './config-checks.ts';
import { ConfigFileError, type ConfigProblem } from './config-file-error.ts';
import { problem, problemsOfIssues } from './config-problems.ts';
import { configSchema } from './config-schema.ts';
import type { StatevisorConfig } from './config-types.ts';
import { findConfigFile } from './find-config.ts';
import type { RawConfig } from './raw-config.ts';
import { readJson } from './read-json.ts';
import { readModule } from './read-module.ts';
import { readProcfile } from './read-procfile.ts';
import { readYaml } from './read-yaml.ts';

export { ConfigFileError, ConfigNotFoundError } from './config-file-error.ts';
export type { ConfigProblem } from './config-file-error.ts';
export { findConfigFile, CONFIG_FILE_NAMES } from './find-config.ts';

/**
 * A loaded config: where it is, the root's name, the validated config, and the supervisor
 * options built from it.
 *
 * @example
 * ```ts
 * const loaded: LoadedConfig = await loadConfig({ cwd: process.cwd() });
 * const app = createSupervisor({ ...loaded.supervisor, handleSignals: true });
 * ```
 */
export interface LoadedConfig {
  /** The config file's absolute path. */
  readonly file: string;
  /** Its folder: where relative `cwd` and `envFile` are taken from, and where the socket goes. */
  readonly dir: string;
  /** The root's name: `config.name`, else the folder's name made a valid name. */
  readonly name: string;
  readonly config: StatevisorConfig;
  /** Ready for `createSupervisor`: children built with `processTask()` and `supervisor()`. */
  readonly supervisor: SupervisorOptions;
}

/**
 * Where to load from: a file (relative to `cwd`), or the config found in `cwd`.
 *
 * @example
 * ```ts
 * await loadConfig({ file: 'deploy/statevisor.config.yaml', cwd: process.cwd() });
 * ```
 */
export interface LoadConfigOptions {
  readonly file?: string;
  readonly cwd: string;
}

/**
 * Loads a config: `file`, or the one found in `cwd` (see `CONFIG_FILE_NAMES`). YAML
 * (`.yaml`, `.yml`), JSON, TS/JS modules (`.ts`, `.mts`, `.mjs`, `.js`, `.cjs`) and Procfiles
 * (any other name) are read.
 *
 * @param options - the file, or the folder to search
 * @returns the loaded config
 * @throws {@link ConfigNotFoundError} when no file is named and none is found
 * @throws {@link ConfigFileError} listing every problem, with lines for YAML and JSON
 *
 * @example
 * ```ts
 * try {
 *   const { supervisor } = await loadConfig({ cwd: process.cwd() });
 *   await createSupervisor(supervisor).start();
 * } catch (error) {
 *   if (error instanceof ConfigFileError) { console.error(error.message); process.exitCode = 2; }
 * }
 * ```
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const file = options.file === undefined ? findConfigFile(resolve(options.cwd)) : resolve(options.cwd, options.file);
  const dir = dirname(file);
  const raw = await readConfigFile(file);
  if (raw.problems.length > 0) throw new ConfigFileError(file, raw.problems);

  const result = configSchema.safeParse(raw.value);
  const problems: ConfigProblem[] = result.success ? [] : problemsOfIssues(result.error.issues, raw.lineOf);
  for (const found of checkConfig(raw.value)) problems.push(problem(found.path, found.message, raw.lineOf));
  if (!result.success || problems.length > 0) throw new ConfigFileError(file, sortByLine(problems));

  const { $schema: _schema, ...config } = result.data;
  const name = config.name ?? nameOfFolder(dir);
  const built = buildSupervisor(config, name, dir);
  if ('problems' in built) {
    throw new ConfigFileError(file, sortByLine(built.problems.map((found) => problem(found.path, found.message, raw.lineOf))));
  }
  return { file, dir, name, config, supervisor: built.options };
}

async function readConfigFile(file: string): Promise<RawConfig> {
  const extension = extname(file);
  if (['.ts', '.mts', '.mjs', '.js', '.cjs'].includes(extension)) return readModule(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a config file' : `cannot be read (${code ?? String(error)})`;
    return { value: undefined, lineOf: () => undefined, problems: [{ path: '', message }] };
  }
  if (extension === '.yaml' || extension === '.yml') return readYaml(text);
  if (extension === '.json') return readJson(text);
  return readProcfile(text);
}

/**
 * The root's default name: the folder's base name, made a valid name (`my app` → `my-app`).
 *
 * @param dir - the config's folder
 * @returns a valid name
 *
 * @example
 * ```ts
 * nameOfFolder('/home/me/My Shop'); // 'My-Shop'
 * ```
 */
export function nameOfFolder(dir: string): string {
  const name = basename(dir).replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 64);
  return name === '' ? 'statevisor' : name;
}

function sortByLine(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}
