/**
 * How a task names its attempts' actors: `<path>#<attempt>`, stable across restarts, so the
 * inspector shows which attempt of which child is running (DESIGN §3).
 */

/**
 * The id of attempt `attempt` of the task at `path`, as the inspector shows it.
 *
 * @example
 * ```ts
 * attemptIdOf('app/web', 3); // 'app/web#3'
 * ```
 */
export function attemptIdOf(path: string, attempt: number): string {
  return `${path}#${attempt}`;
}
