/**
 * Reads a TS/JS config module: its default export, an object or a function returning one (or a
 * promise of one). `.ts` and `.mts` files are imported through tsx, so no build step is needed.
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { describeThrown } from '@statevisor/core';
import { tsImport } from 'tsx/esm/api';
import { NO_LINES, type RawConfig } from './raw-config.ts';

/**
 * Imports `file` and takes its default export (calling it when it is a function).
 *
 * @param file - the module's absolute path
 * @returns the raw config; an import that throws, or no default export, is a problem
 *
 * @example
 * ```ts
 * const raw = await readModule('/app/statevisor.config.ts');
 * ```
 */
export async function readModule(file: string): Promise<RawConfig> {
  let value: unknown;
  try {
    const exported = defaultExport(await importModule(file));
    value = typeof exported === 'function' ? await (exported as () => unknown)() : exported;
  } catch (error) {
    return { value: undefined, lineOf: NO_LINES, problems: [{ path: '', message: `could not be loaded: ${describeThrown(error)}` }] };
  }
  if (value === undefined) {
    return { value, lineOf: NO_LINES, problems: [{ path: '', message: 'has no default export (export default defineConfig({ ... }))' }] };
  }
  return { value, lineOf: NO_LINES, problems: [] };
}

/**
 * The module's default export. A `.ts` file outside a `"type": "module"` package is compiled as
 * CommonJS, so its `export default` arrives as `default.default`; a config never has a
 * `default` key of its own, so that one is unwrapped.
 */
function defaultExport(module: unknown): unknown {
  const exported = (module as { default?: unknown }).default;
  if (typeof exported === 'object' && exported !== null && 'default' in exported) return (exported).default;
  return exported;
}

function importModule(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  return /\.m?ts$/.test(file) ? tsImport(url, import.meta.url) : import(url);
}
