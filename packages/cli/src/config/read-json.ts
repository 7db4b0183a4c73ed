/**
 * Reads a JSON config: `JSON.parse` gives the value (a syntax error's position becomes a line),
 * the `yaml` package the lines of fields (JSON is YAML too).
 *
 * @module
 */
import { NO_LINES, type RawConfig } from './raw-config.ts';
import { parseSource } from './source-lines.ts';

/**
 * Reads JSON text: its value, or its syntax error with its line.
 *
 * @param text - the file's text
 * @returns the raw config
 *
 * @example
 * ```ts
 * readJson('{ "processes": { "web": { "command": "node server.js" } } }').value;
 * ```
 */
export function readJson(text: string): RawConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = lineOfError(text, message);
    const problem = line === undefined ? { path: '', message } : { line, path: '', message };
    return { value: undefined, lineOf: NO_LINES, problems: [problem] };
  }
  return { value, lineOf: parseSource(text).lineOf, problems: [] };
}

function lineOfError(text: string, message: string): number | undefined {
  const line = /\(line (\d+) column \d+\)/.exec(message)?.[1];
  if (line !== undefined) return Number(line);
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position !== undefined) return text.slice(0, Number(position)).split('\n').length;
  return /Unexpected end of JSON input/.test(message) ? text.split('\n').length : undefined;
}
