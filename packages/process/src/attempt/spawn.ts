/**
 * Spawning an attempt's leader, and what a failed spawn (or an unusable working directory)
 * becomes: a `TaskError` for a bad cwd (`invalid`), a `TaskFailed` naming the command and the
 * errno for ENOENT, EACCES and the like.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import type { RunnerExit } from '@statevisor/core';
import { forgetCommandPath } from '../command-path.ts';
import type { ResolvedProcessConfig } from '../config.ts';
import { SpawnError, WorkingDirectoryError, errnoOf } from '../errors.ts';
import type { LeaderEvents } from '../keeper/keeper-client.ts';
import type { SpawnTicket } from '../keeper/host-keeper.ts';
import { spawnGroup } from '../process-group.ts';

/**
 * Why a working directory cannot be used, or undefined when it can.
 *
 * @example
 * ```ts
 * await cwdProblem('/no/such/dir'); // 'does not exist'
 * ```
 */
export async function cwdProblem(cwd: string): Promise<string | undefined> {
  try {
    return (await stat(cwd)).isDirectory() ? undefined : 'is not a directory';
  } catch (error) {
    const code = errnoOf(error);
    return code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : `cannot be used (${code})`;
  }
}

/**
 * The exit of an attempt whose working directory cannot be used (see {@link cwdProblem}).
 *
 * @example
 * ```ts
 * invalidCwd('/no/such/dir', 'does not exist'); // { kind: 'invalid', code: 'ERR_INVALID_CWD', message: ... }
 * ```
 */
export function invalidCwd(cwd: string, problem: string): RunnerExit {
  const error = new WorkingDirectoryError(cwd, problem);
  return { kind: 'invalid', code: error.code, message: error.message };
}

/**
 * Spawns the command (already resolved to `file`) as the leader of its own process group,
 * through the host's process helper when there is one (see {@link spawnGroup}). `events` hears
 * how it goes; ENOENT, EACCES and the like come as `failed`.
 *
 * @param graceMs - the attempt's kill grace: what the helper waits between killSignal and
 * SIGKILL if the host ends while the group lives
 *
 * @example
 * ```ts
 * const ticket = spawnLeader('/usr/bin/sleep', resolveProcessConfig({ command: 'sleep', args: ['1'] }), undefined, 5000, events);
 * ```
 */
export function spawnLeader(
  file: string,
  config: ResolvedProcessConfig,
  env: NodeJS.ProcessEnv | undefined,
  graceMs: number,
  events: LeaderEvents,
): SpawnTicket {
  const options = { argv0: config.command, cwd: config.cwd, env, stdin: config.stdin, output: true, killSignal: config.killSignal, graceMs };
  return spawnGroup(file, config.args, options, events);
}

/**
 * Reports a failed spawn to `resolve`: the command's cached path is forgotten (the next attempt
 * looks it up again) and the exit names the errno. An ENOENT with a cwd may mean the cwd was
 * removed between the check and the spawn: that is then reported as a bad cwd.
 *
 * @param searchPath - the `PATH` the command was resolved with
 *
 * @example
 * ```ts
 * reportSpawnFailure(config, process.env['PATH'], error, resolve);
 * ```
 */
export function reportSpawnFailure(
  config: ResolvedProcessConfig,
  searchPath: string | undefined,
  thrown: unknown,
  resolve: (exit: RunnerExit) => void,
): void {
  forgetCommandPath(config.command, searchPath);
  const errno = errnoOf(thrown);
  const cwd = config.cwd;
  if (errno === 'ENOENT' && cwd !== undefined) {
    void cwdProblem(cwd).then(
      (problem) => {
        resolve(problem === undefined ? spawnExit(config.command, errno, thrown) : invalidCwd(cwd, problem));
      },
      () => {
        resolve(spawnExit(config.command, errno, thrown));
      },
    );
    return;
  }
  resolve(spawnExit(config.command, errno, thrown));
}

function spawnExit(command: string, errno: string, thrown: unknown): RunnerExit {
  const error = new SpawnError(command, errno, thrown);
  return { kind: 'failed', reason: error.message, error };
}

/**
 * An `'error'` listener that does nothing: the error is handled (or irrelevant) elsewhere, and
 * must never reach the host as an unhandled `'error'` event.
 *
 * @example
 * ```ts
 * child.on('error', ignoreError);
 * ```
 */
export function ignoreError(): void {
  // Deliberately nothing.
}
