/**
 * A WebSocket client of the live viewer for the tests: it parses every line it receives and
 * lets a test wait until the lines satisfy a condition (checked on each message, never on a
 * timer).
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';

/** A parsed line of the live stream. */
export type Line = Record<string, unknown>;

/** A connected test client. */
export interface LiveClient {
  readonly ws: WebSocket;
  /** Every line received so far, parsed, in order. */
  readonly lines: Line[];
  /** How many WebSocket messages carried them. */
  messages: number;
  /** Resolves once `done(lines)` holds (checked now and after every message). */
  until(done: (lines: readonly Line[]) => boolean): Promise<void>;
  /** Stops reading from the socket (the server's writes back up). */
  pause(): void;
  /** Reads again. */
  resume(): void;
  /** Closes the socket and waits for it to be closed. */
  close(): Promise<void>;
}

/** The WebSocket URL of a viewer's live stream. */
export function liveUrl(viewerUrl: string): string {
  const url = new URL(viewerUrl);
  url.protocol = 'ws:';
  url.pathname = '/live';
  return url.href;
}

/**
 * Connects to the live stream and resolves once open.
 *
 * @param url - the ws:// URL
 * @param headers - extra request headers (e.g. an Origin)
 */
export async function connectLive(url: string, headers: Record<string, string> = {}): Promise<LiveClient> {
  const ws = new WebSocket(url, { headers });
  const lines: Line[] = [];
  const waiters = new Set<{ done: (lines: readonly Line[]) => boolean; resolve: () => void }>();
  const client: LiveClient = {
    ws,
    lines,
    messages: 0,
    until(done) {
      if (done(lines)) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ done, resolve }));
    },
    pause: () => socketOf(ws).pause(),
    resume: () => socketOf(ws).resume(),
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      const closed = new Promise((resolve) => ws.once('close', resolve));
      ws.terminate();
      await closed;
    },
  };
  ws.on('message', (data: Buffer) => {
    client.messages += 1;
    for (const text of data.toString('utf8').split('\n')) lines.push(JSON.parse(text) as Line);
    for (const waiter of waiters) {
      if (waiter.done(lines)) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return client;
}

/**
 * Tries a WebSocket upgrade and resolves with the HTTP status of a refusal, or 101 when it
 * opened (the socket is then closed).
 */
export async function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve) => {
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.once('error', () => resolve(0));
  });
}

function socketOf(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket;
}
