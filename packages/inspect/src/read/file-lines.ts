/**
 * A text file's lines, streamed: never more than one chunk and one line in memory.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { RecordingNotFoundError } from '../errors.ts';

/**
 * One line of a file: its 1-based number, its text (without `\n` or `\r\n`), and whether a
 * newline ended it (false only for a last line cut short).
 *
 * @example
 * ```ts
 * const line: FileLine = { number: 1, text: '{}', terminated: true };
 * ```
 */
export interface FileLine {
  readonly number: number;
  readonly text: string;
  readonly terminated: boolean;
}

/**
 * Yields the lines of `file` in order, reading it in chunks. Breaking out of the loop closes
 * the file. A path that is no file is a {@link RecordingNotFoundError}.
 *
 * @param file - the file to read
 * @returns the lines
 *
 * @example
 * ```ts
 * for await (const line of fileLines('run.jsonl')) if (line.number === 1) console.log(line.text);
 * ```
 */
export async function* fileLines(file: string): AsyncGenerator<FileLine, void, undefined> {
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let number = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      rest += decoder.write(chunk);
      let start = 0;
      let end = rest.indexOf('\n', start);
      while (end !== -1) {
        number++;
        yield { number, text: stripCr(rest.slice(start, end)), terminated: true };
        start = end + 1;
        end = rest.indexOf('\n', start);
      }
      rest = rest.slice(start);
    }
    rest += decoder.end();
    if (rest !== '') yield { number: number + 1, text: stripCr(rest), terminated: false };
  } catch (error: unknown) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw new RecordingNotFoundError(file);
    throw error;
  } finally {
    stream.destroy();
  }
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
