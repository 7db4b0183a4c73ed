/**
 * Reads a YAML config with the `yaml` package, keeping lines.
 *
 * @module
 */
import type { RawConfig } from './raw-config.ts';
import { parseSource } from './source-lines.ts';

/**
 * Reads YAML text: its value, or its syntax errors with their lines.
 *
 * @param text - the file's text
 * @returns the raw config
 *
 * @example
 * ```ts
 * readYaml('processes:\n  web:\n    command: node server.js\n').value;
 * ```
 */
export function readYaml(text: string): RawConfig {
  const source = parseSource(text);
  const problems = source.errors.map((error) =>
    error.line === undefined ? { path: '', message: error.message } : { line: error.line, path: '', message: error.message },
  );
  return { value: source.value, lineOf: source.lineOf, problems };
}
