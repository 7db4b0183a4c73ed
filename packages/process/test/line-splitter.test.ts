import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/line-splitter.ts';

/** Feeds `chunks` to a fresh splitter and returns every line, the end of stream included. */
function split(chunks: readonly (string | Buffer)[], maxLineBytes = 1024 * 1024): string[] {
  const splitter = new LineSplitter(maxLineBytes);
  const out: string[] = [];
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, out);
  splitter.end(out);
  return out;
}

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets.map((offset) => offset % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

describe('LineSplitter', () => {
  it('splits on \\n, drops one \\r before it, keeps lone \\r and empty lines', () => {
    expect(split(['a\r\nx\ry\n\n\nz\n'])).toEqual(['a', 'x\ry', '', '', 'z']);
    expect(split(['a\r\r\n'])).toEqual(['a\r']);
  });

  it('emits the final partial line at the end, and nothing for a trailing newline', () => {
    expect(split(['l1\nl2\nl3'])).toEqual(['l1', 'l2', 'l3']);
    expect(split(['l1\n'])).toEqual(['l1']);
    expect(split([])).toEqual([]);
  });

  it('joins a line and a \\r\\n split across chunks', () => {
    expect(split(['he', 'llo\r', '\nwor', 'ld'])).toEqual(['hello', 'world']);
  });

  it('decodes UTF-8 as a stream, with replacement for invalid and truncated bytes', () => {
    expect(split([Buffer.from([0xe4, 0xbd]), Buffer.from([0xa0, 0x0a])])).toEqual(['\u4f60']);
    expect(split([Buffer.from([0xff, 0xfe, 0x20, 0x6f, 0x6b, 0x0a])])).toEqual(['\uFFFD\uFFFD ok']);
    expect(split([Buffer.from([0x61, 0xe4])])).toEqual(['a\uFFFD']);
  });

  it('splits long lines into pieces of at most maxLineBytes, at character boundaries', () => {
    expect(split(['abcdefghij\n'], 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(split(['\u4f60\u4f60\u4f60\n'], 4)).toEqual(['\u4f60', '\u4f60', '\u4f60']);
    expect(split(['\u{1F600}\u{1F600}x\n'], 5)).toEqual(['\u{1F600}', '\u{1F600}x']);
  });

  it('keeps its buffer bounded: an endless line is emitted in pieces as it arrives', () => {
    const splitter = new LineSplitter(8);
    const out: string[] = [];
    splitter.push(Buffer.from('0123456789'), out);
    expect(out).toEqual(['01234567']);
    splitter.push(Buffer.from('abcdefgh\r'), out);
    expect(out).toEqual(['01234567', '89abcdef']);
    splitter.push(Buffer.from('\n'), out);
    expect(out).toEqual(['01234567', '89abcdef', 'gh']);
    expect(splitter.pending).toBe(false);
  });

  it('property: any chunking gives the same lines as splitting the whole text at once', () => {
    /** The reference: split on '\n', drop one '\r' before each '\n', keep a non-empty tail as is. */
    const reference = (text: string): string[] => {
      const parts = text.split('\n');
      const tail = parts.pop() ?? '';
      const lines = parts.map((part) => (part.endsWith('\r') ? part.slice(0, -1) : part));
      if (tail !== '') lines.push(tail);
      return lines;
    };
    const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\r', '\n', '\u4f60', '\u{1F600}'), maxLength: 200 });
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 10 }), (value, offsets) => {
        expect(split(cut(Buffer.from(value), offsets))).toEqual(reference(value));
      }),
    );
  });

  it('property: pieces never exceed maxLineBytes and lose nothing', () => {
    const line = fc.string({ unit: fc.constantFrom('a', '\u00e9', '\u4f60', '\u{1F600}'), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 10 }), fc.integer({ min: 4, max: 16 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, max, offsets) => {
        const text = `${lines.join('\n')}\n`;
        const pieces = split(cut(Buffer.from(text), offsets), max);
        for (const piece of pieces) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(max);
        expect(pieces.join('')).toBe(lines.join(''));
      }),
    );
  });
});
