/**
 * Where the live viewer's lines come from: the recording's line source (the header, one line
 * per event, inspection lines when asked, and the source's own overflow lines), as JSON text
 * with the event's seq, and the end when `events$` completes.
 *
 * @module
 */
import type { Supervisor } from '@statevisor/core';
import type { RecordingHeader, RecordingLine } from '../format/recording-format.ts';
import { createLineSource } from '../record/line-source.ts';

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

/** The subscriber name of the feed (in the bus's and the source's `SubscriberOverflow` lines). */
export const FEED_NAME = 'viewer';

/**
 * How many events may wait in the feed's bus buffer. The feed's consumer is synchronous, so
 * they wait only for the microtask in which the source hands one over; the bound matters only
 * for a burst of that many events within one turn.
 */
const FEED_CAPACITY = 16_384;

/**
 * Starts feeding an app's lines to a sink.
 *
 * @param app - the supervisor to watch
 * @param options - `inspect`: also feed inspection lines
 * @param sink - where the lines go (the header is not given to it: see {@link LiveFeed.header})
 * @returns the running feed
 * @example
 * ```ts
 * const feed = startLiveFeed(app, { inspect: true }, { line: (text) => console.log(text), end() {} });
 * await feed.stop();
 * ```
 */
export function startLiveFeed(app: Supervisor, options: { readonly inspect: boolean }, sink: FeedSink): LiveFeed {
  let header: string | undefined;
  const source = createLineSource(app, { inspect: options.inspect, name: FEED_NAME, capacity: FEED_CAPACITY }, (text, value) => {
    // The source hands the header over first, synchronously, before it returns.
    if (header === undefined) header = text;
    else sink.line(text, seqOf(value));
  });
  void source.done.then(
    () => sink.end(),
    () => sink.end(),
  );
  return {
    header: header ?? JSON.stringify(source.header),
    stop: () => source.stop(),
  };
}

function seqOf(value: RecordingHeader | RecordingLine): number | undefined {
  return 'kind' in value ? value.seq : undefined;
}
