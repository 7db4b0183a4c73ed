/**
 * What a person watching only the Stately inspector sees of a tree (DESIGN.md §3, "In the
 * Stately inspector"): at each quiet moment, which child is in which state, which attempt it is
 * on (its attempt actor's name `<path>#<attempt>`), and whether its supervisor is running,
 * restarting, giving up or shutting down (with `window`, `restart` and `live` in its context);
 * between the moments, the events the actors send each other. Three stories: a one-for-all
 * restart, an escalation up to the root's give-up, and a shutdown with a nested supervisor.
 *
 * Children that must be caught mid-stop end only when a gate is opened, so each moment is held
 * still without a sleep; backoff delays run on the SimulatedClock.
 */
import type { InspectionEvent } from 'xstate';
import { describe, expect, it } from 'vitest';
import { supervisor, task } from '../src/index.ts';
import { flush, gate, untilAborted } from './support.ts';
import { drainInspector, inspected, walkOf, watcherView } from './inspector-capture.ts';
import type { Captured, Seen } from './inspector-capture.ts';

const none = { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' } as const;

/** Work that ends once it is told to stop and `stops` is open. */
function stopsWhen(stops: Promise<void>) {
  return async ({ signal }: { signal: AbortSignal }): Promise<void> => {
    await untilAborted(signal);
    await stops;
  };
}

/** What the watcher sees now, once the inspector caught up. */
async function look(c: Captured): Promise<Map<string, Seen>> {
  await drainInspector();
  return watcherView(c.sent);
}

/** One actor as the watcher sees it (fails the test if it never showed). */
function seen(view: Map<string, Seen>, name: string): Seen {
  const actor = view.get(name);
  if (actor === undefined) throw new Error(`the inspector never showed ${name}`);
  return actor;
}

/** A task machine as the watcher sees it: its state, its attempt and whether it ended. */
function taskState(view: Map<string, Seen>, path: string): { value: unknown; attempt: unknown; status: unknown } {
  const { value, context, status } = seen(view, path);
  return { value, attempt: context['attempt'], status };
}

/** A supervisor actor as the watcher sees it: its state and its context. */
function supervisorState(view: Map<string, Seen>, name: string): { value: unknown; context: Record<string, unknown> } {
  const { value, context } = seen(view, name);
  return { value, context };
}

/** The events of `type` the inspector showed between actors, as [from, to] actor names. */
function sentBetween(c: Captured, type: string): [string | undefined, string | undefined][] {
  const names = new Map(c.sent.flatMap((event) => (event.type === '@xstate.actor' ? [[event.sessionId, event.name] as const] : [])));
  return c.sent.flatMap((event): [string | undefined, string | undefined][] =>
    event.type === '@xstate.event' && event.event.type === type ? [[names.get(event.sourceId ?? ''), names.get(event.sessionId)]] : [],
  );
}

/** The successive values of `pick(context)` in the raw steps of one actor, repeats folded. */
function contextWalk(raw: readonly InspectionEvent[], sessionId: string, pick: (context: Record<string, unknown>) => unknown): unknown[] {
  const walk: unknown[] = [];
  for (const event of raw) {
    if (event.actorRef.sessionId !== sessionId || (event.type !== '@xstate.microstep' && event.type !== '@xstate.snapshot')) continue;
    const value = pick((event.snapshot as { context?: Record<string, unknown> }).context ?? {});
    if (JSON.stringify(walk.at(-1)) !== JSON.stringify(value)) walk.push(value);
  }
  return walk;
}

describe('watching a tree in the Stately inspector', () => {
  it('a one-for-all restart: the supervisor restarting, the siblings stopped newest first, fresh attempts', async () => {
    const breaks = gate();
    const aStops = gate();
    const c = inspected(
      [
        task('a', stopsWhen(aStops.promise)),
        task('b', async ({ attempt, signal }) => {
          if (attempt === 1) await breaks.promise;
          return untilAborted(signal);
        }, { backoff: none }),
        task('c', ({ signal }) => untilAborted(signal)),
      ],
      { strategy: 'one-for-all', intensity: { maxRestarts: 3, periodMs: 1_000 } },
    );
    await c.h.app.start();
    await flush();
    let view = await look(c);
    expect(supervisorState(view, 'app')).toEqual({ value: 'running', context: { window: [], restart: null, live: 3 } });
    for (const path of ['app/a', 'app/b', 'app/c']) {
      expect(taskState(view, path)).toEqual({ value: 'running', attempt: 1, status: 'active' });
      expect(seen(view, `${path}#1`).parentId).toBe(seen(view, path).sessionId);
    }

    // b fails: the supervisor takes it, counts it and stops c (the newest other) first.
    breaks.fail(new Error('b broke'));
    await flush();
    view = await look(c);
    expect(supervisorState(view, 'app')).toEqual({
      value: 'restarting',
      context: { window: [0], restart: { failed: 'app/b', affected: ['app/a', 'app/c'], stopped: ['app/c'] }, live: 3 },
    });
    expect(taskState(view, 'app/b')).toEqual({ value: 'backoff', attempt: 1, status: 'active' });
    expect(taskState(view, 'app/c')).toEqual({ value: 'backoff', attempt: 1, status: 'active' });
    expect(taskState(view, 'app/a')).toEqual({ value: 'stopping', attempt: 1, status: 'active' });
    expect([seen(view, 'app/b').context['held'], seen(view, 'app/c').context['held']], 'b and c are held for the restart').toEqual([true, true]);
    expect(view.has('app/a#2') || view.has('app/b#2') || view.has('app/c#2'), 'nothing restarts before every affected child stopped').toBe(false);
    // The failure went from b's task machine to the supervisor; c reported itself parked.
    const failed = c.sent.filter((event) => event.type === '@xstate.event' && event.event.type === 'child.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ sourceId: seen(view, 'app/b').sessionId, sessionId: seen(view, 'app').sessionId, event: { path: 'app/b', attempt: 1 } });
    expect(sentBetween(c, 'child.parked')).toEqual([['app/c', 'app']]);
    // b's own backoff (100 ms) passes, but b is held until every affected child has stopped.
    await c.h.advance(100);
    view = await look(c);
    expect(taskState(view, 'app/b')).toEqual({ value: 'backoff', attempt: 1, status: 'active' });
    expect(taskState(view, 'app/a')).toEqual({ value: 'stopping', attempt: 1, status: 'active' });
    expect(supervisorState(view, 'app').value).toBe('restarting');

    // a ends: the restart is complete, the supervisor runs again and a, c start attempt 2 at once.
    aStops.open();
    await flush();
    view = await look(c);
    expect(sentBetween(c, 'child.parked')).toEqual([['app/c', 'app'], ['app/a', 'app']]);
    expect(supervisorState(view, 'app')).toEqual({ value: 'running', context: { window: [0], restart: null, live: 3 } });
    expect(taskState(view, 'app/a')).toEqual({ value: 'running', attempt: 2, status: 'active' });
    expect(taskState(view, 'app/c')).toEqual({ value: 'running', attempt: 2, status: 'active' });
    // b, the failed one, waits out its own backoff (100 ms), then runs attempt 2.
    expect(taskState(view, 'app/b')).toEqual({ value: 'backoff', attempt: 1, status: 'active' });
    expect(seen(view, 'app/b').context['held']).toBe(false);
    await c.h.advance(100);
    view = await look(c);
    expect(taskState(view, 'app/b')).toEqual({ value: 'running', attempt: 2, status: 'active' });
    for (const path of ['app/a', 'app/b', 'app/c']) {
      const attempt = seen(view, `${path}#2`);
      expect(attempt.parentId, `${path}#2 runs under the same task machine`).toBe(seen(view, path).sessionId);
      expect(attempt.context).toEqual({ attempt: 2 });
      expect(attempt.sessionId).not.toBe(seen(view, `${path}#1`).sessionId);
    }

    // Step by step: the restart's stops filled up newest first, then the restart ended.
    const root = seen(view, 'app').sessionId;
    expect(walkOf(c.raw, root)).toEqual(['running', 'restarting', 'running']);
    expect(contextWalk(c.raw, root, (context) => context['restart'])).toEqual([
      null,
      { failed: 'app/b', affected: ['app/a', 'app/c'], stopped: [] },
      { failed: 'app/b', affected: ['app/a', 'app/c'], stopped: ['app/c'] },
      { failed: 'app/b', affected: ['app/a', 'app/c'], stopped: ['app/c', 'app/a'] },
      null,
    ]);
    expect(contextWalk(c.raw, root, (context) => context['window'])).toEqual([[], [0]]);
    const sibling = ['idle', 'starting', 'running', 'stopping', 'stopped', 'backoff', 'idle', 'starting', 'running'];
    expect(walkOf(c.raw, seen(view, 'app/a').sessionId)).toEqual(sibling);
    expect(walkOf(c.raw, seen(view, 'app/c').sessionId)).toEqual(sibling);
    expect(walkOf(c.raw, seen(view, 'app/b').sessionId)).toEqual(['idle', 'starting', 'running', 'failed', 'backoff', 'idle', 'starting', 'running']);
    await c.h.app.shutdown();
  });

  it('an escalation: the nested supervisor gives up and fails, its task backs off, the root counts it and gives up too', async () => {
    const yStops = gate();
    const wStops = gate();
    const c = inspected(
      [
        task('w', stopsWhen(wStops.promise)),
        supervisor('group', {
          intensity: { maxRestarts: 1, periodMs: 1_000 },
          backoff: none,
          defaults: { backoff: none },
          children: [
            task('x', async () => {
              throw new Error('x broke');
            }),
            task('y', stopsWhen(yStops.promise)),
          ],
        }),
      ],
      { intensity: { maxRestarts: 1, periodMs: 10_000 } },
    );
    await c.h.app.start();
    await flush();
    let view = await look(c);
    // x failed once: the group counted it, x backs off; the root has seen nothing to count.
    expect(supervisorState(view, 'app/group#1')).toEqual({ value: 'running', context: { window: [0], restart: null, live: 2 } });
    expect(taskState(view, 'app/group/x')).toEqual({ value: 'backoff', attempt: 1, status: 'active' });
    expect(seen(view, 'app/group/x').parentId).toBe(seen(view, 'app/group#1').sessionId);

    // x fails again within the period: the group gives up, x ends, y (the rest) is being stopped.
    await c.h.advance(100);
    view = await look(c);
    expect(supervisorState(view, 'app/group#1')).toEqual({ value: 'givingUp', context: { window: [0, 100], restart: null, live: 1 } });
    expect(taskState(view, 'app/group/x')).toEqual({ value: 'exhausted', attempt: 2, status: 'done' });
    expect(taskState(view, 'app/group/y')).toEqual({ value: 'stopping', attempt: 1, status: 'active' });
    expect(taskState(view, 'app/group')).toEqual({ value: 'running', attempt: 1, status: 'active' });
    expect(supervisorState(view, 'app')).toEqual({ value: 'running', context: { window: [], restart: null, live: 2 } });

    // y ends: the group fails; its task machine in the root failed and backs off; the root counted it.
    yStops.open();
    await flush();
    view = await look(c);
    expect(supervisorState(view, 'app/group#1').value).toBe('failed');
    expect(seen(view, 'app/group#1').status).toBe('done');
    expect(taskState(view, 'app/group')).toEqual({ value: 'backoff', attempt: 1, status: 'active' });
    expect(supervisorState(view, 'app')).toEqual({ value: 'running', context: { window: [100], restart: null, live: 2 } });
    expect(sentBetween(c, 'child.failed').filter(([, to]) => to === 'app')).toEqual([['app/group', 'app']]);

    // The group restarts as a fresh incarnation: attempt 2, an empty window, its children anew.
    await c.h.advance(100);
    view = await look(c);
    expect(taskState(view, 'app/group')).toEqual({ value: 'running', attempt: 2, status: 'active' });
    expect(seen(view, 'app/group#2').parentId).toBe(seen(view, 'app/group').sessionId);
    expect(supervisorState(view, 'app/group#2')).toEqual({ value: 'running', context: { window: [200], restart: null, live: 2 } });
    expect(seen(view, 'app/group/x').parentId).toBe(seen(view, 'app/group#2').sessionId);

    // It gives up again: a second restart in the root's period is one too many, the root gives
    // up: the group is not restarted and w, the rest, is being stopped.
    await c.h.advance(100);
    view = await look(c);
    expect(supervisorState(view, 'app/group#2').value).toBe('failed');
    expect(taskState(view, 'app/group')).toEqual({ value: 'exhausted', attempt: 2, status: 'done' });
    expect(supervisorState(view, 'app')).toEqual({ value: 'givingUp', context: { window: [100, 300], restart: null, live: 1 } });
    expect(taskState(view, 'app/w')).toEqual({ value: 'stopping', attempt: 1, status: 'active' });

    wStops.open();
    await flush();
    view = await look(c);
    expect(supervisorState(view, 'app')).toEqual({ value: 'failed', context: { window: [100, 300], restart: null, live: 0 } });
    expect(taskState(view, 'app/w')).toEqual({ value: 'exhausted', attempt: 1, status: 'done' });
    await expect(c.h.app.outcome()).resolves.toMatchObject({ kind: 'failed' });

    // Step by step, as the machines took them.
    for (const nested of ['app/group#1', 'app/group#2']) {
      expect(walkOf(c.raw, seen(view, nested).sessionId)).toEqual(['running', 'givingUp', 'failed']);
    }
    expect(walkOf(c.raw, seen(view, 'app').sessionId)).toEqual(['running', 'givingUp', 'failed']);
    expect(walkOf(c.raw, seen(view, 'app/group').sessionId)).toEqual([
      'idle', 'starting', 'running', 'failed', 'backoff',
      'idle', 'starting', 'running', 'failed', 'backoff', 'exhausted',
    ]);
    expect(sentBetween(c, 'child.failed').filter(([, to]) => to === 'app')).toEqual([['app/group', 'app'], ['app/group', 'app']]);
  });

  it('a shutdown: running → shuttingDown → stopped, live counting down, every task machine final', async () => {
    const wStops = gate();
    const c = inspected([
      task('w', stopsWhen(wStops.promise)),
      supervisor('group', { children: [task('x', ({ signal }) => untilAborted(signal)), task('y', ({ signal }) => untilAborted(signal))] }),
    ]);
    await c.h.app.start();
    await flush();
    let view = await look(c);
    expect(supervisorState(view, 'app')).toEqual({ value: 'running', context: { window: [], restart: null, live: 2 } });
    expect(supervisorState(view, 'app/group#1')).toEqual({ value: 'running', context: { window: [], restart: null, live: 2 } });

    // The group's children stop at once and the group with them; w is still stopping.
    const shutdown = c.h.app.shutdown();
    await flush();
    view = await look(c);
    expect(supervisorState(view, 'app')).toEqual({ value: 'shuttingDown', context: { window: [], restart: null, live: 1 } });
    expect(taskState(view, 'app/w')).toEqual({ value: 'stopping', attempt: 1, status: 'active' });
    expect(supervisorState(view, 'app/group#1').value).toBe('stopped');
    for (const path of ['app/group', 'app/group/x', 'app/group/y']) {
      expect(taskState(view, path)).toEqual({ value: 'exhausted', attempt: 1, status: 'done' });
    }

    wStops.open();
    await expect(shutdown).resolves.toEqual({ withinGrace: true, stuck: [] });
    view = await look(c);
    expect(supervisorState(view, 'app')).toEqual({ value: 'stopped', context: { window: [], restart: null, live: 0 } });
    const tasks = [...view].filter(([name, actor]) => !name.includes('#') && actor.sessionId !== seen(view, 'app').sessionId);
    expect(tasks.map(([name]) => name).sort()).toEqual(['app/group', 'app/group/x', 'app/group/y', 'app/w']);
    for (const [name, actor] of tasks) expect([name, actor.value, actor.status]).toEqual([name, 'exhausted', 'done']);

    // Step by step: both supervisors shut down, each counting its live children down to 0.
    for (const name of ['app', 'app/group#1']) {
      const { sessionId } = seen(view, name);
      expect(walkOf(c.raw, sessionId), name).toEqual(['running', 'shuttingDown', 'stopped']);
      expect(contextWalk(c.raw, sessionId, (context) => context['live']), name).toEqual([0, 2, 1, 0]);
    }
    // Each child's end reached its supervisor from the child's task machine.
    expect(sentBetween(c, 'xstate.done.actor.app/w')).toEqual([['app/w', 'app']]);
    expect(sentBetween(c, 'xstate.done.actor.app/group')).toEqual([['app/group', 'app']]);
    expect(sentBetween(c, 'xstate.done.actor.app/group/x')).toEqual([['app/group/x', 'app/group#1']]);
  });
});
