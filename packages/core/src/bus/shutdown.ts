/**
 * The event bus's shutdown: `close(drainMs)` drains the subscribers' buffers until they are empty
 * or the deadline passes, then publishes the final overflow reports and completes `events$`
 * (DESIGN.md §4 "Shutdown").
 *
 * @module
 */
import type { Clock } from '../clock.ts';
import { expectNumber } from '../validate.ts';
import { CLOSED, CLOSING, FINAL, type BusState } from './bus-state.ts';
import { section } from './delivery.ts';
import { completeSink } from './events-observable.ts';
import { OneShotTimer } from './one-shot-timer.ts';
import { emitOverflow } from './reports.ts';
import type { BufferedSubscriber } from './subscriber.ts';

/**
 * One bus's way from {@link CLOSING} to {@link CLOSED}: the close promise, the drain deadline,
 * and the final reports.
 *
 * @example
 * ```ts
 * const shutdown = new BusShutdown(state, clock);
 * await shutdown.close(5_000);
 * ```
 */
export class BusShutdown {
  readonly #state: BusState;
  /** The shutdown drain's deadline. */
  readonly #deadline: OneShotTimer;
  #deadlinePassed = false;
  #closePromise: Promise<void> | undefined;
  #resolveClose: (() => void) | undefined;

  /**
   * @param state - the bus it closes
   * @param clock - times the drain deadline
   */
  constructor(state: BusState, clock: Clock) {
    this.#state = state;
    this.#deadline = new OneShotTimer(clock, () => this.#onDeadline());
  }

  /**
   * Starts closing (see `EventBus.close`). Idempotent: later calls share the first call's promise.
   *
   * @param drainMs - the longest the drain may take, a finite number >= 0
   * @returns resolves once the bus is closed
   * @throws ConfigError when `drainMs` is invalid (on the first call)
   * @example
   * ```ts
   * await shutdown.close(5_000);
   * ```
   */
  close(drainMs: number): Promise<void> {
    if (this.#closePromise !== undefined) return this.#closePromise;
    expectNumber(drainMs, 'drainMs', 0);
    this.#closePromise = new Promise<void>((resolve) => {
      this.#resolveClose = resolve;
    });
    const state = this.#state;
    state.phase = CLOSING;
    if (!state.delivering && this.#quiescent()) this.#finish(false);
    else this.#deadline.start(drainMs);
    return this.#closePromise;
  }

  /**
   * Finishes the close when the drain is over (nothing buffered, or the deadline passed); call it
   * after each delivery while {@link CLOSING}.
   *
   * @example
   * ```ts
   * if (state.phase === CLOSING) shutdown.check();
   * ```
   */
  check(): void {
    if (this.#state.phase !== CLOSING || this.#state.delivering) return;
    if (this.#deadlinePassed) this.#finish(true);
    else if (this.#quiescent()) this.#finish(false);
  }

  #onDeadline(): void {
    this.#deadlinePassed = true;
    this.check();
  }

  /** Nothing is buffered anywhere (pending `next`s may still run: they were handed over). */
  #quiescent(): boolean {
    for (const s of this.#state.subs) if (s.buffered !== 0) return false;
    return true;
  }

  #finish(deadline: boolean): void {
    const state = this.#state;
    this.#deadline.cancel();
    state.stalled.cancel();
    state.phase = FINAL;
    const reporting: BufferedSubscriber[] = [];
    for (const s of state.subs) {
      if (deadline && s.ring !== null && s.ring.size > 0) {
        const left = s.ring.clear();
        s.dropped += left;
        s.unreported += left;
      }
      if (deadline && s.busy) {
        // Still awaiting a `next` at the deadline: its in-flight event was handed over
        // (delivered); it receives nothing more.
        s.attached = false;
        s.direct = false;
        s.ring = null;
      }
      if (s.unreported > 0) reporting.push(s);
    }
    state.subs = state.subs.filter((s) => s.attached);
    // The final reports: one per subscriber with unreported drops, never dropped themselves
    // (see offer in delivery.ts), so that every loss is reported before `events$` completes.
    section(state, () => {
      for (const s of reporting) emitOverflow(state, s);
    });
    state.phase = CLOSED;
    const sinks = state.sinks;
    state.sinks = [];
    for (const sink of sinks) {
      if (sink.closed) continue;
      sink.closed = true;
      completeSink(sink);
    }
    this.#resolveClose?.();
  }
}
