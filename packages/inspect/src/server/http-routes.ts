/**
 * The viewer server's routes: the page, `/session`, `/recording` (recording mode) and the
 * WebSocket upgrade at `/live` (live mode). Every path needs the token (403 otherwise); only
 * GET is served; unknown paths are 404.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Guard } from './http-security.ts';
import { streamRecording } from './recording-file.ts';
import type { ViewerPage } from './viewer-page.ts';

/** What the server serves. */
export type ViewerSession =
  | { readonly mode: 'recording'; readonly name: string; readonly file: string }
  | { readonly mode: 'live'; readonly name: string };

/** The routes of one server. */
export interface ViewerRoutes {
  /** Handles a plain HTTP request. */
  request(request: IncomingMessage, response: ServerResponse): void;
  /** Handles an upgrade request: calls `accept` when it may become the live WebSocket. */
  upgrade(request: IncomingMessage, socket: Duplex, accept: () => void): void;
}

/**
 * Makes the routes.
 *
 * @param session - what is served
 * @param page - the viewer page
 * @param guard - the token, Origin and header guards
 * @returns the routes
 * @example
 * ```ts
 * const routes = createRoutes({ mode: 'live', name: 'app' }, page, guard);
 * server.on('request', (req, res) => routes.request(req, res));
 * ```
 */
export function createRoutes(session: ViewerSession, page: ViewerPage, guard: Guard): ViewerRoutes {
  const text = (response: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void => {
    response.writeHead(status, { ...guard.headers('text/plain; charset=utf-8'), ...extra }).end(body);
  };
  return {
    request(request, response) {
      if (!guard.tokenMatches(request)) {
        text(response, 403, 'Forbidden\n');
      } else if (request.method !== 'GET') {
        text(response, 405, 'Method Not Allowed\n', { allow: 'GET' });
      } else {
        serve(pathOf(request), response);
      }
    },
    upgrade(request, socket, accept) {
      if (!guard.tokenMatches(request) || !guard.originAllowed(request)) {
        refuse(socket, 403, 'Forbidden');
      } else if (session.mode !== 'live' || pathOf(request) !== '/live') {
        refuse(socket, 404, 'Not Found');
      } else {
        accept();
      }
    },
  };

  function serve(path: string, response: ServerResponse): void {
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, guard.headers('text/html; charset=utf-8')).end(page.html);
    } else if (path === '/session') {
      response.writeHead(200, guard.headers('application/json')).end(JSON.stringify({ mode: session.mode, name: session.name }));
    } else if (path === '/recording' && session.mode === 'recording') {
      void streamRecording(session.file, response, guard.headers('application/x-ndjson'));
    } else if (path === '/live' && session.mode === 'live') {
      text(response, 426, 'Upgrade Required\n', { upgrade: 'websocket' });
    } else {
      text(response, 404, 'Not Found\n');
    }
  }
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://localhost').pathname;
}

/** Answers an upgrade request with a plain HTTP status and closes the socket. */
function refuse(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${String(status)} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Cache-Control: no-store\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\n\r\n${body}`,
  );
}
