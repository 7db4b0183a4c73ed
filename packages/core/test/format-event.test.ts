/** `formatEvent`: one readable line for every kind, total over hostile values. */
import { describe, it, expect } from 'vitest';
import { EVENT_KINDS, formatEvent, type SupervisorEvent } from '../src/index.ts';

const AT = Date.UTC(2030, 0, 2, 12, 34, 56, 789);

/** A plausible event of each kind (fields as DESIGN §4 lists them). */
const SAMPLES: Record<string, Record<string, unknown>> = {
  TaskStarting: { attempt: 1 },
  TaskStarted: { attempt: 1, pid: 4242 },
  TaskOutput: { attempt: 1, line: 'listening on :8080', stream: 'stdout' },
  TaskOutputBatch: { attempt: 1, lines: ['a', 'b', 'c'], stream: 'stderr' },
  TaskReady: { attempt: 2 },
  TaskStopped: { attempt: 1, stopReason: { terminated: 'shutdown' }, exitCode: 0, durationMs: 1200 },
  TaskFailed: { attempt: 3, reason: 'exited with code 2', exitCode: 2, durationMs: 30.73799100000008 },
  TimeoutHit: { attempt: 1, timeoutMs: 5000, durationMs: 5001 },
  TaskError: { attempt: 1, error: { code: 'ENOENT', message: 'no such command' } },
  ProcessControl: { attempt: 1, action: 'pause' },
  HealthCheckFailed: { attempt: 1, probe: 'heartbeat', reason: 'no heartbeat for 500 ms', failures: 1 },
  StdinClosed: { attempt: 1, error: { code: 'EPIPE', message: 'broken pipe' } },
  ProcessHelperUnavailable: { attempt: 1, reason: 'the process helper could not start' },
  BackoffScheduled: { attempt: 3, delayMs: 400, backoffSource: 'failure', reason: 'boom' },
  ActorExhausted: { outcome: 'failed', reason: 'boom' },
  ActorDead: { outcome: 'fatal', reason: 'bad config', exitCode: 1 },
  SupervisorRestarting: { strategy: 'one-for-all', affected: ['app/a', 'app/b'] },
  IntensityExceeded: { restarts: 4, periodMs: 5000 },
  DependencyWaiting: { waitingFor: ['db', 'cache'] },
  DependencyReady: {},
  TaskAddRequested: {},
  TaskAdded: {},
  TaskAddFailed: { reason: 'name taken' },
  TaskRemoveRequested: {},
  TaskRemoved: {},
  ShutdownRequested: {},
  AllStoppedWithinGrace: {},
  GraceExceeded: { stuck: ['app/web'] },
  SubscriberOverflow: { subscriber: 'audit', dropped: 12 },
  SubscriberPanicked: { subscriber: 'events$#2', reason: 'observer bug' },
  ControllerSubmitted: { slot: 'import', admission: 'queue', depth: 2 },
  ControllerRejected: { slot: 'import', reason: 'slot-busy' },
  ControllerSlotTransition: { slot: 'import', from: 'idle', to: 'running' },
};

/** What the line must say for each kind, besides time, seq, path and kind. */
const SAYS: Record<string, string[]> = {
  TaskStarted: ['attempt 1', 'pid 4242'],
  TaskOutput: ['[stdout] listening on :8080'],
  TaskOutputBatch: ['[stderr] 3 lines'],
  TaskStopped: ['terminated: shutdown', 'exit code 0', 'after 1200 ms'],
  TaskFailed: ['attempt 3', 'exited with code 2', 'after 31 ms'],
  TimeoutHit: ['5000 ms'],
  TaskError: ['ENOENT: no such command'],
  ProcessControl: ['pause'],
  HealthCheckFailed: ['heartbeat', 'no heartbeat for 500 ms'],
  StdinClosed: ['EPIPE'],
  ProcessHelperUnavailable: ['could not start'],
  BackoffScheduled: ['400 ms', 'failure'],
  ActorExhausted: ['outcome failed', 'boom'],
  ActorDead: ['outcome fatal', 'bad config'],
  SupervisorRestarting: ['one-for-all', 'app/a, app/b'],
  IntensityExceeded: ['4 restarts within 5000 ms'],
  DependencyWaiting: ['db, cache'],
  TaskAddFailed: ['name taken'],
  GraceExceeded: ['app/web'],
  SubscriberOverflow: ['audit dropped 12'],
  SubscriberPanicked: ['events$#2: observer bug'],
  ControllerSubmitted: ['import', 'queue'],
  ControllerRejected: ['import', 'slot-busy'],
  ControllerSlotTransition: ['idle -> running'],
};

