/**
 * `record(app, file)`: a supervisor's events (and, when asked, its XState inspection messages)
 * appended to a JSONL file, in batched writes that wait for the disk.
 *
 * @module
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Supervisor } from '@statevisor/core';
import { createLineSource } from './line-source.ts';
import { ConfigError } from '@statevisor/core';
import { quote, resolveRecordOptions, type RecordOptions } from './line-options.ts';

/** Lines gathered before a write is forced (bytes of text). */
const BATCH_BYTES = 64 * 1024;

/**
 * A recording under way.
 *
 * @example
 * ```ts
 * const recording = record(app, 'run.jsonl');
 * await app.shutdown();
 * await recording.stop();
 * console.log(recording.stats()); // { written: 42, dropped: 0, inspectWritten: 0, inspectDropped: 0 }
 * ```
 */
export interface Recorder {
  /** The file the lines are appended to. */
  readonly file: string;
  /**
   * Settles once recording has ended and the file is closed, whether by `stop()` or by itself
   * after the app's shutdown; rejects (like `stop()`) if the file could not be written.
   */
  readonly closed: Promise<void>;
  /**
   * Stops recording (unless it has ended already, after the app's shutdown): the subscription
   * and the inspection observer are removed, and the promise resolves once every line taken is
   * written and the file is closed; it rejects if the file could not be written. Idempotent.
   */
  stop(): Promise<void>;
  /**
   * `written`/`dropped`: events written and lost (in the end, their sum is the number of events
   * published while recording); `inspectWritten`/`inspectDropped`: the same for inspection
   * messages. Every loss is also in the file, as a `SubscriberOverflow` line.
   */
  stats(): { written: number; dropped: number; inspectWritten: number; inspectDropped: number };
}

/**
 * Records `app` to `file` (JSONL, appended; DESIGN.md §6): a header line with the tree now,
 * then one line per event, and with `{ inspect: true }` one `{ "inspect": ... }` line per XState
 * inspection message (env values redacted and outputs left out unless `secrets` / `outputs`).
 * Events wait in a bounded buffer (`capacity`) while the disk is busy; what does not fit is
 * lost, and the loss is written as a `SubscriberOverflow` line naming the recorder. Recording
 * ends by itself once the app's shutdown has completed `events$` (the file is closed then), or
 * with `stop()`, or as soon as the file cannot be written (`stop()` and `closed` then reject).
 * The file is opened for appending (each batch is one append): give each run its own file, as
 * `readRecording` refuses a file that holds two recordings.
 *
 * @param app - the supervisor to record (start it after `record` to get every event)
 * @param file - the file to append to (created when missing)
 * @param options - `inspect`, `secrets`, `outputs`, `capacity` (default 1024), `name` (default `'recorder'`)
 * @returns the recorder
 * @throws ConfigError naming the field when an option is invalid, before the file is opened
 *
 * @example
 * ```ts
 * import { createSupervisor, task } from '@statevisor/core';
 * import { record } from '@statevisor/inspect';
 *
 * const app = createSupervisor({ name: 'app', children: [task('hello', async () => 'world')] });
 * const recording = record(app, 'run.jsonl', { inspect: true });
 * await app.start();
 * await app.shutdown();
 * await recording.stop(); // every line is on disk, the file is closed
 * ```
 */
export function record(app: Supervisor, file: string, options?: RecordOptions): Recorder {
  if (typeof file !== 'string' || file === '') throw new ConfigError('file', `expected a non-empty string, got ${quote(file)}`);
  const resolved = resolveRecordOptions(options);
  const stream = createWriteStream(file, { flags: 'a', encoding: 'utf8' });
  let failure: { readonly error: unknown } | undefined;
  stream.on('error', (error: unknown) => {
    failure ??= { error };
    // The file cannot be written: stop recording now rather than at the next line.
    source.stop().catch(() => undefined);
  });

  let batch = '';
  let scheduled = false;
  /** Set while the stream's buffer is full: no line is taken until it has drained. */
  let draining: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    if (failure !== undefined) throw failure.error;
    if (batch === '') return;
    const text = batch;
    batch = '';
    if (stream.write(text)) return;
    // 'error' rejects the wait too (once() does that), so a broken disk never hangs the recorder.
    draining ??= once(stream, 'drain').then(
      () => {
        draining = undefined;
      },
      (error: unknown) => {
        failure ??= { error };
        draining = undefined;
      },
    );
    await draining;
  };

  const source = createLineSource(app, resolved, async (text) => {
    if (draining !== undefined) await draining;
    if (failure !== undefined) throw failure.error;
    batch += `${text}\n`;
    if (batch.length >= BATCH_BYTES) {
      await flush();
      return;
    }
    if (!scheduled) {
      // Lines that arrive together are written together, on the next turn of the event loop.
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        flush().catch((error: unknown) => {
          failure ??= { error };
        });
      });
    }
  });

  const closed = source.done
    .then(flush, async (error: unknown) => {
      await flush().catch(() => undefined);
      throw error;
    })
    .finally(async () => {
      await closeStream();
    })
    .then(() => {
      if (failure !== undefined) throw failure.error;
    });
  closed.catch(() => undefined);

  const closeStream = async (): Promise<void> => {
    if (stream.closed) return;
    const done = once(stream, 'close').catch(() => undefined);
    stream.end();
    await done;
  };

  return {
    file,
    closed,
    stop: async () => {
      await source.stop().catch(() => undefined);
      await closed;
    },
    stats: () => {
      const { written, dropped, inspectWritten, inspectDropped } = source.stats();
      return { written, dropped, inspectWritten, inspectDropped };
    },
  };
}
