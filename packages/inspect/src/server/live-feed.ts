/**
 * Where the live viewer's lines come from: the header (the tree when the server started),
 * then one recording line per event of the app, as JSON text, and the end when `events$`
 * completes.
 *
 * @module
 */
import type { Supervisor } from '@statevisor/core';
import type { RecordingHeader } from '../format/recording-format.ts';
import { RECORDING_FORMAT, RECORDING_VERSION } from '../format/recording-format.ts';

/** Receives the feed's lines. */
export interface FeedSink {
  /** One line (no newline); `seq` is the event's, undefined for an inspection line. */
  line(text: string, seq: number | undefined): void;
  /** The app's events ended (shutdown completed `events$`). */
  end(): void;
}

/** A running feed. */
export interface LiveFeed {
  /** The header line's text. */
  readonly header: string;
  /** Stops delivery; resolves once nothing more will reach the sink. */
  stop(): Promise<void>;
}

/**
 * Starts feeding an app's lines to a sink.
 *
 * @param app - the supervisor to watch
 * @param _options - `inspect`: also feed inspection lines
 * @param sink - where the lines go
 * @returns the running feed
 * @example
 * ```ts
 * const feed = startLiveFeed(app, { inspect: true }, { line: (text) => console.log(text), end() {} });
 * await feed.stop();
 * ```
 */
export function startLiveFeed(app: Supervisor, _options: { readonly inspect: boolean }, sink: FeedSink): LiveFeed {
  const header: RecordingHeader = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    startedAt: Date.now(),
    snapshot: app.snapshot(),
  };
  const subscription = app.events$.subscribe({
    next: (event) => sink.line(JSON.stringify(event), event.seq),
    complete: () => sink.end(),
  });
  return {
    header: JSON.stringify(header),
    stop() {
      subscription.unsubscribe();
      return Promise.resolve();
    },
  };
}
