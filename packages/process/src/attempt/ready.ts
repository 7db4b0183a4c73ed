/**
 * Readiness detection for an attempt with a ready indicator: the first complete line on
 * readySource that matches it, once per attempt; no such line within readyTimeoutMs is a failure.
 * (Without an indicator an attempt is ready as it starts, and has no watch.)
 *
 * @module
 */
import type { RunnerContext, TimerHandle } from '@statevisor/core';
import type { ReadyMatcher, ResolvedProcessConfig } from '../config.ts';
import { ReadyTimeoutError } from '../errors.ts';
import { NO_TIMER, cancelTimer } from './timers.ts';

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
 * The ready indicator of one attempt: finds the ready line in the output, reports it ready once,
 * and times it out.
 *
 * @example
 * ```ts
 * const ready = new ReadyWatch(matcher, config, ctx);
 * ready.arm(host);
 * const at = ready.find('stdout', lines, lines.length); // publish lines[0..at], then:
 * if (at >= 0) ready.mark();
 * ```
 */
export class ReadyWatch {
  readonly #matcher: ReadyMatcher;
  readonly #config: ResolvedProcessConfig;
  readonly #ctx: RunnerContext;
  #done = false;
  #timer: TimerHandle = NO_TIMER;

  /** @param matcher - `config.ready` */
  constructor(matcher: ReadyMatcher, config: ResolvedProcessConfig, ctx: RunnerContext) {
    this.#matcher = matcher;
    this.#config = config;
    this.#ctx = ctx;
  }

  /** The attempt has been reported ready. */
  get done(): boolean {
    return this.#done;
  }

  /** Whether the ready line may come on `stream`. */
  watches(stream: 'stdout' | 'stderr'): boolean {
    const source = this.#config.readySource;
    return source === 'any' || source === stream;
  }

  /**
   * The index of the first ready line among `lines[0..count)` of `stream`, or -1 (none, or
   * already ready, or a stream it does not watch).
   */
  find(stream: 'stdout' | 'stderr', lines: readonly string[], count: number): number {
    if (this.#done || !this.watches(stream)) return -1;
    const matcher = this.#matcher;
    for (let i = 0; i < count; i++) {
      if (matcher.test(lines[i] as string)) return i;
    }
    return -1;
  }

  /** Reports the attempt ready (once): call it after publishing the ready line. */
  mark(): void {
    if (this.#done) return;
    this.#done = true;
    this.cancel();
    this.#ctx.ready();
  }

  /** Starts the readyTimeoutMs timer (none when it is 0). */
  arm(host: ReadyHost): void {
    const config = this.#config;
    const timeoutMs = config.readyTimeoutMs;
    if (!(timeoutMs > 0)) return;
    this.#timer = this.#ctx.clock.setTimeout(() => {
      this.#timer = NO_TIMER;
      if (!this.#done) host.readyTimedOut(new ReadyTimeoutError(timeoutMs, this.#matcher.text, config.readySource));
    }, timeoutMs);
  }

  /** Stops the timer (the attempt is ready, or has ended). */
  cancel(): void {
    this.#timer = cancelTimer(this.#ctx.clock, this.#timer);
  }
}
