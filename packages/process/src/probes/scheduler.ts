/**
 * The probe scheduler: runs one probe's checks on the supervisor's clock, one at a time. The
 * first check starts `initialDelayMs` after {@link ProbeLoop.start}, each later one `periodMs`
 * after the previous check ended, and a check that has not ended within `timeoutMs` has failed
 * (its signal is aborted, so the check gives up its I/O at once). The checks' I/O is real; only
 * the waiting is on the clock.
 *
 * @module
 */
import type { Clock, TimerHandle } from '@statevisor/core';
import { NO_TIMER, cancelTimer } from '../timers.ts';

/**
 * One kind of check (HTTP, TCP, exec, memory), ready to run again and again.
 *
 * @example
 * ```ts
 * const check: ProbeCheck = {
 *   target: 'tcp 127.0.0.1:5432',
 *   run: async (signal) => ((await canConnect(5432, signal)) ? undefined : 'connection refused'),
 * };
 * ```
 */
export interface ProbeCheck {
  /** What is checked, for messages, e.g. `GET http://127.0.0.1:8080/health`. */
  readonly target: string;
  /**
   * Runs one check: resolves with undefined on success, or with the reason of the failure
   * (which names the target). Never rejects. When `signal` aborts (timeout, or the attempt
   * ended), the check must end its I/O at once; what it resolves with is then ignored.
   */
  run(signal: AbortSignal): Promise<string | undefined>;
}

/**
 * When the checks of a {@link ProbeLoop} run (the validated timing of a probe).
 *
 * @example
 * ```ts
 * const schedule: ProbeSchedule = { initialDelayMs: 0, periodMs: 1_000, timeoutMs: 1_000 };
 * ```
 */
export interface ProbeSchedule {
  readonly initialDelayMs: number;
  readonly periodMs: number;
  /** `Infinity`: a check is never timed out. */
  readonly timeoutMs: number;
}

/**
 * What a {@link ProbeLoop} reports after each check. Either may call `stop()` on the loop.
 *
 * @example
 * ```ts
 * const observer: ProbeObserver = {
 *   passed: () => loop.stop(),
 *   failed: (reason, failures) => console.warn(`failed ${failures} times in a row: ${reason}`),
 * };
 * ```
 */
export interface ProbeObserver {
  /** A check succeeded (the count of failures in a row is back to 0). */
  passed(): void;
  /** A check failed: `failures` in a row so far, this one included. */
  failed(reason: string, failures: number): void;
}

/**
 * Runs one probe until stopped: never two of its checks at once, every timer on `clock`.
 *
 * @example
 * ```ts
 * const loop = new ProbeLoop(check, { initialDelayMs: 0, periodMs: 1_000, timeoutMs: 1_000 }, ctx.clock, observer);
 * loop.start();
 * // ... when the attempt ends:
 * loop.stop();
 * ```
 */
export class ProbeLoop {
  readonly #check: ProbeCheck;
  readonly #schedule: ProbeSchedule;
  readonly #clock: Clock;
  readonly #observer: ProbeObserver;
  #stopped = false;
  #held = false;
  #failures = 0;
  /** The wait before the next check, or the running check's timeout. */
  #timer: TimerHandle = NO_TIMER;
  /** Aborts the running check; undefined between checks. */
  #running: AbortController | undefined = undefined;

  /**
   * @param check - what each check does
   * @param schedule - when checks run
   * @param clock - the supervisor's clock
   * @param observer - told the result of every check
   */
  constructor(check: ProbeCheck, schedule: ProbeSchedule, clock: Clock, observer: ProbeObserver) {
    this.#check = check;
    this.#schedule = schedule;
    this.#clock = clock;
    this.#observer = observer;
  }

  /** Failures in a row so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Schedules the first check, `initialDelayMs` from now. Call once. */
  start(): void {
    this.#wait(this.#schedule.initialDelayMs);
  }

  /** Stops for good: the pending wait is cancelled, a running check is aborted and ignored. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#cancel();
  }

  /**
   * Holds the probe (its process is paused): the pending wait is cancelled, a running check is
   * aborted and ignored. The count of failures in a row is kept.
   */
  hold(): void {
    if (this.#stopped || this.#held) return;
    this.#held = true;
    this.#cancel();
  }

  /** Resumes a held probe: its next check runs `periodMs` from now. */
  release(): void {
    if (this.#stopped || !this.#held) return;
    this.#held = false;
    this.#wait(this.#schedule.periodMs);
  }

  #cancel(): void {
    this.#timer = cancelTimer(this.#clock, this.#timer);
    const running = this.#running;
    this.#running = undefined;
    running?.abort();
  }

  #wait(ms: number): void {
    if (this.#stopped || this.#held) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = NO_TIMER;
      this.#runCheck();
    }, ms);
  }

  #runCheck(): void {
    if (this.#stopped || this.#held) return;
    const running = new AbortController();
    this.#running = running;
    const timeoutMs = this.#schedule.timeoutMs;
    if (Number.isFinite(timeoutMs)) {
      this.#timer = this.#clock.setTimeout(() => {
        this.#timer = NO_TIMER;
        this.#ended(running, `${this.#check.target} timed out after ${timeoutMs}ms`);
      }, timeoutMs);
    }
    this.#check.run(running.signal).then(
      (failure) => {
        this.#ended(running, failure);
      },
      (thrown: unknown) => {
        // A check never rejects; should one do so anyway, it is a failure, never an unhandled rejection.
        this.#ended(running, `${this.#check.target} failed: ${String(thrown)}`);
      },
    );
  }

  /** The check `running` ended (or timed out): report it, then wait for the next one. */
  #ended(running: AbortController, failure: string | undefined): void {
    if (this.#running !== running) return; // stopped, or already ended by its timeout
    this.#running = undefined;
    this.#timer = cancelTimer(this.#clock, this.#timer);
    // Abort after a timeout (the check gives up its I/O); harmless after a normal end.
    running.abort();
    if (failure === undefined) {
      this.#failures = 0;
      this.#observer.passed();
    } else {
      this.#failures++;
      this.#observer.failed(failure, this.#failures);
    }
    this.#wait(this.#schedule.periodMs);
  }
}
