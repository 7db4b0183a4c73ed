/**
 * explain() after a give-up (issue 9, defect 7): the restart decisions that led a supervisor to
 * give up stay visible, for the root and for a nested supervisor, by name, path and relative path.
 */
import { describe, expect, it } from 'vitest';
import { supervisor, task } from '../src/index.ts';
import { harness } from './support.ts';

const failing = (name: string) =>
  task(name, () => Promise.reject(new Error(`${name} broke`)), { backoff: { firstMs: 0, maxMs: 0 } });

describe('explain() after a give-up', () => {
  it('the root keeps the decisions that made it give up', async () => {
    const h = harness({ intensity: { maxRestarts: 2, periodMs: 60_000 }, children: [failing('bad')] });
    await h.app.start();
    await expect(h.app.outcome()).resolves.toMatchObject({ kind: 'failed' });
    const decisions = h.app.explain();
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, false]);
    expect(decisions.every((decision) => decision.path === 'app/bad')).toBe(true);
    expect(h.app.explain('bad')).toEqual(decisions);
    expect(h.app.explain('app/bad')).toEqual(decisions);
    await h.app.shutdown();
    expect(h.app.explain()).toEqual(decisions);
  });

  it('a nested supervisor that gave up keeps its decisions, by its path and by its child', async () => {
    const h = harness({
      children: [
        supervisor('inner', { restart: 'never', intensity: { maxRestarts: 1, periodMs: 60_000 }, children: [failing('leaf')] }),
      ],
    });
    await h.app.start();
    await expect(h.app.outcome('inner')).resolves.toMatchObject({ kind: 'failed' });
    const inner = h.app.explain('inner');
    expect(inner.map((decision) => [decision.path, decision.allowed])).toEqual([
      ['app/inner/leaf', true],
      ['app/inner/leaf', false],
    ]);
    expect(h.app.explain('app/inner')).toEqual(inner);
    expect(h.app.explain('inner/leaf')).toEqual(inner);
    expect(h.app.explain('app/inner/leaf')).toEqual(inner);
    await h.app.shutdown();
  });

  it('a nested supervisor restarted after giving up still shows the earlier decisions', async () => {
    const h = harness({
      children: [
        supervisor('inner', {
          restart: 'on-failure',
          maxRetries: 1,
          backoff: { firstMs: 0, maxMs: 0 },
          intensity: { maxRestarts: 1, periodMs: 60_000 },
          children: [failing('leaf')],
        }),
      ],
    });
    await h.app.start();
    await expect(h.app.outcome('inner')).resolves.toMatchObject({ kind: 'failed' });
    // Two incarnations, each gave up after one allowed and one refused restart.
    expect(h.app.explain('inner').map((decision) => decision.allowed)).toEqual([true, false, true, false]);
    // The root's own decision about restarting `inner`.
    expect(h.app.explain().filter((decision) => decision.path === 'app/inner')).toHaveLength(1);
    await h.app.shutdown();
  });
});
