/**
 * Backoff: how long to wait before retrying after the n-th consecutive failure.
 *
 * Pure functions over plain data: the random source is passed in, nothing here reads a clock,
 * starts a timer or imports a machine.
 *
 * @module
 */
import { ConfigError } from '../errors.ts';
import type { RandomSource } from '../clock.ts';
import { describeValue, expectKnownKeys, expectDelay, expectNumber, expectObject, expectOneOf, join } from '../validate.ts';

/**
 * How a backoff delay is randomized around its exponential `base`:
 * - `'none'`: exactly `base`;
 * - `'full'`: uniform in `[0, base]`;
 * - `'equal'`: uniform in `[base / 2, base]`;
 * - `'decorrelated'`: uniform in `[firstMs, min(3 * base, maxMs)]` (can exceed `base`).
 *
 * @example
 * ```ts
 * const jitter: Jitter = 'full';
 * task('poll', run, { backoff: { jitter } });
 * ```
 */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated';

/** Every {@link Jitter} value, in a stable order. */
const JITTERS: readonly Jitter[] = ['none', 'full', 'equal', 'decorrelated'];

/** The keys a backoff option object may have. */
const BACKOFF_KEYS: readonly string[] = ['firstMs', 'maxMs', 'factor', 'jitter', 'floorMs'];

/**
 * A backoff policy. The delay after the n-th consecutive failure (n from 0) is
 * `base = min(firstMs * factor^n, maxMs)`, randomized by `jitter`, then raised to `floorMs`,
 * capped at `maxMs` and rounded to whole milliseconds (see {@link backoffDelay}).
 *
 * @example
 * ```ts
 * const policy: BackoffPolicy = { firstMs: 100, maxMs: 10_000, factor: 2, jitter: 'full', floorMs: 20 };
 * task('fetch', run, { restart: 'on-failure', backoff: policy });
 * ```
 */
export interface BackoffPolicy {
  /** The base delay after the first failure (n = 0), in ms. Finite, `>= 0`, `<= maxMs`. */
  readonly firstMs: number;
  /** The largest delay ever returned, in ms. Finite, `>= 0`. */
  readonly maxMs: number;
  /** Growth of the base per consecutive failure. Finite, `>= 1` (`1` is a constant delay). */
  readonly factor: number;
  /** How the base is randomized. */
  readonly jitter: Jitter;
  /** The smallest delay returned (before the `maxMs` cap), in ms. Finite, `>= 0`, `<= maxMs`. Absent means 0. */
  readonly floorMs?: number;
}

/**
 * The default backoff: 200 ms doubling up to 30 s, with equal jitter
 * (so the n-th delay lies in `[base / 2, base]`).
 *
 * @example
 * ```ts
 * const slower: BackoffPolicy = { ...DEFAULT_BACKOFF, firstMs: 1_000 };
 * ```
 */
export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ firstMs: 200, maxMs: 30_000, factor: 2, jitter: 'equal' });

/**
 * Merges a partial backoff option with its defaults and validates the result: the one place a
 * backoff is checked. A partial object is accepted: missing keys (and keys whose value is
 * `undefined`) are taken from `defaults` ({@link DEFAULT_BACKOFF} unless given: `task()` knows no
 * other), then the merged policy is checked as a whole. A supervisor passes its subtree's
 * `defaults.backoff`, so a child's backoff is checked as the child will run with it.
 *
 * Rejected, with a {@link ConfigError} whose `field` is the bad key's path (e.g.
 * `backoff.factor`) and whose message quotes the value: a non-object, an unknown key,
 * `firstMs`/`maxMs`/`floorMs` that are not finite numbers `>= 0`, a `factor` that is not a
 * finite number `>= 1` (NaN, Infinity, 0.5, 0, -1), a `jitter` that is not one of
 * {@link Jitter}, `firstMs > maxMs` (reported on `firstMs`) and `floorMs > maxMs` (reported on
 * `floorMs`).
 *
 * @param value - the option as the user gave it
 * @param field - the path of the option, e.g. `backoff` or `children[2].backoff`
 * @param defaults - where the keys it does not give come from
 * @returns a fresh frozen policy; `floorMs` is present only if it (or `defaults.floorMs`) was given
 * @throws {@link ConfigError} when the option is invalid
 *
 * @example
 * ```ts
 * validateBackoff({ firstMs: 50 }, 'backoff');
 * // { firstMs: 50, maxMs: 30000, factor: 2, jitter: 'equal' }
 * validateBackoff({ factor: 0.5 }, 'backoff');
 * // throws ConfigError: "backoff.factor: expected a finite number >= 1, received 0.5"
 * validateBackoff({ maxMs: 100 }, 'children[0].options.backoff', { ...DEFAULT_BACKOFF, firstMs: 10 });
 * // { firstMs: 10, maxMs: 100, factor: 2, jitter: 'equal' }
 * ```
 */
