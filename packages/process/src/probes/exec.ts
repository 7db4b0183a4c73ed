/**
 * The exec check: the probe's command, spawned as the leader of its own process group; exit 0
 * is a success. Its output is discarded. When the check times out, when the attempt ends, and
 * after the leader exits, the whole group gets SIGKILL: an exec probe never leaves a process
 * behind (short of a `setsid` escape).
 *
 * @module
 */
import { errnoOf } from '../errors.ts';
import { describeTarget } from '../probe-config.ts';
import type { ProbeTarget } from '../probe-config.ts';
import type { SpawnTicket } from '../keeper/host-keeper.ts';
import type { LeaderEvents } from '../keeper/keeper-client.ts';
import { signalGroup, spawnGroup, trackGroup, untrackGroup } from '../process-group.ts';
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
 * with no stdio, through the host's process helper like every group (see {@link spawnGroup}):
 * if the host dies during a check, the helper kills the probe too. The one place an exec probe
 * spawns.
 *
 * @example
 * ```ts
 * const ticket = spawnProbeProcess({ kind: 'exec', command: 'true', args: [] }, { cwd: undefined, env: undefined }, events);
 * ```
 */
export function spawnProbeProcess(target: ExecTarget, place: ExecPlace, events: LeaderEvents): SpawnTicket {
  const options = { argv0: target.command, cwd: place.cwd, env: place.env, stdin: false, output: false, killSignal: 'SIGKILL', graceMs: 0 } as const;
  return spawnGroup(target.command, target.args, options, events);
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
        let pgid = 0;
        const onAbort = (): void => {
          signalGroup(pgid, 'SIGKILL');
        };
        const ticket = spawnProbeProcess(target, place, {
          spawned: (leader) => {
            pgid = leader.pid;
            trackGroup(pgid);
            if (signal.aborted) onAbort();
            else signal.addEventListener('abort', onAbort, { once: true });
          },
          failed: (error) => {
            resolve(spawnFailed(error));
          },
          exited: (code, by) => {
            signal.removeEventListener('abort', onAbort);
            // Whatever the leader left in its group dies with the check.
            signalGroup(pgid, 'SIGKILL');
            untrackGroup(pgid);
            ticket.release();
            if (code === 0) resolve(undefined);
            else resolve(code === null ? `${described} was killed by ${by ?? 'a signal'}` : `${described} exited with code ${code}`);
          },
          lost: (reason) => {
            signal.removeEventListener('abort', onAbort);
            untrackGroup(pgid);
            ticket.release();
            resolve(`${described}: ${reason}`);
          },
        });
      }),
  };
}
