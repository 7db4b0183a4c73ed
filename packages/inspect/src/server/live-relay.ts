/**
 * The live side of the viewer server: takes an app's lines from the feed, keeps a bounded
 * history, and relays every new line to each connected browser.
 *
 * @module
 */
import type { Supervisor } from '@statevisor/core';
import type { WebSocket } from 'ws';
import { ClientRelay } from './client-relay.ts';
import type { RelayCounters } from './client-relay.ts';
import { LineHistory } from './line-history.ts';
import type { LiveLine } from './line-history.ts';
import { startLiveFeed } from './live-feed.ts';
import type { LiveFeed } from './live-feed.ts';

/** The subscriber name of the history's own trimming report. */
export const HISTORY_SUBSCRIBER = 'viewer#history';

/** A running live relay. */
export interface LiveRelay {
  /** The root path (the session's name). */
  readonly name: string;
  /** Starts relaying to a newly connected browser: header, history, then live lines. */
  connect(ws: WebSocket): void;
  /** Browsers connected now. */
  clients(): number;
  /** Unsubscribes from the app and forgets every browser. */
  stop(): Promise<void>;
}

/**
 * Starts relaying an app's lines.
 *
 * @param app - the live supervisor
 * @param options - `historyLimit`, `clientBufferBytes`, `inspect` (see ViewerOptions);
 * `counters` the server's totals
 * @returns the relay
 * @example
 * ```ts
 * const relay = startLiveRelay(app, { historyLimit: 1000, clientBufferBytes: 1 << 20, inspect: true, counters });
 * wss.on('connection', (ws) => relay.connect(ws));
 * ```
 */
export function startLiveRelay(
  app: Supervisor,
  options: { readonly historyLimit: number; readonly clientBufferBytes: number; readonly inspect: boolean; readonly counters: RelayCounters },
): LiveRelay {
  const name = app.snapshot().path;
  const history = new LineHistory(options.historyLimit);
  const clients = new Set<ClientRelay>();
  const feed: LiveFeed = startLiveFeed(app, { inspect: options.inspect }, {
    line(text, seq) {
      const line: LiveLine = { text, seq, bytes: Buffer.byteLength(text) };
      history.push(line);
      for (const client of clients) client.offer(line);
    },
    end() {
      // The history stays served; open sockets already got the last lines.
    },
  });
  const header = toLine(feed.header, undefined);

  return {
    name,
    connect(ws) {
      const client = new ClientRelay(ws, { budget: options.clientBufferBytes, root: name, counters: options.counters });
      const first = [header];
      if (history.trimmed > 0) first.push(trimmedReport(history, name));
      client.start([...first, ...history.kept()]);
      clients.add(client);
      const forget = (): void => {
        client.close();
        clients.delete(client);
      };
      ws.once('close', forget);
      ws.once('error', forget);
    },
    clients: () => clients.size,
    async stop() {
      for (const client of clients) client.close();
      clients.clear();
      await feed.stop();
    },
  };
}

function toLine(text: string, seq: number | undefined): LiveLine {
  return { text, seq, bytes: Buffer.byteLength(text) };
}

/** The line a late browser gets where the trimmed lines were. */
function trimmedReport(history: LineHistory, root: string): LiveLine {
  const text = JSON.stringify({
    kind: 'SubscriberOverflow',
    subscriber: HISTORY_SUBSCRIBER,
    dropped: history.trimmed,
    seq: history.lastTrimmedSeq,
    at: Date.now(),
    task: root,
  });
  return toLine(text, undefined);
}
