/**
 * Restart policy: what a task does after an attempt ends.
 *
 * A pure decision over plain data: the random source is passed in (for the backoff jitter),
 * nothing here reads a clock, starts a timer or imports a machine.
 *
 * @module
 */
import type { RandomSource } from '../clock.ts';
import type { StreakReset } from '../events.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import { describeValue, expectInteger, expectKnownKeys, expectDelay, expectObject, invalid, join } from '../validate.ts';

/**
 * When a task runs again after an attempt ends:
 * - `'never'`: never; the first attempt's result is the outcome;
 * - `'on-failure'`: after a (retryable) failure, with backoff and subject to `maxRetries`;
 * - `'always'`: like `'on-failure'`, and also after a success, once it has yielded one macrotask;
 * - `{ always: { intervalMs } }`: like `'always'`, but waits `intervalMs` after a success.
 *
 * A fatal error is never retried and a cancelled attempt is never restarted, whatever the policy.
 *
 * @example
 * ```ts
 * task('poll', run, { restart: { always: { intervalMs: 60_000 } } });
 * task('migrate', run, { restart: 'never' });
 * ```
 */
export type RestartPolicy = 'never' | 'on-failure' | 'always' | { readonly always: { readonly intervalMs: number } };

/** The string forms of {@link RestartPolicy}. */
const RESTART_NAMES: readonly string[] = ['never', 'on-failure', 'always'];

/**
 * Validates a restart option at the boundary.
 *
 * @param value - the option as the user gave it
 * @param field - the path of the option, e.g. `restart` or `children[1].restart`
 * @returns the policy: the string itself, or a fresh frozen `{ always: { intervalMs } }`
 * @throws {@link ConfigError} naming the bad field (e.g. `restart.always.intervalMs`) and quoting
 *   the value: not one of the strings, not an object of that exact shape, an unknown key, or an
 *   `intervalMs` that is not a finite number `>= 0`
 *
 * @example
 * ```ts
 * validateRestart('on-failure', 'restart');                  // 'on-failure'
 * validateRestart({ always: { intervalMs: 5_000 } }, 'restart'); // { always: { intervalMs: 5000 } }
 * validateRestart('sometimes', 'restart');                   // throws ConfigError (field 'restart')
 * ```
 */
export function validateRestart(value: unknown, field: string): RestartPolicy {
  if (typeof value === 'string' && RESTART_NAMES.includes(value)) return value as RestartPolicy;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(field, `one of 'never', 'on-failure', 'always' or { always: { intervalMs } }`, value);
  }
  const object = expectObject(value, field);
  expectKnownKeys(object, field, ['always']);
  const alwaysField = join(field, 'always');
  const always = expectObject(object['always'], alwaysField);
  expectKnownKeys(always, alwaysField, ['intervalMs']);
  const intervalMs = expectDelay(always['intervalMs'], join(alwaysField, 'intervalMs'));
  return Object.freeze({ always: Object.freeze({ intervalMs }) });
}

/**
 * Validates a `maxRetries` option: an integer `>= 0`, or `undefined` for "unlimited".
 *
 * @param value - the option as the user gave it
 * @param field - the path of the option, e.g. `maxRetries`
 * @returns the number of retries allowed per failure streak, or `undefined` (unlimited)
 * @throws {@link ConfigError} for anything else (a fraction, a negative number, NaN, Infinity, a string)
 *
 * @example
 * ```ts
 * validateMaxRetries(3, 'maxRetries');         // 3
 * validateMaxRetries(undefined, 'maxRetries'); // undefined: unlimited
 * validateMaxRetries(-1, 'maxRetries');        // throws ConfigError (field 'maxRetries')
 * ```
 */
export function validateMaxRetries(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  return expectInteger(value, field);
}

/**
 * How one attempt ended, as the restart decision sees it. A timeout is a `'failure'`
 * (retryable); `'fatal'` is a `FatalError`; `'cancelled'` is an attempt that ended cancelled.
 *
 * @example
 * ```ts
 * const result: AttemptResult = error instanceof FatalError ? 'fatal' : 'failure';
 * ```
 */
