/**
 * A recording served as it is: its header is checked once when the server starts, then each
 * `/recording` request streams the file from disk (never read whole into memory).
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { RECORDING_FORMAT, RECORDING_VERSION } from '../format/recording-format.ts';
import { RecordingFormatError, RecordingNotFoundError } from '../errors.ts';

/** The longest header line accepted (a snapshot of a very large tree fits well within it). */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/**
 * Checks that a file is a recording this version can serve: it exists and its first line is a
 * header of format `statevisor-recording`, version 1.
 *
 * @param file - the recording's path
 * @returns the name the page shows (the file's base name)
 * @throws RecordingNotFoundError when the file is missing; RecordingFormatError when its first
 * line is not such a header
 * @example
 * ```ts
 * const name = await checkRecordingFile('run.jsonl'); // 'run.jsonl'
 * ```
 */
export async function checkRecordingFile(file: string): Promise<string> {
  const line = await readFirstLine(file);
  let header: unknown;
  try {
    header = JSON.parse(line);
  } catch {
    throw new RecordingFormatError(file, 1, 'the first line is not JSON (not a recording)');
  }
  const { format, version } = (typeof header === 'object' && header !== null ? header : {}) as Record<string, unknown>;
  if (format !== RECORDING_FORMAT) {
    throw new RecordingFormatError(file, 1, `the header's format is not "${RECORDING_FORMAT}"`);
  }
  if (version !== RECORDING_VERSION) {
    throw new RecordingFormatError(file, 1, `version ${version === undefined ? 'undefined' : JSON.stringify(version)} is not supported (this package reads version ${String(RECORDING_VERSION)})`);
  }
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

async function readFirstLine(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw new RecordingNotFoundError(file);
    throw error;
  }
  try {
    if ((await handle.stat()).isDirectory()) throw new RecordingNotFoundError(file);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, total);
      const end = buffer.subarray(0, bytesRead).indexOf(10);
      if (end >= 0) {
        chunks.push(buffer.subarray(0, end));
        break;
      }
      if (bytesRead === 0) {
        if (total === 0) throw new RecordingFormatError(file, 1, 'the file is empty (no header)');
        break;
      }
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_HEADER_BYTES) throw new RecordingFormatError(file, 1, 'the first line is too long to be a header');
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    await handle.close();
  }
}
