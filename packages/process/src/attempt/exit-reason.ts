/**
 * The text of a failed attempt's `reason`, in the manner of execa: the command line (cut at
 * {@link MAX_COMMAND_CHARS} characters), how the process ended, and its last stderr line.
 *
 * @module
 */

/**
 * How many characters of the command line a reason keeps; a longer one is cut and ends with `…`.
 *
 * @example
 * ```ts
 * reasonOf('x'.repeat(300), 'exited with code 1', undefined); // 'xxx…xxx… exited with code 1' (100 x, then …)
 * ```
 */
export const MAX_COMMAND_CHARS = 100;

/**
 * How many characters of the last stderr line a reason keeps (a line may be up to
 * `maxLineBytes` long; the whole of it stays in `stderrTail`).
 *
 * @example
 * ```ts
 * reasonOf('sh', 'exited with code 1', 'e'.repeat(1_000)).endsWith('…'); // true
 * ```
 */
export const MAX_STDERR_CHARS = 200;

/**
 * `commandLine` (cut), then `how`, then `: ` and the last non-blank line of `stderrTail`, if any.
 *
 * @param commandLine - the command and its arguments as one line (`config.commandLine`)
 * @param how - how the process ended, e.g. `exited with code 3`
 * @param stderrTail - the last stderr lines, oldest first
 *
 * @example
 * ```ts
 * reasonOf('sh -c "echo boom >&2; exit 3"', 'exited with code 3', ['boom']);
 * // 'sh -c "echo boom >&2; exit 3" exited with code 3: boom'
 * ```
 */
export function reasonOf(commandLine: string, how: string, stderrTail: readonly string[] | undefined): string {
  const reason = `${cut(commandLine, MAX_COMMAND_CHARS)} ${how}`;
  const last = lastLine(stderrTail);
  return last === undefined ? reason : `${reason}: ${cut(last, MAX_STDERR_CHARS)}`;
}

/**
 * How a process ended by a signal reads: who asked for it decides the words.
 *
 * @param signal - the signal that killed the leader
 * @param asked - `'stop'`: a stop (or a kill) of the framework's own; `'user'`: sent with
 *   `signal()`; `undefined`: nobody asked for it
 *
 * @example
 * ```ts
 * killedBy('SIGSEGV', undefined); // 'was killed by SIGSEGV, which nobody asked for'
 * killedBy('SIGTERM', 'user');    // 'was killed by SIGTERM, sent with signal()'
 * ```
 */
export function killedBy(signal: string, asked: 'stop' | 'user' | undefined): string {
  if (asked === 'stop') return `was stopped by ${signal}`;
  if (asked === 'user') return `was killed by ${signal}, sent with signal()`;
  return `was killed by ${signal}, which nobody asked for`;
}

/** The last line with something in it, trimmed at its end. */
function lastLine(tail: readonly string[] | undefined): string | undefined {
  if (tail === undefined) return undefined;
  for (let index = tail.length - 1; index >= 0; index--) {
    const line = (tail[index] ?? '').trimEnd();
    if (line !== '') return line;
  }
  return undefined;
}

/** `text` cut at `max` characters (never inside a surrogate pair), with `…` when it was cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}
