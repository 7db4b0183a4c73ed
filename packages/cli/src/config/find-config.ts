/**
 * Finds the config file in a folder when none is named: the first of {@link CONFIG_FILE_NAMES}.
 *
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigFileError, ConfigNotFoundError } from './config-file-error.ts';

/**
 * The names looked for, in order. Two `statevisor.config.*` files in one folder are refused as
 * ambiguous; a Procfile is used only when there is no `statevisor.config.*` (so a Procfile kept
 * for another host does not get in the way).
 *
 * @example
 * ```ts
 * console.log(`looking for ${CONFIG_FILE_NAMES.join(', ')}`);
 * ```
 */
export const CONFIG_FILE_NAMES = [
  'statevisor.config.ts',
  'statevisor.config.mts',
  'statevisor.config.mjs',
  'statevisor.config.js',
  'statevisor.config.json',
  'statevisor.config.yaml',
  'statevisor.config.yml',
  'Procfile',
] as const;

/**
 * The config file of `dir`: the one `statevisor.config.*` there, else its `Procfile`.
 *
 * @param dir - the folder to look in (absolute)
 * @returns the file's absolute path
 * @throws {@link ConfigNotFoundError} when there is none
 * @throws {@link ConfigFileError} when two `statevisor.config.*` files are there
 *
 * @example
 * ```ts
 * const file = findConfigFile(process.cwd()); // '/app/statevisor.config.yaml'
 * ```
 */
export function findConfigFile(dir: string): string {
  const found = CONFIG_FILE_NAMES.filter((name) => isFile(join(dir, name)));
  const configs = found.filter((name) => name !== 'Procfile');
  const [first, ...others] = configs.length > 0 ? configs : found;
  if (first === undefined) throw new ConfigNotFoundError(dir, CONFIG_FILE_NAMES);
  if (others.length > 0) {
    throw new ConfigFileError(join(dir, first), [
      { path: '', message: `${[first, ...others].join(' and ')} are all in ${dir}: keep one, or name it (statevisor run <file>)` },
    ]);
  }
  return join(dir, first);
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
