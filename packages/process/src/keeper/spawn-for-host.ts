/**
 * One spawn in the keeper: the leader of a new process group, its pipes handed to the host.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { KeptGroups } from './kept-groups.ts';
import { spawnLeaderOf } from './spawn-leader.ts';
import type { KeeperMessage, SpawnFailure, SpawnRequest } from './protocol.ts';

/**
 * How the keeper sends a message, with a socket handle when it passes a pipe.
 *
 * @example
 * ```ts
 * const send: SendToHost = (message, handle) => process.send?.(message, handle);
 * ```
 */
export type SendToHost = (message: KeeperMessage, handle?: Socket, options?: { readonly keepOpen: boolean }) => void;

/**
 * Spawns what `request` asks for and answers the host: `spawned` with the stdout handle, then
 * `stderr` and `stdin` with theirs, and `exit` when the leader exits; or `failed`. The group
 * is held in `groups` until the host releases it.
 *
 * Node starts reading a child's stdout and stderr as it spawns it. Reading is stopped here, in
 * the same turn, before any byte can arrive: every byte the child writes stays in the pipe until
 * the host reads it from the handle it received.
 *
 * @example
 * ```ts
 * spawnForHost(request, groups, (message, handle) => process.send?.(message, handle));
 * ```
 */
export function spawnForHost(request: SpawnRequest, groups: KeptGroups, send: SendToHost): void {
  const id = request.id;
  let child: ChildProcess;
  try {
    child = spawnLeaderOf(request);
  } catch (error) {
    send({ t: 'failed', id, error: failureOf(error) });
    return;
  }
  const pid = child.pid;
  if (pid === undefined) {
    child.once('error', (error) => {
      send({ t: 'failed', id, error: failureOf(error) });
    });
    return;
  }
  child.on('error', ignore);
  const { stdout, stderr, stdin } = child;
  stopReading(stdout);
  stopReading(stderr);
  const pipes = [stdout, stderr].filter((pipe) => pipe !== null);
  groups.hold(id, { pgid: pid, killSignal: request.killSignal, graceMs: request.graceMs, pipes });
  // The keeper keeps its copies of stdout and stderr (see KeptGroups), not of stdin: the host's
  // end of stdin closes with the host, and the child reads EOF, as from a closed terminal.
  send({ t: 'spawned', id, pid }, socketOf(stdout), KEEP_OPEN);
  if (stderr !== null) send({ t: 'stderr', id }, socketOf(stderr), KEEP_OPEN);
  if (stdin !== null) send({ t: 'stdin', id }, socketOf(stdin));
  child.on('exit', (code, signal) => {
    groups.leaderExited(id);
    send({ t: 'exit', id, code, signal });
  });
}

const KEEP_OPEN = { keepOpen: true } as const;

function ignore(): void {
  // Errors of a child or its pipes after the spawn belong to the host, which holds the pipes.
}

/** The child's pipes are sockets (Node makes them with socketpair); undefined for 'ignore'. */
function socketOf(stream: Readable | Writable | null): Socket | undefined {
  if (stream === null) return undefined;
  stream.on('error', ignore);
  return stream instanceof Socket ? stream : undefined;
}

/**
 * Stops the libuv read Node started on a pipe as it spawned the child, so the keeper never takes
 * a byte of it while the host lives. Node's stream API cannot do this (pausing a stream stops
 * the flow of its buffer, not the reads), so the handle is told directly, and its `reading`
 * flag with it, so that a later `resume()` would start reading again.
 */
function stopReading(stream: Readable | null): void {
  const handle: unknown = stream === null ? undefined : Reflect.get(stream, '_handle');
  if (typeof handle !== 'object' || handle === null) return;
  const readStop: unknown = Reflect.get(handle, 'readStop');
  if (typeof readStop !== 'function') return;
  Reflect.apply(readStop, handle, []);
  Reflect.set(handle, 'reading', false);
}

function failureOf(error: unknown): SpawnFailure {
  const field = (name: string): string | undefined => {
    const value: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, name) : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  return { code: field('code'), syscall: field('syscall'), message: error instanceof Error ? error.message : String(error) };
}
