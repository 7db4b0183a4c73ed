/**
 * Restart intensity, as in OTP: at most `maxRestarts` restarts within any window of `periodMs`.
 * Pure functions over plain data; the caller passes the time.
 *
 * @module
 */

/**
 * The outcome of asking the window for one more restart.
 *
 * @example
 * ```ts
 * const admission: IntensityAdmission = admitRestart([0, 100], 200, { maxRestarts: 3, periodMs: 1_000 });
 * admission.allowed; // true: 3 restarts in the window
 * ```
 */
export interface IntensityAdmission {
  /** True when the restart stays within the limit. */
  readonly allowed: boolean;
  /** Restarts in the window before this one (those at most `periodMs` ago, boundary included). */
  readonly restartsBefore: number;
  /** Restarts in the window counting this one. */
  readonly restartsAfter: number;
  /** The window's restart times after this decision (pruned, this one appended). */
  readonly times: readonly number[];
}

/**
 * Counts one restart decided at `now` against the window `times` (earlier restart times,
 * oldest first). A restart exactly `periodMs` ago still counts (OTP's inclusive boundary);
 * one `periodMs + 1` ago does not. `maxRestarts: 0` refuses the first restart.
 *
 * @param times - the restart times recorded so far, oldest first
 * @param now - the time of this decision, in ms on the supervisor's clock
 * @param intensity - the limit
 * @returns whether the restart is allowed, with the counts before and after
 *
 * @example
 * ```ts
 * let times: readonly number[] = [];
 * for (const now of [0, 10, 20, 30]) {
 *   const admission = admitRestart(times, now, { maxRestarts: 3, periodMs: 100 });
 *   times = admission.times;
 *   console.log(admission.allowed); // true, true, true, false
 * }
 * ```
 */
export function admitRestart(
  times: readonly number[],
  now: number,
  intensity: { readonly maxRestarts: number; readonly periodMs: number },
): IntensityAdmission {
  let first = 0;
  while (first < times.length && now - (times[first] ?? now) > intensity.periodMs) first++;
  const kept = first === 0 ? [...times] : times.slice(first);
  const restartsBefore = kept.length;
  kept.push(now);
  return { allowed: restartsBefore + 1 <= intensity.maxRestarts, restartsBefore, restartsAfter: restartsBefore + 1, times: kept };
}

/**
 * How many restarts of `times` are still inside the window at `now`.
 *
 * @example
 * ```ts
 * restartsInWindow([0, 50, 120], 150, 100); // 2 (50 and 120)
 * ```
 */
export function restartsInWindow(times: readonly number[], now: number, periodMs: number): number {
  let count = 0;
  for (const time of times) if (now - time <= periodMs) count++;
  return count;
}
