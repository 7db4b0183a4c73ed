/**
 * How the client commands find a run: the config in the current folder (or `--config <file>`),
 * then the socket `.statevisor.sock` next to it.
 *
 * @module
 */
import { dirname, join, resolve } from 'node:path';
import { findConfigFile } from '../config/find-config.ts';
import { connectControl, type ControlClient } from './control-client.ts';
import { NoRunningServerError } from './control-errors.ts';
import { SOCKET_FILE } from './protocol.ts';

/**
 * The config file a client command talks about: `--config <file>` when given, else the config
 * `statevisor run` would find in `cwd` (CFG's `findConfigFile`).
 *
 * @param cwd - the current folder
 * @param given - the `--config` value, if any
 * @returns the config's absolute path
 * @throws ConfigNotFoundError when there is none, ConfigFileError when several are there
 *
 * @example
 * ```ts
 * locateConfig('/srv/app'); // '/srv/app/statevisor.config.yaml'
 * ```
 */
export function locateConfig(cwd: string, given?: string): string {
  return given === undefined ? findConfigFile(cwd) : resolve(cwd, given);
}

/**
 * Connects to the run of `config`, or rejects with {@link NoRunningServerError} when nothing
 * answers on its socket.
 *
 * @param config - the config file's absolute path
 * @returns the connected client
 *
 * @example
 * ```ts
 * const client = await connectToRun('/srv/app/statevisor.yaml');
 * ```
 */
export async function connectToRun(config: string): Promise<ControlClient> {
  const socketPath = join(dirname(config), SOCKET_FILE);
  try {
    return await connectControl(socketPath);
  } catch (error) {
    throw new NoRunningServerError(config, socketPath, { cause: error });
  }
}
