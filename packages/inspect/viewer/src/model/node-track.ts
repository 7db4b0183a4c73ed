/**
 * What the model keeps about one node of the tree over the whole recording: its states, attempt
 * and pid as step functions over positions, and the decisions that concern it.
 *
 * @module
 */
import type { BackoffScheduled, IntensityExceeded, SupervisorEvent, SupervisorRestarting } from '@statevisor/core';
import { Step } from './step.ts';

/**
 * An event with the position it took effect at (its index in the log, plus one).
 *
 * @example
 * ```ts
 * for (const { position, event } of track.backoffs) console.log(position, event.delayMs);
 * ```
 */
export interface Positioned<E extends SupervisorEvent = SupervisorEvent> {
  readonly position: number;
  readonly event: E;
}

/**
 * One node: a task, or a supervisor (the root, or a nested one, which also has a task machine
 * as its parent's child).
 *
 * @example
 * ```ts
 * const node = new NodeTrack('app/web', 'task', 0);
 * node.state.set(0, 'idle');
 * ```
 */
export class NodeTrack {
  readonly path: string;
  readonly parent: string | undefined;
  readonly name: string;
  readonly depth: number;
  /** The position the node is first known at. */
  readonly since: number;
  kind: 'supervisor' | 'task';
  /** The task machine's state (not for the root, which is no one's child). */
  readonly state = new Step<string>();
  /** The supervisor machine's state (supervisors only). */
  readonly supervisorState = new Step<string>();
  readonly attempt = new Step<number>();
  readonly pid = new Step<number | null>();
  /** Restart decisions about this node (`BackoffScheduled`, with their explanation). */
  readonly backoffs: Positioned<BackoffScheduled>[] = [];
  /** This supervisor's restarts and give-ups. */
  readonly decisions: Positioned<SupervisorRestarting | IntensityExceeded>[] = [];
  /** Its children's paths, in the order they became known. */
  readonly children: string[] = [];
  /** The state a paused attempt goes back to when resumed. */
  resumeTo: string | undefined;

  /**
   * @param path - the node's path
   * @param kind - task or supervisor (a task becomes a supervisor once a child shows under it)
   * @param since - the position it is first known at
   */
  constructor(path: string, kind: 'supervisor' | 'task', since: number) {
    this.path = path;
    this.kind = kind;
    this.since = since;
    const slash = path.lastIndexOf('/');
    this.parent = slash < 0 ? undefined : path.slice(0, slash);
    this.name = slash < 0 ? path : path.slice(slash + 1);
    this.depth = path.split('/').length - 1;
  }

  /** The state shown for the node: the root's supervisor machine, any other node's task machine. */
  shownState(position: number): string | undefined {
    return this.parent === undefined ? this.supervisorState.at(position) : this.state.at(position);
  }
}

/**
 * A node at one moment.
 *
 * @example
 * ```ts
 * for (const node of model.stateAt(120)) console.log(node.path, node.state, node.attempt);
 * ```
 */
export interface NodeView {
  readonly path: string;
  readonly name: string;
  readonly depth: number;
  readonly kind: 'supervisor' | 'task';
  /** The state shown: the root's supervisor state, any other node's task machine state. */
  readonly state: string | undefined;
  /** A supervisor's own machine state (nested supervisors show both). */
  readonly supervisorState: string | undefined;
  readonly attempt: number | undefined;
  readonly pid: number | undefined;
}

/**
 * The node at a position, in O(log n).
 *
 * @example
 * ```ts
 * const view = viewOf(track, 42);
 * ```
 */
export function viewOf(track: NodeTrack, position: number): NodeView {
  return {
    path: track.path,
    name: track.name,
    depth: track.depth,
    kind: track.kind,
    state: track.shownState(position),
    supervisorState: track.kind === 'supervisor' ? track.supervisorState.at(position) : undefined,
    attempt: track.attempt.at(position),
    pid: track.pid.at(position) ?? undefined,
  };
}
