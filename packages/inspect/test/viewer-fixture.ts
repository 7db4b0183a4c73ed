/**
 * A small hand-made recording for the viewer's model tests: `app` with `web` (fails once, is
 * restarted, becomes ready) and `db` (ready), a strategy restart, an overflow report, and the
 * inspection messages of `web`'s task machine (a reduced definition).
 */
import type { NodeSnapshot, SupervisorEvent } from '@statevisor/core';

export const STARTED_AT = 1_700_000_000_000;

const snapshot: NodeSnapshot = {
  path: 'app',
  kind: 'supervisor',
  state: 'running',
  children: [
    { path: 'app/web', kind: 'task', state: 'idle' },
    { path: 'app/db', kind: 'task', state: 'idle' },
  ],
};

/** The reduced task machine, as `logic.config` would be stringified. */
export const TASK_DEFINITION = JSON.stringify({
  id: 'task',
  initial: 'idle',
  states: {
    idle: { on: { 'slot.granted': { target: 'starting' } } },
    starting: { on: { 'attempt.started': [{ target: 'running', guard: 'isCurrentAttempt' }] } },
    running: { on: { 'attempt.ready': 'ready', 'attempt.error': '#task.failed' } },
    ready: { on: { 'attempt.done': 'stopped' } },
    stopped: { always: [{ target: 'exhausted' }] },
    failed: { always: [{ target: 'backoff', guard: { type: 'decidedRetry' } }, { target: 'exhausted' }] },
    backoff: { on: { 'backoff.elapsed': 'idle' } },
    exhausted: { type: 'final' },
  },
});

const drafts: readonly Readonly<Record<string, unknown>>[] = [
  { kind: 'TaskStarting', task: 'app/web', attempt: 1 },
  { kind: 'TaskStarted', task: 'app/web', attempt: 1, pid: 101 },
  { kind: 'TaskStarting', task: 'app/db', attempt: 1 },
  { kind: 'TaskStarted', task: 'app/db', attempt: 1 },
  { kind: 'TaskReady', task: 'app/db', attempt: 1 },
  { kind: 'TaskFailed', task: 'app/web', attempt: 1, reason: 'boom', durationMs: 5 },
  {
    kind: 'BackoffScheduled',
    task: 'app/web',
    attempt: 1,
    delayMs: 100,
    backoffSource: 'failure',
    reason: 'boom',
    explanation: { strategy: 'one-for-one', restartsBefore: 0, restartsAfter: 1, maxRestarts: 3, periodMs: 5000, delayMs: 100, baseMs: 100, jitterSample: undefined, allowed: true },
  },
  { kind: 'SupervisorRestarting', task: 'app', strategy: 'one-for-all', affected: ['app/db'] },
  { kind: 'TaskStarting', task: 'app/web', attempt: 2 },
  { kind: 'TaskStarted', task: 'app/web', attempt: 2, pid: 102 },
  { kind: 'TaskReady', task: 'app/web', attempt: 2 },
  { kind: 'SubscriberOverflow', task: 'app', subscriber: 'recorder', dropped: 3 },
  { kind: 'TaskOutput', task: 'app/web', attempt: 2, line: 'hello', stream: 'stdout' },
  { kind: 'SubscriberOverflow', task: 'app', subscriber: 'recorder', dropped: 2 },
];

/** The events, stamped 10 ms apart. */
export const EVENTS: SupervisorEvent[] = drafts.map((draft, index) => ({ ...draft, seq: index + 1, at: STARTED_AT + 10 * (index + 1) }) as unknown as SupervisorEvent);

/** An inspection line made at the time of the event `index` (as the recorder writes them: apart from the events). */
const inspect = (index: number, message: Record<string, unknown>): string =>
  JSON.stringify({ inspect: { rootId: 'x:0', createdAt: String(STARTED_AT + 10 * (index + 1)), id: null, _version: '0.7', ...message } });

/**
 * The recording's lines: header, `web`'s inspection messages, then the events. The inspection
 * lines come first, as the recorder often writes them (it queues them apart from the events):
 * the model places them by their time.
 */
export function fixtureLines(): string[] {
  return [
    JSON.stringify({ format: 'statevisor-recording', version: 1, startedAt: STARTED_AT, snapshot }),
    inspect(-1, { type: '@xstate.actor', sessionId: 'x:1', name: 'app/web', parentId: 'x:0', definition: TASK_DEFINITION, snapshot: { value: 'idle' } }),
    inspect(0, { type: '@xstate.snapshot', sessionId: 'x:1', event: { type: 'slot.granted' }, snapshot: { value: 'starting' } }),
    inspect(1, { type: '@xstate.snapshot', sessionId: 'x:1', event: { type: 'attempt.started' }, snapshot: { value: 'running' } }),
    inspect(6, { type: '@xstate.snapshot', sessionId: 'x:1', event: { type: 'attempt.error' }, snapshot: { value: 'backoff' } }),
    inspect(10, { type: '@xstate.snapshot', sessionId: 'x:1', event: { type: 'attempt.ready' }, snapshot: { value: 'ready' } }),
    ...EVENTS.map((event) => JSON.stringify(event)),
  ];
}

/** An inspection line of `web` made at `at` (for tests that extend the fixture). */
export function webSnapshotLine(at: number, value: string): string {
  return JSON.stringify({ inspect: { rootId: 'x:0', createdAt: String(at), id: null, _version: '0.7', type: '@xstate.snapshot', sessionId: 'x:1', event: { type: 'x' }, snapshot: { value } } });
}
