/**
 * What the control endpoint and the TUI share about one app: the run's statistics, the set of
 * processes stopped through them, the specs for `start`, `ps`'s tree and the control ops. One
 * per app, so a process stopped from the TUI shows as stopped in `statevisor ps` and the reverse.
 *
 * @module
 */
import type { ChildSpec, Supervisor } from '@statevisor/core';
import type { LogBook } from '../logs/log-book.ts';
import { controlOp } from './control-ops.ts';
import type { ControlResult, PsNode } from './protocol.ts';
import { psTree } from './ps-tree.ts';
import { trackRunStats } from './run-stats.ts';

/**
 * The shared control state of an app.
 *
 * @example
 * ```ts
 * const state = controlState(app, { logs, specOf });
 * await state.op('restart', 'web');
 * state.tree().children.map((node) => node.state);
 * ```
 */
export interface ControlState {
  /** `ps`'s tree now. */
  tree(): PsNode;
  /** Runs `restart`, `stop` or `start` (see `control-ops.ts`). */
  op(op: 'restart' | 'stop' | 'start', name: string): Promise<ControlResult>;
}

const states = new WeakMap<Supervisor, ControlState & { specOf: ((path: string) => ChildSpec | undefined) | undefined }>();

/**
 * The control state of `app`, made on the first call (which starts counting restarts and
 * uptimes: make it before `app.start()`). A later call's `specOf` is used when the first had none.
 *
 * @param app - the supervisor
 * @param options - the log book (for last lines) and the specs of the top-level children
 * @param options.logs - the run's log book
 * @param options.specOf - the spec of a top-level child, for `start`
 * @returns the state
 *
 * @example
 * ```ts
 * const state = controlState(app, { logs, specOf: (path) => specs.get(path) });
 * ```
 */
export function controlState(app: Supervisor, options: { logs: LogBook; specOf?: ((path: string) => ChildSpec | undefined) | undefined }): ControlState {
  const known = states.get(app);
  if (known !== undefined) {
    known.specOf ??= options.specOf;
    return known;
  }
  const stats = trackRunStats(app);
  const stopped = new Set<string>();
  const tree = (): PsNode => psTree(app.snapshot(), { root: app.name, stats, logs: options.logs, stopped, now: Date.now() });
  const state = {
    specOf: options.specOf,
    tree,
    op: (op: 'restart' | 'stop' | 'start', name: string) => controlOp({ app, specOf: (path) => state.specOf?.(path), stopped, tree }, op, name),
  };
  states.set(app, state);
  return state;
}
