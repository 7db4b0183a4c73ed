/**
 * A fixed-capacity FIFO ring used by the event bus for one subscriber's pending events.
 *
 * @module
 */

/**
 * A bounded first-in-first-out queue over a preallocated array of `capacity` slots
 * (8 bytes per slot on a 64-bit V8 heap). {@link RingBuffer.push} refuses an item when the ring
 * is full; only {@link RingBuffer.pushGrowing} may grow it (the bus uses that for its bounded
 * set of final reports at shutdown).
 *
 * @example
 * ```ts
 * const ring = new RingBuffer<number>(2);
 * ring.push(1); ring.push(2);
 * ring.push(3);   // false: full
 * ring.shift();   // 1
 * ```
 */
export class RingBuffer<T> {
  /** How many items the ring holds before {@link RingBuffer.push} refuses. */
  capacity: number;
  /** How many items the ring holds now. */
  size = 0;
  private slots: (T | undefined)[];
  private head = 0;

  /** @param capacity - number of slots, an integer >= 1 (not validated here) */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.slots = new Array<T | undefined>(capacity);
  }

  /** Appends `item`; returns false (and stores nothing) when the ring is full. */
  push(item: T): boolean {
    if (this.size === this.capacity) return false;
    let index = this.head + this.size;
    if (index >= this.capacity) index -= this.capacity;
    this.slots[index] = item;
    this.size++;
    return true;
  }

  /** Appends `item`, doubling the ring first when it is full. */
  pushGrowing(item: T): void {
    if (this.size === this.capacity) {
      const grown = new Array<T | undefined>(this.capacity * 2);
      for (let i = 0; i < this.size; i++) grown[i] = this.slots[(this.head + i) % this.capacity];
      this.slots = grown;
      this.head = 0;
      this.capacity *= 2;
    }
    this.push(item);
  }

  /** Removes and returns the oldest item, or `undefined` when the ring is empty. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.size--;
    return item;
  }

  /** Empties the ring (releasing the items) and returns how many it held. */
  clear(): number {
    const removed = this.size;
    while (this.size > 0) this.shift();
    this.head = 0;
    return removed;
  }
}
