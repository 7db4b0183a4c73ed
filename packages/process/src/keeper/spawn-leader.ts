/**
 * The one way a process group is spawned, by the helper or (without one) by the host.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { SpawnRequest } from './protocol.ts';

/**
 * Spawns `request.file` as the leader of a new process group (`detached`: its own session, so
 * its pid is its group id), with pipes or /dev/null as asked. May throw (EAGAIN...); ENOENT and
 * the like come as the child's `'error'` event, with `pid` undefined.
 *
 * @example
 * ```ts
 * const child = spawnLeaderOf({ file: '/usr/bin/true', args: [], argv0: 'true', cwd: '/', env: process.env, stdin: false, output: true });
 * ```
 */
export function spawnLeaderOf(request: Pick<SpawnRequest, 'file' | 'args' | 'argv0' | 'cwd' | 'env' | 'stdin' | 'output'>): ChildProcess {
  const output = request.output ? 'pipe' : 'ignore';
  return spawn(request.file, [...request.args], {
    argv0: request.argv0,
    cwd: request.cwd,
    env: request.env,
    detached: true,
    stdio: [request.stdin ? 'pipe' : 'ignore', output, output],
  });
}
