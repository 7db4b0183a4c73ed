/**
 * The control endpoint of `statevisor run`: a Unix socket serving `ps`, `restart`, `stop`,
 * `start` and `logs` as JSON lines (see `protocol.ts`).
 *
 * @module
 */
import type { ChildSpec, Supervisor } from '@statevisor/core';
import { unlink } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { LogBook } from '../logs/log-book.ts';
import { relativePath } from '../logs/log-line.ts';
import { ControlRequestError } from './control-errors.ts';
import { controlState } from './control-state.ts';
import { allPaths } from './ps-tree.ts';
import { parseRequest, type ControlRequest, type ControlResponse, type FollowedLine } from './protocol.ts';
import { claimSocketPath, listenPrivately } from './socket-file.ts';

/** Recent lines `logs` sends when not told. */
export const DEFAULT_LOG_LINES = 100;

/** A follower that lets this much output pile up unread is disconnected. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

/**
 * Options of {@link startControlServer}.
 *
 * @example
 * ```ts
 * const options: ControlServerOptions = { socketPath: join(dir, '.statevisor.sock'), logs, specOf: (path) => specs.get(path) };
 * ```
 */
export interface ControlServerOptions {
  /** The socket file (`.statevisor.sock` in the config's folder). */
  readonly socketPath: string;
  /** The run's log book (for `logs` and `ps`'s last line). */
  readonly logs: LogBook;
  /**
   * The spec a top-level process or group (relative path, e.g. `web`) was started from, so
   * `start` can add it again after `stop`. Without it, `stop` still stops, and `start` refuses.
   */
  readonly specOf?: (path: string) => ChildSpec | undefined;
}

/**
 * A running control endpoint.
 *
 * @example
 * ```ts
 * const control = await startControlServer(app, { socketPath, logs });
 * await control.close();
 * ```
 */
export interface ControlServer {
  readonly socketPath: string;
  /** Closes the server and every client, and removes the socket file. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serves `app` on a Unix socket (mode 0600). Refuses with `ControlSocketInUseError` when another
 * live run answers there; removes a socket file left by a dead run. Call it before
 * `app.start()` so restarts and uptimes are counted from the first attempt.
 *
 * @param app - the supervisor of the run
 * @param options - the socket path, the log book, and the specs for `start`
 * @returns the server, to close at the end of the run
 *
 * @example
 * ```ts
 * const logs = createLogBook(app);
 * const control = await startControlServer(app, { socketPath: join(loaded.dir, SOCKET_FILE), logs, specOf });
 * await app.start();
 * // ... at the end of the run:
 * await control.close();
 * ```
 */
export async function startControlServer(app: Supervisor, options: ControlServerOptions): Promise<ControlServer> {
  const { socketPath, logs } = options;
  await claimSocketPath(socketPath);
  const state = controlState(app, { logs, specOf: options.specOf });
  const clients = new Set<Socket>();

  const server = createServer((socket) => {
    clients.add(socket);
    const unfollows: (() => void)[] = [];
    const send = (message: ControlResponse | FollowedLine): void => {
      if (socket.destroyed || !socket.writable) return;
      if (socket.writableLength > MAX_PENDING_BYTES) {
        socket.destroy();
        return;
      }
      socket.write(`${JSON.stringify(message)}\n`);
    };
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clients.delete(socket);
      for (const unfollow of unfollows) unfollow();
    });
    const lines = createInterface({ input: socket, crlfDelay: Infinity });
    lines.on('line', (text) => {
      if (text.trim() === '') return;
      const parsed = parseRequest(text);
      if ('error' in parsed) {
        send({ id: parsed.id, ok: false, error: { code: 'ERR_BAD_REQUEST', message: parsed.error } });
        return;
      }
      void answer(parsed.request).then(send, (error: unknown) => send(failure(parsed.request.id, error)));
    });

    const answer = async (request: ControlRequest): Promise<ControlResponse> => {
      const { id, op, name } = request;
      switch (op) {
        case 'ps':
          return { id, ok: true, result: state.tree() };
        case 'logs': {
          if (name !== undefined && !allPaths(state.tree()).includes(relativePath(app.name, name))) {
            return failure(id, new ControlRequestError('ERR_UNKNOWN_PROCESS', `no process or group "${name}" in this run; there are: ${allPaths(state.tree()).join(', ')}`));
          }
          const result = { lines: logs.recent(name, request.lines ?? DEFAULT_LOG_LINES) };
          if (request.follow === true) {
            // Subscribed before the answer is sent: no line falls between the recent ones and the followed.
            const last = result.lines.at(-1)?.seq ?? 0;
            unfollows.push(logs.follow(name, (line) => {
              if (line.seq > last) send({ id, line });
            }));
          }
          return { id, ok: true, result };
        }
        default:
          if (name === undefined) return failure(id, new Error(`name: ${op} needs the name of a process or group`), 'ERR_BAD_REQUEST');
          return { id, ok: true, result: await state.op(op, name) };
      }
    };
  });

  await listenPrivately(server, socketPath);
  let closing: Promise<void> | undefined;
  return {
    socketPath,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const client of clients) client.destroy();
        await closed;
        await unlink(socketPath).catch(() => undefined);
      })();
      return closing;
    },
  };
}

function failure(id: number, error: unknown, fallbackCode = 'ERR_CONTROL'): ControlResponse {
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : fallbackCode;
  const message = error instanceof Error ? error.message : String(error);
  return { id, ok: false, error: { code, message } };
}
