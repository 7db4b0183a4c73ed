/**
 * Orders what a step of a machine causes. Machine actions only *record*: the events they emit
 * and the effects they defer (signalling another actor, aborting a signal, running user code)
 * are carried out here, after the step, in the order they were recorded. So one actor's step
 * never runs inside another actor's action, and a subscriber that reacts synchronously (say, by
 * cancelling a task) sees a consistent tree.
 */
import type { EventDraft } from '../events.ts';

/** One per supervision tree; shared by every supervisor runtime in it. */
export class Dispatcher {
  readonly #publish: (draft: EventDraft) => void;
  readonly #onError: (error: unknown) => void;
  readonly #events: EventDraft[] = [];
  #eventHead = 0;
  readonly #effects: (() => void)[] = [];
  #effectHead = 0;
  #flushing = false;

  /**
   * @param publish - delivers one event (the bus); it must never throw
   * @param onError - receives an effect's unexpected throw (never rethrown)
   */
  constructor(publish: (draft: EventDraft) => void, onError: (error: unknown) => void) {
    this.#publish = publish;
    this.#onError = onError;
  }

  /** Records an event; it is published at the next flush. */
  readonly emit = (draft: EventDraft): void => {
    this.#events.push(draft);
  };

  /** Records an effect; it runs at the next flush, after the events recorded before it. */
  readonly defer = (effect: () => void): void => {
    this.#effects.push(effect);
  };

  /**
   * Publishes an event at once (for callers outside any machine step, such as a runner's
   * `ctx.output()`). When nothing is being flushed and nothing is recorded, the event goes
   * straight to the bus (the fast path of every output line); what a subscriber records
   * meanwhile runs right after it, as in a flush. Otherwise the event queues behind the
   * recorded ones, so seq order always follows record order.
   */
  readonly publishNow = (draft: EventDraft): void => {
    if (this.#flushing || this.#events.length !== 0) {
      this.#events.push(draft);
      this.flush();
      return;
    }
    // `#publish` never throws (the bus's publish), so no try/finally is needed around it.
    this.#flushing = true;
    this.#publish(draft);
    this.#flushing = false;
    if (this.#recorded()) this.flush();
  };

  /** Whether events or effects were recorded and not flushed yet. */
  #recorded(): boolean {
    return this.#events.length !== 0 || this.#effects.length !== 0;
  }

  /** Publishes every recorded event, then runs the effects, until both queues are empty. */
  readonly flush = (): void => {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      for (;;) {
        if (this.#eventHead < this.#events.length) {
          const draft = this.#events[this.#eventHead++] as EventDraft;
          this.#publish(draft);
          continue;
        }
        if (this.#effectHead < this.#effects.length) {
          const effect = this.#effects[this.#effectHead++] as () => void;
          try {
            effect();
          } catch (error) {
            this.#onError(error);
          }
          continue;
        }
        break;
      }
    } finally {
      this.#events.length = 0;
      this.#eventHead = 0;
      this.#effects.length = 0;
      this.#effectHead = 0;
      this.#flushing = false;
    }
  };
}
