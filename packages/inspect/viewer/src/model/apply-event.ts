/**
 * Applies one event to the model's node tracks: the node's task machine state, attempt and pid,
 * a supervisor's own machine state, and the decisions kept for the node panel.
 *
 * @module
 */
import type { SupervisorEvent } from '@statevisor/core';
import type { NodeTrack } from './node-track.ts';
import { FINAL_TASK_STATES, supervisorStateAfter, taskStateAfter } from './task-states.ts';

/**
 * What `applyEvent` needs of the model.
 *
 * @example
 * ```ts
 * const source: NodeSource = model; // a RecordingModel
 * ```
 */
export interface NodeSource {
  readonly nodes: ReadonlyMap<string, NodeTrack>;
  node(path: string, position: number): NodeTrack;
}

const ATTEMPT_ENDS: ReadonlySet<string> = new Set(['TaskStopped', 'TaskFailed', 'TimeoutHit', 'TaskError']);

/**
 * Applies `event`, which takes effect at `position`.
 *
 * @example
 * ```ts
 * model.events.push(event);
 * applyEvent(model, event, model.events.length);
 * ```
 */
export function applyEvent(model: NodeSource, event: SupervisorEvent, position: number): void {
  const node = model.node(event.task, position);
  if ('attempt' in event && typeof event.attempt === 'number') node.attempt.set(position, event.attempt);
  if (event.kind === 'TaskStarted') node.pid.set(position, event.pid ?? null);
  else if (event.kind === 'TaskStarting' || ATTEMPT_ENDS.has(event.kind)) node.pid.set(position, null);

  let taskState: string | undefined;
  if (node.parent !== undefined) {
    const previous = node.state.last;
    taskState = taskStateAfter(event, previous, node.resumeTo);
    if (taskState === 'paused') node.resumeTo = previous;
    if (taskState !== undefined) node.state.set(position, taskState);
  }

  if (event.kind === 'SupervisorRestarting' || event.kind === 'IntensityExceeded') {
    node.kind = 'supervisor';
    node.decisions.push({ position, event });
  }
  if (event.kind === 'BackoffScheduled') node.backoffs.push({ position, event });
  if (node.kind === 'supervisor') {
    const supervisorState = supervisorStateAfter(event, node.supervisorState.last);
    if (supervisorState !== undefined) node.supervisorState.set(position, supervisorState);
  }

  const parent = node.parent === undefined ? undefined : model.nodes.get(node.parent);
  if (parent === undefined) return;
  const parentState = parent.supervisorState.last;
  // A child starting shows a root that was `idle` in its header running, and the first child to
  // start again ends a strategy restart: the machine is back in `running`.
  if (event.kind === 'TaskStarting' && (parentState === 'restarting' || parentState === 'idle')) parent.supervisorState.set(position, 'running');
  // A supervisor giving up is `failed` once its last child has ended.
  if (parentState === 'givingUp' && taskState !== undefined && FINAL_TASK_STATES.has(taskState)) {
    const allEnded = parent.children.every((path) => FINAL_TASK_STATES.has(model.nodes.get(path)?.state.last ?? 'removed'));
    if (allEnded) parent.supervisorState.set(position, 'failed');
  }
}
