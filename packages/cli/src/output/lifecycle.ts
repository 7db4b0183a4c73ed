/**
 * Which lifecycle events a run prints, and how: what someone used to pm2 or docker compose
 * needs to see (starts, readiness, failures with their reason, restarts with their delay,
 * stops, give-ups), not every event.
 *
 * @module
 */
import type { SupervisorEvent } from '@statevisor/core';

/** A lifecycle line's text, and whether it reports a failure. */
export interface Notice {
  readonly text: string;
  readonly failure: boolean;
}

/**
 * A duration for people: `250 ms`, `1.5 s`, `2 min`.
 *
 * @example
 * ```ts
 * duration(1500); // '1.5 s'
 * ```
 */
export function duration(ms: number): string {
  if (ms < 1000) return `${String(Math.round(ms))} ms`;
  if (ms < 60_000) return `${String(Math.round(ms / 100) / 10)} s`;
  return `${String(Math.round(ms / 6000) / 10)} min`;
}

const ok = (text: string): Notice => ({ text, failure: false });
const bad = (text: string): Notice => ({ text, failure: true });

/**
 * The lifecycle line for an event, or undefined when the event is not printed.
 *
 * @param event - any supervisor event
 * @returns the notice, if any
 *
 * @example
 * ```ts
 * describeEvent({ kind: 'TaskReady', seq: 7, at: Date.now(), task: 'app/web', attempt: 1 }); // { text: 'ready', failure: false }
 * ```
 */
export function describeEvent(event: SupervisorEvent): Notice | undefined {
  switch (event.kind) {
    case 'TaskStarted': {
      const pid = event.pid === undefined ? '' : ` (pid ${String(event.pid)})`;
      return ok(event.attempt > 1 ? `started again, attempt ${String(event.attempt)}${pid}` : `started${pid}`);
    }
    case 'TaskReady':
      return ok('ready');
    case 'TaskStopped': {
      if (event.stopReason === 'finished') return ok(`exited with code ${String(event.exitCode ?? 0)} after ${duration(event.durationMs)}`);
      const how = event.signal === undefined ? (event.exitCode === undefined ? '' : `, exit code ${String(event.exitCode)}`) : `, ${event.signal}`;
      return ok(`stopped (${event.stopReason.terminated}${how})`);
    }
    case 'TaskFailed':
      return bad(`failed: ${event.reason}`);
    case 'TimeoutHit':
      return bad(`timed out after ${duration(event.timeoutMs)}`);
    case 'TaskError':
      return bad(`error: ${event.error.message}`);
    case 'HealthCheckFailed':
      return bad(`${event.probe} check failed (${String(event.failures)}): ${event.reason}`);
    case 'ProcessHelperUnavailable':
      return bad(`process helper unavailable: ${event.reason}`);
    case 'ProcessControl':
      // A stop is told by the TaskStopped line that follows it.
      if (event.action === 'stop') return undefined;
      return ok(event.action === 'signal' ? `sent ${event.signal ?? 'a signal'}` : event.action === 'pause' ? 'paused' : 'resumed');
    case 'BackoffScheduled':
      return ok(`restarting in ${duration(event.delayMs)}${event.backoffSource === 'success' ? '' : ' (after a failure)'}`);
    case 'ActorExhausted':
      // Completed: its exit line said so; cancelled: its stop line did.
      if (event.outcome === 'completed' || event.outcome === 'cancelled') return undefined;
      return bad(`gave up (${event.outcome})${event.reason === undefined ? '' : `: ${event.reason}`}`);
    case 'ActorDead':
      return bad(`gave up for good (${event.outcome}): ${event.reason}`);
    case 'DependencyWaiting':
      return ok(`waiting for ${event.waitingFor.join(', ')}`);
    case 'SupervisorRestarting':
      return ok(`restarting (${event.strategy}): ${event.affected.map((path) => path.slice(path.lastIndexOf('/') + 1)).join(', ')}`);
    case 'IntensityExceeded':
      return bad(`too many restarts (${String(event.restarts)} within ${duration(event.periodMs)}): giving up`);
    case 'GraceExceeded':
      return bad(`still running after the grace, killed: ${event.stuck.join(', ')}`);
    case 'TaskAddFailed':
      return bad(`could not be added: ${event.reason}`);
    default:
      return undefined;
  }
}
