/**
 * One timer on an injected clock that is either armed or not: the bus's shutdown deadline and
 * its re-report of stalled subscribers.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../clock.ts';

/**
 * A single pending timer on `clock`: `start` arms it unless it is armed already, `cancel`
 * disarms it; when it fires it is disarmed before `fire` runs (so `fire` may arm it again).
 *
 * @example
 * ```ts
 * const timer = new OneShotTimer(clock, () => console.log('due'));
 * timer.start(1_000);
 * timer.start(5);     // ignored: already armed
 * timer.cancel();
 * ```
 */
export class OneShotTimer {
  readonly #clock: Clock;
  readonly #fire: () => void;
  #handle: TimerHandle = undefined;
  #armed = false;

  /**
   * @param clock - the clock that times it
   * @param fire - called when the timer fires
   */
  constructor(clock: Clock, fire: () => void) {
    this.#clock = clock;
    this.#fire = fire;
  }

  /** Whether the timer is pending. */
  get armed(): boolean {
    return this.#armed;
  }

  /** Arms the timer to fire after `ms`, unless it is already armed. */
  start(ms: number): void {
    if (this.#armed) return;
    this.#armed = true;
    this.#handle = this.#clock.setTimeout(() => {
      this.#armed = false;
      this.#fire();
    }, ms);
  }

  /** Disarms the timer if it is pending. */
  cancel(): void {
    if (!this.#armed) return;
    this.#armed = false;
    this.#clock.clearTimeout(this.#handle);
  }
}
