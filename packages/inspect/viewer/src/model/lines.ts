/**
 * Splits a growing text (a streamed recording, WebSocket messages) into JSONL lines: a chunk may
 * end in the middle of a line, which waits for the next chunk.
 *
 * @module
 */

/**
 * Cuts text chunks into whole lines.
 *
 * @example
 * ```ts
 * const splitter = new LineSplitter();
 * splitter.push('{"a":1}\n{"b"'); // ['{"a":1}']
 * splitter.push(':2}\n');         // ['{"b":2}']
 * ```
 */
export class LineSplitter {
  #rest = '';

  /** Adds a chunk; returns the lines it completed (empty lines left out). */
  push(chunk: string): string[] {
    const text = this.#rest + chunk;
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    return lines.filter((line) => line.trim() !== '');
  }

  /** The text after the last newline, as a last line (a file that does not end in `\n`). */
  end(): string[] {
    const rest = this.#rest;
    this.#rest = '';
    return rest.trim() === '' ? [] : [rest];
  }
}
