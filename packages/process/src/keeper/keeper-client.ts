/**
 * The host's side of one keeper process: it sends spawn requests, gathers each group's pid and
 * pipes as they come back, reports exits, and references the IPC channel only while a group or
 * a request is live, so the keeper never keeps the host's event loop alive after the last group.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { isMessage } from './protocol.ts';
import type { KeeperMessage, SpawnFailure, SpawnRequest } from './protocol.ts';

/**
 * A spawned leader as the host sees it: its pid (also its group id) and the pipes it asked for.
 *
 * @example
 * ```ts
 * const leader: SpawnedLeader = { pid: 4242, stdout: null, stderr: null, stdin: null };
 * ```
 */
export interface SpawnedLeader {
  readonly pid: number;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly stdin: Writable | null;
  /** Why no helper holds this group (the host spawned it itself), when that is so. */
  readonly unguarded?: string;
}

/**
 * What happens to one spawn, in order: `spawned` then `exited`, or `failed` alone. `lost` comes
 * instead of `exited` when the keeper died while holding the group: the host has then killed
 * the group itself (SIGKILL), its exit status is unknown, and `reason` says why.
 *
 * @example
 * ```ts
 * const events: LeaderEvents = { spawned: wire, failed: report, exited: onExit, lost: (reason) => onExit(null, 'SIGKILL', reason) };
 * ```
 */
export interface LeaderEvents {
  spawned(leader: SpawnedLeader): void;
  failed(error: Error): void;
  exited(code: number | null, signal: NodeJS.Signals | null): void;
  lost(reason: string): void;
}

/** The fields of a spawn request the caller gives (the client adds `t` and `id`). */
export type SpawnFields = Omit<SpawnRequest, 't' | 'id'>;

interface Pending {
  readonly request: SpawnRequest;
  readonly events: LeaderEvents;
  pid: number | undefined;
  stdout: Readable | null | undefined;
  stderr: Readable | null | undefined;
  stdin: Writable | null | undefined;
  /** `spawned` was reported. */
  announced: boolean;
  exited: boolean;
}

/**
 * One keeper process, seen from the host. `onGone` gets the requests the keeper took but never
 * answered when it dies (the host spawns those itself).
 *
 * @example
 * ```ts
 * const keeper = new KeeperClient(launchKeeper(), (reason, unanswered) => fallBack(reason, unanswered));
 * const id = keeper.spawn({ file: '/usr/bin/true', args: [], ... }, events);
 * ```
 */
export class KeeperClient {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  readonly #onGone: KeeperGone;
  #nextId = 1;
  #ready = false;
  #gone: string | undefined = undefined;

  constructor(child: ChildProcess, onGone: KeeperGone) {
    this.#child = child;
    this.#onGone = onGone;
    child.on('message', (message: unknown, handle: unknown) => {
      if (isMessage(message)) this.#receive(message as KeeperMessage, handle instanceof Socket ? handle : undefined);
    });
    child.on('error', (error) => {
      this.#lose(this.#ready ? `the process helper failed: ${error.message}` : `the process helper could not start: ${error.message}`);
    });
    child.on('exit', (code, signal) => {
      const how = signal === null ? `exited with code ${String(code)}` : `was killed by ${signal}`;
      this.#lose(this.#ready ? `the process helper ${how}` : `the process helper could not start (it ${how})`);
    });
  }

  /** Why the keeper is gone, or undefined while it serves. */
  get gone(): string | undefined {
    return this.#gone;
  }

