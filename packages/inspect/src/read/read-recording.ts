/**
 * Reading a recording back: its header, then its events (and, when asked, its inspection
 * lines), streamed from the file in the order they were written, which is seq order.
 *
 * @module
 */
import type { SupervisorEvent } from '@statevisor/core';
import { RecordingFormatError } from '../errors.ts';
import type { RecordingHeader, RecordingLine } from '../format/recording-format.ts';
import { fileLines } from './file-lines.ts';
import { parseBodyLine, parseHeader } from './parse-line.ts';

/**
 * Options of {@link readRecording}.
 *
 * @example
 * ```ts
 * for await (const line of readRecording('run.jsonl', { inspect: true, strict: true })) console.log(line);
 * ```
 */
export interface ReadRecordingOptions {
  /**
   * Also yield the inspection lines (`{ inspect: message }`), between the events, in file
   * order: the iterable then yields `RecordingLine`s (default false: events only).
   */
  readonly inspect?: boolean;
  /**
   * Refuse a recording whose last line was cut short (a crash while writing) with a
   * `RecordingFormatError` (default false: such a line is skipped, and `onTruncated` told).
   */
  readonly strict?: boolean;
  /** Called with the line number when a cut last line is skipped (not in strict mode). */
  readonly onTruncated?: (line: number) => void;
}

/**
 * Reads a recording's events in seq order, streaming the file (a huge recording is never read
 * into memory at once). With `{ inspect: true }` it yields every line after the header (events
 * and inspection lines, in file order). A recording cut by a crash (its last line unfinished)
 * is read up to that line, unless `strict`.
 *
 * @param file - the recording (JSONL, as `record` writes it)
 * @param options - `inspect`, `strict`, `onTruncated`
 * @returns the events (or lines), as an async iterable that can be iterated once per call
 * @throws RecordingFormatError with the file and the 1-based line: an empty file, a first line
 * that is not a header of this format, a newer version, a line that is not JSON or not a
 * recording line, a second header (two recordings appended to one file), seq going backwards,
 * a cut last line in strict mode
 *
 * @example
 * ```ts
 * import { readRecording } from '@statevisor/inspect';
 *
 * for await (const event of readRecording('run.jsonl')) {
 *   if (event.kind === 'TaskFailed') console.log(event.task, event.reason);
 * }
 * ```
 */
export function readRecording(file: string, options: ReadRecordingOptions & { readonly inspect: true }): AsyncIterable<RecordingLine>;
export function readRecording(file: string, options?: ReadRecordingOptions): AsyncIterable<SupervisorEvent>;
export function readRecording(file: string, options: ReadRecordingOptions = {}): AsyncIterable<RecordingLine> {
  return { [Symbol.asyncIterator]: () => recordingLines(file, options) };
}

async function* recordingLines(file: string, options: ReadRecordingOptions): AsyncGenerator<RecordingLine, void, undefined> {
  let lastSeq = 0;
  let sawHeader = false;
  for await (const line of fileLines(file)) {
    if (!sawHeader) {
      parseHeader(file, line);
      sawHeader = true;
      continue;
    }
    if (line.text.trim() === '') continue;
    const parsed = parseBodyLine(file, line, options.strict === true);
    if (parsed === undefined) {
      options.onTruncated?.(line.number);
      return;
    }
    if ('inspect' in parsed) {
      if (options.inspect === true) yield parsed;
      continue;
    }
    if (parsed.seq < lastSeq) {
      throw new RecordingFormatError(file, line.number, `seq ${String(parsed.seq)} comes after seq ${String(lastSeq)}: the lines are out of order`);
    }
    lastSeq = parsed.seq;
    yield parsed;
  }
  if (!sawHeader) throw new RecordingFormatError(file, 1, 'the file is empty: a recording starts with a header line');
}

/**
 * Reads a recording's header (its first line) without reading the rest of the file.
 *
 * @param file - the recording
 * @returns the header: format, version, `startedAt` and the tree's snapshot when it began
 * @throws RecordingFormatError when the first line is missing or is not a header this version reads
 *
 * @example
 * ```ts
 * const header = await readRecordingHeader('run.jsonl');
 * console.log(new Date(header.startedAt), header.snapshot.path);
 * ```
 */
export async function readRecordingHeader(file: string): Promise<RecordingHeader> {
  for await (const line of fileLines(file)) return parseHeader(file, line);
  throw new RecordingFormatError(file, 1, 'the file is empty: a recording starts with a header line');
}
