/**
 * XState actor logic as a child (DESIGN.md §2 "Tasks", §3 "Task machine"): each attempt is a
 * fresh actor of the user's logic; reaching a final state (done) is a success with its output,
 * an error is a retryable failure, and the child is ready once started. Machines, fromPromise,
 * fromCallback and fromObservable children, all on the SimulatedClock.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { assign, fromCallback, fromObservable, fromPromise, setup } from 'xstate';
import { task } from '../src/index.ts';
import type { SupervisorEvent } from '../src/index.ts';
import { flush, gate, harness } from './support.ts';

const NO_JITTER = { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' } as const;

function shape(event: SupervisorEvent): Record<string, unknown> {
  const { seq: _seq, at: _at, task: _task, ...rest } = event;
  delete (rest as { explanation?: unknown }).explanation; // covered by the trees tests
  return rest;
}

const opening = (attempt: number) => [
  { kind: 'TaskStarting', attempt },
  { kind: 'TaskStarted', attempt },
  { kind: 'TaskReady', attempt },
];

/**
 * A machine that never finishes; it invokes a callback actor whose cleanup records `label`, which
 * shows that the machine actor was stopped (XState v5 runs no exit actions on stop, but it stops
 * a stopped actor's children).
 */
function servingMachine(stopped: string[], label: string) {
  return setup({
    actors: { resource: fromCallback(() => () => stopped.push(label)) },
  }).createMachine({ initial: 'serving', states: { serving: { invoke: { src: 'resource' } } } });
}

describe('machine children', () => {
  it('a machine reaching its final state completes with its output; ready once started', async () => {
    const machine = setup({}).createMachine({
      id: 'job',
      initial: 'working',
      states: { working: { after: { 100: 'done' } }, done: { type: 'final' } },
      output: () => ({ rows: 3 }),
    });
    const h = harness({ children: [task('m', machine)] });
    await h.app.start();
    await flush();
    expect(h.of('m').map(shape)).toEqual([{ kind: 'TaskAddRequested' }, { kind: 'TaskAdded' }, ...opening(1)]);
    await h.advance(99);
    expect(h.kinds('m')).not.toContain('TaskStopped');
    await h.advance(1);
    await expect(h.app.outcome('m')).resolves.toEqual({ kind: 'completed', output: { rows: 3 } });
    expect(h.of('m').map(shape)).toEqual([
      { kind: 'TaskAddRequested' },
      { kind: 'TaskAdded' },
      ...opening(1),
      { kind: 'TaskStopped', attempt: 1, stopReason: 'finished', durationMs: 100 },
      { kind: 'ActorExhausted', outcome: 'completed' },
      { kind: 'TaskRemoved' },
    ]);
  });

  it('a machine that errors fails; each retry is a fresh actor with fresh context', async () => {
    const sessions: string[] = [];
    const machine = setup({
      types: { context: {} as { entries: number } },
      actions: {
        record: ({ self }) => {
          sessions.push(self.sessionId);
          if (sessions.length < 3) throw new Error(`machine broke ${sessions.length}`);
        },
      },
    }).createMachine({
      context: { entries: 0 },
      initial: 'boot',
      states: {
        boot: { entry: [assign({ entries: ({ context }) => context.entries + 1 }), 'record'], always: 'done' },
        done: { type: 'final' },
      },
      output: ({ context }) => context.entries,
    });
    const h = harness({ children: [task('m', machine, { backoff: NO_JITTER })] });
    await h.app.start();
    await h.advance(0);
    await h.advance(100);
    await h.advance(200);
    // A reused actor would have counted 3 entries.
    await expect(h.app.outcome('m')).resolves.toEqual({ kind: 'completed', output: 1 });
    expect(new Set(sessions).size).toBe(3);
    const failures = h.of('m').filter((event) => event.kind === 'TaskFailed').map(shape);
    expect(failures).toEqual([
      { kind: 'TaskFailed', attempt: 1, reason: 'machine broke 1', durationMs: 0 },
      { kind: 'TaskFailed', attempt: 2, reason: 'machine broke 2', durationMs: 0 },
    ]);
    const delays = h.of('m').flatMap((event) => (event.kind === 'BackoffScheduled' ? [event.delayMs] : []));
    expect(delays).toEqual([100, 200]);
  });

  it('an erroring machine under never fails for good with the error as the outcome', async () => {
    const machine = setup({
      actions: {
        explode: () => {
          throw new Error('no config');
        },
      },
    }).createMachine({ initial: 'a', states: { a: { entry: 'explode' } } });
    const h = harness({ children: [task('m', machine, { restart: 'never' })] });
    await h.app.start();
    await flush();
    await expect(h.app.outcome('m')).resolves.toMatchObject({ kind: 'failed', reason: 'no config' });
    expect(h.kinds('m').slice(-3)).toEqual(['TaskFailed', 'ActorExhausted', 'TaskRemoved']);
  });

  it('cancel stops the running machine actor (and what it invoked): TaskStopped{terminated}, cancelled', async () => {
    const exited: string[] = [];
    const machine = servingMachine(exited, 'serving');
    const h = harness({ children: [task('m', machine, { restart: 'always' })] });
    await h.app.start();
    await flush();
    await expect(h.app.cancel('m')).resolves.toBe(true);
    expect(h.of('m').slice(-4).map(shape)).toEqual([
      { kind: 'TaskRemoveRequested' },
      { kind: 'TaskStopped', attempt: 1, stopReason: { terminated: 'user-requested' }, durationMs: 0 },
      { kind: 'ActorExhausted', outcome: 'cancelled' },
      { kind: 'TaskRemoved' },
    ]);
    await expect(h.app.outcome('m')).resolves.toEqual({ kind: 'cancelled' });
    expect(exited).toEqual(['serving']);
  });

  it('a machine that outlives its timeout is stopped and TimeoutHit is published', async () => {
    const exited: string[] = [];
    const machine = servingMachine(exited, 'busy');
    const h = harness({ children: [task('m', machine, { restart: 'never', timeoutMs: 50 })] });
    await h.app.start();
    await h.advance(49);
    expect(h.kinds('m')).not.toContain('TimeoutHit');
    await h.advance(1);
    await expect(h.app.outcome('m')).resolves.toEqual({ kind: 'failed', reason: 'timed out after 50ms' });
    expect(h.of('m').slice(-3).map(shape)).toEqual([
      { kind: 'TimeoutHit', attempt: 1, timeoutMs: 50, durationMs: 50 },
      { kind: 'ActorExhausted', outcome: 'failed', reason: 'timed out after 50ms' },
      { kind: 'TaskRemoved' },
    ]);
    expect(exited).toEqual(['busy']);
  });

  it('an actor child is ready once started: its dependents start right away', async () => {
    const machine = setup({}).createMachine({ initial: 'up', states: { up: {} } });
    const h = harness({ children: [task('db', machine), task('web', async () => 'served', { dependsOn: ['db'] })] });
    await h.app.start();
    await flush();
    await expect(h.app.outcome('web')).resolves.toEqual({ kind: 'completed', output: 'served' });
    const dbReady = h.of('db').find((event) => event.kind === 'TaskReady')!.seq;
    const webStarting = h.of('web').find((event) => event.kind === 'TaskStarting')!.seq;
    expect(webStarting).toBeGreaterThan(dbReady);
    await h.app.shutdown();
  });
});

