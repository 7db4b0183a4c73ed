/**
 * A fixed-capacity buffer that keeps the newest items (the log book's per-process store).
 *
 * @module
 */

/**
 * Keeps the last `capacity` items pushed; older ones fall out.
 *
 * @example
 * ```ts
 * const ring = new RingBuffer<string>(2);
 * ring.push('a'); ring.push('b'); ring.push('c');
 * ring.toArray(); // ['b', 'c']
 * ```
 */
export class RingBuffer<T> {
  /** The most items kept. */
  readonly capacity: number;
  readonly #items: (T | undefined)[];
  #start = 0;
  #size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#items = new Array<T | undefined>(capacity);
  }

  /** How many items are kept now. */
  get size(): number {
    return this.#size;
  }

  /** Adds an item, dropping the oldest when full. */
  push(item: T): void {
    if (this.capacity === 0) return;
    const end = (this.#start + this.#size) % this.capacity;
    this.#items[end] = item;
    if (this.#size < this.capacity) this.#size += 1;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[(this.#start + this.#size - 1) % this.capacity];
  }

  /** The items, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#size; i += 1) {
      const item = this.#items[(this.#start + i) % this.capacity];
      if (item !== undefined) out.push(item);
    }
    return out;
  }
}