export function validateBackoff(value: unknown, field: string, defaults: BackoffPolicy = DEFAULT_BACKOFF): BackoffPolicy {
  const object = expectObject(value, field);
  expectKnownKeys(object, field, BACKOFF_KEYS);

  const given = (key: string): unknown => object[key];
  const firstGiven = given('firstMs') !== undefined;
  const firstMs = firstGiven ? expectDelay(given('firstMs'), join(field, 'firstMs')) : defaults.firstMs;
  const maxMs = given('maxMs') !== undefined ? expectDelay(given('maxMs'), join(field, 'maxMs')) : defaults.maxMs;
  const factor = given('factor') !== undefined ? expectNumber(given('factor'), join(field, 'factor'), 1) : defaults.factor;
  const jitter = given('jitter') !== undefined ? expectOneOf(given('jitter'), join(field, 'jitter'), JITTERS) : defaults.jitter;
  const floorMs = given('floorMs') !== undefined ? expectDelay(given('floorMs'), join(field, 'floorMs')) : defaults.floorMs;

  if (firstMs > maxMs) {
    const which = firstGiven ? `firstMs ${describeValue(firstMs)}` : `the default firstMs ${describeValue(firstMs)}`;
    throw new ConfigError(join(field, 'firstMs'), `${which} exceeds maxMs ${describeValue(maxMs)}`);
  }
  if (floorMs !== undefined && floorMs > maxMs) {
    throw new ConfigError(join(field, 'floorMs'), `floorMs ${describeValue(floorMs)} exceeds maxMs ${describeValue(maxMs)}`);
  }

  const policy: BackoffPolicy =
    floorMs === undefined ? { firstMs, maxMs, factor, jitter } : { firstMs, maxMs, factor, jitter, floorMs };
  return Object.freeze(policy);
}

/**
 * One computed backoff delay, with what decided it (for events and `explain()`).
 *
 * @example
 * ```ts
 * const { delayMs, baseMs, jitterSample } = backoffDelay(DEFAULT_BACKOFF, 0, Math.random);
 * console.log(`waiting ${delayMs} ms (base ${baseMs}, sample ${jitterSample})`);
 * ```
 */
export interface BackoffSample {
  /** The delay to wait, in whole ms: an integer in `[0, maxMs]`, never NaN. */
  readonly delayMs: number;
  /** `min(firstMs * factor^n, maxMs)`, before jitter, floor and rounding (may be fractional). */
  readonly baseMs: number;
  /** The random number used by the jitter, clamped into `[0, 1]`; `undefined` for `'none'`. */
  readonly jitterSample: number | undefined;
}

