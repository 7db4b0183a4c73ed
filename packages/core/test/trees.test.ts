import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, supervisor, task } from '../src/index.ts';
import type { BackoffScheduled, SupervisorEvent, TaskFn, TaskStopped } from '../src/index.ts';
import { flush, harness, untilAborted } from './support.ts';

const ZERO = { firstMs: 0, maxMs: 0, factor: 1, jitter: 'none' } as const;
const CONSTANT_100 = { firstMs: 100, maxMs: 100, factor: 1, jitter: 'none' } as const;

/** A task whose attempts the test ends by hand. */
function controlled(): { fn: TaskFn; starts: () => number; fail: () => void; ready: () => void } {
  const pending: { fail: () => void; ready: () => void }[] = [];
  let count = 0;
  const fn: TaskFn = ({ ready, signal }) =>
    new Promise<void>((resolve, reject) => {
      count++;
      const attempt = { fail: () => reject(new Error('crash')), ready };
      pending.push(attempt);
      // Cooperative: a stop ends the attempt at once.
      signal.addEventListener('abort', () => {
        pending.splice(pending.indexOf(attempt), 1);
        resolve();
      });
    });
  return {
    fn,
    starts: () => count,
    fail: () => pending.shift()?.fail(),
    ready: () => pending[0]?.ready(),
  };
}

const kindsOf = (events: readonly SupervisorEvent[], kind: SupervisorEvent['kind'], path?: string): SupervisorEvent[] =>
  events.filter((event) => event.kind === kind && (path === undefined || event.task === path));