function sample(kind: string): SupervisorEvent {
  return { kind, seq: 12, at: AT, task: 'app/worker', ...SAMPLES[kind] } as unknown as SupervisorEvent;
}

describe('formatEvent', () => {
  it('formats every kind on one line: time, seq, path, kind and what matters for it', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...EVENT_KINDS].sort());
    for (const kind of EVENT_KINDS) {
      const line = formatEvent(sample(kind));
      expect(line.startsWith('12:34:56.789Z #12 ')).toBe(true);
      expect(line).toContain(' app/worker ');
      expect(line).toContain(` ${kind}`);
      expect(line).not.toContain('\n');
      for (const part of SAYS[kind] ?? []) expect(line, kind).toContain(part);
    }
    expect(formatEvent(sample('TaskFailed'))).toBe(
      '12:34:56.789Z #12   app/worker                 TaskFailed         attempt 3 exited with code 2 exit code 2 after 31 ms',
    );
  });

  it('shows the seconds since `since` when given', () => {
    expect(formatEvent(sample('TaskReady'), { since: AT - 1234 })).toMatch(/^\+1\.234s #12 +app\/worker +TaskReady +attempt 2$/);
  });

  it('keeps a line with line breaks on one line', () => {
    const event = { ...sample('TaskOutput'), line: 'one\r\ntwo\nthree' } as SupervisorEvent;
    expect(formatEvent(event)).toContain('[stdout] one\\r\\ntwo\\nthree');
  });

  it('never throws, whatever the fields hold', () => {
    const throwing = { toString: () => { throw Object.create(null); } };
    const getterThrows = (kind: string): SupervisorEvent => {
      const e: Record<string, unknown> = { kind, seq: 1, at: AT, task: 'app/t' };
      for (const key of ['reason', 'line', 'attempt', 'error', 'stopReason', 'lines', 'affected', 'durationMs']) {
        Object.defineProperty(e, key, { enumerable: true, get: () => { throw new Error('getter'); } });
      }
      return e as unknown as SupervisorEvent;
    };
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const hostile: unknown[] = [
      null,
      undefined,
      42,
      'TaskFailed',
      {},
      { kind: 'NoSuchKind', seq: 1, at: AT, task: 'app/t', extra: throwing, other: circular, n: 10n },
      { kind: throwing, seq: throwing, at: throwing, task: throwing },
      { kind: 'TaskFailed', seq: Symbol('s'), at: Number.NaN, task: null, reason: circular, exitCode: throwing },
      { kind: 'TaskOutputBatch', seq: 1, at: 8.64e15 + 1, task: 'app/t', lines: 'not an array' },
      { kind: 'TaskStopped', seq: 1, at: AT, task: 'app/t', stopReason: Object.create(null) as object },
      new Proxy({}, { get: () => { throw new Error('proxy'); }, ownKeys: () => { throw new Error('keys'); } }),
      ...EVENT_KINDS.map(getterThrows),
      ...EVENT_KINDS.map((kind) => {
        const fields: Record<string, unknown> = { kind, seq: 1, at: AT, task: 'app/t' };
        for (const key of Object.keys(SAMPLES[kind] ?? {})) fields[key] = throwing;
        return fields;
      }),
    ];
    for (const value of hostile) {
      const line = formatEvent(value as SupervisorEvent);
      expect(typeof line).toBe('string');
      expect(line).not.toContain('\n');
    }
    expect(formatEvent({ kind: 'NoSuchKind', seq: 3, at: AT, task: 'app/t', extra: 'x' } as unknown as SupervisorEvent)).toMatch(/NoSuchKind +extra=x$/);
  });
});
