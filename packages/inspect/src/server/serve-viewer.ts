/**
 * `serveViewer`: a small local server (HTTP plus WebSocket) for the offline viewer page, over a
 * live app or a recording file.
 *
 * @module
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, describeValue } from '@statevisor/core';
import type { Supervisor } from '@statevisor/core';
import { WebSocketServer } from 'ws';
import type { RelayCounters } from './client-relay.ts';
import { createRoutes } from './http-routes.ts';
import type { ViewerSession } from './http-routes.ts';
import { createGuard } from './http-security.ts';
import { startLiveRelay } from './live-relay.ts';
import type { LiveRelay } from './live-relay.ts';
import { checkRecordingFile } from './recording-file.ts';
import { resolveViewerOptions } from './viewer-options.ts';
import type { ViewerOptions } from './viewer-options.ts';
import { loadViewerPage } from './viewer-page.ts';
import type { ViewerPage } from './viewer-page.ts';

/**
 * Counters of a viewer server.
 *
 * @example
 * ```ts
 * const { clients, sent, dropped } = viewer.stats();
 * ```
 */
export interface ViewerStats {
  /** Browsers (WebSockets) connected now. */
  readonly clients: number;
  /** Lines handed to WebSockets so far (headers, history, live lines and overflow reports). */
  readonly sent: number;
  /** Live lines dropped for browsers that fell behind, over all of them. */
  readonly dropped: number;
}

/**
 * A running viewer server.
 *
 * @example
 * ```ts
 * const viewer = await serveViewer(app);
 * console.log(viewer.url); // http://127.0.0.1:<port>/?token=...
 * await viewer.close();
 * ```
 */
export interface ViewerServer {
  /** The page's address, with the token: open it in a browser. */
  readonly url: string;
  /** The port the server listens on. */
  readonly port: number;
  /** The token every request must carry. */
  readonly token: string;
  /**
   * Closes every WebSocket and HTTP connection, stops following the app, and resolves once the
   * port is free. Idempotent.
   */
  close(): Promise<void>;
  /** The server's counters. */
  stats(): ViewerStats;
}

/** The most a browser may send (it sends nothing; anything larger closes its socket). */
const MAX_CLIENT_MESSAGE_BYTES = 4096;

/**
 * Serves the offline viewer, live over a running app or over a recording file.
 *
 * Live, the server follows `app` from this call on: every browser gets a header (the tree at
 * this call), the lines kept since (`historyLimit`), then new lines as they come, and keeps
 * getting the history after the app has shut down. Over a recording, the file's header is
 * checked first and the file is streamed as it is.
 *
 * Every request needs the URL's token (403 otherwise); a WebSocket whose `Origin` is not the
 * server's own is refused (a missing Origin, i.e. a non-browser client, is allowed: the token
 * still guards it).
 *
 * @param source - a live supervisor, or the path of a recording
 * @param options - see {@link ViewerOptions}
 * @returns the running server
 * @throws ConfigError naming a bad option or source; RecordingNotFoundError,
 * RecordingFormatError for a bad recording; ViewerNotBuiltError when the page was not built
 * @example
 * ```ts
 * import { serveViewer } from '@statevisor/inspect';
 *
 * const live = await serveViewer(app, { port: 0 });
 * console.log(`watch the tree at ${live.url}`);
 *
 * const replay = await serveViewer('run.jsonl');
 * console.log(`scrub the run at ${replay.url}`);
 * await Promise.all([live.close(), replay.close()]);
 * ```
 */
export async function serveViewer(source: Supervisor | string, options?: ViewerOptions): Promise<ViewerServer> {
  const resolved = resolveViewerOptions(options);
  if (typeof source !== 'string' && !isSupervisor(source)) {
    throw new ConfigError('source', `must be a Supervisor or the path of a recording, got ${describeValue(source)}`);
  }
  if (source === '') throw new ConfigError('source', 'the path of a recording must not be empty');

  // Live: the relay starts now, synchronously, so the header is the tree at this call and no
  // event published while the page loads or the port opens is missed.
  const counters: RelayCounters = { sent: 0, dropped: 0 };
  const relay: LiveRelay | undefined =
    typeof source === 'string'
      ? undefined
      : startLiveRelay(source, { historyLimit: resolved.historyLimit, clientBufferBytes: resolved.clientBufferBytes, inspect: resolved.inspect, counters });
  const server = createServer();
  let page: ViewerPage;
  let session: ViewerSession;
  try {
    page = await loadViewerPage();
    session =
      typeof source === 'string'
        ? { mode: 'recording', name: await checkRecordingFile(source), file: source }
        : { mode: 'live', name: relay?.name ?? source.name };
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await relay?.stop();
    throw error;
  }
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  const port = (server.address() as AddressInfo).port;
  const guard = createGuard(resolved.token, resolved.host, port, page.scriptHashes);
  const routes = createRoutes(session, page, guard);
  server.on('request', (request, response) => routes.request(request, response));
  let closing: Promise<void> | undefined;
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    if (closing !== undefined) {
      socket.destroy();
      return;
    }
    routes.upgrade(request, socket, () => {
      wss.handleUpgrade(request, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        if (closing === undefined) relay?.connect(ws);
        else ws.terminate();
      });
    });
  });

  const close = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    try {
      await relay?.stop();
    } finally {
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      wss.close();
      await closed;
    }
  };
  return {
    url: `http://${urlHost(resolved.host)}:${String(port)}/?token=${encodeURIComponent(resolved.token)}`,
    port,
    token: resolved.token,
    close: () => (closing ??= close()),
    stats: () => ({ clients: relay?.clients() ?? 0, sent: counters.sent, dropped: counters.dropped }),
  };
}

function isSupervisor(value: unknown): value is Supervisor {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof Supervisor, unknown>>;
  return typeof candidate.snapshot === 'function' && typeof candidate.events$ === 'object' && candidate.events$ !== null;
}

/** The host to put in the URL: a wildcard address is reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
