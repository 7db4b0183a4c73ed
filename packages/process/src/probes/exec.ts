/**
 * The exec check: the probe's command, spawned as the leader of its own process group; exit 0
 * is a success. Its output is discarded. When the check times out, when the attempt ends, and
 * after the leader exits, the whole group gets SIGKILL: an exec probe never leaves a process
 * behind (short of a `setsid` escape).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { errnoOf } from '../errors.ts';
import { describeTarget } from '../probe-config.ts';
import type { ProbeTarget } from '../probe-config.ts';
import { signalGroup, trackGroup, untrackGroup } from '../process-group.ts';
import type { ProbeCheck } from './scheduler.ts';

type ExecTarget = Extract<ProbeTarget, { kind: 'exec' }>;

/**
 * Where an exec probe runs: the task's working directory and environment.
 *
 * @example
 * ```ts
 * const where: ExecPlace = { cwd: '/srv/app', env: undefined };
 * ```
 */
export interface ExecPlace {
  readonly cwd: string | undefined;
  /** The full environment, or undefined for the host's own. */
  readonly env: NodeJS.ProcessEnv | undefined;
}

/**
 * Spawns the probe's command as the leader of a new process group (its pid is the group id),
 * with no stdio. The one place an exec probe spawns. May throw; ENOENT and the like arrive as
 * the child's `error` event, with `pid` undefined.
 *
 * @example
 * ```ts
 * const child = spawnProbeProcess({ kind: 'exec', command: 'true', args: [] }, { cwd: undefined, env: undefined });
 * ```
 */
export function spawnProbeProcess(target: ExecTarget, place: ExecPlace): ChildProcess {
  return spawn(target.command, target.args, {
    ...(place.cwd === undefined ? {} : { cwd: place.cwd }),
    ...(place.env === undefined ? {} : { env: place.env }),
    detached: true,
    stdio: 'ignore',
  });
}

/**
 * A check that runs `target` (see {@link ProbeCheck}).
 *
 * @example
 * ```ts
 * const check = execCheck({ kind: 'exec', command: 'pg_isready', args: ['-q'] }, { cwd: undefined, env: undefined });
 * await check.run(AbortSignal.timeout(1_000)); // undefined, or 'exec pg_isready -q exited with code 2'
 * ```
 */
export function execCheck(target: ExecTarget, place: ExecPlace): ProbeCheck {
  const described = describeTarget(target);
  const spawnFailed = (error: unknown): string => `${described} could not be spawned: ${errnoOf(error)}`;
  return {
    target: described,
    run: (signal) =>
      new Promise<string | undefined>((resolve) => {
        let child: ChildProcess;
        try {
          child = spawnProbeProcess(target, place);
        } catch (error) {
          resolve(spawnFailed(error));
          return;
        }
        const pgid = child.pid;
        if (pgid === undefined) {
          child.once('error', (error) => {
            resolve(spawnFailed(error));
          });
          return;
        }
        trackGroup(pgid);
        const onAbort = (): void => {
          signalGroup(pgid, 'SIGKILL');
        };
        signal.addEventListener('abort', onAbort, { once: true });
        // Errors after the spawn (a failed kill, ...) must never reach the host as 'error'.
        child.on('error', onAbort);
        child.once('exit', (code, by) => {
          signal.removeEventListener('abort', onAbort);
          // Whatever the leader left in its group dies with the check.
          signalGroup(pgid, 'SIGKILL');
          untrackGroup(pgid);
          if (code === 0) resolve(undefined);
          else resolve(code === null ? `${described} was killed by ${by ?? 'a signal'}` : `${described} exited with code ${code}`);
        });
      }),
  };
}