describe('fromPromise children', () => {
  it('resolves → completed with its value', async () => {
    const h = harness({ children: [task('p', fromPromise(async () => 'fetched'))] });
    await h.app.start();
    await expect(h.app.outcome('p')).resolves.toEqual({ kind: 'completed', output: 'fetched' });
    expect(h.kinds('p')).toEqual([
      'TaskAddRequested',
      'TaskAdded',
      'TaskStarting',
      'TaskStarted',
      'TaskReady',
      'TaskStopped',
      'ActorExhausted',
      'TaskRemoved',
    ]);
  });

  it('rejects → failed and retried as a fresh actor until it resolves', async () => {
    let calls = 0;
    const logic = fromPromise(async () => {
      calls++;
      if (calls < 3) throw new Error(`flaky ${calls}`);
      return calls;
    });
    const h = harness({ children: [task('p', logic, { backoff: NO_JITTER })] });
    await h.app.start();
    await h.advance(0);
    await h.advance(100);
    await h.advance(200);
    await expect(h.app.outcome('p')).resolves.toEqual({ kind: 'completed', output: 3 });
    expect(h.of('p').filter((event) => event.kind === 'TaskFailed').map(shape)).toEqual([
      { kind: 'TaskFailed', attempt: 1, reason: 'flaky 1', durationMs: 0 },
      { kind: 'TaskFailed', attempt: 2, reason: 'flaky 2', durationMs: 0 },
    ]);
  });

  it('maxRetries applies: exhausted after m + 1 failed actors', async () => {
    let calls = 0;
    const logic = fromPromise(async () => {
      calls++;
      throw new Error('down');
    });
    const h = harness({ children: [task('p', logic, { backoff: NO_JITTER, maxRetries: 2 })] });
    await h.app.start();
    await h.advance(1_000, 50);
    await expect(h.app.outcome('p')).resolves.toMatchObject({ kind: 'failed', reason: 'down' });
    expect(calls).toBe(3);
  });

  it('cancel aborts the promise actor signal', async () => {
    let aborted = false;
    const logic = fromPromise(({ signal }) => new Promise<never>(() => {
      signal.addEventListener('abort', () => { aborted = true; });
    }));
    const h = harness({ children: [task('p', logic)] });
    await h.app.start();
    await flush();
    await expect(h.app.cancel('p')).resolves.toBe(true);
    expect(aborted).toBe(true);
    await expect(h.app.outcome('p')).resolves.toEqual({ kind: 'cancelled' });
  });

  it('a promise that settles after its attempt was stopped changes nothing', async () => {
    const late = gate<string>();
    const h = harness({ children: [task('p', fromPromise(() => late.promise))] });
    await h.app.start();
    await flush();
    await h.app.cancel('p');
    const count = h.events.length;
    late.open('late');
    await flush();
    expect(h.events).toHaveLength(count);
    await expect(h.app.outcome('p')).resolves.toEqual({ kind: 'cancelled' });
  });
});

