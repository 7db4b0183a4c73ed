/**
 * The host's one keeper: started with the first process group, replaced when it dies, given up
 * for good when it cannot start. Without a keeper the host spawns groups itself, and then says
 * so: the group is not held by anyone if the host is killed (SIGKILL, a signal without
 * handlers), and the host's `exit` hook SIGKILLs it on any other end.
 *
 * `STATEVISOR_PROCESS_HELPER=off` in the host's environment (read at the first spawn) turns the
 * keeper off on purpose.
 *
 * @module
 */
import { KeeperClient } from './keeper-client.ts';
import type { LeaderEvents, SpawnFields, UnansweredSpawn } from './keeper-client.ts';
import { launchKeeper } from './launch.ts';

/**
 * How the host spawns a group when there is no keeper: the caller's direct spawn.
 *
 * @example
 * ```ts
 * const direct: DirectSpawn = (fields, events, unguarded) => spawnHere(fields, events, unguarded);
 * ```
 */
export type DirectSpawn = (fields: SpawnFields, events: LeaderEvents, unguarded: string | undefined) => void;

/**
 * What a spawn through {@link spawnThroughKeeper} gives back: `release()` once the host has
 * cleaned up the group.
 *
 * @example
 * ```ts
 * const ticket = spawnThroughKeeper(fields, events, direct);
 * // ... after the leader exited and the group was killed:
 * ticket.release();
 * ```
 */
export interface SpawnTicket {
  release(): void;
}

let keeper: KeeperClient | undefined;
/** Why there is no keeper for good (could not start, or turned off), else undefined. */
let unavailable: string | undefined;
/** Set when the keeper is off on purpose: then there is nothing to report. */
let switchedOff = false;

const NOTHING = (): void => undefined;

/** A ticket whose request may move to another keeper (or to a direct spawn) if its keeper dies. */
class MovableTicket implements SpawnTicket {
  current: () => void = NOTHING;

  release(): void {
    this.current();
    this.current = NOTHING;
  }
}

/** The ticket of each request still in flight, found again when its keeper dies unanswered. */
const tickets = new WeakMap<LeaderEvents, MovableTicket>();

/**
 * Spawns a group through the keeper (started on first use), or with `direct` when there is
 * none; `direct` then gets why (undefined when the keeper was turned off on purpose).
 *
 * @example
 * ```ts
 * const ticket = spawnThroughKeeper({ file: '/usr/bin/true', args: [], argv0: 'true', cwd: '/', env: process.env, stdin: false, output: true, killSignal: 'SIGTERM', graceMs: 5000 }, events, direct);
 * ```
 */
export function spawnThroughKeeper(fields: SpawnFields, events: LeaderEvents, direct: DirectSpawn): SpawnTicket {
  const ticket = new MovableTicket();
  place(ticket, fields, events, direct);
  return ticket;
}

function place(ticket: MovableTicket, fields: SpawnFields, events: LeaderEvents, direct: DirectSpawn): void {
  const current = currentKeeper(direct);
  if (current === undefined) {
    ticket.current = NOTHING;
    direct(fields, events, switchedOff ? undefined : unavailable);
    return;
  }
  const id = current.spawn(fields, events);
  tickets.set(events, ticket);
  ticket.current = () => {
    tickets.delete(events);
    current.release(id);
  };
}

function currentKeeper(direct: DirectSpawn): KeeperClient | undefined {
  if (unavailable !== undefined) return undefined;
  if (keeper !== undefined && keeper.gone === undefined) return keeper;
  if (keeper === undefined && process.env['STATEVISOR_PROCESS_HELPER'] === 'off') {
    switchedOff = true;
    unavailable = 'turned off by STATEVISOR_PROCESS_HELPER=off';
    return undefined;
  }
  try {
    const client: KeeperClient = new KeeperClient(launchKeeper(), (reason, unanswered, wasReady) => {
      keeperGone(client, reason, unanswered, wasReady, direct);
    });
    keeper = client;
    return client;
  } catch (error) {
    unavailable = `the process helper could not start: ${error instanceof Error ? error.message : String(error)}`;
    return undefined;
  }
}

/**
 * A keeper that never became ready makes the keeper unavailable for good (no start loop); one
 * that died after serving is replaced at the next spawn. Requests it never answered are spawned
 * again, through the next keeper or directly.
 */
function keeperGone(
  client: KeeperClient,
  reason: string,
  unanswered: readonly UnansweredSpawn[],
  wasReady: boolean,
  direct: DirectSpawn,
): void {
  if (keeper === client) keeper = undefined;
  if (!wasReady) unavailable = reason;
  for (const { fields, events } of unanswered) {
    const ticket = tickets.get(events) ?? new MovableTicket();
    place(ticket, fields, events, direct);
  }
}

/**
 * Why process groups are spawned without a keeper, or undefined while a keeper serves (or will
 * be started at the next spawn).
 *
 * @example
 * ```ts
 * if (keeperUnavailable() !== undefined) console.warn('process groups are not held against a SIGKILL of this host');
 * ```
 */
export function keeperUnavailable(): string | undefined {
  return unavailable;
}
