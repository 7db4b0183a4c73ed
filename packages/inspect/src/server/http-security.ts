/**
 * The viewer server's guards: the token (compared in constant time), the WebSocket Origin
 * check, and the headers every response carries.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/** What the guards need to know about the server. */
export interface Guard {
  /** Whether the request's `?token=` is the server's token. */
  tokenMatches(request: IncomingMessage): boolean;
  /**
   * Whether a WebSocket upgrade may proceed on its Origin: absent (a non-browser client, still
   * held by the token) or one of the server's own origins.
   */
  originAllowed(request: IncomingMessage): boolean;
  /** The headers of every response (no cache, nosniff, the CSP). */
  headers(contentType: string): OutgoingHttpHeaders;
}

/**
 * Makes the guards of a server listening on `host:port`.
 *
 * @param token - the secret every request must carry
 * @param host - the host the server was asked to listen on
 * @param port - the port it listens on
 * @param scriptHashes - CSP hashes of the page's inline scripts
 * @returns the guards
 * @example
 * ```ts
 * const guard = createGuard(token, '127.0.0.1', 8080, page.scriptHashes);
 * if (!guard.tokenMatches(request)) reply403();
 * ```
 */
export function createGuard(token: string, host: string, port: number, scriptHashes: readonly string[]): Guard {
  const expected = digest(token);
  const hosts = ownHosts(host);
  const origins = new Set(hosts.map((name) => `http://${name}:${String(port)}`));
  const sockets = hosts.map((name) => `ws://${name}:${String(port)}`);
  const csp = [
    "default-src 'none'",
    `script-src ${scriptHashes.length > 0 ? scriptHashes.join(' ') : "'none'"}`,
    // The page's CSS is inlined in a <style> element and the UI sets style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${sockets.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    tokenMatches(request) {
      const given = requestToken(request);
      return given !== undefined && timingSafeEqual(digest(given), expected);
    },
    originAllowed(request) {
      const origin = request.headers.origin;
      return origin === undefined || origins.has(origin.toLowerCase());
    },
    headers(contentType) {
      return {
        'content-type': contentType,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'content-security-policy': csp,
      };
    },
  };
}

/** The `token` query parameter of a request, if any. */
function requestToken(request: IncomingMessage): string | undefined {
  const url = new URL(request.url ?? '/', 'http://localhost');
  return url.searchParams.get('token') ?? undefined;
}

/** Hashing first makes both sides the same length, so the comparison leaks nothing by length. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The host names under which a browser may reach the server. */
function ownHosts(host: string): string[] {
  const names = new Set(['127.0.0.1', 'localhost']);
  const asked = host.toLowerCase();
  if (asked !== '0.0.0.0' && asked !== '::') names.add(asked.includes(':') ? `[${asked}]` : asked);
  return [...names];
}
