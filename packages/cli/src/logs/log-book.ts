/**
 * The log book: the recent output lines of every process of a run, for `statevisor logs`, `ps`'s
 * last line and the TUI's log pane.
 *
 * @module
 */
import type { Supervisor } from '@statevisor/core';
import { isUnder, relativePath, type LogLine } from './log-line.ts';
import { RingBuffer } from './ring-buffer.ts';

export type { LogLine } from './log-line.ts';

/**
 * Options of {@link createLogBook}.
 *
 * @example
 * ```ts
 * const options: LogBookOptions = { linesPerProcess: 500 };
 * ```
 */
export interface LogBookOptions {
  /** Lines kept per process path (default 1000). */
  readonly linesPerProcess?: number;
}

/**
 * Recent output lines per process, and a way to follow new ones.
 *
 * @example
 * ```ts
 * const logs = createLogBook(app);
 * logs.recent('web', 20); // web's last 20 lines
 * const stop = logs.follow(undefined, (line) => console.log(line.path, line.line));
 * ```
 */
export interface LogBook {
  /**
   * The kept lines of `path` and the processes below it (every process when absent), oldest
   * first, merged in the order they came; at most the last `limit` of them. The log book's
   * notices (lines it lost) are part of every answer.
   */
  recent(path?: string, limit?: number): LogLine[];
  /** The last output line of exactly `path`, if any is kept. */
  last(path: string): LogLine | undefined;
  /** Calls `listener` with each new line of `path` (and below; every process when absent); returns the unsubscribe. */
  follow(path: string | undefined, listener: (line: LogLine) => void): () => void;
  /** Stops listening to the app (the kept lines stay readable). */
  close(): void;
}

/** Lines kept per process when not told. */
export const DEFAULT_LINES_PER_PROCESS = 1000;

/**
 * Starts keeping `app`'s output lines (`TaskOutput` and `TaskOutputBatch`) through a bounded
 * `subscribe()`, the last `linesPerProcess` lines per process path. Should the subscription ever
 * lose events (its `stats().dropped` grows), a notice line says how many, so a gap is visible.
 *
 * @param app - the running supervisor
 * @param options - how many lines to keep per process
 * @returns the log book
 *
 * @example
 * ```ts
 * const logs = createLogBook(app, { linesPerProcess: 1000 });
 * await app.start();
 * for (const line of logs.recent()) console.log(`${line.path} | ${line.line}`);
 * ```
 */
export function createLogBook(app: Supervisor, options: LogBookOptions = {}): LogBook {
  const capacity = options.linesPerProcess ?? DEFAULT_LINES_PER_PROCESS;
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`createLogBook: linesPerProcess must be a positive integer, got ${String(capacity)}`);
  }
  const byPath = new Map<string, RingBuffer<LogLine>>();
  const notices = new RingBuffer<LogLine>(capacity);
  const listeners = new Set<{ readonly path: string | undefined; readonly listener: (line: LogLine) => void }>();
  let seq = 0;
  let droppedSeen = 0;

  const keep = (line: Omit<LogLine, 'seq'>): void => {
    const entry: LogLine = { ...line, seq: (seq += 1) };
    if (entry.stream === 'notice') notices.push(entry);
    else {
      let ring = byPath.get(entry.path);
      if (ring === undefined) byPath.set(entry.path, (ring = new RingBuffer<LogLine>(capacity)));
      ring.push(entry);
    }
    for (const { path, listener } of [...listeners]) {
      if (entry.stream !== 'notice' && !isUnder(entry.path, path)) continue;
      try {
        listener(entry);
      } catch {
        // A listener's failure is its own; the others still get the line.
      }
    }
  };

  const subscription = app.subscribe({
    name: 'statevisor-log-book',
    kinds: ['TaskOutput', 'TaskOutputBatch'],
    next: (event) => {
      const dropped = subscription.stats().dropped;
      if (dropped > droppedSeen) {
        keep({ at: event.at, path: '', stream: 'notice', line: `statevisor: ${String(dropped - droppedSeen)} output events were lost (the log book fell behind)` });
        droppedSeen = dropped;
      }
      const path = relativePath(app.name, event.task);
      const lines = event.kind === 'TaskOutput' ? [event.line] : event.lines;
      for (const line of lines) keep({ at: event.at, path, stream: event.stream, line });
    },
  });

  return {
    recent(given, limit) {
      const path = given === undefined ? undefined : relativePath(app.name, given);
      const lines = [...notices.toArray()];
      for (const [p, ring] of byPath) if (isUnder(p, path)) lines.push(...ring.toArray());
      lines.sort((a, b) => a.seq - b.seq);
      return limit === undefined ? lines : lines.slice(Math.max(0, lines.length - limit));
    },
    last: (path) => byPath.get(relativePath(app.name, path))?.last(),
    follow(given, listener) {
      const entry = { path: given === undefined ? undefined : relativePath(app.name, given), listener };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    close() {
      subscription.unsubscribe();
      listeners.clear();
    },
  };
}
