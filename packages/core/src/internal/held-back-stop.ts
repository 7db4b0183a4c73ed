/**
 * A stop whose machine step waits briefly for the work to end on its own. The supervisor has
 * already told the work to stop (`RunnerControl.stop()`: a process got its killSignal); a process
 * that dies at once then ends its attempt in one machine step (`ready → stopped`) instead of two,
 * and the host leaves the CPU to the dying child instead of stepping machines right after the
 * kill. If the work is still running {@link STOP_STEP_DELAY_MS} later, the step is taken and the
 * stop goes on as usual (`stopping`, its grace, force).
 */
import type { AnyActorRef } from 'xstate';
import type { Clock } from '../clock.ts';
import { cancelTimer, nowOf } from '../clock.ts';
import type { StopRequest } from './task-machine.ts';

/** How long the machine step of a stop waits for work that was told to stop first. */
export const STOP_STEP_DELAY_MS = 2;

/** One held-back stop of one attempt; made per stop, only for work that acts on `stop()`. */
export class HeldBackStop {
  readonly request: StopRequest;
  readonly #task: AnyActorRef;
  readonly #clock: Clock;
  readonly #since: number;
  #timer: unknown;

  /** Holds `request` back from `task`; `onElapsed` runs when the delay passes first. */
  constructor(request: StopRequest, task: AnyActorRef, clock: Clock, onElapsed: () => void) {
    this.request = request;
    this.#task = task;
    this.#clock = clock;
    this.#since = nowOf(clock)();
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      onElapsed();
    }, STOP_STEP_DELAY_MS);
  }

  /** Forgets the timer (the stop is being taken). */
  cancel(): void {
    this.#timer = cancelTimer(this.#clock, this.#timer);
  }

  /**
   * Sends the held-back `task.stop`. The grace still counts from the request: the step gets what
   * is left of it (the elapsed time is capped at the delay, which a simulated clock may overshoot).
   */
  send(): void {
    this.cancel();
    const elapsed = Math.min(STOP_STEP_DELAY_MS, Math.max(0, nowOf(this.#clock)() - this.#since));
    const { reason, graceMs, then } = this.request;
    this.#task.send({ type: 'task.stop', reason, graceMs: Math.max(0, graceMs - elapsed), then });
  }
}
