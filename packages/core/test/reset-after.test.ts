/**
 * `resetAfterMs` (DESIGN §2 "Policies"): the failure of an attempt that stayed up for at least
 * `resetAfterMs` (from its TaskStarted, on the supervisor clock) begins a new failure streak.
 * Regression: only a success used to end a streak, so a `maxRetries: 2` service that crashed
 * once an hour was given up for good after three hours.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, supervisor, task } from '../src/index.ts';
import type { BackoffScheduled, TaskFn } from '../src/index.ts';
import { configError, flush, gate, harness, rejection, track } from './support.ts';

const HOUR = 3_600_000;
const NO_JITTER = { firstMs: 100, maxMs: 10_000, factor: 2, jitter: 'none' } as const;

/** A task whose every attempt runs until the test makes it crash (`crash()`). */
function crashable(): { run: TaskFn; crash(): void; attempts(): number } {
  const gates: ReturnType<typeof gate>[] = [];
  return {
    run: () => {
      const g = gate();
      gates.push(g);
      return g.promise;
    },
    crash: () => gates.at(-1)?.fail(new Error('crashed')),
    attempts: () => gates.length,
  };
}

const backoffs = (events: readonly { kind: string }[]): BackoffScheduled[] =>
  events.filter((event): event is BackoffScheduled => event.kind === 'BackoffScheduled');

describe('resetAfterMs: uptime ends a failure streak', () => {
  it('a maxRetries: 2 service that crashes once an hour is retried from the first delay for ever', async () => {
    const service = crashable();
    const h = harness({ children: [task('svc', service.run, { maxRetries: 2, backoff: NO_JITTER })] });
    await h.app.start();
    const outcome = track(h.app.outcome('svc'));
    for (let crash = 1; crash <= 6; crash++) {
      await h.advance(HOUR);
      service.crash();
      await flush();
      await h.advance(100);
    }
    expect(outcome.settled).toBe(false);
    expect(service.attempts()).toBe(7);
    expect(h.kinds('svc')).not.toContain('ActorExhausted');
    expect(backoffs(h.of('svc')).map((event) => event.delayMs)).toEqual([100, 100, 100, 100, 100, 100]);
  });

  it('a crash loop still exhausts maxRetries: attempts shorter than resetAfterMs keep the streak', async () => {
    const service = crashable();
    // No resetAfterMs: the default, 30 000 ms.
    const h = harness({ children: [task('loop', service.run, { maxRetries: 2, backoff: NO_JITTER })] });
    await h.app.start();
    // Each attempt runs 20 000 ms plus what is left of the second after its backoff: < 30 000.
    for (let crash = 1; crash <= 3; crash++) {
      await h.advance(20_000);
      service.crash();
      await flush();
      await h.advance(1_000, 100);
    }
    await expect(h.app.outcome('loop')).resolves.toMatchObject({ kind: 'failed', reason: 'crashed' });
    expect(service.attempts()).toBe(3);
    expect(backoffs(h.of('loop')).map((event) => event.delayMs)).toEqual([100, 200]);
  });

  it('exactly resetAfterMs of uptime resets; the reset shows in BackoffScheduled and explain()', async () => {
    const service = crashable();
    const h = harness({ children: [task('svc', service.run, { maxRetries: 1, backoff: NO_JITTER, resetAfterMs: 5_000 })] });
    await h.app.start();
    service.crash(); // attempt 1: a failure at once, streak 1
    await h.advance(100);
    await h.advance(5_000);
    service.crash(); // attempt 2 ran 5000 ms: a new streak, not the end of maxRetries
    await h.advance(100);
    expect(service.attempts()).toBe(3);
    const [first, second] = backoffs(h.of('svc'));
    expect(first?.explanation?.streakReset).toBeUndefined();
    expect(second?.delayMs).toBe(100);
    expect(second?.explanation?.streakReset).toEqual({ uptimeMs: 5_000, resetAfterMs: 5_000 });
    expect(h.app.explain('svc').map((record) => record.streakReset)).toEqual([undefined, { uptimeMs: 5_000, resetAfterMs: 5_000 }]);
    await h.advance(4_999);
    service.crash(); // attempt 3 ran 4999 ms: the streak goes on, and maxRetries: 1 is spent
    await expect(h.app.outcome('svc')).resolves.toMatchObject({ kind: 'failed' });
  });

  it('defaults.resetAfterMs sets it for a subtree, a child overrides it', async () => {
    const [a, b, c] = [crashable(), crashable(), crashable()];
    const h = harness({
      defaults: { maxRetries: 1, backoff: NO_JITTER },
      children: [
        task('a', a.run),
        supervisor('sub', {
          defaults: { resetAfterMs: 1_000 },
          children: [task('b', b.run), task('c', c.run, { resetAfterMs: 60_000 })],
        }),
      ],
    });
    await h.app.start();
    await flush();
    for (const s of [a, b, c]) s.crash(); // streak 1 each
    await h.advance(100);
    await h.advance(2_000);
    for (const s of [a, b, c]) s.crash(); // attempt 2 ran 2000 ms
    await flush();
    await expect(h.app.outcome('a')).resolves.toMatchObject({ kind: 'failed' }); // default 30 000: the streak goes on
    await expect(h.app.outcome('app/sub/c')).resolves.toMatchObject({ kind: 'failed' }); // its own 60 000
    await h.advance(100);
    expect(b.attempts()).toBe(3); // the subtree's 1 000: a new streak
    expect(h.kinds('app/sub/b')).not.toContain('ActorExhausted');
  });

  it('maxRetries 0 with a long uptime: the failure is the first of a new streak, which allows no retry', async () => {
    const service = crashable();
    const h = harness({ children: [task('svc', service.run, { maxRetries: 0, resetAfterMs: 10 })] });
    await h.app.start();
    await h.advance(HOUR);
    service.crash();
    await expect(h.app.outcome('svc')).resolves.toMatchObject({ kind: 'failed', reason: 'crashed' });
  });

  it('uptime resets per subtree default: with defaults.resetAfterMs the hourly crash keeps restarting', async () => {
    const service = crashable();
    const h = harness({
      defaults: { resetAfterMs: 60_000, maxRetries: 1, backoff: NO_JITTER },
      children: [task('svc', service.run)],
    });
    await h.app.start();
    for (let crash = 1; crash <= 3; crash++) {
      await h.advance(HOUR);
      service.crash();
      await flush();
      await h.advance(100);
    }
    expect(service.attempts()).toBe(4);
    expect(h.kinds('svc')).not.toContain('ActorExhausted');
  });
});

