/** Renders supervisor events as one readable line each. */
import type { SupervisorEvent } from '@statevisor/core';

const started = Date.now();

function details(event: SupervisorEvent): string {
  switch (event.kind) {
    case 'TaskStarting':
    case 'TaskReady':
      return `attempt ${event.attempt}`;
    case 'TaskStarted':
      return event.pid === undefined ? `attempt ${event.attempt}` : `attempt ${event.attempt} pid ${event.pid}`;
    case 'TaskOutput':
      return `[${event.stream}] ${event.line}`;
    case 'TaskOutputBatch':
      return `[${event.stream}] ${event.lines.length} lines`;
    case 'TaskStopped':
      return typeof event.stopReason === 'string' ? 'finished' : `terminated: ${event.stopReason.terminated}`;
    case 'TaskFailed':
      return event.reason;
    case 'TimeoutHit':
      return `after ${event.timeoutMs} ms`;
    case 'TaskError':
      return `${event.error.code}: ${event.error.message}`;
    case 'BackoffScheduled':
      return `next attempt in ${event.delayMs} ms (${event.backoffSource}${event.reason === undefined ? '' : `: ${event.reason}`})`;
    case 'ActorExhausted':
    case 'ActorDead':
      return `outcome ${event.outcome}${event.reason === undefined ? '' : `: ${event.reason}`}`;
    case 'GraceExceeded':
      return `stuck: ${event.stuck.join(', ')}`;
    case 'SubscriberOverflow':
      return `${event.subscriber} dropped ${event.dropped}`;
    case 'SubscriberPanicked':
      return `${event.subscriber}: ${event.reason}`;
    case 'DependencyWaiting':
      return `waiting for ${event.waitingFor.join(', ')}`;
    case 'ProcessControl':
      return event.action;
    case 'StdinClosed':
      return `${event.error.code}: ${event.error.message}`;
    case 'SupervisorRestarting':
      return `${event.strategy}: restarting ${event.affected.join(', ')}`;
    case 'IntensityExceeded':
      return `${event.restarts} restarts within ${event.periodMs} ms: giving up`;
    default:
      return '';
  }
}

/** `  1.234s  #12  app/worker  TaskFailed  boom` */
export function formatEvent(event: SupervisorEvent): string {
  const elapsed = ((event.at - started) / 1000).toFixed(3).padStart(7);
  const seq = `#${event.seq}`.padEnd(5);
  return `${elapsed}s ${seq} ${event.task.padEnd(26)} ${event.kind.padEnd(18)} ${details(event)}`.trimEnd();
}
