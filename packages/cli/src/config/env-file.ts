/**
 * Loads `envFile`s: dotenv files relative to the config's folder, parsed by Node's own
 * `util.parseEnv` (Node 20.12 and later).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The variables of the files, or the files that could not be read.
 *
 * @example
 * ```ts
 * const loaded: LoadedEnv = loadEnvFiles(['.env'], '/app');
 * ```
 */
export type LoadedEnv =
  | { readonly env: Readonly<Record<string, string>> }
  | { readonly problems: readonly { readonly index: number | undefined; readonly message: string }[] };

/**
 * The paths of `envFile`, absolute (relative ones are taken from `dir`).
 *
 * @param envFile - one file or several
 * @param dir - the config's folder
 * @returns the absolute paths, in order
 *
 * @example
 * ```ts
 * envFilePaths(['.env', '/etc/app.env'], '/app'); // ['/app/.env', '/etc/app.env']
 * ```
 */
export function envFilePaths(envFile: string | readonly string[] | undefined, dir: string): readonly string[] {
  if (envFile === undefined) return [];
  return (typeof envFile === 'string' ? [envFile] : envFile).map((file) => resolve(dir, file));
}

/**
 * Reads and merges the files (a later file wins over an earlier one).
 *
 * @param envFile - one file or several, as in the config
 * @param dir - the config's folder
 * @returns the variables, or one problem per file that cannot be read (`index` for a list)
 *
 * @example
 * ```ts
 * const loaded = loadEnvFiles('.env', '/app');
 * if ('env' in loaded) console.log(loaded.env['PORT']);
 * ```
 */
export function loadEnvFiles(envFile: string | readonly string[] | undefined, dir: string): LoadedEnv {
  const env: Record<string, string> = {};
  const problems: { index: number | undefined; message: string }[] = [];
  envFilePaths(envFile, dir).forEach((file, i) => {
    const index = typeof envFile === 'string' ? undefined : i;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push({ index, message: code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code ?? String(error)})` });
      return;
    }
    for (const [key, value] of Object.entries(parseEnv(text))) if (value !== undefined) env[key] = value;
  });
  return problems.length > 0 ? { problems } : { env };
}
