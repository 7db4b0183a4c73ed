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

/**
 * The longest delay a platform timer waits as asked: 2^31 - 1 ms (about 24.8 days). Node runs
 * a longer `setTimeout` after 1 ms instead.
 *
 * @example
 * ```ts
 * const days = MAX_TIMER_MS / 86_400_000; // 24.855...
 * ```
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** A delay longer than {@link MAX_TIMER_MS}, waited in steps; its handle is this object. */
class SteppedTimer {
  /** The pending step's handle on the wrapped clock. */
  handle: TimerHandle = undefined;
  /** What is left to wait after the pending step (clocks without `now()` count the steps). */
  remaining: number;
  /** When the delay ends, on the wrapped clock's `now()` (clocks that have one). */
  readonly deadline: number;

  constructor(
    readonly clock: Clock,
    readonly fn: () => void,
    ms: number,
  ) {
    this.remaining = ms;
    this.deadline = clock.now === undefined ? Number.NaN : clock.now() + ms;
    this.step();
  }

  /** Waits the next step (at most {@link MAX_TIMER_MS}), or runs `fn` once nothing is left. */
  step(): void {
    const { clock } = this;
    const left = clock.now === undefined ? this.remaining : this.deadline - clock.now();
    if (left <= 0) {
      this.fn();
      return;
    }
    const wait = Math.min(left, MAX_TIMER_MS);
    this.remaining = left - wait;
    this.handle = clock.setTimeout(() => {
      this.step();
    }, wait);
  }
}

/** Clocks made by {@link withLongDelays}, so a clock is never wrapped twice. */
const longDelayClocks = new WeakSet<Clock>();
/** The `now` of each wrapped clock that has one (read without a second hop by {@link nowOf}). */
const longDelayNows = new WeakMap<Clock, () => number>();

/**
 * Wraps `clock` so that any delay up to `Number.MAX_SAFE_INTEGER` ms means what it says: a
 * `setTimeout` longer than {@link MAX_TIMER_MS} is waited in steps of at most that (never
 * clamped to 1 ms), and `clearTimeout` cancels it whichever step is pending. Shorter delays go
 * straight to `clock` (one comparison). `createSupervisor` applies it to the clock it is given
 * (or to the system clock), so every delay of a tree gets it, a process runner's included.
 *
 * @param clock - the clock to wrap (the system clock, XState's `SimulatedClock`, ...)
 * @returns a clock with the same `now()`; `clock` itself when it is already wrapped
 *
 * @example
 * ```ts
 * const clock = withLongDelays(systemClock);
 * const handle = clock.setTimeout(() => console.log('35 days later'), 35 * 86_400_000);
 * clock.clearTimeout(handle);
 * ```
 */
export function withLongDelays(clock: Clock): Clock {
  if (longDelayClocks.has(clock)) return clock;
  const wrapped: Clock = {
    setTimeout: (fn, ms) => (ms > MAX_TIMER_MS ? new SteppedTimer(clock, fn, ms) : clock.setTimeout(fn, ms)),
    clearTimeout: (handle) => {
      clock.clearTimeout(handle instanceof SteppedTimer ? handle.handle : handle);
    },
  };
  if (clock.now !== undefined) {
    const now = nowOf(clock);
    wrapped.now = now;
    longDelayNows.set(wrapped, now);
  }
  longDelayClocks.add(wrapped);
  return wrapped;
}

/** Returns a `now()` for `clock`: its own, or `performance.now()` when it has none. */
export function nowOf(clock: Clock): () => number {
  // A wrapped clock's `now` is already a self-contained function: no second hop per read.
  const wrappedNow = longDelayNows.get(clock);
  if (wrappedNow !== undefined) return wrappedNow;
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
