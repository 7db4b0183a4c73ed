/**
 * How `statevisor logs` prints a kept line: the process path, padded to a common width, then
 * ` | ` and the line, as `run` prints its output (docker compose's layout).
 *
 * @module
 */
import type { LogLine } from './log-line.ts';

/**
 * Formats one log line.
 *
 * @param line - a kept line
 * @param width - the prefix width (the longest path printed)
 * @returns the text, without the newline
 *
 * @example
 * ```ts
 * formatLogLine({ seq: 1, at: 0, path: 'web', stream: 'stdout', line: 'listening' }, 9); // 'web       | listening'
 * ```
 */
export function formatLogLine(line: LogLine, width: number): string {
  const prefix = line.stream === 'notice' ? 'statevisor' : line.path;
  return `${prefix.padEnd(width)} | ${line.line}`;
}