describe('restart intensity (OTP window vectors, injected clock)', () => {
  it('3 crashes within the period keep the supervisor alive; a 4th exhausts it', async () => {
    const worker = controlled();
    const h = harness({ intensity: { maxRestarts: 3, periodMs: 1_000 }, children: [task('w', worker.fn, { backoff: ZERO })] });
    await h.app.start();
    await flush();
    for (let crash = 1; crash <= 3; crash++) {
      worker.fail();
      await h.advance(100);
    }
    expect(worker.starts()).toBe(4);
    expect(kindsOf(h.events, 'IntensityExceeded')).toHaveLength(0);
    worker.fail();
    await flush();
    expect(kindsOf(h.events, 'IntensityExceeded')).toEqual([
      expect.objectContaining({ task: 'app', restarts: 4, periodMs: 1_000 }),
    ]);
    expect(worker.starts()).toBe(4);
    const outcome = await h.app.outcome();
    expect(outcome).toMatchObject({ kind: 'failed', cause: { kind: 'failed', reason: 'crash' } });
    expect(outcome.reason).toMatch(/restart intensity exceeded/);
  });

  it('a crash exactly one period after the first restart still counts; one period plus 1 ms later does not', async () => {
    const run = async (lastAt: number): Promise<boolean> => {
      const worker = controlled();
      const h = harness({ intensity: { maxRestarts: 3, periodMs: 1_000 }, children: [task('w', worker.fn, { backoff: ZERO })] });
      await h.app.start();
      await flush();
      for (const at of [0, 400, 800]) {
        await h.advance(at - h.clock.now());
        worker.fail();
        await flush();
      }
      await h.advance(lastAt - h.clock.now());
      worker.fail();
      await flush();
      return kindsOf(h.events, 'IntensityExceeded').length === 1;
    };
    await expect(run(1_000)).resolves.toBe(true);
    await expect(run(1_001)).resolves.toBe(false);
  });

  it('the window is per supervisor, not per child', async () => {
    const a = controlled();
    const b = controlled();
    const h = harness({
      intensity: { maxRestarts: 3, periodMs: 1_000 },
      children: [task('a', a.fn, { backoff: ZERO }), task('b', b.fn, { backoff: ZERO })],
    });
    await h.app.start();
    await flush();
    a.fail();
    await flush();
    b.fail();
    await flush();
    a.fail();
    await flush();
    expect(kindsOf(h.events, 'IntensityExceeded')).toHaveLength(0);
    b.fail();
    await flush();
    expect(kindsOf(h.events, 'IntensityExceeded')).toHaveLength(1);
  });

  it('intensity 0 exhausts on the first restart', async () => {
    const worker = controlled();
    const h = harness({ intensity: { maxRestarts: 0, periodMs: 1_000 }, children: [task('w', worker.fn)] });
    await h.app.start();
    await flush();
    worker.fail();
    await flush();
    expect(worker.starts()).toBe(1);
    await expect(h.app.outcome()).resolves.toMatchObject({ kind: 'failed' });
  });

  it('a child that completes under on-failure, or re-runs after a success under always, adds nothing', async () => {
    let runs = 0;
    const h = harness({
      intensity: { maxRestarts: 0, periodMs: 1_000 },
      children: [
        task('done', () => 'ok'),
        task('loop', () => {
          runs++;
          return 'again';
        }, { restart: { always: { intervalMs: 10 } } }),
      ],
    });
    await h.app.start();
    await h.advance(100, 10);
    expect(runs).toBeGreaterThan(5);
    await expect(h.app.outcome('done')).resolves.toMatchObject({ kind: 'completed' });
    expect(kindsOf(h.events, 'IntensityExceeded')).toHaveLength(0);
    expect(h.app.snapshot().restartsInWindow).toBe(0);
  });

  it('giving up stops the remaining children newest-first with reason cleanup, and never throws into the host', async () => {
    const worker = controlled();
    const h = harness({
      intensity: { maxRestarts: 0, periodMs: 1_000 },
      children: [
        task('first', ({ signal }) => untilAborted(signal)),
        task('w', worker.fn),
        task('last', ({ signal }) => untilAborted(signal)),
      ],
    });
    await h.app.start();
    await flush();
    worker.fail();
    await h.advance(0);
    await expect(h.app.outcome()).resolves.toMatchObject({ kind: 'failed' });
    const stops = kindsOf(h.events, 'TaskStopped');
    expect(stops.map((event) => event.task)).toEqual(['app/last', 'app/first']);
    expect(stops.every((event) => event.kind === 'TaskStopped' && typeof event.stopReason === 'object' && event.stopReason.terminated === 'cleanup')).toBe(true);
    const order = h.events.map((event) => `${event.kind}:${event.task}`);
    expect(order.indexOf('TaskFailed:app/w')).toBeLessThan(order.indexOf('IntensityExceeded:app'));
    expect(order.indexOf('IntensityExceeded:app')).toBeLessThan(order.indexOf('TaskStopped:app/last'));
    await expect(h.app.add(task('late', () => 1))).rejects.toThrow();
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
  });

  it('property: random crash schedules give the same restart/exhaust decisions as a reference model of the window', async () => {
    /** Reference model: a restart at `now` is allowed when fewer than maxRestarts restarts happened in [now - period, now]. */
    const model = (times: readonly number[], maxRestarts: number, periodMs: number): boolean[] => {
      const decided: number[] = [];
      const verdicts: boolean[] = [];
      for (const now of times) {
        const inWindow = decided.filter((t) => now - t <= periodMs).length;
        const allowed = inWindow + 1 <= maxRestarts;
        verdicts.push(allowed);
        decided.push(now);
        if (!allowed) break;
      }
      return verdicts;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 8 }),
        async (maxRestarts, periodMs, gaps) => {
          const worker = controlled();
          const h = harness({ intensity: { maxRestarts, periodMs }, children: [task('w', worker.fn, { backoff: ZERO })] });
          await h.app.start();
          await flush();
          const times: number[] = [];
          for (const gap of gaps) {
            if (kindsOf(h.events, 'IntensityExceeded').length > 0) break;
            await h.advance(gap);
            times.push(h.clock.now());
            worker.fail();
            await flush();
          }
          const verdicts = h.app.explain('w').map((decision) => decision.allowed);
          expect(verdicts).toEqual(model(times, maxRestarts, periodMs));
          expect(kindsOf(h.events, 'IntensityExceeded').length).toBe(verdicts.includes(false) ? 1 : 0);
          await h.app.shutdown();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('escalation through a tree', () => {
  it('intensities 2 (inner) and 1 (outer): the crashing worker starts exactly (2+1)*(1+1) = 6 times, then the root gives up', async () => {
    let starts = 0;
    const h = harness({
      intensity: { maxRestarts: 1, periodMs: 60_000 },
      children: [
        supervisor('inner', {
          intensity: { maxRestarts: 2, periodMs: 60_000 },
          backoff: CONSTANT_100,
          children: [
            task('worker', () => {
              starts++;
              throw new Error('worker crashed');
            }, { backoff: CONSTANT_100 }),
          ],
        }),
      ],
    });
    await h.app.start();
    await h.advance(2_000, 50);
    expect(starts).toBe(6);
    const outcome = await h.app.outcome();
    expect(outcome.kind).toBe('failed');
    expect(outcome.cause?.kind).toBe('failed');
    expect(outcome.cause?.reason).toMatch(/gave up/);
    expect(outcome.cause?.cause).toMatchObject({ kind: 'failed', reason: 'worker crashed' });
    expect(kindsOf(h.events, 'IntensityExceeded').map((event) => event.task)).toEqual(['app/inner', 'app/inner', 'app']);
    const attempts = kindsOf(h.events, 'TaskStarting', 'app/inner/worker').map((event) => (event.kind === 'TaskStarting' ? event.attempt : 0));
    expect(attempts).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('an inner supervisor under never stays down after 3 starts of the worker; the root and its siblings stay alive', async () => {
    let starts = 0;
    const h = harness({
      intensity: { maxRestarts: 1, periodMs: 60_000 },
      children: [
        supervisor('inner', {
          restart: 'never',
          intensity: { maxRestarts: 2, periodMs: 60_000 },
          children: [
            task('worker', () => {
              starts++;
              throw new Error('worker crashed');
            }, { backoff: CONSTANT_100 }),
            task('peer', ({ signal }) => untilAborted(signal)),
          ],
        }),
        task('sibling', ({ signal, ready }) => {
          ready();
          return untilAborted(signal);
        }),
      ],
    });
    await h.app.start();
    await h.advance(2_000, 50);
    expect(starts).toBe(3);
    await expect(h.app.outcome('inner')).resolves.toMatchObject({ kind: 'failed', cause: { reason: 'worker crashed' } });
    expect(kindsOf(h.events, 'ActorExhausted', 'app/inner')).toEqual([expect.objectContaining({ outcome: 'failed' })]);
    expect(kindsOf(h.events, 'IntensityExceeded').map((event) => event.task)).toEqual(['app/inner']);
    const tree = h.app.snapshot();
    expect(tree.children?.map((node) => node.path)).toEqual(['app/sibling']);
    expect(tree.children?.[0]?.state).toBe('ready');
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
    await expect(h.app.outcome()).resolves.toEqual({ kind: 'cancelled' });
  });

  it('a restarted supervisor is a fresh incarnation: children added again, attempts from 1', async () => {
    const h = harness({
      children: [
        supervisor('inner', {
          intensity: { maxRestarts: 0, periodMs: 1_000 },
          backoff: CONSTANT_100,
          children: [task('w', () => { throw new Error('x'); }), task('p', ({ signal }) => untilAborted(signal))],
        }),
      ],
    });
    await h.app.start();
    await h.advance(100, 50);
    const added = kindsOf(h.events, 'TaskAdded', 'app/inner/p');
    expect(added.length).toBe(2);
    expect(kindsOf(h.events, 'TaskStarting', 'app/inner/p').map((e) => (e.kind === 'TaskStarting' ? e.attempt : 0))).toEqual([1, 1]);
    await h.app.shutdown();
  });
});

describe('strategies', () => {
  const forever = (name: string): ReturnType<typeof task> =>
    task(name, ({ signal, ready }) => {
      ready();
      return untilAborted(signal);
    });

  it('one-for-all: siblings stopped newest-first with reason cleanup, then all restarted in list order', async () => {
    const b = controlled();
    const h = harness({ strategy: 'one-for-all', children: [forever('a'), task('b', b.fn, { backoff: CONSTANT_100 }), forever('c')] });
    await h.app.start();
    await flush();
    const mark = h.events.length;
    b.fail();
    await h.advance(100, 50);
    const after = h.events.slice(mark);
    const restarting = after.find((event) => event.kind === 'SupervisorRestarting');
    expect(restarting).toMatchObject({ task: 'app', strategy: 'one-for-all', affected: ['app/a', 'app/b', 'app/c'] });
    const stops = after.filter((event): event is TaskStopped => event.kind === 'TaskStopped');
    expect(stops.map((event) => event.task)).toEqual(['app/c', 'app/a']);
    expect(stops.map((event) => event.stopReason)).toEqual([{ terminated: 'cleanup' }, { terminated: 'cleanup' }]);
    expect(after.indexOf(restarting as SupervisorEvent)).toBeLessThan(after.indexOf(stops[0] as SupervisorEvent));
    const backoffs = after.filter((event): event is BackoffScheduled => event.kind === 'BackoffScheduled');
    expect(backoffs.map((event) => [event.task, event.delayMs])).toEqual([
      ['app/b', 100],
      ['app/c', 0],
      ['app/a', 0],
    ]);
    expect(backoffs.map((event) => event.backoffSource)).toEqual(['failure', 'failure', 'failure']);
    const starts = after.filter((event) => event.kind === 'TaskStarting').map((event) => event.task);
    expect(starts).toEqual(['app/a', 'app/c', 'app/b']);
    expect(h.app.explain('b')).toHaveLength(1);
    expect(h.app.explain('a')).toHaveLength(0);
    await h.app.shutdown();
  });

  it('rest-for-one: only the children after the failed one are stopped and restarted', async () => {
    const b = controlled();
    const h = harness({ strategy: 'rest-for-one', children: [forever('a'), task('b', b.fn, { backoff: ZERO }), forever('c'), forever('d')] });
    await h.app.start();
    await flush();
    const mark = h.events.length;
    b.fail();
    await h.advance(0);
    const after = h.events.slice(mark);
    expect(after.find((event) => event.kind === 'SupervisorRestarting')).toMatchObject({ affected: ['app/b', 'app/c', 'app/d'] });
    expect(after.filter((event) => event.kind === 'TaskStopped').map((event) => event.task)).toEqual(['app/d', 'app/c']);
    expect(after.filter((event) => event.kind === 'TaskStarting').map((event) => event.task)).toEqual(['app/b', 'app/c', 'app/d']);
    expect(after.some((event) => event.task === 'app/a')).toBe(false);
    await h.app.shutdown();
  });

  it('a strategy restart counts once in the intensity window, however many children it restarts', async () => {
    const b = controlled();
    const h = harness({
      strategy: 'one-for-all',
      intensity: { maxRestarts: 1, periodMs: 10_000 },
      children: [forever('a'), task('b', b.fn, { backoff: ZERO }), forever('c')],
    });
    await h.app.start();
    await flush();
    b.fail();
    await h.advance(0);
    expect(kindsOf(h.events, 'IntensityExceeded')).toHaveLength(0);
    expect(h.app.snapshot().restartsInWindow).toBe(1);
    await h.app.shutdown();
  });

  it('under one-for-all, a sibling whose policy is never is removed, not restarted', async () => {
    const b = controlled();
    const h = harness({
      strategy: 'one-for-all',
      children: [task('once', ({ signal }) => untilAborted(signal), { restart: 'never' }), task('b', b.fn, { backoff: ZERO })],
    });
    await h.app.start();
    await flush();
    b.fail();
    await h.advance(0);
    expect(h.kinds('once').slice(-3)).toEqual(['TaskStopped', 'ActorExhausted', 'TaskRemoved']);
    expect(h.app.snapshot().children?.map((node) => node.path)).toEqual(['app/b']);
    await h.app.shutdown();
  });
});

describe('dependencies', () => {
  it('a web task waits for its db to be ready', async () => {
    const db = controlled();
    let webStarted = false;
    const h = harness({
      children: [
        task('db', db.fn),
        task('web', ({ signal }) => {
          webStarted = true;
          return untilAborted(signal);
        }, { dependsOn: ['db'] }),
      ],
    });
    await h.app.start();
    await flush();
    expect(webStarted).toBe(false);
    expect(kindsOf(h.events, 'DependencyWaiting', 'app/web')).toEqual([expect.objectContaining({ waitingFor: ['db'] })]);
    db.ready();
    await flush();
    expect(webStarted).toBe(true);
    const order = h.events.map((event) => `${event.kind}:${event.task}`);
    expect(order.indexOf('TaskReady:app/db')).toBeLessThan(order.indexOf('DependencyReady:app/web'));
    expect(order.indexOf('DependencyReady:app/web')).toBeLessThan(order.indexOf('TaskStarting:app/web'));
    await h.app.shutdown();
  });

  it('a dependency cycle is rejected at creation', () => {
    expect(() =>
      harness({ children: [task('a', () => 1, { dependsOn: ['b'] }), task('b', () => 1, { dependsOn: ['a'] })] }),
    ).toThrow(ConfigError);
    expect(() => supervisor('s', { children: [task('a', () => 1, { dependsOn: ['a'] })] })).toThrow(/depends on itself/);
  });

  it('when every dependency ended for good and one did not complete, the dependent stops with dependencies-finished', async () => {
    const db = controlled();
    const h = harness({
      children: [task('db', db.fn, { restart: 'never' }), task('web', ({ signal }) => untilAborted(signal), { dependsOn: ['db'] })],
    });
    await h.app.start();
    await flush();
    db.ready();
    await flush();
    db.fail();
    await h.advance(0);
    const stopped = kindsOf(h.events, 'TaskStopped', 'app/web');
    expect(stopped).toEqual([expect.objectContaining({ stopReason: { terminated: 'dependencies-finished' } })]);
    await expect(h.app.outcome('web')).resolves.toMatchObject({ kind: 'cancelled' });
  });

  it('a restart of a dependency under one-for-one leaves its dependents running', async () => {
    const db = controlled();
    const h = harness({ children: [task('db', db.fn, { backoff: ZERO }), task('web', ({ signal }) => untilAborted(signal), { dependsOn: ['db'] })] });
    await h.app.start();
    await flush();
    db.ready();
    await flush();
    db.fail();
    await h.advance(0);
    expect(kindsOf(h.events, 'TaskStopped', 'app/web')).toHaveLength(0);
    expect(kindsOf(h.events, 'TaskStarting', 'app/db')).toHaveLength(2);
    await h.app.shutdown();
  });

  it('shutdown signals a dependency only after its dependents have stopped', async () => {
    const h = harness({
      children: [
        task('db', ({ signal, ready }) => {
          ready();
          return untilAborted(signal);
        }),
        task('web', ({ signal, ready }) => {
          ready();
          return untilAborted(signal);
        }, { dependsOn: ['db'] }),
        task('other', ({ signal }) => untilAborted(signal)),
      ],
    });
    await h.app.start();
    await flush();
    await h.app.shutdown();
    const removed = kindsOf(h.events, 'TaskRemoved').map((event) => event.task);
    expect(removed.indexOf('app/web')).toBeLessThan(removed.indexOf('app/db'));
  });
});

describe('paths, snapshot and explain', () => {
  it('every node of the tree has a path; events, outcome, cancel and snapshot take paths at any depth', async () => {
    const h = harness({
      children: [
        supervisor('workers', {
          children: [
            task('a', ({ signal, ready }) => {
              ready();
              return untilAborted(signal);
            }),
            supervisor('deep', { children: [task('b', ({ signal }) => untilAborted(signal))] }),
          ],
        }),
      ],
    });
    await h.app.start();
    await flush();
    const paths = new Set(h.events.map((event) => event.task));
    expect(paths).toEqual(new Set(['app/workers', 'app/workers/a', 'app/workers/deep', 'app/workers/deep/b']));
    const tree = h.app.snapshot();
    expect(tree).toMatchObject({
      path: 'app',
      kind: 'supervisor',
      children: [
        {
          path: 'app/workers',
          kind: 'supervisor',
          attempt: 1,
          children: [
            { path: 'app/workers/a', kind: 'task', state: 'ready', attempt: 1 },
            { path: 'app/workers/deep', kind: 'supervisor', children: [{ path: 'app/workers/deep/b', kind: 'task', state: 'running' }] },
          ],
        },
      ],
    });
    await expect(h.app.cancel('app/workers/deep/b')).resolves.toBe(true);
    await expect(h.app.outcome('app/workers/deep/b')).resolves.toEqual({ kind: 'cancelled' });
    await h.app.shutdown();
    expect(kindsOf(h.events, 'TaskRemoved').map((event) => event.task).at(-1)).toBe('app/workers');
  });

  it('a child supervisor is ready once all its children are ready', async () => {
    const a = controlled();
    const b = controlled();
    const h = harness({ children: [supervisor('group', { children: [task('a', a.fn), task('b', b.fn)] })] });
    await h.app.start();
    await flush();
    a.ready();
    await flush();
    expect(kindsOf(h.events, 'TaskReady', 'app/group')).toHaveLength(0);
    b.ready();
    await flush();
    expect(kindsOf(h.events, 'TaskReady', 'app/group')).toHaveLength(1);
    await h.app.shutdown();
  });

  it('explain returns the recent decisions with what decided them', async () => {
    const worker = controlled();
    const h = harness({
      intensity: { maxRestarts: 5, periodMs: 1_000 },
      children: [task('w', worker.fn, { backoff: { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'full' } })],
      random: () => 0.25,
    });
    await h.app.start();
    await flush();
    worker.fail();
    await flush();
    const [decision] = h.app.explain('w');
    expect(decision).toMatchObject({
      path: 'app/w',
      strategy: 'one-for-one',
      restartsBefore: 0,
      restartsAfter: 1,
      maxRestarts: 5,
      periodMs: 1_000,
      delayMs: 25,
      baseMs: 100,
      jitterSample: 0.25,
      allowed: true,
      decidedAt: 0,
    });
    const backoff = kindsOf(h.events, 'BackoffScheduled', 'app/w')[0];
    expect(backoff).toMatchObject({ explanation: { restartsAfter: 1, jitterSample: 0.25 } });
    expect(h.app.explain()).toHaveLength(1);
    await h.app.shutdown();
  });
});
