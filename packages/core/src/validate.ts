/**
 * Small boundary validators. Each throws a {@link ConfigError} naming the field's path and
 * quoting the received value; none of them starts anything.
 */
import { ConfigError } from './errors.ts';
import { describeThrown, describeValue } from './foreign.ts';

export { describeValue } from './foreign.ts';

/** Throws a ConfigError for `field` saying what was expected and what was received. */
export function invalid(field: string, expected: string, value: unknown): never {
  throw new ConfigError(field, `expected ${expected}, received ${describeValue(value)}`);
}

/** A plain object (not null, not an array). */
export function expectObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(field, 'an object', value);
  return value as Record<string, unknown>;
}

/** A finite number >= `min` (default 0). */
export function expectNumber(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    invalid(field, `a finite number >= ${min}`, value);
  }
  return value;
}

/**
 * A delay in ms: a number from 0 to `Number.MAX_SAFE_INTEGER` (fractions allowed). Delays
 * beyond a platform timer's range are waited in steps (see `withLongDelays` in clock.ts).
 *
 * @example
 * ```ts
 * expectDelay(35 * 86_400_000, 'options.timeoutMs'); // 3024000000
 * expectDelay(2 ** 60, 'options.timeoutMs'); // throws ConfigError, field 'options.timeoutMs'
 * ```
 */
export function expectDelay(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !(value >= min && value <= Number.MAX_SAFE_INTEGER)) {
    invalid(field, `a number of milliseconds from ${min} to Number.MAX_SAFE_INTEGER`, value);
  }
  return value;
}

/** An integer >= `min` (default 0). */
export function expectInteger(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    invalid(field, `an integer >= ${min}`, value);
  }
  return value;
}

/** A non-empty string. */
export function expectName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) invalid(field, 'a non-empty string', value);
  if (value.includes('/')) invalid(field, 'a name without "/"', value);
  return value;
}

/** A boolean. */
export function expectBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') invalid(field, 'a boolean', value);
  return value;
}

/** A function; `F` is the function type the caller expects (only its callability is checked). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the type it validated
export function expectFunction<F>(value: unknown, field: string): F {
  if (typeof value !== 'function') invalid(field, 'a function', value);
  return value as F;
}

/** One of `choices`. */
export function expectOneOf<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    invalid(field, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, value);
  }
  return value as T;
}

/** Rejects keys of `object` that are not in `known` (catches typos such as `restrat`). */
export function expectKnownKeys(object: Record<string, unknown>, field: string, known: readonly string[]): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw new ConfigError(field === '' ? key : `${field}.${key}`, `unknown option (known: ${known.join(', ')})`);
    }
  }
}

/**
 * Runs a validation `body` over a value that may be hostile: a throw that is not a
 * ConfigError (a revoked Proxy, a throwing getter or trap) becomes a ConfigError naming `field`.
 *
 * @example
 * ```ts
 * const options = readingAs('options', () => expectObject(value, 'options'));
 * ```
 */
export function readingAs<T>(field: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(field, `could not be read (${describeThrown(error)})`);
  }
}

/** Joins a parent field path and a key: `join('', 'a')` is `a`, `join('a', 'b')` is `a.b`. */
export function join(field: string, key: string): string {
  return field === '' ? key : `${field}.${key}`;
}
