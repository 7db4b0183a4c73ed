/**
 * Splits a byte stream into lines: streaming UTF-8 decoding with replacement characters, `\n`
 * as the separator, one `\r` before it dropped, the final partial line at the end, and lines
 * longer than `maxLineBytes` split into pieces at character boundaries (never dropped).
 *
 * @module
 */
import { StringDecoder } from 'node:string_decoder';

const CR = 13;

/**
 * One stream's line splitter. Not shared between streams.
 *
 * @example
 * ```ts
 * const splitter = new LineSplitter(1024 * 1024);
 * const lines: string[] = [];
 * splitter.push(Buffer.from('a\r\nb'), lines); // lines: ['a']
 * splitter.end(lines); // lines: ['a', 'b']
 * ```
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  readonly #maxBytes: number;
  /** Text after the last `\n` seen so far: never more than `maxBytes` bytes once a chunk is done. */
  #partial = '';

  /** @param maxLineBytes - the longest piece, in UTF-8 bytes (at least 4) */
  constructor(maxLineBytes: number) {
    this.#maxBytes = Math.max(4, Math.floor(maxLineBytes));
  }

  /** Decodes `chunk` and appends the lines it completes to `out`. */
  push(chunk: Buffer, out: string[]): void {
    const text = this.#decoder.write(chunk);
    if (text.length > 0) this.#feed(text, out);
  }

  /** At end of stream: appends what is left (an incomplete character becomes U+FFFD). */
  end(out: string[]): void {
    const rest = this.#decoder.end();
    if (rest.length > 0) this.#feed(rest, out);
    if (this.#partial.length > 0) {
      const last = this.#partial;
      this.#partial = '';
      this.#emit(last, out);
    }
  }

  /** True when a partial line is buffered. */
  get pending(): boolean {
    return this.#partial.length > 0;
  }

  #feed(text: string, out: string[]): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) break;
      let line = text.slice(start, newline);
      if (this.#partial.length > 0) {
        line = this.#partial + line;
        this.#partial = '';
      }
      if (line.length > 0 && line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
      this.#emit(line, out);
      start = newline + 1;
    }
    if (start < text.length) this.#append(start === 0 ? text : text.slice(start), out);
  }

  /** Appends a complete line, split into pieces when it is too long. */
  #emit(line: string, out: string[]): void {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: most lines need no byte count at all.
    if (line.length * 3 <= this.#maxBytes || Buffer.byteLength(line) <= this.#maxBytes) {
      out.push(line);
      return;
    }
    const bytes = Buffer.from(line);
    const offset = this.#cut(bytes, out);
    out.push(bytes.toString('utf8', offset));
  }

  /** Adds text without a newline; emits full pieces early so the buffer stays bounded. */
  #append(text: string, out: string[]): void {
    this.#partial += text;
    if (this.#partial.length * 3 <= this.#maxBytes || Buffer.byteLength(this.#partial) <= this.#maxBytes) return;
    const bytes = Buffer.from(this.#partial);
    // The remainder is never empty, so a trailing '\r' stays buffered until its '\n' shows up.
    this.#partial = bytes.toString('utf8', this.#cut(bytes, out));
  }

  /** Emits pieces of at most maxBytes while more than maxBytes remain; returns where the rest starts. */
  #cut(bytes: Buffer, out: string[]): number {
    const max = this.#maxBytes;
    let offset = 0;
    while (bytes.length - offset > max) {
      let end = offset + max;
      // Back off to the start of a character (never inside a multi-byte sequence).
      while (end > offset && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
      if (end === offset) end = offset + max;
      out.push(bytes.toString('utf8', offset, end));
      offset = end;
    }
    return offset;
  }
}
