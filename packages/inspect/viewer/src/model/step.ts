/**
 * A value that changes at positions of the recording: a step function kept as two parallel
 * arrays, answered by binary search, so the value at any moment costs O(log n).
 *
 * @module
 */

/**
 * The last index `i` with `positions[i] <= position`, or -1.
 *
 * @example
 * ```ts
 * lastAtOrBefore([0, 4, 9], 5); // 1
 * ```
 */
export function lastAtOrBefore(positions: readonly number[], position: number): number {
  let low = 0;
  let high = positions.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if ((positions[middle] ?? Infinity) <= position) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * A step function over positions: `set` appends a change (positions never decrease), `at`
 * answers the value in force at a position.
 *
 * @example
 * ```ts
 * const state = new Step<string>();
 * state.set(0, 'idle');
 * state.set(3, 'running');
 * state.at(2); // 'idle'
 * ```
 */
export class Step<T> {
  readonly positions: number[] = [];
  readonly values: T[] = [];

  /** Records that from `position` on the value is `value` (a change at the same position replaces it). */
  set(position: number, value: T): void {
    const last = this.positions.length - 1;
    if (last >= 0 && this.positions[last] === position) {
      this.values[last] = value;
      return;
    }
    if (last >= 0 && this.values[last] === value) return;
    this.positions.push(position);
    this.values.push(value);
  }

  /** The value in force at `position`, or `undefined` before the first change. */
  at(position: number): T | undefined {
    const index = lastAtOrBefore(this.positions, position);
    return index < 0 ? undefined : this.values[index];
  }

  /** The latest value. */
  get last(): T | undefined {
    return this.values[this.values.length - 1];
  }
}
