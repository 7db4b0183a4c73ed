/**
 * Conformance: the restart policy × attempt result matrix, checked on the exact per-task event
 * sequence (with its key fields) and the final outcome, plus the retry-budget and timeout
 * scenarios of the ancestor (taskvisor S09-S24), in Statevisor's vocabulary (DESIGN.md §2, §4).
 *
 * Every case runs on a SimulatedClock. A task's first attempt does the behaviour under test;
 * any later attempt parks until its signal aborts, so a policy that re-runs shows its second
 * attempt and the test then cancels it.
 */
import { describe, expect, it } from 'vitest';
import { FatalError, task } from '../src/index.ts';
import type { RestartPolicy, SupervisorEvent, TaskFn, TaskOutcome } from '../src/index.ts';
import { harness, untilAborted } from './support.ts';

/** Exponential backoff without jitter: 100, 200, 400, 800, 1000, ... */
const NO_JITTER = { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' } as const;
const TIMEOUT_MS = 50;
const INTERVAL_MS = 50;

/** An event without its envelope (seq, at, task): what the matrix compares exactly. */
function shape(event: SupervisorEvent): Record<string, unknown> {
  const { seq: _seq, at: _at, task: _task, ...rest } = event;
  return rest;
}

/** Exact shapes of the events of `path`. */
function shapes(events: readonly SupervisorEvent[], path: string): Record<string, unknown>[] {
  return events.filter((event) => event.task === path).map(shape);
}

// Sequence fragments --------------------------------------------------------------------------

const added = [{ kind: 'TaskAddRequested' }, { kind: 'TaskAdded' }];
const begins = (attempt: number) => [
  { kind: 'TaskStarting', attempt },
  { kind: 'TaskStarted', attempt },
];
const cancelledDuring = (attempt: number, durationMs = 0) => [
  { kind: 'TaskRemoveRequested' },
  { kind: 'TaskStopped', attempt, stopReason: { terminated: 'user-requested' }, durationMs },
  { kind: 'ActorExhausted', outcome: 'cancelled' },
  { kind: 'TaskRemoved' },
];
const removed = [{ kind: 'TaskRemoved' }];
const timedOutReason = `timed out after ${TIMEOUT_MS}ms`;

type Behaviour = 'success' | 'failure' | 'fatal' | 'cancel' | 'timeout';

interface Row {
  readonly policy: RestartPolicy;
  readonly behaviour: Behaviour;
  /** The task ran a second attempt (which the test then cancels). */
  readonly reruns: boolean;
  readonly sequence: readonly Record<string, unknown>[];
  readonly outcome: TaskOutcome;
}

const label = (policy: RestartPolicy): string => (typeof policy === 'string' ? policy : `always(${policy.always.intervalMs}ms)`);

const NEVER: RestartPolicy = 'never';
const ON_FAILURE: RestartPolicy = 'on-failure';
const ALWAYS: RestartPolicy = 'always';
const INTERVAL: RestartPolicy = { always: { intervalMs: INTERVAL_MS } };

/** Rows for a policy that does not re-run the attempt's result. */
function ends(policy: RestartPolicy, behaviour: Behaviour, tail: readonly Record<string, unknown>[], outcome: TaskOutcome): Row {
  return { policy, behaviour, reruns: false, sequence: [...added, ...begins(1), ...tail], outcome };
}

/**
 * Rows for a policy that runs attempt 2 after `middle` (then the test cancels attempt 2, which
 * has run for `secondRanMs` by then).
 */
function reruns(
  policy: RestartPolicy,
  behaviour: Behaviour,
  middle: readonly Record<string, unknown>[],
  outcome: TaskOutcome,
  secondRanMs = 0,
): Row {
  return {
    policy,
    behaviour,
    reruns: true,
    sequence: [...added, ...begins(1), ...middle, ...begins(2), ...cancelledDuring(2, secondRanMs)],
    outcome,
  };
}

const completed = { kind: 'TaskStopped', attempt: 1, stopReason: 'finished', durationMs: 0 };
const failed = { kind: 'TaskFailed', attempt: 1, reason: 'boom', durationMs: 0 };
const timedOut = { kind: 'TimeoutHit', attempt: 1, timeoutMs: TIMEOUT_MS, durationMs: TIMEOUT_MS };
const fatalTail = [
  { kind: 'TaskFailed', attempt: 1, reason: 'doomed', exitCode: 3, durationMs: 0 },
  { kind: 'ActorDead', outcome: 'fatal', reason: 'doomed', exitCode: 3 },
  ...removed,
];
const fatalOutcome: TaskOutcome = { kind: 'fatal', reason: 'doomed', exitCode: 3, error: expect.any(FatalError) as Error };
const cancelTail = cancelledDuring(1).slice(0);
/** What decided the first restart after a failure, under the default one-for-one strategy and no intensity. */
const firstRestart = {
  strategy: 'one-for-one',
  restartsBefore: 0,
  restartsAfter: 1,
  delayMs: 100,
  baseMs: 100,
  jitterSample: undefined,
  allowed: true,
};
const failureBackoff = { kind: 'BackoffScheduled', attempt: 1, delayMs: 100, backoffSource: 'failure', reason: 'boom', explanation: firstRestart };
const timeoutBackoff = { kind: 'BackoffScheduled', attempt: 1, delayMs: 100, backoffSource: 'failure', reason: timedOutReason, explanation: firstRestart };

const MATRIX: readonly Row[] = [
  // never: the first attempt's result is the outcome.
  ends(NEVER, 'success', [completed, { kind: 'ActorExhausted', outcome: 'completed' }, ...removed], { kind: 'completed', output: 'ok' }),
  ends(NEVER, 'failure', [failed, { kind: 'ActorExhausted', outcome: 'failed', reason: 'boom' }, ...removed], {
    kind: 'failed',
    reason: 'boom',
    error: expect.objectContaining({ message: 'boom' }) as Error,
  }),
  ends(NEVER, 'fatal', fatalTail, fatalOutcome),
  ends(NEVER, 'cancel', cancelTail, { kind: 'cancelled' }),
  ends(NEVER, 'timeout', [timedOut, { kind: 'ActorExhausted', outcome: 'failed', reason: timedOutReason }, ...removed], {
    kind: 'failed',
    reason: timedOutReason,
  }),

  // on-failure: failures and timeouts back off and retry; a success completes.
  ends(ON_FAILURE, 'success', [completed, { kind: 'ActorExhausted', outcome: 'completed' }, ...removed], { kind: 'completed', output: 'ok' }),
  reruns(ON_FAILURE, 'failure', [failed, failureBackoff], { kind: 'cancelled' }),
  ends(ON_FAILURE, 'fatal', fatalTail, fatalOutcome),
  ends(ON_FAILURE, 'cancel', cancelTail, { kind: 'cancelled' }),
  reruns(ON_FAILURE, 'timeout', [timedOut, timeoutBackoff], { kind: 'cancelled' }),

  // always: a success re-runs after one macrotask (delay 0, source success).
  reruns(
    ALWAYS,
    'success',
    [completed, { kind: 'BackoffScheduled', attempt: 1, delayMs: 0, backoffSource: 'success' }],
    { kind: 'cancelled', output: 'ok' },
    100,
  ),
  reruns(ALWAYS, 'failure', [failed, failureBackoff], { kind: 'cancelled' }),
  ends(ALWAYS, 'fatal', fatalTail, fatalOutcome),
  ends(ALWAYS, 'cancel', cancelTail, { kind: 'cancelled' }),
  reruns(ALWAYS, 'timeout', [timedOut, timeoutBackoff], { kind: 'cancelled' }),

  // always with an interval: a success re-runs after intervalMs.
  reruns(INTERVAL, 'success', [completed, { kind: 'BackoffScheduled', attempt: 1, delayMs: INTERVAL_MS, backoffSource: 'success' }], {
    kind: 'cancelled',
    output: 'ok',
  }),
  reruns(INTERVAL, 'failure', [failed, failureBackoff], { kind: 'cancelled' }),
  ends(INTERVAL, 'fatal', fatalTail, fatalOutcome),
  ends(INTERVAL, 'cancel', cancelTail, { kind: 'cancelled' }),
  reruns(INTERVAL, 'timeout', [timedOut, timeoutBackoff], { kind: 'cancelled' }),
];

/** Attempt 1 does `behaviour`; later attempts park until aborted. Records each attempt's abort reason. */
function body(behaviour: Behaviour, abortReasons: unknown[]): TaskFn {
  return async ({ signal, attempt }) => {
    signal.addEventListener('abort', () => abortReasons.push(signal.reason), { once: true });
    if (attempt > 1) {
      await untilAborted(signal);
      return `late ${attempt}`;
    }
    switch (behaviour) {
      case 'success':
        return 'ok';
      case 'failure':
        throw new Error('boom');
      case 'fatal':
        throw new FatalError('doomed', { exitCode: 3 });
      case 'cancel':
        // A cooperative task that returns normally once stopped: the stop decides the result.
        await untilAborted(signal);
        return 'returned after the stop';
      case 'timeout':
        // Stops when its signal aborts, rethrowing the abort reason.
        await untilAborted(signal);
        throw signal.reason;
    }
  };
}

describe('restart policy × attempt result matrix', () => {
  it('covers every policy × behaviour pair exactly once', () => {
    const pairs = new Set(MATRIX.map((row) => `${label(row.policy)}/${row.behaviour}`));
    expect(pairs.size).toBe(20);
    expect(MATRIX).toHaveLength(20);
  });

  it.each(MATRIX.map((row) => [label(row.policy), row.behaviour, row] as const))(
    '%s × %s: exact event sequence and outcome',
    async (_policy, behaviour, row) => {
      const abortReasons: unknown[] = [];
      const h = harness({
        graceMs: 1_000,
        children: [
          task('t', body(behaviour, abortReasons), {
            restart: row.policy,
            backoff: NO_JITTER,
            ...(behaviour === 'timeout' ? { timeoutMs: TIMEOUT_MS } : {}),
          }),
        ],
      });
      await h.app.start();
      await h.advance(0);

      if (behaviour === 'cancel') await expect(h.app.cancel('t')).resolves.toBe(true);
      if (behaviour === 'timeout') {
        await h.advance(TIMEOUT_MS - 1);
        expect(h.kinds('t')).not.toContain('TimeoutHit');
        await h.advance(1);
      }
      // Long enough for the first backoff (100 ms) or the interval (50 ms), shorter than a
      // second timeout would need (attempt 2 starts at 100 ms at the latest).
      await h.advance(100);

      if (row.reruns) {
        expect(h.kinds('t').filter((kind) => kind === 'TaskStarting')).toHaveLength(2);
        await expect(h.app.cancel('t')).resolves.toBe(true);
      }

      await expect(h.app.outcome('t')).resolves.toEqual(row.outcome);
      expect(shapes(h.events, 'app/t')).toEqual(row.sequence);

      if (behaviour === 'cancel') {
        expect(abortReasons[0]).toBeInstanceOf(DOMException);
        expect((abortReasons[0] as DOMException).name).toBe('AbortError');
      }
      if (behaviour === 'timeout') {
        expect(abortReasons[0]).toBeInstanceOf(DOMException);
        expect((abortReasons[0] as DOMException).name).toBe('TimeoutError');
      }

      // Nothing more happens for this task, however long we wait.
      const count = h.events.length;
      await h.advance(10_000, 1_000);
      expect(h.events.slice(count).filter((event) => event.task === 'app/t')).toEqual([]);
    },
  );
});

describe('per-child event order invariants', () => {
  const TERMINALS = new Set(['TaskStopped', 'TaskFailed', 'TimeoutHit', 'TaskError']);

  it('every attempt has exactly one terminal, followed by one policy event, and TaskRemoved is last', async () => {
    const h = harness({
      children: [
        task('flaky', async ({ attempt }) => {
          if (attempt < 3) throw new Error(`boom ${attempt}`);
          return attempt;
        }, { backoff: NO_JITTER }),
        task('slow', ({ signal }) => untilAborted(signal), { timeoutMs: 30, maxRetries: 1, backoff: NO_JITTER }),
      ],
    });
    await h.app.start();
    await h.advance(1_000, 10);
    await expect(h.app.outcome('flaky')).resolves.toEqual({ kind: 'completed', output: 3 });
    await expect(h.app.outcome('slow')).resolves.toMatchObject({ kind: 'failed', reason: 'timed out after 30ms' });

    for (const path of ['app/flaky', 'app/slow']) {
      const kinds = h.kinds(path);
      expect(kinds.slice(0, 2)).toEqual(['TaskAddRequested', 'TaskAdded']);
      expect(kinds.at(-1)).toBe('TaskRemoved');
      expect(kinds.filter((kind) => kind === 'TaskRemoved')).toHaveLength(1);
      const events = h.of(path);
      // seq strictly increasing for one child.
      for (let i = 1; i < events.length; i++) expect(events[i]!.seq).toBeGreaterThan(events[i - 1]!.seq);
      // Split into attempts: Starting ... terminal, policy event.
      const starts = kinds.flatMap((kind, i) => (kind === 'TaskStarting' ? [i] : []));
      starts.forEach((start, n) => {
        const end = starts[n + 1] ?? kinds.length - 1;
        const attemptKinds = kinds.slice(start, end);
        expect(attemptKinds.filter((kind) => TERMINALS.has(kind))).toHaveLength(1);
        const terminalAt = attemptKinds.findIndex((kind) => TERMINALS.has(kind));
        expect(attemptKinds.slice(terminalAt + 1)).toHaveLength(1);
        expect(['BackoffScheduled', 'ActorExhausted', 'ActorDead']).toContain(attemptKinds[terminalAt + 1]);
        const attempts = events.slice(start, start + terminalAt + 1).map((event) => ('attempt' in event ? event.attempt : -1));
        expect(new Set(attempts)).toEqual(new Set([n + 1]));
      });
    }
  });
});

describe('retry budget (maxRetries)', () => {
  const attemptTimes = (h: ReturnType<typeof harness>, path: string): number[] => {
    const times: number[] = [];
    h.app.events$.subscribe((event) => {
      if (event.kind === 'TaskStarting' && event.task === path) times.push(h.clock.now());
    });
    return times;
  };

  it('maxRetries 3: four attempts at 0, 100, 300, 700, three backoffs, then ActorExhausted failed with the last reason', async () => {
    const h = harness({
      children: [task('f', async ({ attempt }) => { throw new Error(`boom ${attempt}`); }, { maxRetries: 3, backoff: NO_JITTER })],
    });
    const times = attemptTimes(h, 'app/f');
    await h.app.start();
    await h.advance(2_000, 50);
    await expect(h.app.outcome('f')).resolves.toMatchObject({ kind: 'failed', reason: 'boom 4' });
    expect(times).toEqual([0, 100, 300, 700]);
    const backoffs = h.of('f').filter((event) => event.kind === 'BackoffScheduled').map(shape);
    expect(backoffs).toEqual([
      { kind: 'BackoffScheduled', attempt: 1, delayMs: 100, backoffSource: 'failure', reason: 'boom 1', explanation: { ...firstRestart } },
      {
        kind: 'BackoffScheduled', attempt: 2, delayMs: 200, backoffSource: 'failure', reason: 'boom 2',
        explanation: { ...firstRestart, restartsBefore: 1, restartsAfter: 2, delayMs: 200, baseMs: 200 },
      },
      {
        kind: 'BackoffScheduled', attempt: 3, delayMs: 400, backoffSource: 'failure', reason: 'boom 3',
        explanation: { ...firstRestart, restartsBefore: 2, restartsAfter: 3, delayMs: 400, baseMs: 400 },
      },
    ]);
    expect(h.kinds('f').slice(-3)).toEqual(['TaskFailed', 'ActorExhausted', 'TaskRemoved']);
    expect(h.of('f').find((event) => event.kind === 'ActorExhausted')).toMatchObject({ outcome: 'failed', reason: 'boom 4' });
  });

  it('maxRetries 1: two attempts and one backoff', async () => {
    const h = harness({ children: [task('f', async () => { throw new Error('boom'); }, { maxRetries: 1, backoff: NO_JITTER })] });
    await h.app.start();
    await h.advance(500, 50);
    await expect(h.app.outcome('f')).resolves.toMatchObject({ kind: 'failed', reason: 'boom' });
    expect(h.kinds('f').filter((kind) => kind === 'TaskStarting')).toHaveLength(2);
    expect(h.kinds('f').filter((kind) => kind === 'BackoffScheduled')).toHaveLength(1);
  });

  it('maxRetries 0: one attempt, no backoff, even under always', async () => {
    const h = harness({ children: [task('f', async () => { throw new Error('boom'); }, { restart: 'always', maxRetries: 0 })] });
    await h.app.start();
    await h.advance(0);
    await expect(h.app.outcome('f')).resolves.toMatchObject({ kind: 'failed', reason: 'boom' });
    expect(h.kinds('f')).toEqual(['TaskAddRequested', 'TaskAdded', 'TaskStarting', 'TaskStarted', 'TaskFailed', 'ActorExhausted', 'TaskRemoved']);
  });

  it('the failure streak resets on a success: backoff index 0 again, and the budget is counted afresh', async () => {
    // attempt 1 fails, 2 succeeds, 3 and 4 fail. With maxRetries 1 a streak allows 2 failures:
    // without the reset, attempt 3 would already exhaust the budget.
    const h = harness({
      children: [
        task('f', async ({ attempt }) => {
          if (attempt === 2) return 'ok';
          if (attempt >= 5) throw new FatalError('must not run');
          throw new Error(`boom ${attempt}`);
        }, { restart: 'always', maxRetries: 1, backoff: NO_JITTER }),
      ],
    });
    await h.app.start();
    await h.advance(1_000, 50);
    await expect(h.app.outcome('f')).resolves.toMatchObject({ kind: 'failed', reason: 'boom 4', output: 'ok' });
    const backoffs = h.of('f').flatMap((event) => (event.kind === 'BackoffScheduled' ? [[event.delayMs, event.backoffSource]] : []));
    expect(backoffs).toEqual([
      [100, 'failure'],
      [0, 'success'],
      [100, 'failure'],
    ]);
    expect(h.kinds('f').filter((kind) => kind === 'TaskStarting')).toHaveLength(4);
  });

  it('attempt numbers keep increasing across successes under always (never reset)', async () => {
    const h = harness({
      children: [
        task('loop', async ({ attempt }) => {
          if (attempt === 5) throw new FatalError('enough');
          return attempt;
        }, { restart: 'always' }),
      ],
    });
    await h.app.start();
    await h.advance(0);
    await expect(h.app.outcome('loop')).resolves.toMatchObject({ kind: 'fatal', reason: 'enough', output: 4 });
    const starts = h.of('loop').flatMap((event) => (event.kind === 'TaskStarting' ? [event.attempt] : []));
    expect(starts).toEqual([1, 2, 3, 4, 5]);
  });

  it('always without an interval never waits on the clock: every re-run follows one macrotask', async () => {
    const h = harness({
      children: [
        task('loop', async ({ attempt }) => {
          if (attempt === 4) throw new FatalError('enough');
          return attempt;
        }, { restart: 'always' }),
      ],
    });
    await h.app.start();
    // No clock advance at all: only promise and macrotask turns.
    for (let i = 0; i < 20 && !h.kinds('loop').includes('TaskRemoved'); i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(h.clock.now()).toBe(0);
    await expect(h.app.outcome('loop')).resolves.toMatchObject({ kind: 'fatal' });
    const backoffs = h.of('loop').filter((event) => event.kind === 'BackoffScheduled').map(shape);
    expect(backoffs).toEqual([1, 2, 3].map((attempt) => ({ kind: 'BackoffScheduled', attempt, delayMs: 0, backoffSource: 'success' })));
  });

  it('always yields at least one macrotask between a success and the next attempt', async () => {
    let runs = 0;
    const h = harness({ children: [task('loop', async () => ++runs, { restart: 'always' })] });
    await h.app.start();
    // Microtasks only: the first attempt completes, the second must wait for a macrotask.
    for (let i = 0; i < 50; i++) await Promise.resolve();
    expect(runs).toBe(1);
    expect(h.kinds('loop').at(-1)).toBe('BackoffScheduled');
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let i = 0; i < 50; i++) await Promise.resolve();
    expect(runs).toBe(2);
    await h.app.cancel('loop');
  });
});

describe('timeouts', () => {
  it('an exhausted timeout: TimeoutHit per attempt, never TaskFailed, outcome failed "timed out after 50ms"', async () => {
    const starts: number[] = [];
    const h = harness({
      children: [
        task('slow', ({ signal }) => {
          starts.push(0);
          return untilAborted(signal);
        }, { timeoutMs: 50, maxRetries: 1, backoff: NO_JITTER }),
      ],
    });
    await h.app.start();
    await h.advance(300, 10);
    await expect(h.app.outcome('slow')).resolves.toEqual({ kind: 'failed', reason: 'timed out after 50ms' });
    expect(h.of('slow').map(shape)).toEqual([
      ...added,
      ...begins(1),
      { kind: 'TimeoutHit', attempt: 1, timeoutMs: 50, durationMs: 50 },
      { kind: 'BackoffScheduled', attempt: 1, delayMs: 100, backoffSource: 'failure', reason: 'timed out after 50ms', explanation: firstRestart },
      ...begins(2),
      { kind: 'TimeoutHit', attempt: 2, timeoutMs: 50, durationMs: 50 },
      { kind: 'ActorExhausted', outcome: 'failed', reason: 'timed out after 50ms' },
      ...removed,
    ]);
    expect(starts).toHaveLength(2);
  });

  it('a timed-out attempt is retried and the next one may complete (timeout bounds each attempt)', async () => {
    const h = harness({
      children: [
        task('t', async ({ signal, attempt }) => {
          if (attempt === 1) await untilAborted(signal);
          return `done ${attempt}`;
        }, { timeoutMs: 50, backoff: NO_JITTER }),
      ],
    });
    await h.app.start();
    await h.advance(200, 10);
    await expect(h.app.outcome('t')).resolves.toEqual({ kind: 'completed', output: 'done 2' });
    const kinds = h.kinds('t');
    expect(kinds.filter((kind) => kind === 'TimeoutHit')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'TaskStarting')).toHaveLength(2);
    expect(kinds).not.toContain('TaskFailed');
  });

  it('the timeout fires at exactly timeoutMs on the injected clock, and the signal says TimeoutError', async () => {
    let reason: unknown;
    const h = harness({
      children: [
        task('t', async ({ signal }) => {
          await untilAborted(signal);
          reason = signal.reason;
        }, { restart: 'never', timeoutMs: 50 }),
      ],
    });
    await h.app.start();
    await h.advance(49);
    expect(reason).toBeUndefined();
    expect(h.kinds('t')).not.toContain('TimeoutHit');
    await h.advance(1);
    expect(reason).toBeInstanceOf(DOMException);
    expect((reason as DOMException).name).toBe('TimeoutError');
    expect(h.kinds('t')).toContain('TimeoutHit');
    // Whatever the function returned after the abort, the timeout decides.
    await expect(h.app.outcome('t')).resolves.toEqual({ kind: 'failed', reason: 'timed out after 50ms' });
  });

  it('a task that ignores its timeout signal gets TimeoutHit only after the grace, then is retried', async () => {
    const h = harness({
      graceMs: 200,
      children: [
        task('deaf', async ({ attempt }) => {
          if (attempt === 1) await new Promise<never>(() => undefined);
          return 'second';
        }, { timeoutMs: 50, backoff: NO_JITTER }),
      ],
    });
    await h.app.start();
    await h.advance(50);
    expect(h.kinds('deaf')).not.toContain('TimeoutHit');
    await h.advance(199);
    expect(h.kinds('deaf')).not.toContain('TimeoutHit');
    await h.advance(1);
    expect(h.of('deaf').filter((event) => event.kind === 'TimeoutHit').map(shape)).toEqual([{ kind: 'TimeoutHit', attempt: 1, timeoutMs: 50, durationMs: 250 }]);
    expect(h.kinds('deaf')).not.toContain('TaskStopped');
    await h.advance(100);
    await expect(h.app.outcome('deaf')).resolves.toEqual({ kind: 'completed', output: 'second' });
  });

  it('timeoutMs 0 means no timeout', async () => {
    const h = harness({
      children: [
        task('t', ({ signal }) => untilAborted(signal), { timeoutMs: 0 }),
      ],
    });
    await h.app.start();
    await h.advance(60_000, 10_000);
    expect(h.kinds('t')).not.toContain('TimeoutHit');
    expect(h.kinds('t').at(-1)).toBe('TaskStarted');
    await h.app.cancel('t');
  });

  it('a timeout from the supervisor defaults applies, and the child may override it', async () => {
    const h = harness({
      defaults: { timeoutMs: 20, restart: 'never' },
      children: [
        task('inherits', ({ signal }) => untilAborted(signal)),
        task('overrides', ({ signal }) => untilAborted(signal), { timeoutMs: 0 }),
      ],
    });
    await h.app.start();
    await h.advance(100, 10);
    await expect(h.app.outcome('inherits')).resolves.toEqual({ kind: 'failed', reason: 'timed out after 20ms' });
    expect(h.kinds('overrides')).not.toContain('TimeoutHit');
    await h.app.cancel('overrides');
  });
});
