/**
 * How the client commands find a run: the config in the current folder (or `--config <file>`),
 * then the socket `.statevisor.sock` next to it.
 *
 * @module
 */
import { access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { connectControl, type ControlClient } from './control-client.ts';
import { NoRunningServerError } from './control-errors.ts';
import { SOCKET_FILE } from './protocol.ts';

/** The config names `run` looks for in a folder, in this order. */
const CONFIG_NAMES = [
  'statevisor.config.ts',
  'statevisor.config.mts',
  'statevisor.config.mjs',
  'statevisor.config.js',
  'statevisor.config.json',
  'statevisor.config.yaml',
  'statevisor.config.yml',
  'statevisor.yaml',
  'statevisor.yml',
  'statevisor.json',
  'Procfile',
];

/**
 * The config file a client command talks about: `--config <file>` when given, else the first
 * config found in `cwd`; `undefined` when there is none.
 *
 * @param cwd - the current folder
 * @param given - the `--config` value, if any
 * @returns the config's absolute path
 *
 * @example
 * ```ts
 * await locateConfig('/srv/app'); // '/srv/app/statevisor.yaml'
 * ```
 */
export async function locateConfig(cwd: string, given?: string): Promise<string | undefined> {
  if (given !== undefined) return resolve(cwd, given);
  for (const name of CONFIG_NAMES) {
    const file = join(cwd, name);
    if (await access(file).then(() => true, () => false)) return file;
  }
  return undefined;
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
