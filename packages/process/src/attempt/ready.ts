/**
 * Readiness detection for an attempt with a ready indicator, a readiness probe, or both: the
 * first complete line on readySource that matches the indicator, and the probe's first success;
 * the attempt is ready once each one given has happened. Not ready within readyTimeoutMs is a
 * failure that says what was missing (the probe's last failure included). (With neither, an
 * attempt is ready as it starts, and has no watch.)
 *
 * @module
 */
import type { RunnerContext, TimerHandle } from '@statevisor/core';
import type { ResolvedProcessConfig } from '../config.ts';
import { ReadyTimeoutError } from '../errors.ts';
import { NO_TIMER, cancelTimer } from '../timers.ts';

/**
 * What a {@link ReadyWatch} tells its attempt.
 *
 * @example
 * ```ts
 * const host: ReadyHost = { readyTimedOut: (error) => { fail(error); } };
 * ```
 */
export interface ReadyHost {
  /** readyTimeoutMs passed without a ready line. */
  readyTimedOut(error: ReadyTimeoutError): void;
}

/**
 * The readiness of one attempt: finds the ready line in the output, takes the readiness probe's
 * results, reports the attempt ready once both (or the one given) are there, and times it out.
 *
 * @example
 * ```ts
 * const ready = new ReadyWatch(config, ctx);
 * ready.arm(host);
 * const at = ready.find('stdout', lines, lines.length); // publish lines[0..at], then:
 * if (at >= 0) ready.mark();
 * ready.probePassed(); // from the readiness probe
 * ```
 */
export class ReadyWatch {
  readonly #config: ResolvedProcessConfig;
  readonly #ctx: RunnerContext;
  /** The ready line was seen (true at once without an indicator). */
  #lineSeen: boolean;
  /** The readiness probe succeeded (true at once without a probe). */
  #probePassed: boolean;
  #lastProbeFailure: string | undefined = undefined;
  #done = false;
  #timer: TimerHandle = NO_TIMER;

  constructor(config: ResolvedProcessConfig, ctx: RunnerContext) {
    this.#config = config;
    this.#ctx = ctx;
    this.#lineSeen = config.ready === undefined;
    this.#probePassed = config.readinessProbe === undefined;
  }

  /** The attempt has been reported ready. */
  get done(): boolean {
    return this.#done;
  }

  /** Whether the ready line may come on `stream` (never without an indicator). */
  watches(stream: 'stdout' | 'stderr'): boolean {
    const source = this.#config.readySource;
    return this.#config.ready !== undefined && (source === 'any' || source === stream);
  }

  /**
   * The index of the first ready line among `lines[0..count)` of `stream`, or -1 (none, or
   * already seen, or a stream it does not watch).
   */
  find(stream: 'stdout' | 'stderr', lines: readonly string[], count: number): number {
    const matcher = this.#config.ready;
    if (this.#lineSeen || matcher === undefined || !this.watches(stream)) return -1;
    for (let i = 0; i < count; i++) {
      if (matcher.test(lines[i] as string)) return i;
    }
    return -1;
  }

  /** The ready line was seen: call it after publishing that line. Reports ready when the probe has passed. */
  mark(): void {
    this.#lineSeen = true;
    this.#settle();
  }

  /** The readiness probe succeeded. Reports ready when the line has been seen. */
  probePassed(): void {
    this.#probePassed = true;
    this.#settle();
  }

  /** The readiness probe failed (expected before ready, not published): kept for the timeout's reason. */
  probeFailed(reason: string): void {
    this.#lastProbeFailure = reason;
  }

  /** Starts the readyTimeoutMs timer (none when it is 0). */
  arm(host: ReadyHost): void {
    const timeoutMs = this.#config.readyTimeoutMs;
    if (!(timeoutMs > 0)) return;
    this.#timer = this.#ctx.clock.setTimeout(() => {
      this.#timer = NO_TIMER;
      if (!this.#done) host.readyTimedOut(this.#timeoutError(timeoutMs));
    }, timeoutMs);
  }

  /** Stops the timer (the attempt is ready, or has ended). */
  cancel(): void {
    this.#timer = cancelTimer(this.#ctx.clock, this.#timer);
  }

  #settle(): void {
    if (this.#done || !this.#lineSeen || !this.#probePassed) return;
    this.#done = true;
    this.cancel();
    this.#ctx.ready();
  }

  /** Says what was missing: the line, the probe's success (with its last failure), or both. */
  #timeoutError(timeoutMs: number): ReadyTimeoutError {
    const config = this.#config;
    const missing: string[] = [];
    if (!this.#lineSeen && config.ready !== undefined) missing.push(`no line on ${config.readySource} matched ${config.ready.text}`);
    const lastFailure = this.#probePassed ? undefined : this.#lastProbeFailure;
    if (!this.#probePassed) {
      missing.push(
        lastFailure === undefined
          ? 'the readiness probe had not completed a check'
          : `the readiness probe never succeeded (last failure: ${lastFailure})`,
      );
    }
    return new ReadyTimeoutError(timeoutMs, missing.join(', and '), lastFailure);
  }
}
