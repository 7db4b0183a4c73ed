/**
 * Uptimes as people read them: `42s`, `3m12s`, `2h05m`, `4d03h`.
 *
 * @module
 */

/**
 * Formats a duration for `ps` and the TUI.
 *
 * @param ms - milliseconds
 * @returns the short text
 *
 * @example
 * ```ts
 * formatUptime(192_000); // '3m12s'
 * ```
 */
export function formatUptime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${String(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${String(minutes)}m${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${String(hours)}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${String(Math.floor(hours / 24))}d${String(hours % 24).padStart(2, '0')}h`;
}
