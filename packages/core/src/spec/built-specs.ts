/**
 * The child specs made by the builders (`task`, `runnerTask`, `supervisor`, and through
 * `runnerTask` also `processTask`). A supervisor accepts only these: a look-alike object (a copy,
 * a forgery, a Proxy) is refused with a ConfigError instead of failing later in the runtime.
 */

const built = new WeakSet<object>();

/**
 * Records `spec` as made by a builder and returns it.
 *
 * @example
 * ```ts
 * return markBuilt(Object.freeze({ type: 'task', name, work, options }));
 * ```
 */
export function markBuilt<T extends object>(spec: T): T {
  built.add(spec);
  return spec;
}

/**
 * Whether `value` was made by a builder (never runs a Proxy trap).
 *
 * @example
 * ```ts
 * isBuilt(task('t', run)); // true
 * isBuilt({ ...task('t', run) }); // false: a copy
 * ```
 */
export function isBuilt(value: unknown): boolean {
  return typeof value === 'object' && value !== null && built.has(value);
}