export type AttemptResult = 'success' | 'failure' | 'fatal' | 'cancelled';

/**
 * What a task does after an attempt:
 * - `retry`: run another attempt after `delayMs` (an integer, in ms). A `delayMs` of 0 never
 *   waits on the clock: the machine yields one macrotask, then starts the next attempt.
 *   `backoffSource` says whether a success (`always`) or a failure (backoff) caused it;
 *   `failureStreak` is the new streak to pass to the next decision (0 after a success);
 *   `jitterSample` and `baseMs` come from {@link backoffDelay} (`undefined` after a success).
 * - `exhausted`: stop with `outcome`; `retryLimitReached` is true when `maxRetries` ran out.
 * - `dead`: stop for good with outcome `fatal` (a fatal error, never retried).
 *
 * @example
 * ```ts
 * const decision: RestartDecision = decideRestart(input);
 * if (decision.kind === 'retry') console.log(`next attempt in ${decision.delayMs} ms`);
 * ```
 */
export type RestartDecision =
  | {
      readonly kind: 'retry';
      readonly delayMs: number;
      readonly backoffSource: 'success' | 'failure';
      readonly failureStreak: number;
      readonly jitterSample: number | undefined;
      readonly baseMs: number | undefined;
      /**
       * Present when this failure began a new failure streak because the attempt had stayed up
       * for at least `resetAfterMs` (its run time in `uptimeMs`).
       */
      readonly streakReset?: StreakReset;
    }
  | { readonly kind: 'exhausted'; readonly outcome: 'completed' | 'failed' | 'cancelled'; readonly retryLimitReached: boolean }
  | { readonly kind: 'dead'; readonly outcome: 'fatal' };

/**
 * The input of {@link decideRestart}: plain data plus the random source.
 *
 * @example
 * ```ts
 * const input: RestartInput = {
 *   policy: 'on-failure', result: 'failure', failureStreak: 0,
 *   maxRetries: 3, backoff: DEFAULT_BACKOFF, random: Math.random,
 *   uptimeMs: 120_000, resetAfterMs: 30_000, // optional: a long-lived attempt begins a new streak
 * };
 * ```
 */
export interface RestartInput {
  /** The task's restart policy. */
  readonly policy: RestartPolicy;
  /** How the attempt that just ended ended. */
  readonly result: AttemptResult;
  /** Consecutive failures before this attempt (0 at first and after any success). */
  readonly failureStreak: number;
  /** Retries allowed per failure streak; `undefined` is unlimited. */
  readonly maxRetries: number | undefined;
  /** The backoff used after a failure. */
  readonly backoff: BackoffPolicy;
  /** Drives the backoff jitter. */
  readonly random: RandomSource;
  /** How long the attempt that just ended ran, from its `TaskStarted` (ms); absent = unknown. */
  readonly uptimeMs?: number;
  /**
   * A failure of an attempt that ran for at least this long (ms) counts as the first failure of
   * a new streak. Absent: only a success ends a streak. The supervisor passes the child's
   * `resetAfterMs` (default 30 000).
   */
  readonly resetAfterMs?: number;
}

