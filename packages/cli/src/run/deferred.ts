/**
 * A promise with its `resolve` outside (Node 20 has no `Promise.withResolvers`).
 *
 * @module
 */

/** A promise and the function that settles it; only the first `resolve` counts. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

/**
 * Makes a {@link Deferred}.
 *
 * @example
 * ```ts
 * const end = deferred<string>();
 * end.resolve('signal');
 * await end.promise; // 'signal'
 * ```
 */
export function deferred<T>(): Deferred<T> {
  let settle: (value: T) => void = () => undefined;
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return { promise, resolve: (value) => settle(value) };
}
