/**
 * The socket file: refuse when a live server answers there, remove a stale one, and bind with
 * mode 0600 from the start (a umask around the bind, then a chmod).
 *
 * @module
 */
import { chmod, lstat, unlink } from 'node:fs/promises';
import { connect, type Server } from 'node:net';
import { ControlSocketInUseError, ControlRequestError } from './control-errors.ts';

/**
 * True when a server accepts connections on `socketPath`.
 *
 * @param socketPath - a Unix socket path
 * @returns whether something answers there
 *
 * @example
 * ```ts
 * if (await socketAnswers('/srv/app/.statevisor.sock')) console.log('a run is live');
 * ```
 */
export function socketAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Makes `socketPath` free for a new server: refuses with {@link ControlSocketInUseError} when a
 * live server answers there, removes a socket file a dead run left, and refuses to remove
 * anything that is not a socket.
 *
 * @param socketPath - where the server will listen
 *
 * @example
 * ```ts
 * await claimSocketPath('/srv/app/.statevisor.sock');
 * ```
 */
export async function claimSocketPath(socketPath: string): Promise<void> {
  const stat = await lstat(socketPath).catch(() => undefined);
  if (stat === undefined) return;
  if (!stat.isSocket()) {
    throw new ControlRequestError('ERR_CONTROL_PATH', `${socketPath} exists and is not a socket: remove it, \`statevisor run\` serves its control endpoint there`);
  }
  if (await socketAnswers(socketPath)) throw new ControlSocketInUseError(socketPath);
  await unlink(socketPath).catch(() => undefined);
}

/**
 * Starts `server` listening on `socketPath` with the socket file's mode 0600 from its creation.
 *
 * @param server - a `net` server
 * @param socketPath - the socket path (already claimed)
 *
 * @example
 * ```ts
 * await listenPrivately(createServer(onClient), '/srv/app/.statevisor.sock');
 * ```
 */
export async function listenPrivately(server: Server, socketPath: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    // The bind happens inside listen(): the umask makes the file 0600 from its first moment.
    const previous = process.umask(0o177);
    try {
      server.listen(socketPath, () => {
        server.off('error', onError);
        resolve();
      });
    } finally {
      process.umask(previous);
    }
  });
  await chmod(socketPath, 0o600);
}
