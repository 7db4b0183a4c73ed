/**
 * The client side of the control endpoint, for `ps`, `restart`, `stop`, `start` and `logs`.
 *
 * @module
 */
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import type { LogLine } from '../logs/log-line.ts';
import { ControlRequestError } from './control-errors.ts';
import type { ControlRequest, ControlResponse, FollowedLine } from './protocol.ts';

/**
 * A connection to a run's control endpoint.
 *
 * @example
 * ```ts
 * const client = await connectControl('/srv/app/.statevisor.sock');
 * const tree = await client.request({ op: 'ps' });
 * client.close();
 * ```
 */
export interface ControlClient {
  /**
   * Sends a request; resolves with its `result`, rejects with `ControlRequestError` (the
   * server's code and message) when it refused. `onLine` receives the followed log lines.
   */
  request(request: Omit<ControlRequest, 'id'>, onLine?: (line: LogLine) => void): Promise<unknown>;
  /** Resolves when the connection ends (the run ended, or `close()`). */
  readonly closed: Promise<void>;
  close(): void;
}

/**
 * Connects to the control socket. Rejects with the connection's error (`ENOENT`: no socket
 * file; `ECONNREFUSED`: a file a dead run left) when no run answers.
 *
 * @param socketPath - the socket file
 * @returns the client
 *
 * @example
 * ```ts
 * const client = await connectControl(join(dir, SOCKET_FILE));
 * ```
 */
export function connectControl(socketPath: string): Promise<ControlClient> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
    const followers = new Map<number, (line: LogLine) => void>();
    let nextId = 1;
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      createInterface({ input: socket, crlfDelay: Infinity }).on('line', onLine);
      resolve({
        request(request, onLine) {
          const id = nextId++;
          if (onLine !== undefined) followers.set(id, onLine);
          return new Promise((res, rej) => {
            pending.set(id, { resolve: res, reject: rej });
            socket.write(`${JSON.stringify({ ...request, id })}\n`);
          });
        },
        closed,
        close: () => socket.end(),
      });
    });
    void closed.then(() => {
      for (const { reject: rej } of pending.values()) rej(new ControlRequestError('ERR_CONTROL_CLOSED', 'the run closed the control connection'));
      pending.clear();
    });
    const onLine = (text: string): void => {
      const message = JSON.parse(text) as ControlResponse | FollowedLine;
      if ('line' in message) {
        followers.get(message.id)?.(message.line);
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.ok) waiter?.resolve(message.result);
      else waiter?.reject(new ControlRequestError(message.error.code, message.error.message));
    };
  });
}
