/**
 * The options of `serveViewer`, their defaults, and their validation. Everything is checked
 * before the server reads a file or listens, and a bad value is a `ConfigError` naming the
 * field.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { ConfigError, describeValue } from '@statevisor/core';

/**
 * Options of {@link serveViewer}.
 *
 * @example
 * ```ts
 * const viewer = await serveViewer(app, { port: 8080, historyLimit: 50_000 });
 * ```
 */
export interface ViewerOptions {
  /** TCP port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on (default `'127.0.0.1'`). */
  readonly host?: string;
  /**
   * The token every request must carry (`?token=`). Default: 32 random bytes, base64url.
   * A given token must be at least 16 URL-safe characters (`A-Z a-z 0-9 - _ . ~`).
   */
  readonly token?: string;
  /**
   * Live only: how many lines (events and inspection messages) the server keeps for browsers
   * that connect later (default 200 000). Older lines are trimmed; a late browser gets a
   * `SubscriberOverflow` line (subscriber `'viewer#history'`) counting them.
   */
  readonly historyLimit?: number;
  /**
   * Live only: bytes the server lets wait toward one browser (the socket's buffered amount plus
   * what it holds) before it drops that browser's lines (default 4 MiB). Drops are reported to
   * that browser as a `SubscriberOverflow` line (subscriber `'viewer'`) once it drains.
   */
  readonly clientBufferBytes?: number;
  /**
   * Live only: relay XState inspection messages too (default `true`: the page draws the selected
   * node's machine from the `@xstate.actor` messages, which carry each machine's definition).
   */
  readonly inspect?: boolean;
}

/** {@link ViewerOptions} with every default applied. */
export interface ResolvedViewerOptions {
  readonly port: number;
  readonly host: string;
  readonly token: string;
  readonly historyLimit: number;
  readonly clientBufferBytes: number;
  readonly inspect: boolean;
}

/** Default of {@link ViewerOptions.historyLimit}. */
export const DEFAULT_HISTORY_LIMIT = 200_000;
/** Default of {@link ViewerOptions.clientBufferBytes}. */
export const DEFAULT_CLIENT_BUFFER_BYTES = 4 * 1024 * 1024;

const KNOWN = new Set(['port', 'host', 'token', 'historyLimit', 'clientBufferBytes', 'inspect']);
const TOKEN_PATTERN = /^[A-Za-z0-9\-_.~]{16,}$/;

/**
 * Checks `serveViewer`'s options and applies the defaults.
 *
 * @param options - what the caller passed (may be anything)
 * @returns the options with defaults
 * @throws ConfigError naming the first bad field
 * @example
 * ```ts
 * const { port, token } = resolveViewerOptions({ port: 0 });
 * ```
 */
export function resolveViewerOptions(options: unknown): ResolvedViewerOptions {
  if (options === undefined) return withDefaults({});
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError('options', `must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new ConfigError(key, `unknown option (known: ${[...KNOWN].join(', ')})`);
  }
  const given = options as Record<string, unknown>;
  const port = optional(given, 'port', (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65_535, 'an integer from 0 to 65535');
  const host = optional(given, 'host', (value) => typeof value === 'string' && value.length > 0, 'a non-empty string');
  const token = optional(given, 'token', (value) => typeof value === 'string' && TOKEN_PATTERN.test(value), 'a string of at least 16 URL-safe characters (A-Z a-z 0-9 - _ . ~)');
  const historyLimit = optional(given, 'historyLimit', isPositiveInteger, 'a positive integer');
  const clientBufferBytes = optional(given, 'clientBufferBytes', isPositiveInteger, 'a positive integer');
  const inspect = optional(given, 'inspect', (value) => typeof value === 'boolean', 'a boolean');
  return withDefaults({
    ...(port === undefined ? {} : { port: port as number }),
    ...(host === undefined ? {} : { host: host as string }),
    ...(token === undefined ? {} : { token: token as string }),
    ...(historyLimit === undefined ? {} : { historyLimit: historyLimit as number }),
    ...(clientBufferBytes === undefined ? {} : { clientBufferBytes: clientBufferBytes as number }),
    ...(inspect === undefined ? {} : { inspect: inspect as boolean }),
  });
}

function withDefaults(options: ViewerOptions): ResolvedViewerOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    token: options.token ?? randomBytes(32).toString('base64url'),
    historyLimit: options.historyLimit ?? DEFAULT_HISTORY_LIMIT,
    clientBufferBytes: options.clientBufferBytes ?? DEFAULT_CLIENT_BUFFER_BYTES,
    inspect: options.inspect ?? true,
  };
}

function optional(given: Record<string, unknown>, key: string, valid: (value: unknown) => boolean, expected: string): unknown {
  const value = given[key];
  if (value === undefined) return undefined;
  if (valid(value)) return value;
  // A token is a secret: say what is wrong with it without quoting it.
  const got = key === 'token' && typeof value === 'string' ? `a string of ${String(value.length)} characters` : describeValue(value);
  throw new ConfigError(key, `must be ${expected}, got ${got}`);
}

function isPositiveInteger(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) > 0;
}
