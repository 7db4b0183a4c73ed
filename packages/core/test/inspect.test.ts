/**
 * Inspection (DESIGN.md §3, §6): `inspect` is forwarded to the root actor, so the Stately
 * inspector sees the supervisor machine, every task machine and every attempt actor, linked
 * parent to child, with stable names; the task machines' snapshots walk the documented states.
 * How the inspector's messages are captured: see inspector-capture.ts.
 */
import { assign, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { FatalError, task } from '../src/index.ts';
import { flush, untilAborted } from './support.ts';
import { definitionId, drainInspector, inspected, inspectorSnapshots, isAttempt, only, walkOf } from './inspector-capture.ts';

const none = { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' } as const;

/** Whether `sub` occurs in `list` in order (not necessarily contiguously). */
function isSubsequence(sub: readonly unknown[], list: readonly unknown[]): boolean {
  let i = 0;
  for (const item of list) if (i < sub.length && item === sub[i]) i += 1;
  return i === sub.length;
}

describe('inspection through the Stately inspector', () => {
  it('shows the supervisor, every task machine and every attempt actor, each under its parent', async () => {
    const c = inspected([
      task('a', async () => 'A'),
      task('b', async ({ ready }) => {
        ready();
        return 'B';
      }),
    ]);
    await c.h.app.start();
    await expect(c.h.app.outcome('a')).resolves.toMatchObject({ kind: 'completed', output: 'A' });
    await expect(c.h.app.outcome('b')).resolves.toMatchObject({ kind: 'completed', output: 'B' });
    await c.h.app.shutdown();
    const actors = await c.actors();

    const root = only(actors.filter((event) => definitionId(event) === 'supervisor'), 'supervisor actor');
    expect(root.name).toBe('app');
    expect(root.parentId).toBeUndefined();
    expect(root.sessionId).toBe(c.h.app.actor.sessionId);

    const tasks = actors.filter((event) => definitionId(event) === 'task');
    expect(tasks.map((event) => event.name)).toEqual(['app/a', 'app/b']);
    for (const taskActor of tasks) {
      expect(taskActor.parentId, `parent of task ${taskActor.name}`).toBe(root.sessionId);
      const attempt = only(
        actors.filter((event) => isAttempt(event.name) && event.parentId === taskActor.sessionId),
        `attempt of ${taskActor.name}`,
      );
      expect(attempt.sessionId).not.toBe(taskActor.sessionId);
    }
    // Nothing else was registered: one supervisor, two tasks, two attempts.
    expect(actors).toHaveLength(5);
    expect(actors.filter((event) => isAttempt(event.name))).toHaveLength(2);

    // Every inspection event belongs to the one system rooted at the supervisor.
    const rootIds = new Set(c.sent.filter((event) => event.type !== '@xstate.event').map((event) => event.rootId));
    expect([...rootIds]).toEqual([root.sessionId]);

    // The links show in the traffic too: each attempt reports done to its task, each task to
    // the supervisor.
    for (const taskActor of tasks) {
      const attempt = only(actors.filter((event) => isAttempt(event.name) && event.parentId === taskActor.sessionId), 'attempt');
      const toTask = c.sent.filter(
        (event) => event.type === '@xstate.event' && event.sessionId === taskActor.sessionId && event.event.type === `xstate.done.actor.${attempt.name}`,
      );
      expect(toTask.map((event) => (event.type === '@xstate.event' ? event.sourceId : undefined))).toEqual([attempt.sessionId]);
      const toRoot = c.sent.filter(
        (event) => event.type === '@xstate.event' && event.sessionId === root.sessionId && event.event.type === `xstate.done.actor.${taskActor.name}`,
      );
      expect(toRoot.map((event) => (event.type === '@xstate.event' ? event.sourceId : undefined))).toEqual([taskActor.sessionId]);
    }
  });

  it('a retried task keeps one task actor and shows a fresh attempt actor per attempt', async () => {
    const c = inspected([
      task('flaky', async ({ attempt }) => {
        if (attempt < 3) throw new Error(`boom ${attempt}`);
        return attempt;
      }, { backoff: none }),
    ]);
    await c.h.app.start();
    await c.h.advance(100);
    await c.h.advance(200);
    await expect(c.h.app.outcome('flaky')).resolves.toMatchObject({ kind: 'completed', output: 3 });
    expect(c.h.kinds('flaky').filter((kind) => kind === 'TaskStarting')).toHaveLength(3);
    const actors = await c.actors();

    const flaky = only(actors.filter((event) => event.name === 'app/flaky'), 'task actor flaky');
    expect(definitionId(flaky)).toBe('task');
    const attempts = actors.filter((event) => isAttempt(event.name));
    expect(attempts).toHaveLength(3);
    for (const attempt of attempts) expect(attempt.parentId).toBe(flaky.sessionId);
    expect(new Set(attempts.map((event) => event.sessionId)).size).toBe(3);
    expect(attempts.map((event) => event.sessionId)).not.toContain(flaky.sessionId);
  });

  it('a task that succeeds under on-failure walks idle → starting → running → stopped → exhausted', async () => {
    const c = inspected([task('ok', async () => 'done')]);
    await c.h.app.start();
    await c.h.app.outcome('ok');
    const ok = only((await c.actors()).filter((event) => event.name === 'app/ok'), 'task actor ok');
    const walk = walkOf(c.raw, ok.sessionId);
    expect(walk).toEqual(['idle', 'starting', 'running', 'stopped', 'exhausted']);
    // The inspector's own snapshots are the macrostep ends of that walk.
    const snapshots = inspectorSnapshots(c.sent, ok.sessionId);
    expect(snapshots).toEqual(['starting', 'running', 'exhausted']);
    expect(isSubsequence(snapshots, walk)).toBe(true);
  });

  it('a failure then a success walks through failed → backoff → idle and a second attempt', async () => {
    const c = inspected([
      task('flaky', async ({ attempt }) => {
        if (attempt === 1) throw new Error('first attempt fails');
        return attempt;
      }, { backoff: none }),
    ]);
    await c.h.app.start();
    await c.h.advance(99);
    const flaky = only((await c.actors()).filter((event) => event.name === 'app/flaky'), 'task actor flaky');
    expect(walkOf(c.raw, flaky.sessionId).at(-1), 'waits in backoff until the delay ends').toBe('backoff');
    await c.h.advance(1);
    await expect(c.h.app.outcome('flaky')).resolves.toMatchObject({ kind: 'completed', output: 2 });
    await drainInspector();
    expect(walkOf(c.raw, flaky.sessionId)).toEqual([
      'idle', 'starting', 'running', 'failed', 'backoff',
      'idle', 'starting', 'running', 'stopped', 'exhausted',
    ]);
    expect(isSubsequence(inspectorSnapshots(c.sent, flaky.sessionId), walkOf(c.raw, flaky.sessionId))).toBe(true);
    expect(inspectorSnapshots(c.sent, flaky.sessionId)).toContain('backoff');
  });

  it('a ready task that times out and ignores its signal walks ready → stopping → failed → exhausted', async () => {
    const c = inspected(
      [
        task('stubborn', ({ ready }) => {
          ready();
          return new Promise<never>(() => undefined);
        }, { timeoutMs: 100, maxRetries: 0 }),
      ],
      { graceMs: 20 },
    );
    await c.h.app.start();
    await c.h.advance(100);
    const stubborn = only((await c.actors()).filter((event) => event.name === 'app/stubborn'), 'task actor stubborn');
    expect(walkOf(c.raw, stubborn.sessionId).at(-1), 'waits in stopping for its grace').toBe('stopping');
    await c.h.advance(20);
    await expect(c.h.app.outcome('stubborn')).resolves.toMatchObject({ kind: 'failed' });
    await drainInspector();
    expect(walkOf(c.raw, stubborn.sessionId)).toEqual(['idle', 'starting', 'running', 'ready', 'stopping', 'failed', 'exhausted']);
    expect(inspectorSnapshots(c.sent, stubborn.sessionId)).toContain('stopping');
  });

  it('a fatal error walks failed → dead; a cancel in flight walks stopping → stopped → exhausted', async () => {
    const c = inspected([
      task('doomed', async () => {
        throw new FatalError('no way');
      }),
      task('coop', ({ signal }) => untilAborted(signal)),
    ]);
    await c.h.app.start();
    await flush();
    await c.h.app.cancel('coop');
    await expect(c.h.app.outcome('doomed')).resolves.toMatchObject({ kind: 'fatal' });
    await expect(c.h.app.outcome('coop')).resolves.toMatchObject({ kind: 'cancelled' });
    const actors = await c.actors();
    const doomed = only(actors.filter((event) => event.name === 'app/doomed'), 'task actor doomed');
    const coop = only(actors.filter((event) => event.name === 'app/coop'), 'task actor coop');
    expect(walkOf(c.raw, doomed.sessionId)).toEqual(['idle', 'starting', 'running', 'failed', 'dead']);
    expect(walkOf(c.raw, coop.sessionId)).toEqual(['idle', 'starting', 'running', 'stopping', 'stopped', 'exhausted']);
  });

  it('an XState machine child appears as the attempt actor, with its own definition and states', async () => {
    const counter = setup({ types: { context: {} as { count: number }, output: {} as number } }).createMachine({
      id: 'counter',
      context: { count: 0 },
      initial: 'counting',
      states: {
        counting: {
          after: { 100: { target: 'finished', actions: assign({ count: ({ context }) => context.count + 1 }) } },
        },
        finished: { type: 'final' },
      },
      output: ({ context }) => context.count,
    });
    const c = inspected([task('m', counter)]);
    await c.h.app.start();
    await flush();
    await c.h.advance(100);
    await expect(c.h.app.outcome('m')).resolves.toMatchObject({ kind: 'completed', output: 1 });
    const actors = await c.actors();

    const m = only(actors.filter((event) => event.name === 'app/m'), 'task actor m');
    expect(definitionId(m)).toBe('task');
    const attempt = only(actors.filter((event) => event.parentId === m.sessionId), 'attempt actor of m');
    expect(attempt.name).toBe('app/m#1');
    expect(definitionId(attempt)).toBe('counter');
    expect(inspectorSnapshots(c.sent, attempt.sessionId)).toEqual(['counting', 'finished']);
    // An XState child is ready once started: one step takes it from starting to ready.
    expect(walkOf(c.raw, m.sessionId)).toEqual(['idle', 'starting', 'ready', 'stopped', 'exhausted']);
  });

  it('a failed XState child is replaced by a fresh actor, never reused', async () => {
    let runs = 0;
    const fragile = setup({
      actions: {
        maybeCrash: () => {
          runs += 1;
          if (runs === 1) throw new Error('first run crashes');
        },
      },
    }).createMachine({
      id: 'fragile',
      initial: 'working',
      states: {
        working: { entry: 'maybeCrash', after: { 10: 'finished' } },
        finished: { type: 'final' },
      },
    });
    const c = inspected([task('f', fragile, { backoff: none })]);
    await c.h.app.start();
    await flush();
    await c.h.advance(100);
    await c.h.advance(10);
    await expect(c.h.app.outcome('f')).resolves.toMatchObject({ kind: 'completed' });
    expect(c.h.of('f').find((event) => event.kind === 'TaskFailed')).toMatchObject({ attempt: 1, reason: 'first run crashes' });
    const actors = await c.actors();

    const f = only(actors.filter((event) => event.name === 'app/f'), 'task actor f');
    const attempts = actors.filter((event) => event.parentId === f.sessionId);
    expect(attempts.map((event) => [event.name, definitionId(event)])).toEqual([
      ['app/f#1', 'fragile'],
      ['app/f#2', 'fragile'],
    ]);
    const [first, second] = attempts;
    expect(first?.sessionId).not.toBe(second?.sessionId);
    // The first actor's error reached its task; only the second one finished.
    const errors = c.sent.filter(
      (event) => event.type === '@xstate.event' && event.sessionId === f.sessionId && event.event.type === `xstate.error.actor.${first?.name ?? ''}`,
    );
    expect(errors).toHaveLength(1);
    expect(inspectorSnapshots(c.sent, first?.sessionId ?? '')).not.toContain('finished');
    expect(inspectorSnapshots(c.sent, second?.sessionId ?? '')).toEqual(['working', 'finished']);
    expect(walkOf(c.raw, f.sessionId)).toEqual([
      'idle', 'starting', 'ready', 'failed', 'backoff',
      'idle', 'starting', 'ready', 'stopped', 'exhausted',
    ]);
  });

  it('a child added again after removal is a new task actor with the same name, under the same supervisor', async () => {
    const c = inspected([task('w', ({ signal }) => untilAborted(signal))]);
    await c.h.app.start();
    await flush();
    const first = c.h.app.actor.system.get('app/w') as { sessionId: string } | undefined;
    expect(first).toBeDefined();
    await expect(c.h.app.cancel('w')).resolves.toBe(true);
    expect(c.h.app.actor.system.get('app/w'), 'the path is free once the incarnation ended').toBeUndefined();
    await expect(c.h.app.add(task('w', async () => 'again'))).resolves.toBe('app/w');
    await expect(c.h.app.outcome('w')).resolves.toMatchObject({ kind: 'completed', output: 'again' });
    const actors = await c.actors();

    const root = only(actors.filter((event) => definitionId(event) === 'supervisor'), 'supervisor actor');
    const incarnations = actors.filter((event) => event.name === 'app/w');
    expect(incarnations).toHaveLength(2);
    for (const incarnation of incarnations) {
      expect(definitionId(incarnation)).toBe('task');
      expect(incarnation.parentId).toBe(root.sessionId);
    }
    const [old, fresh] = incarnations;
    expect(old?.sessionId).toBe(first?.sessionId);
    expect(fresh?.sessionId).not.toBe(old?.sessionId);
    // Each incarnation has its own attempt, counted from 1.
    expect(actors.filter((event) => isAttempt(event.name)).map((event) => event.parentId)).toEqual([old?.sessionId, fresh?.sessionId]);
    expect(c.h.of('w').filter((event) => event.kind === 'TaskStarting').map((event) => ('attempt' in event ? event.attempt : 0))).toEqual([1, 1]);
  });

  it('the supervisor machine shows its shutdown: running → shuttingDown → stopped', async () => {
    const c = inspected([task('w', ({ signal }) => untilAborted(signal))]);
    await c.h.app.start();
    await flush();
    await expect(c.h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
    await drainInspector();
    const root = c.h.app.actor.sessionId;
    expect(walkOf(c.raw, root)).toEqual(['running', 'shuttingDown', 'stopped']);
    expect(inspectorSnapshots(c.sent, root).at(-1)).toBe('stopped');
    expect((c.h.app.actor.getSnapshot() as { status: string }).status).toBe('done');
  });

  it('an adapter started by the user receives events with the documented shape', async () => {
    const c = inspected([task('t', async () => 1)]);
    await c.h.app.start();
    await c.h.app.outcome('t');
    await drainInspector();
    expect(c.adapter.started).toBe(1);
    expect(c.sent.length).toBeGreaterThan(0);
    for (const event of c.sent) {
      expect(typeof event.sessionId).toBe('string');
      expect(['@xstate.actor', '@xstate.event', '@xstate.snapshot']).toContain(event.type);
    }
  });
});
