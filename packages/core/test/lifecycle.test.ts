import { describe, expect, it } from 'vitest';
import { FatalError, task } from '../src/index.ts';
import { flush, harness, untilAborted } from './support.ts';

const none = { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' } as const;

describe('task lifecycle', () => {
  it('a task that resolves completes with its output', async () => {
    const h = harness({ children: [task('ok', async () => 42)] });
    await h.app.start();
    await expect(h.app.outcome('ok')).resolves.toEqual({ kind: 'completed', output: 42 });
    expect(h.kinds('ok')).toEqual([
      'TaskAddRequested',
      'TaskAdded',
      'TaskStarting',
      'TaskStarted',
      'TaskStopped',
      'ActorExhausted',
      'TaskRemoved',
    ]);
  });

  it('retries a failing task with exact backoff delays on the injected clock', async () => {
    const h = harness({
      children: [
        task('flaky', async ({ attempt }) => {
          if (attempt < 4) throw new Error(`boom ${attempt}`);
          return attempt;
        }, { backoff: none }),
      ],
    });
    await h.app.start();
    await h.advance(0);
    const delays = (): number[] =>
      h.of('flaky').flatMap((event) => (event.kind === 'BackoffScheduled' ? [event.delayMs] : []));
    expect(delays()).toEqual([100]);
    await h.advance(99);
    expect(h.kinds('flaky').filter((k) => k === 'TaskStarting')).toHaveLength(1);
    await h.advance(1);
    expect(delays()).toEqual([100, 200]);
    await h.advance(200);
    await h.advance(400);
    await expect(h.app.outcome('flaky')).resolves.toEqual({ kind: 'completed', output: 4 });
    expect(delays()).toEqual([100, 200, 400]);
  });

  it('a FatalError is never retried, even under always', async () => {
    const h = harness({
      children: [task('doomed', async () => { throw new FatalError('unrecoverable', { exitCode: 7 }); }, { restart: 'always' })],
    });
    await h.app.start();
    const outcome = await h.app.outcome('doomed');
    expect(outcome).toMatchObject({ kind: 'fatal', reason: 'unrecoverable', exitCode: 7 });
    expect(h.kinds('doomed').filter((k) => k === 'TaskStarting')).toHaveLength(1);
  });

  it('cancel of a cooperative task ends it cancelled with TaskStopped terminated user-requested', async () => {
    const h = harness({ children: [task('coop', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    await flush();
    await expect(h.app.cancel('coop')).resolves.toBe(true);
    await expect(h.app.outcome('coop')).resolves.toEqual({ kind: 'cancelled' });
    const stopped = h.of('coop').find((event) => event.kind === 'TaskStopped');
    expect(stopped).toMatchObject({ stopReason: { terminated: 'user-requested' } });
    expect(h.kinds('coop').at(-1)).toBe('TaskRemoved');
  });
});