describe('fromCallback children', () => {
  it('is ready once started and runs until stopped; cancel calls its cleanup', async () => {
    const log: string[] = [];
    const logic = fromCallback(() => {
      log.push('start');
      return () => log.push('cleanup');
    });
    const h = harness({ children: [task('cb', logic)] });
    await h.app.start();
    await flush();
    expect(log).toEqual(['start']);
    expect(h.kinds('cb').at(-1)).toBe('TaskReady');
    await h.advance(60_000, 10_000);
    expect(h.kinds('cb').at(-1)).toBe('TaskReady');
    await expect(h.app.cancel('cb')).resolves.toBe(true);
    expect(log).toEqual(['start', 'cleanup']);
    await expect(h.app.outcome('cb')).resolves.toEqual({ kind: 'cancelled' });
  });

  it('a callback that throws fails the attempt and is retried as a fresh actor', async () => {
    let starts = 0;
    const logic = fromCallback(() => {
      starts++;
      if (starts === 1) throw new Error('no socket');
      return () => undefined;
    });
    const h = harness({ children: [task('cb', logic, { backoff: NO_JITTER })] });
    await h.app.start();
    await h.advance(0);
    expect(h.of('cb').find((event) => event.kind === 'TaskFailed')).toMatchObject({ attempt: 1, reason: 'no socket' });
    await h.advance(100);
    expect(starts).toBe(2);
    expect(h.of('cb').filter((event) => event.kind === 'TaskReady').map(shape)).toEqual([
      { kind: 'TaskReady', attempt: 1 },
      { kind: 'TaskReady', attempt: 2 },
    ]);
    await h.app.cancel('cb');
  });
});

describe('fromObservable children', () => {
  it('completes when the observable completes', async () => {
    const source = new Subject<number>();
    const h = harness({ children: [task('obs', fromObservable(() => source))] });
    await h.app.start();
    await flush();
    source.next(1);
    source.next(2);
    await flush();
    expect(h.kinds('obs')).not.toContain('TaskStopped');
    source.complete();
    await expect(h.app.outcome('obs')).resolves.toEqual({ kind: 'completed' });
    expect(h.of('obs').find((event) => event.kind === 'TaskStopped')).toMatchObject({ stopReason: 'finished' });
  });

  it('an observable error fails the attempt; the retry subscribes afresh', async () => {
    const sources: Subject<number>[] = [];
    const logic = fromObservable(() => {
      const source = new Subject<number>();
      sources.push(source);
      return source;
    });
    const h = harness({ children: [task('obs', logic, { backoff: NO_JITTER })] });
    await h.app.start();
    await flush();
    sources[0]!.error(new Error('stream broke'));
    await h.advance(0);
    expect(h.of('obs').find((event) => event.kind === 'TaskFailed')).toMatchObject({ attempt: 1, reason: 'stream broke' });
    await h.advance(100);
    expect(sources).toHaveLength(2);
    sources[1]!.complete();
    await expect(h.app.outcome('obs')).resolves.toEqual({ kind: 'completed' });
  });

  it('cancel unsubscribes from the observable', async () => {
    const source = new Subject<number>();
    const h = harness({ children: [task('obs', fromObservable(() => source))] });
    await h.app.start();
    await flush();
    expect(source.observed).toBe(true);
    await expect(h.app.cancel('obs')).resolves.toBe(true);
    expect(source.observed).toBe(false);
    await expect(h.app.outcome('obs')).resolves.toEqual({ kind: 'cancelled' });
  });
});
