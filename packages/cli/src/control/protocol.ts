/**
 * The control endpoint's protocol: JSON lines over the Unix socket `.statevisor.sock` in the
 * config's folder. A client writes requests, one JSON object a line; the server answers each with
 * one response line carrying the same `id`, and for `logs` with `follow` then sends one
 * `{ id, line }` per new output line until the client closes.
 *
 * @module
 */
import type { LogLine } from '../logs/log-line.ts';

/** The socket's file name, in the config's folder. */
export const SOCKET_FILE = '.statevisor.sock';

/** The operations a client may ask for. */
export const CONTROL_OPS = ['ps', 'restart', 'stop', 'start', 'logs'] as const;

/**
 * One operation of the control endpoint.
 *
 * @example
 * ```ts
 * const op: ControlOp = 'restart';
 * ```
 */
export type ControlOp = (typeof CONTROL_OPS)[number];

/**
 * A request line.
 *
 * @example
 * ```ts
 * const request: ControlRequest = { id: 1, op: 'logs', name: 'web', follow: true, lines: 20 };
 * ```
 */
export interface ControlRequest {
  readonly id: number;
  readonly op: ControlOp;
  /** The process or group (`web`, `workers/a`): required by restart, stop and start; a filter for logs. */
  readonly name?: string;
  /** logs: keep sending new lines after the recent ones. */
  readonly follow?: boolean;
  /** logs: how many recent lines (default 100). */
  readonly lines?: number;
}

/**
 * A node of `ps`'s answer: the tree of `snapshot()` with paths relative to the root, the number
 * of restarts, the uptime of the current attempt and its last output line. Processes stopped
 * with `statevisor stop` (or that ended and left the tree) stay listed with state `stopped`
 * (or `exited`, `failed`...), as pm2 lists them.
 *
 * @example
 * ```ts
 * const node: PsNode = { path: 'web', kind: 'task', state: 'ready', pid: 4242, restarts: 0, uptimeMs: 1500, children: [] };
 * ```
 */
export interface PsNode {
  /** Relative to the root (`web`, `workers/a`); `''` for the root itself. */
  readonly path: string;
  readonly kind: 'supervisor' | 'task';
  readonly state: string;
  readonly pid?: number;
  readonly attempt?: number;
  /** Attempts started beyond the first at this path, over the whole run. */
  readonly restarts: number;
  /** Milliseconds since the current attempt's `TaskStarted`; absent when no attempt runs. */
  readonly uptimeMs?: number;
  readonly lastLine?: string;
  readonly children: readonly PsNode[];
}

/** What `restart`, `stop` and `start` answer. */
export interface ControlResult {
  /** The relative path acted on. */
  readonly path: string;
  /** What happened, in words: `restarted`, `stopped`, `started`, `already stopped`... */
  readonly done: string;
}

/**
 * A response line: `result` is a {@link PsNode} for `ps`, a {@link ControlResult} for the
 * control ops, and `{ lines: LogLine[] }` for `logs`.
 *
 * @example
 * ```ts
 * const response: ControlResponse = { id: 1, ok: false, error: { code: 'ERR_UNKNOWN_PROCESS', message: 'no process "x"' } };
 * ```
 */
export type ControlResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/**
 * A followed log line (after the `logs` response, while the client stays connected).
 *
 * @example
 * ```ts
 * const message: FollowedLine = { id: 1, line: { seq: 9, at: Date.now(), path: 'web', stream: 'stdout', line: 'GET /' } };
 * ```
 */
export interface FollowedLine {
  readonly id: number;
  readonly line: LogLine;
}

/**
 * Reads one request line, or says what is wrong with it.
 *
 * @param text - one line from a client
 * @returns the request, or an error message naming the field
 *
 * @example
 * ```ts
 * parseRequest('{"id":1,"op":"ps"}'); // { request: { id: 1, op: 'ps' } }
 * ```
 */
export function parseRequest(text: string): { request: ControlRequest } | { error: string; id: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'a request must be one JSON object per line', id: 0 };
  }
  if (typeof value !== 'object' || value === null) return { error: 'a request must be a JSON object', id: 0 };
  const object = value as Record<string, unknown>;
  const id = typeof object['id'] === 'number' ? object['id'] : 0;
  const { op, name, follow, lines } = object;
  if (typeof object['id'] !== 'number') return { error: 'id: must be a number', id };
  if (typeof op !== 'string' || !(CONTROL_OPS as readonly string[]).includes(op)) {
    return { error: `op: must be one of ${CONTROL_OPS.join(', ')}, got ${op === undefined ? 'nothing' : JSON.stringify(op)}`, id };
  }
  if (name !== undefined && (typeof name !== 'string' || name === '')) return { error: 'name: must be a non-empty string', id };
  if (follow !== undefined && typeof follow !== 'boolean') return { error: 'follow: must be a boolean', id };
  if (lines !== undefined && (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 0)) {
    return { error: 'lines: must be an integer >= 0', id };
  }
  return {
    request: {
      id,
      op: op as ControlOp,
      ...(name === undefined ? {} : { name }),
      ...(follow === undefined ? {} : { follow }),
      ...(lines === undefined ? {} : { lines }),
    },
  };
}
