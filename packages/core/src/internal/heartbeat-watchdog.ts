/**
 * The heartbeat watchdog of one attempt (the child option `heartbeatTimeoutMs`): it fires when no
 * heartbeat has come for `timeoutMs` since the attempt started or since the last heartbeat.
 *
 * Cost notes: one timer per attempt, never one per heartbeat. A heartbeat only records the time;
 * when the timer fires early (a heartbeat came meanwhile), it is armed again for what is left.
 */
import type { Clock, TimerHandle } from '../clock.ts';
import { cancelTimer } from '../clock.ts';

/** One attempt's watchdog, armed when it is made; {@link HeartbeatWatchdog.stop} ends it. */
export class HeartbeatWatchdog {
  readonly #clock: Clock;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #onMissed: (silentMs: number) => void;
  /** The time of the last heartbeat (or of the start). */
  #last: number;
  #timer: TimerHandle = undefined;

  /**
   * Arms the watchdog on `clock`: `onMissed(silentMs)` runs once (outside any machine step) when
   * no {@link beat} has come for `timeoutMs`.
   */
  constructor(clock: Clock, now: () => number, timeoutMs: number, onMissed: (silentMs: number) => void) {
    this.#clock = clock;
    this.#now = now;
    this.#timeoutMs = timeoutMs;
    this.#onMissed = onMissed;
    this.#last = now();
    this.#arm(timeoutMs);
  }

  /** The attempt is alive: records the time (no timer is touched). */
  beat(): void {
    this.#last = this.#now();
  }

  /** Ends the watchdog (its attempt ended, or a stop began). */
  stop(): void {
    this.#timer = cancelTimer(this.#clock, this.#timer);
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#check();
    }, ms);
  }

  #check(): void {
    const silentMs = this.#now() - this.#last;
    if (silentMs < this.#timeoutMs) this.#arm(this.#timeoutMs - silentMs);
    else this.#onMissed(silentMs);
  }
}