/**
 * Decides what a task does after an attempt (taskvisor R10-R12, DESIGN.md §2):
 *
 * | result | `'never'` | `'on-failure'` | `'always'` | `{ always: { intervalMs } }` |
 * |---|---|---|---|---|
 * | success | exhausted completed | exhausted completed | retry, delay 0, yield only | retry after `intervalMs` |
 * | failure | exhausted failed | backoff retry (or limit) | backoff retry (or limit) | backoff retry (or limit) |
 * | fatal | dead | dead | dead | dead |
 * | cancelled | exhausted cancelled | exhausted cancelled | exhausted cancelled | exhausted cancelled |
 *
 * A backoff retry: if `maxRetries !== undefined && failureStreak >= maxRetries` the result is
 * `exhausted failed` with `retryLimitReached`; otherwise the delay is
 * `backoffDelay(backoff, failureStreak, random)` and the new streak is `failureStreak + 1`. So
 * `maxRetries: m` allows m retries per failure streak (m + 1 failed attempts in a row). A success
 * resets the streak to 0, and so does uptime: when `uptimeMs >= resetAfterMs` (both given), the
 * failure counts as the first of a new streak (`failureStreak` is taken as 0: the first backoff
 * delay, a fresh `maxRetries`) and a retry says so in `streakReset` (only when there was a streak
 * to reset, i.e. `failureStreak > 0`). So a service that crashes
 * once an hour is retried for ever, while a crash loop still runs out of retries.
 * `random` is called only for a backoff retry with jitter.
 * `intervalMs` is rounded to whole ms.
 *
 * @param input - the policy, the attempt's result and the streak so far
 * @returns the decision
 *
 * @example
 * ```ts
 * const backoff: BackoffPolicy = { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' };
 * decideRestart({ policy: 'on-failure', result: 'failure', failureStreak: 2, maxRetries: 5, backoff, random: Math.random });
 * // { kind: 'retry', delayMs: 400, backoffSource: 'failure', failureStreak: 3, baseMs: 400, jitterSample: undefined }
 * decideRestart({ policy: 'on-failure', result: 'failure', failureStreak: 5, maxRetries: 5, backoff, random: Math.random });
 * // { kind: 'exhausted', outcome: 'failed', retryLimitReached: true }
 * decideRestart({ policy: 'on-failure', result: 'failure', failureStreak: 5, maxRetries: 5, backoff, random: Math.random,
 *                 uptimeMs: 3_600_000, resetAfterMs: 30_000 });
 * // { kind: 'retry', delayMs: 100, failureStreak: 1, streakReset: { uptimeMs: 3600000, resetAfterMs: 30000 }, ... }
 * ```
 */
export function decideRestart(input: RestartInput): RestartDecision {
  const { policy, result, maxRetries } = input;
  switch (result) {
    case 'fatal':
      return { kind: 'dead', outcome: 'fatal' };
    case 'cancelled':
      return { kind: 'exhausted', outcome: 'cancelled', retryLimitReached: false };
    case 'success': {
      if (policy === 'never' || policy === 'on-failure') {
        return { kind: 'exhausted', outcome: 'completed', retryLimitReached: false };
      }
      const delayMs = policy === 'always' ? 0 : Math.round(policy.always.intervalMs);
      return {
        kind: 'retry',
        delayMs,
        backoffSource: 'success',
        failureStreak: 0,
        jitterSample: undefined,
        baseMs: undefined,
      };
    }
    case 'failure': {
      if (policy === 'never') return { kind: 'exhausted', outcome: 'failed', retryLimitReached: false };
      const reset = streakResetOf(input);
      const failureStreak = reset === undefined ? input.failureStreak : 0;
      if (maxRetries !== undefined && failureStreak >= maxRetries) {
        return { kind: 'exhausted', outcome: 'failed', retryLimitReached: true };
      }
      const sample = backoffDelay(input.backoff, failureStreak, input.random);
      const retry = {
        kind: 'retry',
        delayMs: sample.delayMs,
        backoffSource: 'failure',
        failureStreak: failureStreak + 1,
        jitterSample: sample.jitterSample,
        baseMs: sample.baseMs,
      } as const;
      return reset === undefined ? retry : { ...retry, streakReset: reset };
    }
    default:
      throw new TypeError(`unknown attempt result ${describeValue(result satisfies never)}`);
  }
}

/**
 * The uptime reset of a failure: when a streak is under way and the attempt ran for at least
 * `resetAfterMs` (a first failure has no streak to reset).
 */
function streakResetOf(input: RestartInput): StreakReset | undefined {
  const { uptimeMs, resetAfterMs } = input;
  if (input.failureStreak === 0 || uptimeMs === undefined || resetAfterMs === undefined || uptimeMs < resetAfterMs) return undefined;
  return { uptimeMs, resetAfterMs };
}
