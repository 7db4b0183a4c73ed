/**
 * Parsing and checking one line of a recording.
 *
 * @module
 */
import type { SupervisorEvent } from '@statevisor/core';
import { RecordingFormatError } from '../errors.ts';
import { RECORDING_FORMAT, RECORDING_VERSION } from '../format/recording-format.ts';
import type { InspectLine, RecordingHeader } from '../format/recording-format.ts';
import type { FileLine } from './file-lines.ts';

/**
 * Parses line 1 as a header of this format and version.
 *
 * @param file - the file (for errors)
 * @param line - its first line
 * @returns the header
 * @throws RecordingFormatError when it is not one
 *
 * @example
 * ```ts
 * const header = parseHeader('run.jsonl', { number: 1, text, terminated: true });
 * ```
 */
export function parseHeader(file: string, line: FileLine): RecordingHeader {
  const value = parseJson(file, line);
  if (!isObject(value) || value['format'] !== RECORDING_FORMAT) {
    throw new RecordingFormatError(file, line.number, `not a Statevisor recording: the first line must be a header with "format": "${RECORDING_FORMAT}"`);
  }
  const version = value['version'];
  if (typeof version !== 'number') throw new RecordingFormatError(file, line.number, 'the header has no version');
  if (version > RECORDING_VERSION) {
    throw new RecordingFormatError(file, line.number, `recording format version ${String(version)} is newer than this reader's (${String(RECORDING_VERSION)}): update @statevisor/inspect`);
  }
  if (version !== RECORDING_VERSION) throw new RecordingFormatError(file, line.number, `unknown recording format version ${String(version)}`);
  if (typeof value['startedAt'] !== 'number' || !isObject(value['snapshot'])) {
    throw new RecordingFormatError(file, line.number, 'the header lacks startedAt or snapshot');
  }
  return value as unknown as RecordingHeader;
}

/**
 * Parses a line after the header: an event or an inspection line. A last line cut short that
 * is not JSON gives `undefined` (or, when `strict`, an error).
 *
 * @param file - the file (for errors)
 * @param line - the line
 * @param strict - refuse a cut last line
 * @returns the parsed line, or `undefined` for a cut last line
 * @throws RecordingFormatError when the line is not a recording line
 *
 * @example
 * ```ts
 * const parsed = parseBodyLine('run.jsonl', { number: 2, text: '{"kind":"TaskAdded",...}', terminated: true }, false);
 * ```
 */
export function parseBodyLine(file: string, line: FileLine, strict: boolean): SupervisorEvent | InspectLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch {
    if (!line.terminated && !strict) return undefined;
    const why = line.terminated ? 'not JSON' : 'cut short (the recording ended while it was being written)';
    throw new RecordingFormatError(file, line.number, `the line is ${why}`);
  }
  if (!isObject(value)) throw new RecordingFormatError(file, line.number, 'the line is not a JSON object');
  if ('inspect' in value) {
    const message = value['inspect'];
    if (!isObject(message) || typeof message['type'] !== 'string' || typeof message['sessionId'] !== 'string') {
      throw new RecordingFormatError(file, line.number, 'the inspection line has no message (type, sessionId)');
    }
    return value as unknown as InspectLine;
  }
  if (value['format'] === RECORDING_FORMAT) {
    throw new RecordingFormatError(file, line.number, 'a second header: the file holds more than one recording (record appends; use a new file per run)');
  }
  if (typeof value['kind'] !== 'string' || typeof value['seq'] !== 'number' || typeof value['task'] !== 'string') {
    throw new RecordingFormatError(file, line.number, 'the line is neither an event (kind, seq, task) nor an inspection line');
  }
  return value as unknown as SupervisorEvent;
}

function parseJson(file: string, line: FileLine): unknown {
  try {
    return JSON.parse(line.text);
  } catch {
    throw new RecordingFormatError(file, line.number, 'the line is not JSON');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
