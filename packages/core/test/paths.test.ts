/**
 * How the methods name a node (issue 9, defect 4 and "Relative paths"; DESIGN.md §2 "Outcomes"):
 * `outcome`, `remove`, `cancel`, `restart`, `child` and `explain` take a root child's name, a
 * full path (`app/inner/leaf`) or a path relative to the root (`inner/leaf`). A name that is not
 * a non-empty string is a ConfigError naming `nameOrPath`: thrown by `child` / `explain`, a
 * rejection from the methods that return promises. An unknown path says how paths are written.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, UnknownTaskError, supervisor, task } from '../src/index.ts';
import type { Supervisor } from '../src/index.ts';
import { flush, harness, rejection, untilAborted } from './support.ts';

const forever = task('leaf', ({ signal }) => untilAborted(signal));

async function nestedApp() {
  const h = harness({ children: [supervisor('inner', { children: [forever] }), task('top', ({ signal }) => untilAborted(signal))] });
  await h.app.start();
  await flush();
  return h;
}

describe('relative paths', () => {
  it('outcome, child and explain read a path relative to the root like the full path', async () => {
    const h = await nestedApp();
    expect(h.app.child('inner/leaf').path).toBe('app/inner/leaf');
    expect(h.app.child('app/inner/leaf').path).toBe('app/inner/leaf');
    expect(h.app.explain('inner/leaf')).toEqual(h.app.explain('app/inner/leaf'));
    const relative = h.app.outcome('inner/leaf');
    await expect(h.app.cancel('inner/leaf')).resolves.toBe(true);
    await expect(relative).resolves.toEqual({ kind: 'cancelled' });
    await expect(h.app.outcome('app/inner/leaf')).resolves.toEqual({ kind: 'cancelled' });
    await h.app.shutdown();
  });

  it('remove and restart take relative paths too', async () => {
    const h = await nestedApp();
    await expect(h.app.restart('inner/leaf')).resolves.toBe(true);
    await flush();
    expect(h.kinds('app/inner/leaf').filter((kind) => kind === 'TaskStarting')).toHaveLength(2);
    await expect(h.app.remove('inner/leaf')).resolves.toBe(true);
    await flush();
    expect(h.kinds('app/inner/leaf').at(-1)).toBe('TaskRemoved');
    await h.app.shutdown();
  });

  it('a name is a root child; a full path of a root child works too', async () => {
    const h = await nestedApp();
    expect(h.app.child('top').path).toBe('app/top');
    expect(h.app.child('app/top').path).toBe('app/top');
    await expect(h.app.cancel('app/top')).resolves.toBe(true);
    await h.app.shutdown();
  });

  it("the root's own name is the root; a root child named like the root is reached by its full path", async () => {
    const h = harness({ children: [supervisor('app', { children: [forever] })] });
    await h.app.start();
    await flush();
    expect(h.app.explain('app')).toEqual(h.app.explain());
    expect(h.app.child('app/app').path).toBe('app/app');
    expect(h.app.child('app/app/leaf').path).toBe('app/app/leaf');
    expect(() => h.app.child('app')).toThrow(UnknownTaskError);
    await expect(h.app.remove('app')).resolves.toBe(false);
    const root = h.app.outcome('app');
    await expect(h.app.cancel('app/app')).resolves.toBe(true);
    await h.app.shutdown();
    await expect(root).resolves.toEqual({ kind: 'cancelled' });
  });

  it('a waiting submission is taken out of its queue by its name or its full path', async () => {
    const h = harness();
    await h.app.start();
    await h.app.submit(task('job1', ({ signal }) => untilAborted(signal)), { slot: 's', admission: 'queue' });
    await h.app.submit(task('job2', async () => 'two'), { slot: 's', admission: 'queue' });
    await h.app.submit(task('job3', async () => 'three'), { slot: 's', admission: 'queue' });
    await expect(h.app.remove('app/job2')).resolves.toBe(true);
    await expect(h.app.cancel('job3')).resolves.toBe(true);
    await expect(h.app.outcome('job2')).resolves.toEqual({ kind: 'rejected', reason: 'removed-from-queue' });
    await expect(h.app.outcome('app/job3')).resolves.toEqual({ kind: 'rejected', reason: 'removed-from-queue' });
    await h.app.shutdown();
  });

  it('an unknown path rejects with UnknownTaskError whose message says how paths are written', async () => {
    const h = await nestedApp();
    const error = await rejection(h.app.outcome('inner/nobody'));
    expect(error).toBeInstanceOf(UnknownTaskError);
    expect(error).toMatchObject({ code: 'ERR_UNKNOWN_TASK', path: 'app/inner/nobody' });
    expect((error as Error).message).toContain('"app"');
    expect((error as Error).message).toContain('relative to the root');
    expect(() => h.app.child('inner/nobody')).toThrow(/relative to the root/);
    await h.app.shutdown();
  });

  it('methods on an unknown path: false from remove/cancel/restart, [] from explain', async () => {
    const h = await nestedApp();
    await expect(h.app.remove('inner/nobody')).resolves.toBe(false);
    await expect(h.app.cancel('nobody/leaf')).resolves.toBe(false);
    await expect(h.app.restart('a//b')).resolves.toBe(false);
    expect(h.app.explain('nobody/leaf')).toEqual([]);
    await h.app.shutdown();
  });
});

describe('names that are not strings', () => {
  const BAD: readonly (readonly [string, unknown, string])[] = [
    ['a number', 42, '42'],
    ['null', null, 'null'],
    ['an object', {}, 'an object'],
    ['an array', [], 'an array'],
    ['the empty string', '', '""'],
    ['a revoked Proxy', (() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; })(), 'unreadable'],
  ];
  /** Calls a method with a value its type does not allow, as JavaScript callers can. */
  const loose = (app: Supervisor) => app as unknown as Record<'remove' | 'cancel' | 'restart' | 'outcome', (value: unknown) => Promise<unknown>> &
    Record<'child' | 'explain', (value: unknown) => unknown>;

  it.each(BAD)('%s: a ConfigError rejection from remove/cancel/restart/outcome, never a synchronous throw', async (_what, value, quoted) => {
    const h = await nestedApp();
    const app = loose(h.app);
    for (const method of ['remove', 'cancel', 'restart', 'outcome'] as const) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = app[method](value);
      }).not.toThrow();
      const error = await rejection(promise ?? Promise.resolve());
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ code: 'ERR_INVALID_CONFIG', field: 'nameOrPath' });
      expect((error as Error).message).toContain(quoted);
    }
    await h.app.shutdown();
  });

  it.each(BAD)('%s: child and explain throw a ConfigError naming nameOrPath', async (_what, value) => {
    const h = await nestedApp();
    const app = loose(h.app);
    for (const method of ['child', 'explain'] as const) {
      expect(() => app[method](value)).toThrow(ConfigError);
      try {
        app[method](value);
      } catch (error) {
        expect(error).toMatchObject({ field: 'nameOrPath' });
      }
    }
    await h.app.shutdown();
  });

  it('outcome() and explain() without an argument still mean the supervisor itself', async () => {
    const h = await nestedApp();
    expect(h.app.explain()).toEqual([]);
    const own = h.app.outcome();
    await h.app.shutdown();
    await expect(own).resolves.toEqual({ kind: 'cancelled' });
  });
});
