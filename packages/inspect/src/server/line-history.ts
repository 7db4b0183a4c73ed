/**
 * The live lines kept for browsers that connect later: the newest `limit` lines, and a count
 * of what was trimmed (with the seq of the last trimmed event) so a late browser can be told
 * about the gap.
 *
 * @module
 */

/** One line of the live stream. */
export interface LiveLine {
  /** The JSON text, without a newline. */
  readonly text: string;
  /** The event's seq; undefined for an inspection line. */
  readonly seq: number | undefined;
  /** The text's size in UTF-8 bytes (what a socket buffers for it). */
  readonly bytes: number;
}

/**
 * A bounded history of live lines, oldest first.
 *
 * @example
 * ```ts
 * const history = new LineHistory(2);
 * history.push(line1); history.push(line2); history.push(line3);
 * history.trimmed; // 1
 * ```
 */
export class LineHistory {
  /** How many lines were trimmed so far. */
  trimmed = 0;
  /** The seq of the newest trimmed event line (0 if none). */
  lastTrimmedSeq = 0;
  private lines: LiveLine[] = [];
  private start = 0;
  private readonly limit: number;

  /** @param limit - the most lines kept (at least 1) */
  constructor(limit: number) {
    this.limit = limit;
  }

  /** How many lines are kept now. */
  get size(): number {
    return this.lines.length - this.start;
  }

  /** Appends a line, trimming the oldest when full. */
  push(line: LiveLine): void {
    this.lines.push(line);
    if (this.size <= this.limit) return;
    const oldest = this.lines[this.start];
    this.start += 1;
    this.trimmed += 1;
    if (oldest?.seq !== undefined) this.lastTrimmedSeq = oldest.seq;
    // Compacts once the dead prefix is as long as what is kept: amortised O(1) per line.
    if (this.start >= this.limit) {
      this.lines = this.lines.slice(this.start);
      this.start = 0;
    }
  }

  /** The kept lines, oldest first (a copy). */
  kept(): LiveLine[] {
    return this.lines.slice(this.start);
  }
}