/**
 * Computes the delay after the n-th consecutive failure (n from 0):
 *
 * 1. `base = min(firstMs * factor^n, maxMs)`: no overflow or NaN for any `n` (a huge or
 *    infinite `n` gives `maxMs`; `factor` 1 gives `firstMs`; `firstMs` 0 gives 0);
 * 2. jitter: `none` = base, `full` = U[0, base], `equal` = U[base/2, base],
 *    `decorrelated` = U[firstMs, min(3 * base, maxMs)], with `U[a, b] = a + r * (b - a)` and
 *    `r = random()`;
 * 3. `min(max(delay, floorMs ?? 0), maxMs)`, rounded with `Math.round` (and never rounded above
 *    `maxMs`).
 *
 * `random` is called exactly once for a jitter other than `'none'` and never for `'none'`. A
 * source that returns NaN or a number outside `[0, 1)` is clamped (NaN counts as 0), so the
 * delay stays in bounds. A negative, NaN or fractional `n` is treated as `max(0, floor(n))`.
 *
 * @param policy - a policy, normally from validated options (`task()` and `createSupervisor` validate them)
 * @param n - the number of consecutive failures before this one (0 for the first failure)
 * @param random - the random source, `() => number` in `[0, 1)`
 * @returns the delay and what decided it
 *
 * @example
 * ```ts
 * const policy: BackoffPolicy = { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' };
 * [0, 1, 2, 3, 4].map((n) => backoffDelay(policy, n, Math.random).delayMs);
 * // [100, 200, 400, 800, 1000]
 * ```
 */
export function backoffDelay(policy: BackoffPolicy, n: number, random: RandomSource): BackoffSample {
  const { firstMs, maxMs, factor, jitter } = policy;
  const floorMs = policy.floorMs ?? 0;
  const base = baseDelay(firstMs, maxMs, factor, n);

  let raw: number;
  let jitterSample: number | undefined;
  switch (jitter) {
    case 'none':
      raw = base;
      jitterSample = undefined;
      break;
    case 'full':
      jitterSample = clampUnit(random());
      raw = uniform(0, base, jitterSample);
      break;
    case 'equal':
      jitterSample = clampUnit(random());
      raw = uniform(base / 2, base, jitterSample);
      break;
    case 'decorrelated': {
      jitterSample = clampUnit(random());
      const upper = Math.min(3 * base, maxMs);
      raw = uniform(firstMs, Math.max(upper, firstMs), jitterSample);
      break;
    }
    default:
      return unreachable(jitter);
  }

  const bounded = Math.min(Math.max(raw, floorMs), maxMs);
  // Math.round can round a fractional maxMs up (100.5 -> 101); the cap is maxMs's whole part then.
  const delayMs = Math.max(0, Math.min(Math.round(bounded), Math.floor(maxMs)));
  return { delayMs: Number.isNaN(delayMs) ? 0 : delayMs, baseMs: base, jitterSample };
}

/** `min(firstMs * factor^n, maxMs)` without NaN or overflow for any `n`. */
function baseDelay(firstMs: number, maxMs: number, factor: number, n: number): number {
  if (!(firstMs > 0)) return 0;
  const steps = n > 0 ? Math.floor(n) : 0; // NaN and negatives count as 0
  if (steps === 0 || factor <= 1) return Math.min(firstMs, maxMs); // factor 1: constant (1 ** Infinity is NaN)
  if (firstMs >= maxMs) return maxMs;
  // Clamp early: once factor^steps reaches maxMs / firstMs the base is maxMs, whatever steps is.
  // This also keeps Infinity and MAX_SAFE_INTEGER away from Math.pow.
  // Logs, not maxMs / firstMs: that ratio overflows for a tiny (subnormal) firstMs.
  const stepsToMax = (Math.log(maxMs) - Math.log(firstMs)) / Math.log(factor);
  if (steps > stepsToMax + 1) return maxMs;
  // factor^steps alone can overflow while firstMs * factor^steps is still below maxMs.
  const power = factor ** steps;
  const grown = Number.isFinite(power) ? firstMs * power : Math.exp(Math.log(firstMs) + steps * Math.log(factor));
  return grown < maxMs ? grown : maxMs; // `<` also maps any NaN to maxMs
}

/** `a + r * (b - a)`. */
function uniform(a: number, b: number, r: number): number {
  return a + r * (b - a);
}

/** Clamps a random number into `[0, 1]`; NaN becomes 0. */
function clampUnit(r: number): number {
  if (!(r > 0)) return 0; // NaN, negatives, -0
  return r > 1 ? 1 : r;
}

/** Exhaustiveness guard for a value that cannot exist at runtime with a valid policy. */
function unreachable(value: never): never {
  throw new TypeError(`unknown jitter ${describeValue(value)}`);
}
