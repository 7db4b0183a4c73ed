/**
 * A recording served as it is: its header is checked once when the server starts, then each
 * `/recording` request streams the file from disk (never read whole into memory).
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { RecordingNotFoundError } from '../errors.ts';
import { readRecordingHeader } from '../read/read-recording.ts';

/**
 * Checks that a file is a recording this version can serve: it exists and its first line is a
 * header of format `statevisor-recording`, version 1.
 *
 * @param file - the recording's path
 * @returns the name the page shows (the file's base name)
 * @throws RecordingNotFoundError when the file is missing (or not a file); RecordingFormatError
 * (from `readRecordingHeader`) when its first line is not such a header
 * @example
 * ```ts
 * const name = await checkRecordingFile('run.jsonl'); // 'run.jsonl'
 * ```
 */
export async function checkRecordingFile(file: string): Promise<string> {
  let isFile: boolean;
  try {
    isFile = (await stat(file)).isFile();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RecordingNotFoundError(file);
    throw error;
  }
  if (!isFile) throw new RecordingNotFoundError(file);
  await readRecordingHeader(file);
  return basename(file);
}

/**
 * Streams the recording into an HTTP response, byte for byte.
 *
 * @param file - the recording's path
 * @param response - the response, headers not yet sent
 * @param headers - the headers to send with it
 * @example
 * ```ts
 * await streamRecording('run.jsonl', response, guard.headers('application/x-ndjson'));
 * ```
 */
export async function streamRecording(file: string, response: ServerResponse, headers: OutgoingHttpHeaders): Promise<void> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    response.writeHead(404, headers).end();
    return;
  }
  const stream = createReadStream(file, { start: 0, end: Math.max(0, size - 1) });
  response.writeHead(200, { ...headers, 'content-length': size });
  if (size === 0) {
    stream.destroy();
    response.end();
    return;
  }
  stream.on('error', () => response.destroy());
  response.on('close', () => stream.destroy());
  stream.pipe(response);
}
