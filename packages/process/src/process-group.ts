/**
 * Process groups: every child is spawned detached (its own session and process group, so its
 * group id is its pid), through the host's process helper when there is one, and every signal
 * goes to the whole group. A registry of live groups serves tests and the host's `exit` hook,
 * which SIGKILLs the groups no helper holds.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import type { LeaderEvents, SpawnFields } from './keeper/keeper-client.ts';
import { spawnThroughKeeper } from './keeper/host-keeper.ts';
import { spawnLeaderOf } from './keeper/spawn-leader.ts';
import type { SpawnTicket } from './keeper/host-keeper.ts';

/**
 * What {@link spawnGroup} needs.
 *
 * @example
 * ```ts
 * const options: GroupSpawnOptions = { argv0: 'sleep', cwd: undefined, env: undefined, stdin: false, output: true, killSignal: 'SIGTERM', graceMs: 5000 };
 * ```
 */
export interface GroupSpawnOptions {
  /** The user's command, kept as `argv[0]` when `file` is a resolved path. */
  readonly argv0: string;
  readonly cwd: string | undefined;
  /** The full environment, or undefined for the host's own. */
  readonly env: NodeJS.ProcessEnv | undefined;
  /** Pipe stdin (true) or connect it to /dev/null. */
  readonly stdin: boolean;
  /** Pipe stdout and stderr (true) or connect them to /dev/null. */
  readonly output: boolean;
  /** What the group gets if the host ends while it lives, then SIGKILL after `graceMs`. */
  readonly killSignal: NodeJS.Signals;
  readonly graceMs: number;
}

/**
 * Spawns `file` as the leader of a new process group, through the host's process helper (the
 * keeper, see `keeper/`), or directly when there is none. `events` hears `spawned` (with the
 * pid and pipes; `unguarded` says why no helper holds the group, when that is so) then
 * `exited`, or `failed` (ENOENT, EACCES...); `lost` when the helper died holding the group.
 * Callbacks may come synchronously (a direct spawn) or later (through the helper). Call the
 * ticket's `release()` once the group has been cleaned up.
 *
 * @example
 * ```ts
 * const ticket = spawnGroup('/usr/bin/sleep', ['30'], options, {
 *   spawned: (leader) => signalGroup(leader.pid, 'SIGTERM'),
 *   failed: (error) => console.error(error),
 *   exited: (code, signal) => ticket.release(),
 *   lost: () => ticket.release(),
 * });
 * ```
 */
export function spawnGroup(file: string, args: readonly string[], options: GroupSpawnOptions, events: LeaderEvents): SpawnTicket {
  const fields: SpawnFields = {
    file,
    args,
    argv0: options.argv0,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    stdin: options.stdin,
    output: options.output,
    killSignal: options.killSignal,
    graceMs: options.graceMs,
  };
  return spawnThroughKeeper(fields, events, spawnHere);
}

/** Without a helper: the host spawns the group itself; its `exit` hook SIGKILLs it. */
function spawnHere(fields: SpawnFields, events: LeaderEvents, unguarded: string | undefined): void {
  let child: ChildProcess;
  try {
    child = spawnLeaderOf(fields);
  } catch (error) {
    events.failed(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  const pid = child.pid;
  if (pid === undefined) {
    child.once('error', (error) => {
      events.failed(error);
    });
    for (const pipe of [child.stdout, child.stderr, child.stdin]) pipe?.on('error', ignore);
    return;
  }
  // Errors after the spawn (a failed kill, ...) must never reach the host as 'error'.
  child.on('error', ignore);
  installExitHook();
  exitHookGroups.add(pid);
  child.on('exit', (code, signal) => {
    events.exited(code, signal);
  });
  const leader = { pid, stdout: child.stdout, stderr: child.stderr, stdin: child.stdin };
  events.spawned(unguarded === undefined ? leader : { ...leader, unguarded });
}

function ignore(): void {
  // Handled elsewhere, or irrelevant: never an unhandled 'error' in the host.
}

/**
 * Sends `signal` to every process of the group `pgid`. Returns false when the group no longer
 * exists (or may not be signalled); never throws.
 *
 * A failure is common, not exceptional: the SIGKILL to the group after its leader exited finds
 * the group empty (ESRCH) whenever the leader had no children left. `process.kill` reports that
 * by throwing, and capturing the error's stack trace is most of the cost of the call (tens of µs
 * right after a fork), so the stack is switched off around the call: the error is never looked
 * at anyway.
 *
 * @example
 * ```ts
 * signalGroup(pgid, 'SIGSTOP'); // pause every process of the group
 * ```
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  const limit = Error.stackTraceLimit;
  // Reflect.set reports a frozen Error.stackTraceLimit (a hardened realm) instead of throwing.
  const lowered = Reflect.set(Error, 'stackTraceLimit', 0);
  try {
    return process.kill(-pgid, signal);
  } catch {
    return false;
  } finally {
    if (lowered) Error.stackTraceLimit = limit;
  }
}

/** Groups that may still have live members. */
const liveGroups = new Set<number>();
/** The groups the host spawned itself (no helper holds them): its `exit` hook SIGKILLs them. */
const exitHookGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * SIGKILLs every registered group and empties the registry: what the host's `exit` hook does.
 *
 * @example
 * ```ts
 * afterAll(killAllGroups); // a test suite that must not leave processes behind, even when it fails
 * ```
 */
export function killAllGroups(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
  exitHookGroups.clear();
}

/** The host's `exit` hook: SIGKILL to the groups no helper holds (the helper ends the others). */
function killUnheldGroups(): void {
  for (const pgid of exitHookGroups) signalGroup(pgid, 'SIGKILL');
  exitHookGroups.clear();
}

/**
 * Registers a live group. A group the host spawned itself (no helper) also gets SIGKILL,
 * synchronously, if the host process exits (its `exit` event: a normal end, `process.exit()`,
 * an uncaught exception, or the re-raised signal of `handleSignals`) while it is registered; a
 * group the helper holds is ended by the helper (killSignal, then SIGKILL after its grace). The
 * hook is installed on first use.
 *
 * @example
 * ```ts
 * trackGroup(child.pid);
 * ```
 */
export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killUnheldGroups);
}

/**
 * Unregisters a group once it has been cleaned up.
 *
 * @example
 * ```ts
 * untrackGroup(child.pid);
 * ```
 */
export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
  exitHookGroups.delete(pgid);
}

/**
 * How many groups are registered (for tests and diagnostics).
 *
 * @example
 * ```ts
 * if (trackedGroupCount() > 0) console.warn('process groups still live');
 * ```
 */
export function trackedGroupCount(): number {
  return liveGroups.size;
}
