/**
 * Injectable time. Every delay and time measurement of a supervisor goes through one `Clock`,
 * so tests drive time exactly with XState's `SimulatedClock`.
 *
 * @module
 */

/** An opaque timer handle, as returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * The clock a supervisor uses: XState's `Clock` plus an optional `now()` in milliseconds.
 *
 * @example
 * ```ts
 * import { SimulatedClock } from 'xstate';
 * const clock = new SimulatedClock();
 * const app = createSupervisor({ clock, children: [] });
 * clock.increment(1_000); // fires every timer due within the next second
 * ```
 */
export interface Clock {
  /** Schedules `fn` after `ms` milliseconds. */
  setTimeout(fn: (...args: unknown[]) => void, ms: number): TimerHandle;
  /** Cancels a timer made by `setTimeout`. */
  clearTimeout(handle: TimerHandle): void;
  /** Current time in milliseconds (monotonic where possible). */
  now?(): number;
}

/**
 * A random source: returns a number in [0, 1). Drives every jitter.
 *
 * @example
 * ```ts
 * let seed = 42;
 * const random: RandomSource = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
 * ```
 */
export type RandomSource = () => number;

/** The real clock: Node's timers and `performance.now()`. */
export const systemClock: Required<Clock> = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
  now: () => performance.now(),
};

/** Returns a `now()` for `clock`: its own, or `performance.now()` when it has none. */
export function nowOf(clock: Clock): () => number {
  return clock.now ? () => (clock.now as () => number).call(clock) : () => performance.now();
}

/**
 * Cancels `handle` on `clock` when it is a pending timer; returns `undefined`, to store in its
 * place (internal: `undefined` stands for "no timer" in the supervisor's own fields).
 *
 * @example
 * ```ts
 * live.graceTimer = cancelTimer(clock, live.graceTimer);
 * ```
 */
export function cancelTimer(clock: Clock, handle: TimerHandle): TimerHandle {
  if (handle !== undefined) clock.clearTimeout(handle);
  return undefined;
}
