/**
 * `formatEvent`: one readable line per event, for logs and terminals.
 *
 * It reads every field defensively: an event built or altered by user code (a getter that
 * throws, a field of the wrong type, a value whose `toString` throws) still formats, and
 * formatting never throws.
 *
 * @module
 */
import type { SupervisorEvent } from './events.ts';

/**
 * Options of {@link formatEvent}.
 *
 * @example
 * ```ts
 * const options: FormatEventOptions = { since: Date.now() }; // "+1.234s" instead of a time of day
 * ```
 */
export interface FormatEventOptions {
  /**
   * An epoch time in ms: the line then starts with the seconds elapsed since it (`+1.234s`)
   * instead of the UTC time of day of `at` (`12:34:56.789Z`).
   */
  readonly since?: number;
}

type Fields = Readonly<Record<string, unknown>>;

/** Reads `key` of `event`, or `undefined` when reading throws. */
function read(event: Fields, key: string): unknown {
  try {
    return event[key];
  } catch {
    return undefined;
  }
}

/** Any value as short text, on one line; never throws. */
function text(value: unknown): string {
  let s: string;
  try {
    if (typeof value === 'string') s = value;
    else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') s = String(value);
    else if (value === undefined || value === null) s = '';
    else if (Array.isArray(value)) s = value.map(text).join(', ');
    else if (typeof value === 'symbol') s = value.toString();
    else if (typeof value === 'function') s = 'a function';
    else s = JSON.stringify(value);
  } catch {
    return '?';
  }
  return s.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** ` label value` when `value` is present, else nothing. */
function opt(event: Fields, key: string, label = key): string {
  const value = read(event, key);
  return value === undefined || value === null ? '' : ` ${label} ${text(value)}`;
}

const attempt = (e: Fields): string => `attempt ${text(read(e, 'attempt'))}`;
const took = (e: Fields): string => {
  const ms = read(e, 'durationMs');
  if (ms === undefined) return '';
  // Run times on the real clock are fractional (performance.now()): a line shows whole ms.
  return ` after ${typeof ms === 'number' ? String(Math.round(ms)) : text(ms)} ms`;
};
const exit = (e: Fields): string => `${opt(e, 'exitCode', 'exit code')}${opt(e, 'signal')}`;
const error = (e: Fields): string => {
  const err = read(e, 'error');
  if (typeof err !== 'object' || err === null) return text(err);
  return `${text(read(err as Fields, 'code'))}: ${text(read(err as Fields, 'message'))}`;
};
const because = (e: Fields): string => {
  const reason = read(e, 'reason');
  return reason === undefined ? '' : `: ${text(reason)}`;
};

/** What matters for each kind (kinds not listed show their own fields as `key=value`). */
const DETAILS: Readonly<Record<string, (e: Fields) => string>> = {
  TaskStarting: attempt,
  TaskStarted: (e) => `${attempt(e)}${opt(e, 'pid')}`,
  TaskOutput: (e) => `[${text(read(e, 'stream'))}] ${text(read(e, 'line'))}`,
  TaskOutputBatch: (e) => {
    const lines = read(e, 'lines');
    return `[${text(read(e, 'stream'))}] ${Array.isArray(lines) ? String(lines.length) : '?'} lines`;
  },
  TaskReady: attempt,
  TaskStopped: (e) => {
    const why = read(e, 'stopReason');
    const stop = typeof why === 'object' && why !== null ? `terminated: ${text(read(why as Fields, 'terminated'))}` : text(why);
    return `${attempt(e)} ${stop}${exit(e)}${took(e)}`;
  },
  TaskFailed: (e) => `${attempt(e)} ${text(read(e, 'reason'))}${exit(e)}${took(e)}`,
  TimeoutHit: (e) => `${attempt(e)} timed out after ${text(read(e, 'timeoutMs'))} ms`,
  TaskError: (e) => `${attempt(e)} ${error(e)}`,
  ProcessControl: (e) => `${attempt(e)} ${text(read(e, 'action'))}${opt(e, 'signal')}`,
  HealthCheckFailed: (e) => `${attempt(e)} ${text(read(e, 'probe'))}: ${text(read(e, 'reason'))}${opt(e, 'failures', 'failures')}`,
  StdinClosed: (e) => `${attempt(e)} ${error(e)}`,
  ProcessHelperUnavailable: (e) => `${attempt(e)} ${text(read(e, 'reason'))}`,
  BackoffScheduled: (e) => `next attempt in ${text(read(e, 'delayMs'))} ms (${text(read(e, 'backoffSource'))}${because(e)})`,
  ActorExhausted: (e) => `outcome ${text(read(e, 'outcome'))}${because(e)}${opt(e, 'exitCode', 'exit code')}`,
  ActorDead: (e) => `outcome ${text(read(e, 'outcome'))}${because(e)}${opt(e, 'exitCode', 'exit code')}`,
  SupervisorRestarting: (e) => `${text(read(e, 'strategy'))}: restarting ${text(read(e, 'affected'))}`,
  IntensityExceeded: (e) => `${text(read(e, 'restarts'))} restarts within ${text(read(e, 'periodMs'))} ms: giving up`,
  DependencyWaiting: (e) => `waiting for ${text(read(e, 'waitingFor'))}`,
  DependencyReady: () => '',
  TaskAddRequested: () => '',
  TaskAdded: () => '',
  TaskAddFailed: (e) => text(read(e, 'reason')),
  TaskRemoveRequested: () => '',
  TaskRemoved: () => '',
  ShutdownRequested: () => '',
  AllStoppedWithinGrace: () => '',
  GraceExceeded: (e) => `stuck: ${text(read(e, 'stuck'))}`,
  SubscriberOverflow: (e) => `${text(read(e, 'subscriber'))} dropped ${text(read(e, 'dropped'))}`,
  SubscriberPanicked: (e) => `${text(read(e, 'subscriber'))}: ${text(read(e, 'reason'))}`,
  ControllerSubmitted: (e) => `slot ${text(read(e, 'slot'))} (${text(read(e, 'admission'))}, depth ${text(read(e, 'depth'))})`,
  ControllerRejected: (e) => `slot ${text(read(e, 'slot'))}: ${text(read(e, 'reason'))}`,
  ControllerSlotTransition: (e) => `slot ${text(read(e, 'slot'))}: ${text(read(e, 'from'))} -> ${text(read(e, 'to'))}`,
};

const COMMON = new Set(['kind', 'seq', 'at', 'task']);

/** The fields of an unknown kind as `key=value`. */
function generic(event: Fields): string {
  let keys: string[];
  try {
    keys = Object.keys(event);
  } catch {
    return '';
  }
  return keys
    .filter((key) => !COMMON.has(key))
    .map((key) => `${key}=${text(read(event, key))}`)
    .join(' ');
}

/** `12:34:56.789Z`, or `+1.234s` since `since`. */
function time(at: unknown, since: unknown): string {
  if (typeof at !== 'number' || !Number.isFinite(at)) return '?';
  if (typeof since === 'number') return `+${((at - since) / 1000).toFixed(3)}s`;
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '?' : `${date.toISOString().slice(11, 23)}Z`;
}

/**
 * One readable line for an event: the time (UTC time of day of `at`, or the seconds since
 * `options.since`), `#seq`, the path, the kind, and what matters for that kind (the reason of a
 * failure, the line of an output, the delay of a backoff, ...). Never throws, whatever the
 * event's fields hold; line breaks inside a value are shown as `\n` so the result stays one line.
 *
 * @param event - any event of `events$` or `subscribe()`
 * @param options - `since`: show the time as elapsed seconds since this epoch time (ms)
 * @returns one line, without a trailing newline
 * @example
 * ```ts
 * app.events$.subscribe((event) => console.log(formatEvent(event)));
 * // 12:34:56.789Z #12   app/worker                 TaskFailed         attempt 2 boom after 31 ms
 * ```
 */
export function formatEvent(event: SupervisorEvent, options?: FormatEventOptions): string {
  try {
    const fields = event as unknown as Fields;
    const kind = text(read(fields, 'kind'));
    const details = Object.hasOwn(DETAILS, kind) ? (DETAILS[kind] as (e: Fields) => string)(fields) : generic(fields);
    const seq = `#${text(read(fields, 'seq'))}`.padEnd(5);
    const since = options?.since;
    return `${time(read(fields, 'at'), since)} ${seq} ${text(read(fields, 'task')).padEnd(26)} ${kind.padEnd(18)} ${details}`.trimEnd();
  } catch {
    return '(unprintable event)';
  }
}
