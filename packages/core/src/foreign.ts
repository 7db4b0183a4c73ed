/**
 * Total conversions of foreign values: whatever a task, a runner, an actor or a subscriber
 * throws (an Error whose `message` getter throws, a revoked Proxy, a Symbol, an object whose
 * `toString` throws...), these functions return a readable string or an Error and never throw.
 *
 * @module
 */

/** What is shown for a value that cannot be printed at all. */
const UNPRINTABLE = '<unprintable value>';

/**
 * Prints any value for a message: a string as itself, other primitives with `String`, objects
 * with their own `toString` when it works. Never throws: an unprintable value gives
 * `<unprintable value>`.
 *
 * @example
 * ```ts
 * printable(42); // '42'
 * printable(Symbol('s')); // 'Symbol(s)'
 * printable(Object.create(null)); // '<unprintable value>'
 * ```
 */
export function printable(value: unknown): string {
  try {
    if (typeof value === 'string') return value;
    if (typeof value === 'symbol') return value.toString();
    const text = String(value);
    return typeof text === 'string' ? text : UNPRINTABLE;
  } catch {
    return UNPRINTABLE;
  }
}

/** An Error's `name`, or `'Error'` when it cannot be read as a non-empty string. */
function nameOf(error: Error): string {
  try {
    const name: unknown = error.name;
    return typeof name === 'string' && name !== '' ? name : 'Error';
  } catch {
    return 'Error';
  }
}

/** Reads `value instanceof Error` without letting a Proxy's trap throw. */
function isError(value: unknown): value is Error {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/**
 * A readable one-line reason for any thrown value, that never throws itself: an Error's
 * message (its name when the message is empty), a thrown string as itself, and for anything
 * else `non-error thrown: <the value printed>` (`<unprintable value>` when it cannot be printed).
 * Use it wherever a foreign value becomes text: logs, event reasons, outcome reasons.
 *
 * @param value - anything a `throw` or a rejection can carry
 * @returns a string, never empty
 *
 * @example
 * ```ts
 * import { describeThrown } from '@statevisor/core';
 *
 * describeThrown(new Error('boom')); // 'boom'
 * describeThrown(42); // 'non-error thrown: 42'
 * const { proxy, revoke } = Proxy.revocable({}, {});
 * revoke();
 * describeThrown(proxy); // 'non-error thrown: <unprintable value>'
 * ```
 */
export function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value === '' ? 'non-error thrown: ""' : value;
  if (!isError(value)) return `non-error thrown: ${printable(value)}`;
  let message: unknown;
  try {
    message = value.message;
  } catch {
    return `${nameOf(value)} (its message could not be read)`;
  }
  if (typeof message !== 'string') return `${nameOf(value)} (its message is not a string)`;
  return message === '' ? nameOf(value) : message;
}

/**
 * Turns any thrown value into an Error, without ever throwing: an Error whose `message` reads
 * as a string is returned as is; anything else becomes a new Error whose message is
 * {@link describeThrown}'s text (a thrown string becomes the message itself).
 *
 * @example
 * ```ts
 * toError(new Error('boom')).message; // 'boom'
 * toError(Symbol('s')).message; // 'non-error thrown: Symbol(s)'
 * ```
 */
export function toError(value: unknown): Error {
  if (isError(value)) {
    try {
      if (typeof value.message === 'string') return value;
    } catch {
      // An unreadable message: wrapped below.
    }
  }
  return new Error(describeThrown(value));
}

/**
 * Runs `body` and returns its result as a promise: a synchronous throw becomes a rejection with
 * {@link toError} of the thrown value (for the methods that must never throw synchronously).
 *
 * @example
 * ```ts
 * add: (spec) => asPromise(() => runtime.add(validate(spec))),
 * ```
 */
export function asPromise<T>(body: () => T | Promise<T>): Promise<T> {
  try {
    return Promise.resolve(body());
  } catch (error) {
    return Promise.reject(toError(error));
  }
}

/**
 * Renders a value received at a boundary for an error message: quoted, short, with its type
 * (`"abc"`, `42`, `an array of length 3`, `an object (Map)`). Never throws: a revoked Proxy, or
 * one whose traps throw, is `an unreadable value`. Every `ConfigError` of core quotes values this
 * way, and so do packages built on core.
 *
 * @param value - what was received
 * @returns a short description
 *
 * @example
 * ```ts
 * import { describeValue } from '@statevisor/core';
 *
 * describeValue('sleep 1'); // '"sleep 1"'
 * describeValue([1, 2]); // 'an array of length 2'
 * ```
 */
export function describeValue(value: unknown): string {
  try {
    return describeReadable(value);
  } catch {
    // A revoked Proxy, or a Proxy whose traps throw.
    return 'an unreadable value';
  }
}

function describeReadable(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `a function`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof RegExp) return String(value);
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}
