/**
 * `durationMs` on `TaskStopped`, `TaskFailed` and `TimeoutHit` (DESIGN §4): the attempt's run
 * time on the supervisor clock, from its `TaskStarted` to its terminal event; 0 for an attempt
 * that never published `TaskStarted`.
 */
import { describe, expect, it } from 'vitest';
import { runnerTask } from '../src/index.ts';
import { gate, harness } from './support.ts';

describe('durationMs', () => {
  it('counts from TaskStarted, not from TaskStarting, to the terminal event', async () => {
    const begin = gate();
    const end = gate();
    const h = harness({
      children: [
        runnerTask('late', async (ctx) => {
          await begin.promise;
          ctx.started();
          await end.promise;
          return { kind: 'completed' };
        }, { restart: 'never' }),
      ],
    });
    await h.app.start();
    await h.advance(100);
    begin.open();
    await h.advance(250);
    end.open();
    await h.app.outcome('late');
    expect(h.of('late').find((event) => event.kind === 'TaskStopped')).toMatchObject({ stopReason: 'finished', durationMs: 250 });
  });

  it('is 0 for an attempt that never published TaskStarted', async () => {
    const h = harness({
      children: [runnerTask('nostart', async () => ({ kind: 'failed', reason: 'could not begin' }), { restart: 'never' })],
    });
    await h.app.start();
    await h.advance(10);
    await expect(h.app.outcome('nostart')).resolves.toMatchObject({ kind: 'failed' });
    expect(h.kinds('nostart')).not.toContain('TaskStarted');
    expect(h.of('nostart').find((event) => event.kind === 'TaskFailed')).toMatchObject({ reason: 'could not begin', durationMs: 0 });
  });
});