describe('resetAfterMs validation', () => {
  it.each([
    ['a negative number', -1],
    ['beyond Number.MAX_SAFE_INTEGER', 2 ** 60],
    ['NaN', Number.NaN],
    ['a string', '30s'],
  ])('task() refuses %s, naming options.resetAfterMs and quoting the value', (_what, value) => {
    const error = configError(() => task('t', async () => 1, { resetAfterMs: value as number }));
    expect(error.field).toBe('options.resetAfterMs');
    expect(error.message).toContain(typeof value === 'string' ? `"${value}"` : String(value));
  });

  it('createSupervisor refuses a bad defaults.resetAfterMs; supervisor() a bad options.defaults.resetAfterMs', () => {
    expect(configError(() => createSupervisor({ defaults: { resetAfterMs: -5 } })).field).toBe('defaults.resetAfterMs');
    expect(configError(() => supervisor('s', { defaults: { resetAfterMs: -0.5 } })).field).toBe('options.defaults.resetAfterMs');
    expect(configError(() => supervisor('s', { resetAfterMs: -1 })).field).toBe('options.resetAfterMs');
  });

  it('add() and submit() reject a hand-made spec with a bad resetAfterMs, naming the field', async () => {
    const h = harness();
    await h.app.start();
    const spec = { ...task('x', async () => 1), options: { resetAfterMs: -1 } };
    await expect(rejection(h.app.add(spec))).resolves.toMatchObject({ code: 'ERR_INVALID_CONFIG', field: 'spec' });
    await expect(rejection(h.app.submit(spec, { slot: 's', admission: 'queue' }))).resolves.toMatchObject({ code: 'ERR_INVALID_CONFIG', field: 'spec' });
  });
});
