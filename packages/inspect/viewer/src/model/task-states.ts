/**
 * Which state an event puts a node's machines in (docs/machines.md, docs/events.md): the task
 * machine of every node, and the supervisor machine of a supervisor node.
 *
 * @module
 */
import type { SupervisorEvent } from '@statevisor/core';

/**
 * The task machine state an event of the node itself leads to, or `undefined` when the event
 * changes no state (output, notices, reports). `previous` is the state before the event (a
 * resumed attempt goes back to where it was paused from).
 *
 * @example
 * ```ts
 * taskStateAfter({ kind: 'TaskReady', ... }, 'running'); // 'ready'
 * ```
 */
export function taskStateAfter(event: SupervisorEvent, previous: string | undefined, resumeTo: string | undefined): string | undefined {
  switch (event.kind) {
    case 'TaskAddRequested':
    case 'TaskAdded':
    case 'DependencyWaiting':
      return 'idle';
    case 'TaskStarting':
      return 'starting';
    case 'TaskStarted':
      return 'running';
    case 'TaskReady':
      return 'ready';
    case 'TaskStopped':
      return 'stopped';
    case 'TaskFailed':
    case 'TimeoutHit':
    case 'TaskError':
      return 'failed';
    case 'BackoffScheduled':
      return 'backoff';
    case 'ActorExhausted':
      return 'exhausted';
    case 'ActorDead':
      return 'dead';
    case 'TaskRemoved':
      return 'removed';
    case 'ProcessControl':
      if (event.action === 'pause' && (previous === 'running' || previous === 'ready')) return 'paused';
      if (event.action === 'resume' && previous === 'paused') return resumeTo ?? 'running';
      if (event.action === 'stop') return 'stopping';
      return undefined;
    case 'HealthCheckFailed':
      return 'stopping';
    default:
      return undefined;
  }
}

/**
 * The supervisor machine state an event of the supervisor itself leads to, or `undefined`.
 * A nested supervisor's attempt events tell its supervisor machine's fate too: a new attempt
 * is a fresh machine (`running`), its attempt's end is the machine's final state.
 *
 * @example
 * ```ts
 * supervisorStateAfter({ kind: 'IntensityExceeded', ... }, 'running'); // 'givingUp'
 * ```
 */
export function supervisorStateAfter(event: SupervisorEvent, previous: string | undefined): string | undefined {
  switch (event.kind) {
    case 'TaskStarting':
      return 'running';
    case 'SupervisorRestarting':
      return 'restarting';
    case 'IntensityExceeded':
      return 'givingUp';
    case 'ShutdownRequested':
      return previous === 'givingUp' || previous === 'failed' ? previous : 'shuttingDown';
    case 'AllStoppedWithinGrace':
    case 'GraceExceeded':
      return previous === 'givingUp' || previous === 'failed' ? 'failed' : 'stopped';
    case 'TaskStopped':
      return 'stopped';
    case 'TaskFailed':
    case 'TimeoutHit':
    case 'TaskError':
      return 'failed';
    default:
      return undefined;
  }
}

/**
 * States that end a task machine (or that its node is gone).
 *
 * @example
 * ```ts
 * FINAL_TASK_STATES.has('exhausted'); // true
 * ```
 */
export const FINAL_TASK_STATES: ReadonlySet<string> = new Set(['exhausted', 'dead', 'removed']);

/**
 * The colour of a state (the tree's badges, the timeline's bands, the diagram's lit state).
 *
 * @example
 * ```ts
 * element.style.background = stateColor('failed');
 * ```
 */
export function stateColor(state: string | undefined): string {
  return COLORS[state ?? ''] ?? '#9aa0a6';
}

const COLORS: Readonly<Record<string, string>> = {
  idle: '#b0bec5',
  starting: '#81d4fa',
  running: '#4fc3f7',
  ready: '#66bb6a',
  paused: '#ce93d8',
  stopping: '#ffb74d',
  stopped: '#90a4ae',
  failed: '#e53935',
  backoff: '#ffa726',
  exhausted: '#607d8b',
  dead: '#6d1b1b',
  removed: '#d7dbdf',
  restarting: '#ffa726',
  givingUp: '#e53935',
  shuttingDown: '#ffb74d',
};
