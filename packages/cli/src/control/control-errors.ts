/**
 * Errors of the control endpoint and its client commands. Each extends core's
 * `StatevisorError`, with a stable `code`.
 *
 * @module
 */
import { StatevisorError } from '@statevisor/core';

/**
 * Another `statevisor run` of the same config already serves the control socket.
 *
 * @example
 * ```ts
 * try {
 *   await startControlServer(app, { socketPath, logs });
 * } catch (error) {
 *   if (error instanceof ControlSocketInUseError) process.exitCode = 2;
 * }
 * ```
 */
export class ControlSocketInUseError extends StatevisorError {
  /** The socket's path. */
  readonly socketPath: string;

  /** @param socketPath - the socket that answered */
  constructor(socketPath: string) {
    super('ERR_CONTROL_IN_USE', `another \`statevisor run\` of this config is running (it answers on ${socketPath}); stop it first, or control it with \`statevisor ps\``);
    this.socketPath = socketPath;
  }
}

/**
 * No `statevisor run` answers on the socket a client command looked for.
 *
 * @example
 * ```ts
 * const error = new NoRunningServerError('/srv/app/statevisor.yaml', '/srv/app/.statevisor.sock');
 * error.message; // 'no `statevisor run` is running for /srv/app/statevisor.yaml'
 * ```
 */
export class NoRunningServerError extends StatevisorError {
  /** The config whose run was looked for. */
  readonly config: string;

  /**
   * @param config - the config file
   * @param socketPath - where its run would answer
   * @param options - the connection's error as `cause`
   */
  constructor(config: string, socketPath: string, options?: ErrorOptions) {
    super('ERR_NOT_RUNNING', `no \`statevisor run\` is running for ${config} (nothing answers on ${socketPath})`, options);
    this.config = config;
  }
}

/**
 * The control endpoint refused a request (an unknown name, a process that cannot be stopped...).
 *
 * @example
 * ```ts
 * const error = new ControlRequestError('ERR_UNKNOWN_PROCESS', 'no process or group "x"');
 * ```
 */
export class ControlRequestError extends StatevisorError {}
