/**
 * `restart`, `stop` and `start` of the control endpoint, on the public Supervisor API.
 *
 * - `restart <name>`: `app.restart(name)` for a live process or group (nested ones too); a
 *   stopped or ended top-level one is started again, as pm2 does.
 * - `stop <name>`: `app.cancel(name)`; the name stays listed by `ps` as `stopped`. Only top-level
 *   processes and groups: the Supervisor API adds children at the root only, so a nested one
 *   could not be started again (restart it, or stop its group).
 * - `start <name>`: `app.add(specOf(name))` for a stopped or ended top-level one.
 *
 * @module
 */
import type { ChildSpec, NodeSnapshot, Supervisor } from '@statevisor/core';
import { relativePath } from '../logs/log-line.ts';
import { ControlRequestError } from './control-errors.ts';
import { allPaths, parentOf } from './ps-tree.ts';
import type { ControlResult, PsNode } from './protocol.ts';

/**
 * What the control ops act on.
 *
 * @example
 * ```ts
 * const context: ControlContext = { app, specOf: (path) => specs.get(path), stopped: new Set(), tree: () => psTreeNow() };
 * ```
 */
export interface ControlContext {
  readonly app: Supervisor;
  /** The spec a top-level name was started from, so `start` can add it again. */
  readonly specOf: ((path: string) => ChildSpec | undefined) | undefined;
  /** Relative paths stopped through the endpoint (ops add and remove). */
  readonly stopped: Set<string>;
  /** `ps`'s tree now (for the names an error lists). */
  readonly tree: () => PsNode;
}

/**
 * Runs `restart`, `stop` or `start` on `name`.
 *
 * @param context - the app and what the endpoint keeps
 * @param op - the operation
 * @param name - a relative path (`web`, `workers/a`) or a full one
 * @returns what was done
 * @throws ControlRequestError naming the process when it cannot be done
 *
 * @example
 * ```ts
 * await controlOp(context, 'restart', 'web'); // { path: 'web', done: 'restarted' }
 * ```
 */
export async function controlOp(context: ControlContext, op: 'restart' | 'stop' | 'start', name: string): Promise<ControlResult> {
  const { app, stopped } = context;
  const path = relativePath(app.name, name);
  const live = findLive(app.snapshot(), `${app.name}/${path}`) !== undefined;
  const nested = parentOf(path) !== '';
  if (op === 'restart' && live) {
    if (!(await app.restart(path))) throw new ControlRequestError('ERR_NOT_RESTARTED', `${path} could not be restarted: it is ending`);
    return { path, done: 'restarted' };
  }
  if (op === 'stop') {
    if (nested) throw nestedError(path);
    if (!live) {
      if (stopped.has(path) || context.specOf?.(path) !== undefined) return { path, done: 'already stopped' };
      throw unknownError(context, path);
    }
    stopped.add(path);
    await app.cancel(path);
    return { path, done: 'stopped' };
  }
  if (live) return { path, done: 'already running' };
  const spec = nested ? undefined : context.specOf?.(path);
  if (spec === undefined) {
    if (nested && allPaths(context.tree()).includes(path)) throw nestedError(path);
    if (!nested && stopped.has(path)) throw new ControlRequestError('ERR_NO_SPEC', `${path} cannot be started again: this run was given no spec for it`);
    throw unknownError(context, path);
  }
  await app.add(spec);
  stopped.delete(path);
  return { path, done: op === 'restart' ? 'started (it was not running)' : 'started' };
}

function findLive(node: NodeSnapshot, full: string): NodeSnapshot | undefined {
  if (node.path === full) return node;
  for (const child of node.children ?? []) {
    const found = findLive(child, full);
    if (found !== undefined) return found;
  }
  return undefined;
}

function nestedError(path: string): ControlRequestError {
  const group = parentOf(path);
  return new ControlRequestError(
    'ERR_NESTED_STOP',
    `${path} is inside the group ${group}: stop and start take a top-level process or group; restart it (\`statevisor restart ${path}\`), or stop the whole group (\`statevisor stop ${group.split('/')[0] ?? group}\`)`,
  );
}

function unknownError(context: ControlContext, path: string): ControlRequestError {
  const known = allPaths(context.tree());
  return new ControlRequestError(
    'ERR_UNKNOWN_PROCESS',
    `no process or group "${path}" in this run${known.length === 0 ? '' : `; there are: ${known.join(', ')}`}`,
  );
}
