/**
 * The process helper (the keeper): a small Node process, started by the host with the first
 * process task, that spawns every process group on the host's behalf and holds them. Its
 * children are forked from this small process, so a spawn costs the same whatever the host's
 * size; their pipes go back to the host as socket handles over the IPC channel, so output never
 * passes through here. When the channel closes (the host ended, however: exit, crash, SIGKILL)
 * every group still held gets its killSignal, then SIGKILL after its grace, and the keeper
 * exits. It ignores SIGINT, SIGTERM and SIGHUP: it ends when the host is gone, not before.
 *
 * This file is the keeper's program; nothing imports it.
 *
 * @module
 */
import type { Socket } from 'node:net';
import { KeptGroups } from './kept-groups.ts';
import { isMessage } from './protocol.ts';
import type { HostMessage, KeeperMessage } from './protocol.ts';
import { spawnForHost } from './spawn-for-host.ts';

const groups = new KeptGroups();

function send(message: KeeperMessage, handle?: Socket, options?: { readonly keepOpen: boolean }): void {
  if (process.connected) process.send?.(message, handle, options);
}

function ignore(): void {
  // The keeper outlives a Ctrl-C or a group-wide SIGTERM so that it can end the groups.
}

process.on('SIGINT', ignore);
process.on('SIGTERM', ignore);
process.on('SIGHUP', ignore);
// A failed send (the host just died) must not crash the keeper before it ends the groups.
process.on('error', ignore);
process.on('message', (value: unknown) => {
  if (!isMessage(value)) return;
  const message = value as HostMessage;
  if (message.t === 'spawn') spawnForHost(message, groups, send);
  else groups.release(message.id);
});
process.once('disconnect', () => {
  groups.endAll(() => process.exit(0));
});
send({ t: 'ready' });