  /** Asks the keeper to spawn a group; returns the request's id (for {@link release}). */
  spawn(fields: SpawnFields, events: LeaderEvents): number {
    const id = this.#nextId++;
    const request: SpawnRequest = { t: 'spawn', id, ...fields };
    if (this.#pending.size === 0) this.#child.channel?.ref();
    this.#pending.set(id, { request, events, pid: undefined, stdout: undefined, stderr: undefined, stdin: undefined, announced: false, exited: false });
    this.#child.send(request);
    return id;
  }

  /** The host has cleaned up the group: the keeper may forget it. */
  release(id: number): void {
    if (!this.#pending.delete(id)) return;
    if (this.#gone === undefined) this.#child.send({ t: 'release', id });
    if (this.#pending.size === 0) this.#child.channel?.unref();
  }

  #receive(message: KeeperMessage, handle: Socket | undefined): void {
    if (message.t === 'ready') {
      this.#ready = true;
      return;
    }
    const pending = this.#pending.get(message.id);
    if (pending === undefined) {
      handle?.destroy();
      return;
    }
    switch (message.t) {
      case 'spawned':
        pending.pid = message.pid;
        pending.stdout = handle ?? null;
        break;
      case 'stderr':
        pending.stderr = handle ?? null;
        break;
      case 'stdin':
        // A passed handle is a duplex socket: the child closing its stdin ends its readable side,
        // which must not end the writable side under us (the next write is then an EPIPE, as
        // with Node's own write-only stdin pipe).
        if (handle !== undefined) handle.allowHalfOpen = true;
        pending.stdin = handle ?? null;
        break;
      case 'exit':
        pending.exited = true;
        pending.events.exited(message.code, signalOf(message.signal));
        return;
      case 'failed':
        this.release(message.id);
        pending.events.failed(errorOf(message.error));
        return;
    }
    this.#announceWhenComplete(pending);
  }

  /** `spawned` once the pid and every pipe asked for have arrived. */
  #announceWhenComplete(pending: Pending): void {
    const { request, pid } = pending;
    if (pending.announced || pid === undefined) return;
    if (request.output && pending.stderr === undefined) return;
    if (request.stdin && pending.stdin === undefined) return;
    pending.announced = true;
    pending.events.spawned({ pid, stdout: pending.stdout ?? null, stderr: pending.stderr ?? null, stdin: pending.stdin ?? null });
  }

  /** The keeper is gone: unanswered requests go back to the host, live groups are killed here. */
  #lose(reason: string): void {
    if (this.#gone !== undefined) return;
    this.#gone = reason;
    const unanswered: UnansweredSpawn[] = [];
    for (const [id, pending] of [...this.#pending]) {
      if (pending.exited) continue;
      if (pending.pid === undefined) {
        this.#pending.delete(id);
        unanswered.push({ fields: fieldsOf(pending.request), events: pending.events });
        continue;
      }
      try {
        process.kill(-pending.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      pending.exited = true;
      if (pending.announced) {
        // Its pipes close as the group dies: what is still in them is read as usual.
        pending.events.lost(reason);
      } else {
        this.#pending.delete(id);
        for (const pipe of [pending.stdout, pending.stderr, pending.stdin]) pipe?.destroy();
        pending.events.failed(new Error(reason));
      }
    }
    this.#child.channel?.unref();
    this.#onGone(reason, unanswered, this.#ready);
  }
}

/**
 * What the host hears when its keeper is gone: why, the requests it never answered, and
 * whether it had ever been ready (one that never was could not start).
 *
 * @example
 * ```ts
 * const onGone: KeeperGone = (reason, unanswered, wasReady) => { if (!wasReady) giveUp(reason); };
 * ```
 */
export type KeeperGone = (reason: string, unanswered: readonly UnansweredSpawn[], wasReady: boolean) => void;

/**
 * A request the keeper took but never answered before it died.
 *
 * @example
 * ```ts
 * for (const { fields, events } of unanswered) spawnDirectly(fields, events);
 * ```
 */
export interface UnansweredSpawn {
  readonly fields: SpawnFields;
  readonly events: LeaderEvents;
}

function fieldsOf(request: SpawnRequest): SpawnFields {
  const { t: _t, id: _id, ...fields } = request;
  return fields;
}

function signalOf(signal: string | null): NodeJS.Signals | null {
  return signal === null ? null : (signal as NodeJS.Signals);
}

/** An errno error like the one Node would have raised in the host. */
function errorOf(failure: SpawnFailure): Error {
  const error = new Error(failure.message);
  if (failure.code !== undefined) Object.assign(error, { code: failure.code });
  if (failure.syscall !== undefined) Object.assign(error, { syscall: failure.syscall });
  return error;
}
