/**
 * Process groups: every child is spawned detached (its own session and process group, so its
 * group id is its pid), every signal goes to the whole group, and a registry of live groups
 * SIGKILLs them all, synchronously, when the host process exits.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/**
 * What {@link spawnGroup} needs.
 *
 * @example
 * ```ts
 * const options: GroupSpawnOptions = { argv0: 'sleep', cwd: undefined, env: undefined, stdin: false };
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
}

/**
 * Spawns `file` as the leader of a new process group. May throw synchronously for some errors;
 * ENOENT and EACCES arrive as the child's `error` event (with `pid` undefined).
 *
 * @example
 * ```ts
 * const child = spawnGroup('/usr/bin/sleep', ['30'], { argv0: 'sleep', cwd: undefined, env: undefined, stdin: false });
 * signalGroup(child.pid ?? 0, 'SIGTERM');
 * ```
 */
export function spawnGroup(file: string, args: readonly string[], options: GroupSpawnOptions): ChildProcess {
  return spawn(file, args, {
    argv0: options.argv0,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
    detached: true,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
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

/** Groups that may still have live members, for the host's `exit` hook. */
const liveGroups = new Set<number>();
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
}

/**
 * Registers a live group: if the host process exits (its `exit` event: a normal end,
 * `process.exit()`, or the re-raised signal of `handleSignals`) while the group is registered,
 * the group gets SIGKILL synchronously. The hook is installed on first use.
 *
 * @example
 * ```ts
 * trackGroup(child.pid);
 * ```
 */
export function trackGroup(pgid: number): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', killAllGroups);
  }
  liveGroups.add(pgid);
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
