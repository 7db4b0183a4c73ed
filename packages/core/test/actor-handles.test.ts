/**
 * XState actor children you can talk to (DESIGN.md §2 "Handles"): `task(name, logic, { input })`
 * gives each attempt's actor that input, and `child(p).send(event)` / `child(p).getSnapshot()`
 * reach the current attempt's actor, following the incarnation, never the name.
 */
import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import { runnerTask, supervisor, task } from '../src/index.ts';
import type { ChildHandle } from '../src/index.ts';
import { configError, flush, harness } from './support.ts';

const NO_JITTER = { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' } as const;

const counter = setup({
  types: {
    context: {} as { count: number },
    input: {} as { start: number },
    events: {} as { type: 'inc' } | { type: 'boom' } | { type: 'finish' },
  },
  actions: {
    boom: () => {
      throw new Error('counter broke');
    },
  },
}).createMachine({
  context: ({ input }) => ({ count: input.start }),
  initial: 'counting',
  states: {
    counting: {
      on: {
        inc: { actions: assign({ count: ({ context }) => context.count + 1 }) },
        boom: { actions: 'boom' },
        finish: 'done',
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.count,
});

/** The counter's count as the handle sees it (undefined when there is no attempt actor). */
function countOf(handle: ChildHandle): number | undefined {
  const snapshot = handle.getSnapshot() as SnapshotFrom<typeof counter> | undefined;
  return snapshot?.context.count;
}

describe('XState actor children: input, send, getSnapshot', () => {
  it('send drives the current attempt; a restart starts fresh from the same input and a kept handle follows it', async () => {
    const h = harness({ children: [task('counter', counter, { input: { start: 10 }, backoff: NO_JITTER })] });
    await h.app.start();
    await flush();
    const handle = h.app.child('counter');
    expect(countOf(handle)).toBe(10);
    expect(handle.send({ type: 'inc' })).toBe(true);
    expect(handle.send({ type: 'inc' })).toBe(true);
    expect(countOf(handle)).toBe(12);
    expect(handle.getSnapshot()?.status).toBe('active');

    expect(handle.send({ type: 'boom' })).toBe(true);
    await flush();
    expect(h.kinds('counter')).toContain('TaskFailed');
    expect(h.kinds('counter').at(-1)).toBe('BackoffScheduled');
    // Between attempts there is no actor: the event is dropped, not queued for the next attempt.
    expect(handle.send({ type: 'inc' })).toBe(false);
    expect(handle.getSnapshot()).toBeUndefined();

    await h.advance(100);
    expect(h.app.snapshot().children?.[0]?.attempt).toBe(2);
    expect(countOf(handle)).toBe(10); // a fresh actor: context reset from the same input
    expect(handle.send({ type: 'inc' })).toBe(true);
    expect(countOf(handle)).toBe(11);
    expect(h.app.child('counter').getSnapshot()).toBe(handle.getSnapshot());

    expect(handle.send({ type: 'finish' })).toBe(true);
    await expect(h.app.outcome('counter')).resolves.toEqual({ kind: 'completed', output: 11 });
  });

  it('after remove, send returns false and getSnapshot is undefined, even when a new child takes the name', async () => {
    const h = harness({ children: [task('counter', counter, { input: { start: 1 } })] });
    await h.app.start();
    await flush();
    const old = h.app.child('counter');
    expect(old.send({ type: 'inc' })).toBe(true);
    await h.app.cancel('counter');
    expect(old.send({ type: 'inc' })).toBe(false);
    expect(old.getSnapshot()).toBeUndefined();

    await h.app.add(task('counter', counter, { input: { start: 100 } }));
    await flush();
    const fresh = h.app.child('counter');
    expect(countOf(fresh)).toBe(100);
    expect(old.send({ type: 'inc' })).toBe(false);
    expect(old.getSnapshot()).toBeUndefined();
    expect(countOf(fresh)).toBe(100);
    expect(fresh.send({ type: 'inc' })).toBe(true);
    expect(countOf(fresh)).toBe(101);
  });

  it('the input is handed to each attempt as is, not copied', async () => {
    const input = { start: 0, tag: new Map([['owner', 'ops']]) };
    const echo = setup({ types: { context: {} as { input: typeof input }, input: {} as typeof input } }).createMachine({
      context: ({ input: given }) => ({ input: given }),
    });
    const h = harness({ children: [task('echo', echo, { input })] });
    await h.app.start();
    await flush();
    const snapshot = h.app.child('echo').getSnapshot() as SnapshotFrom<typeof echo> | undefined;
    expect(snapshot?.context.input).toBe(input);
    expect(Object.isFrozen(input)).toBe(false);
  });

  it('a handle of a child that is not an XState actor has no actor to talk to', async () => {
    let release = (): void => undefined;
    const h = harness({
      children: [
        task('fn', () => new Promise<void>((resolve) => (release = resolve))),
        supervisor('sub', { children: [task('inner', counter, { input: { start: 5 } })] }),
      ],
    });
    await h.app.start();
    await flush();
    for (const name of ['fn', 'sub']) {
      expect(h.app.child(name).send({ type: 'inc' })).toBe(false);
      expect(h.app.child(name).getSnapshot()).toBeUndefined();
    }
    // A child of a nested supervisor is reached by its path.
    expect(countOf(h.app.child('sub/inner'))).toBe(5);
    expect(h.app.child('sub/inner').send({ type: 'inc' })).toBe(true);
    expect(countOf(h.app.child('app/sub/inner'))).toBe(6);
    release();
  });

  it('refuses input for a function task, a child supervisor or a runner task, and a send that is not an event', async () => {
    expect(configError(() => task('fn', async () => 1, { input: 1 } as never)).field).toBe('options.input');
    expect(configError(() => supervisor('sub', { input: { a: 1 } } as never)).field).toBe('options.input');
    const runner = () => Promise.resolve({ kind: 'completed' as const });
    expect(configError(() => runnerTask('r', runner, { input: 'x' } as never)).field).toBe('options.input');
    expect(() => task('fn', async () => 1, { input: undefined } as never)).not.toThrow(); // undefined = absent

    const h = harness({ children: [task('counter', counter, { input: { start: 0 } })] });
    await h.app.start();
    await flush();
    const handle = h.app.child('counter');
    expect(configError(() => handle.send('inc' as never)).field).toBe('event');
    expect(configError(() => handle.send({ type: 7 } as never)).field).toBe('event.type');
    expect(configError(() => handle.send(null as never)).field).toBe('event');
    expect(countOf(handle)).toBe(0);
  });
});
