/**
 * An ordered queue of lines handed one at a time to a consumer that may return a promise
 * (awaited before the next line). The first consumer failure ends it.
 *
 * @module
 */

/**
 * A line's text (one JSON value, no newline) and the value it encodes.
 *
 * @example
 * ```ts
 * const line: QueuedLine<{ kind: string }> = { text: '{"kind":"TaskAdded"}', value: { kind: 'TaskAdded' } };
 * ```
 */
export interface QueuedLine<T> {
  readonly text: string;
  readonly value: T;
}

/**
 * Receives each line; a returned promise is awaited before the next line is handed over.
 *
 * @example
 * ```ts
 * const consumer: LineConsumer<unknown> = async (text) => { await socket.send(text); };
 * ```
 */
export type LineConsumer<T> = (text: string, value: T) => void | PromiseLike<void>;

interface Entry<T> extends QueuedLine<T> {
  readonly settled: (() => void) | undefined;
}

/**
 * Hands lines over in order, one at a time.
 *
 * @example
 * ```ts
 * const queue = new HandoverQueue<string>((text) => process.stdout.write(`${text}\n`));
 * queue.push({ text: '"a"', value: 'a' });
 * await queue.idle();
 * ```
 */
export class HandoverQueue<T> {
  readonly #consumer: LineConsumer<T>;
  readonly #onFailure: ((error: unknown) => void) | undefined;
  #entries: Entry<T>[] = [];
  #head = 0;
  #pumping = false;
  #failure: { readonly error: unknown } | undefined;
  #idle: (() => void)[] = [];

  /**
   * @param consumer - receives each line
   * @param onFailure - told once (in a microtask) when the consumer throws or rejects
   */
  constructor(consumer: LineConsumer<T>, onFailure?: (error: unknown) => void) {
    this.#consumer = consumer;
    this.#onFailure = onFailure;
  }

  /** Lines queued and not yet handed over (the one being handed over included). */
  get pending(): number {
    return this.#entries.length - this.#head;
  }

  /** The consumer's failure, once it has thrown or rejected. */
  get failure(): { readonly error: unknown } | undefined {
    return this.#failure;
  }

  /**
   * Queues a line. `settled` runs once it has been handed over (or dropped after a failure).
   *
   * @param line - the text and its value
   * @param settled - called once the consumer is done with it
   */
  push(line: QueuedLine<T>, settled?: () => void): void {
    if (this.#failure !== undefined) {
      settled?.();
      return;
    }
    this.#entries.push({ ...line, settled });
    if (!this.#pumping) void this.#pump();
  }

  /** Resolves once nothing is queued or being handed over. */
  idle(): Promise<void> {
    if (!this.#pumping && this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    while (this.#head < this.#entries.length) {
      const entry = this.#entries[this.#head] as Entry<T>;
      if (this.#failure === undefined) {
        try {
          const result = this.#consumer(entry.text, entry.value);
          if (result !== undefined) await result;
        } catch (error: unknown) {
          this.#failure = { error };
          const onFailure = this.#onFailure;
          if (onFailure !== undefined) queueMicrotask(() => { onFailure(error); });
        }
      }
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
        this.#entries = this.#entries.slice(this.#head);
        this.#head = 0;
      }
      entry.settled?.();
    }
    this.#pumping = false;
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}
