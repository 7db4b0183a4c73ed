/**
 * The keeper's side of the no-orphan promise: the groups it spawned for the host, and what it
 * does when the host is gone (its IPC channel closed: the host exited, crashed, or was killed,
 * even by SIGKILL).
 *
 * The keeper keeps its own copy of each group's stdout and stderr, unread while the host lives.
 * When the host is gone it reads them and throws the bytes away, so a process that logs while it
 * shuts down gets no EPIPE (or SIGPIPE) and never blocks on a full pipe. Each live group gets
 * its killSignal (SIGCONT first, in case it was paused), then SIGKILL after its grace; a group
 * is done once its leader has exited (what is left of it is then SIGKILLed, as the host would),
 * and the keeper exits when every group is done.
 *
 * @module
 */
import type { Readable } from 'node:stream';

/** Runs in the keeper process: signals go to `-pgid`, the whole group. */
function signalGroup(pgid: number, signal: string): boolean {
  try {
    return process.kill(-pgid, signal);
  } catch {
    return false;
  }
}

/**
 * One group the keeper holds until the host releases it.
 *
 * @example
 * ```ts
 * const group: KeptGroup = { pgid: 4242, killSignal: 'SIGTERM', graceMs: 5000, pipes: [child.stdout, child.stderr] };
 * ```
 */
export interface KeptGroup {
  readonly pgid: number;
  readonly killSignal: string;
  readonly graceMs: number;
  /** The keeper's copies of the group's output pipes (not read while the host lives). */
  readonly pipes: readonly Readable[];
}

interface Held extends KeptGroup {
  leaderExited: boolean;
  /** Called once the leader has exited, while the keeper ends the groups. */
  onLeaderExit: (() => void) | undefined;
}

/**
 * The groups the keeper holds, by request id.
 *
 * @example
 * ```ts
 * const groups = new KeptGroups();
 * groups.hold(1, { pgid: child.pid, killSignal: 'SIGTERM', graceMs: 5000, pipes: [] });
 * child.on('exit', () => groups.leaderExited(1));
 * process.on('disconnect', () => groups.endAll(() => process.exit(0)));
 * ```
 */
export class KeptGroups {
  readonly #groups = new Map<number, Held>();

  hold(id: number, group: KeptGroup): void {
    this.#groups.set(id, { ...group, leaderExited: false, onLeaderExit: undefined });
  }

  leaderExited(id: number): void {
    const held = this.#groups.get(id);
    if (held === undefined) return;
    held.leaderExited = true;
    held.onLeaderExit?.();
  }

  /** The host has cleaned the group up: forget it, and close the keeper's copies of its pipes. */
  release(id: number): void {
    const held = this.#groups.get(id);
    if (held === undefined) return;
    this.#groups.delete(id);
    for (const pipe of held.pipes) pipe.destroy();
  }

  /**
   * The host is gone: drain every pipe, killSignal to every live group now, SIGKILL after each
   * one's grace or as soon as its leader exits; `done()` once every group is done.
   */
  endAll(done: () => void): void {
    const groups = [...this.#groups];
    let left = groups.length;
    const finished = (id: number, group: Held, timer: NodeJS.Timeout | undefined): void => {
      if (timer !== undefined) clearTimeout(timer);
      this.#groups.delete(id);
      group.onLeaderExit = undefined;
      signalGroup(group.pgid, 'SIGKILL');
      for (const pipe of group.pipes) pipe.destroy();
      left -= 1;
      if (left === 0) done();
    };
    if (left === 0) done();
    for (const [id, group] of groups) {
      for (const pipe of group.pipes) drain(pipe);
      if (group.leaderExited) {
        finished(id, group, undefined);
        continue;
      }
      signalGroup(group.pgid, 'SIGCONT');
      const graceful = group.graceMs > 0 && signalGroup(group.pgid, group.killSignal);
      if (!graceful) signalGroup(group.pgid, 'SIGKILL');
      const timer = setTimeout(() => {
        signalGroup(group.pgid, 'SIGKILL');
      }, Math.max(group.graceMs, 0));
      group.onLeaderExit = () => {
        finished(id, group, timer);
      };
    }
  }
}

/** Reads a pipe from now on and throws its bytes away. */
function drain(pipe: Readable): void {
  pipe.on('error', ignore);
  pipe.on('data', ignore);
  const handle: unknown = Reflect.get(pipe, '_handle');
  if (typeof handle !== 'object' || handle === null) return;
  // Reading was stopped behind the stream's back (see stopReading): start it the same way.
  Reflect.set(handle, 'reading', true);
  const readStart: unknown = Reflect.get(handle, 'readStart');
  if (typeof readStart === 'function') Reflect.apply(readStart, handle, []);
}

function ignore(): void {
  // The bytes (and errors) of a group whose host is gone go nowhere.
}
