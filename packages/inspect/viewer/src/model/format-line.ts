/**
 * One readable line per event for the log, like core's `formatEvent` (the time since the
 * recording began, `#seq`, the path, the kind, what matters for the kind). The page does not
 * bundle core, so the few details are repeated here; it never throws.
 *
 * @module
 */
import type { SupervisorEvent } from '@statevisor/core';

type Fields = Readonly<Record<string, unknown>>;

function text(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join(', ');
  try {
    return text(JSON.stringify(value));
  } catch {
    return '?';
  }
}

const opt = (e: Fields, key: string, label = key): string => (e[key] === undefined ? '' : ` ${label} ${text(e[key])}`);
const attempt = (e: Fields): string => `attempt ${text(e['attempt'])}`;
const took = (e: Fields): string => (typeof e['durationMs'] === 'number' ? ` after ${String(Math.round(e['durationMs']))} ms` : '');
const because = (e: Fields): string => (e['reason'] === undefined ? '' : `: ${text(e['reason'])}`);
const error = (e: Fields): string => {
  const err = e['error'];
  return typeof err === 'object' && err !== null ? `${text((err as Fields)['code'])}: ${text((err as Fields)['message'])}` : text(err);
};

const DETAILS: Readonly<Record<string, (e: Fields) => string>> = {
  TaskStarting: attempt,
  TaskStarted: (e) => `${attempt(e)}${opt(e, 'pid')}`,
  TaskOutput: (e) => `[${text(e['stream'])}] ${text(e['line'])}`,
  TaskOutputBatch: (e) => `[${text(e['stream'])}] ${Array.isArray(e['lines']) ? String(e['lines'].length) : '?'} lines`,
  TaskReady: attempt,
  TaskStopped: (e) => {
    const why = e['stopReason'];
    const stop = typeof why === 'object' && why !== null ? `terminated: ${text((why as Fields)['terminated'])}` : text(why);
    return `${attempt(e)} ${stop}${opt(e, 'exitCode', 'exit code')}${opt(e, 'signal')}${took(e)}`;
  },
  TaskFailed: (e) => `${attempt(e)} ${text(e['reason'])}${opt(e, 'exitCode', 'exit code')}${opt(e, 'signal')}${took(e)}`,
  TimeoutHit: (e) => `${attempt(e)} timed out after ${text(e['timeoutMs'])} ms`,
  TaskError: (e) => `${attempt(e)} ${error(e)}`,
  ProcessControl: (e) => `${attempt(e)} ${text(e['action'])}${opt(e, 'signal')}`,
  HealthCheckFailed: (e) => `${attempt(e)} ${text(e['probe'])}: ${text(e['reason'])}`,
  StdinClosed: (e) => `${attempt(e)} ${error(e)}`,
  BackoffScheduled: (e) => `next attempt in ${text(e['delayMs'])} ms (${text(e['backoffSource'])}${because(e)})`,
  ActorExhausted: (e) => `outcome ${text(e['outcome'])}${because(e)}`,
  ActorDead: (e) => `outcome ${text(e['outcome'])}${because(e)}`,
  SupervisorRestarting: (e) => `${text(e['strategy'])}: restarting ${text(e['affected'])}`,
  IntensityExceeded: (e) => `${text(e['restarts'])} restarts within ${text(e['periodMs'])} ms: giving up`,
  DependencyWaiting: (e) => `waiting for ${text(e['waitingFor'])}`,
  TaskAddFailed: (e) => text(e['reason']),
  GraceExceeded: (e) => `stuck: ${text(e['stuck'])}`,
  SubscriberOverflow: (e) => `${text(e['subscriber'])} dropped ${text(e['dropped'])}`,
  SubscriberPanicked: (e) => `${text(e['subscriber'])}: ${text(e['reason'])}`,
};

const COMMON = new Set(['kind', 'seq', 'at', 'task']);

/**
 * The details part of an event's line (what follows the kind).
 *
 * @example
 * ```ts
 * eventDetails({ kind: 'TaskStarted', attempt: 2, pid: 41, ... }); // 'attempt 2 pid 41'
 * ```
 */
export function eventDetails(event: SupervisorEvent): string {
  const fields = event as unknown as Fields;
  const detail = DETAILS[event.kind];
  if (detail !== undefined) return detail(fields);
  return Object.keys(fields)
    .filter((key) => !COMMON.has(key))
    .map((key) => `${key}=${text(fields[key])}`)
    .join(' ');
}

/**
 * The time of an event as seconds since `since` (`+1.234s`).
 *
 * @example
 * ```ts
 * elapsed(1500, 1000); // '+0.500s'
 * ```
 */
export function elapsed(at: number, since: number): string {
  return `+${((at - since) / 1000).toFixed(3)}s`;
}

/**
 * One line for an event, as core's `formatEvent(event, { since })` prints it.
 *
 * @example
 * ```ts
 * formatLine(event, header.startedAt); // '+0.270s #37   app/parser  TaskFailed  attempt 1 bad input'
 * ```
 */
export function formatLine(event: SupervisorEvent, since: number): string {
  return `${elapsed(event.at, since)} #${String(event.seq)} ${event.task} ${event.kind} ${eventDetails(event)}`.trimEnd();
}
