/**
 * The attempt's timers (ready, kill, drain) on the supervisor's clock: a stored handle is either
 * a pending timer or {@link NO_TIMER}.
 *
 * @module
 */
import type { Clock, TimerHandle } from '@statevisor/core';

/**
 * No pending timer (a clock's handle may be any value, so `undefined` cannot mean "none").
 *
 * @example
 * ```ts
 * let killTimer: TimerHandle = NO_TIMER;
 * ```
 */
export const NO_TIMER: unique symbol = Symbol('no timer');

/**
 * Clears `handle` when it is a pending timer; returns {@link NO_TIMER} to store in its place.
 *
 * @example
 * ```ts
 * killTimer = cancelTimer(ctx.clock, killTimer);
 * ```
 */
export function cancelTimer(clock: Clock, handle: TimerHandle): typeof NO_TIMER {
  if (handle !== NO_TIMER) clock.clearTimeout(handle);
  return NO_TIMER;
}
