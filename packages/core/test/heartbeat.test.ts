/**
 * The heartbeat watchdog (DESIGN §2 "Graces and heartbeats", §4): `heartbeatTimeoutMs` arms one
 * watchdog per attempt; without a heartbeat for that long, `HealthCheckFailed { probe:
 * 'heartbeat' }`, the attempt is stopped, and it ends `TaskFailed` (retryable).
 */
import { SimulatedClock, createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { createSupervisor, runnerTask, supervisor, task } from '../src/index.ts';
import type { Clock, SupervisorEvent, TaskContext } from '../src/index.ts';
import { configError, flush, gate, harness, rejection, untilAborted } from './support.ts';

const NO_JITTER = { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' } as const;

/** A SimulatedClock that counts the timers it was asked for and those still pending. */
function countingClock(): Clock & { readonly sim: SimulatedClock; made: number; readonly pending: Set<number> } {
  const sim = new SimulatedClock();
  const pending = new Set<number>();
  const clock = {
    sim,
    made: 0,
    pending,
    setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown {
      clock.made++;
      const handle = sim.setTimeout(() => {
        pending.delete(handle);
        fn();
      }, ms);
      pending.add(handle);
      return handle;
    },
    clearTimeout(handle: unknown): void {
      if (typeof handle !== 'number') return;
      pending.delete(handle);
      sim.clearTimeout(handle);
    },
    now: () => sim.now(),
  };
  return clock;
}

describe('heartbeat watchdog', () => {
  it('a silent attempt: HealthCheckFailed at heartbeatTimeoutMs, then TaskFailed (retryable) saying why', async () => {
    const reasons: unknown[] = [];
    const h = harness({
      children: [
        task('silent', async ({ signal, attempt }) => {
          await untilAborted(signal);
          reasons.push(signal.reason);
          return `returned ${attempt}`;
        }, { heartbeatTimeoutMs: 1_000, backoff: NO_JITTER }),
      ],
    });
    await h.app.start();
    await h.advance(999);
    expect(h.kinds('silent')).not.toContain('HealthCheckFailed');
    await h.advance(1);
    const kinds = h.kinds('silent');
    expect(kinds.slice(2, 7)).toEqual(['TaskStarting', 'TaskStarted', 'HealthCheckFailed', 'TaskFailed', 'BackoffScheduled']);
    const reason = 'no heartbeat for 1000ms (heartbeatTimeoutMs 1000)';
    expect(h.of('silent').find((event) => event.kind === 'HealthCheckFailed')).toMatchObject({
      attempt: 1,
      probe: 'heartbeat',
      reason,
      failures: 1,
    });
    expect(h.of('silent').find((event) => event.kind === 'TaskFailed')).toMatchObject({ attempt: 1, reason, durationMs: 1_000 });
    expect((reasons[0] as DOMException).name).toBe('TimeoutError');
    // Retried like any failure: attempt 2 starts after the first backoff delay.
    await h.advance(100);
    expect(h.of('silent').filter((event) => event.kind === 'TaskStarted')).toHaveLength(2);
    await h.app.cancel('silent');
    await expect(h.app.outcome('silent')).resolves.toMatchObject({ kind: 'cancelled' });
  });

  it('each heartbeat() postpones it: it fires heartbeatTimeoutMs after the last one', async () => {
    let beat: (() => void) | undefined;
    const h = harness({
      children: [
        task('svc', async ({ signal, heartbeat }) => {
          beat = heartbeat; // safe to destructure and keep
          await untilAborted(signal);
        }, { heartbeatTimeoutMs: 1_000, restart: 'never' }),
      ],
    });
    await h.app.start();
    await h.advance(600);
    beat?.();
    await h.advance(900);
    beat?.();
    await h.advance(999);
    expect(h.kinds('svc')).not.toContain('HealthCheckFailed');
    await h.advance(1);
    expect(h.kinds('svc')).toContain('HealthCheckFailed');
    await expect(h.app.outcome('svc')).resolves.toEqual({ kind: 'failed', reason: 'no heartbeat for 1000ms (heartbeatTimeoutMs 1000)' });
  });

  it('a runner output line is a heartbeat (outputBatch too)', async () => {
    const lines = gate();
    const h = harness({
      children: [
        runnerTask('proc', async (ctx) => {
          ctx.started();
          await lines.promise;
          return { kind: 'completed' };
        }, { heartbeatTimeoutMs: 500, restart: 'never' }),
      ],
    });
    await h.app.start();
    // The attempt's context, as the runner got it.
    let context: { output(line: string, stream: 'stdout'): void; outputBatch(lines: string[], stream: 'stdout'): void } | undefined;
    await h.app.add(
      runnerTask('probe', async (ctx) => {
        context = ctx;
        ctx.started();
        await untilAborted(ctx.signal);
        return { kind: 'completed' };
      }, { heartbeatTimeoutMs: 500, restart: 'never' }),
    );
    await flush();
    for (let i = 0; i < 4; i++) {
      await h.advance(400);
      if (i % 2 === 0) context?.output(`line ${i}`, 'stdout');
      else context?.outputBatch([`line ${i}`], 'stdout');
    }
    expect(h.kinds('probe')).not.toContain('HealthCheckFailed');
    expect(h.kinds('proc')).toContain('HealthCheckFailed');
    lines.open();
  });

  it('uses one timer per attempt, however many heartbeats come', async () => {
    const clock = countingClock();
    let beat: (() => void) | undefined;
    const app = createSupervisor({
      clock,
      children: [
        task('busy', async ({ signal, heartbeat }) => {
          beat = heartbeat;
          await untilAborted(signal);
        }, { heartbeatTimeoutMs: 1_000 }),
      ],
    });
    await app.start();
    await flush();
    const before = clock.made;
    for (let i = 0; i < 10_000; i++) beat?.();
    clock.sim.increment(999);
    expect(clock.made).toBe(before);
    // When it fires early it is armed again, once, for the rest.
    clock.sim.increment(1);
    expect(clock.made).toBe(before + 1);
    await app.shutdown();
  });

  it('ends with its attempt: no watchdog timer is left once the attempt has ended', async () => {
    const clock = countingClock();
    const done = gate();
    const app = createSupervisor({
      clock,
      children: [task('job', () => done.promise, { heartbeatTimeoutMs: 60_000, restart: 'never' })],
    });
    const events: SupervisorEvent[] = [];
    app.events$.subscribe((event) => events.push(event));
    await app.start();
    await flush();
    expect(clock.pending.size).toBe(1);
    done.open();
    await app.outcome('job');
    expect(clock.pending.size).toBe(0);
    clock.sim.increment(120_000);
    expect(events.map((event) => event.kind)).not.toContain('HealthCheckFailed');
    await app.shutdown();
  });

  it('heartbeat() without a watchdog, or after the attempt ended, does nothing', async () => {
    let late: TaskContext['heartbeat'] | undefined;
    const h = harness({
      children: [
        task('plain', ({ heartbeat }) => {
          heartbeat();
          late = heartbeat;
          return 'ok';
        }),
      ],
    });
    await h.app.start();
    await expect(h.app.outcome('plain')).resolves.toEqual({ kind: 'completed', output: 'ok' });
    expect(() => late?.()).not.toThrow();
  });

  it('a stubborn silent attempt is abandoned after the child grace, and still ends TaskFailed', async () => {
    const h = harness({
      graceMs: 5_000,
      children: [task('deaf', () => new Promise<never>(() => undefined), { heartbeatTimeoutMs: 100, graceMs: 50, restart: 'never' })],
    });
    await h.app.start();
    await h.advance(100);
    expect(h.kinds('deaf')).toContain('HealthCheckFailed');
    expect(h.kinds('deaf')).not.toContain('TaskFailed');
    await h.advance(50);
    expect(h.of('deaf').find((event) => event.kind === 'TaskFailed')).toMatchObject({ durationMs: 150 });
    await expect(h.app.outcome('deaf')).resolves.toMatchObject({ kind: 'failed', reason: expect.stringContaining('no heartbeat') as string });
  });
});

describe('heartbeatTimeoutMs validation', () => {
  it.each([
    ['0', 0],
    ['a negative number', -1],
    ['a fraction below 1', 0.5],
    ['beyond Number.MAX_SAFE_INTEGER', 2 ** 60],
    ['a string', '1s'],
  ])('task() refuses %s (from 1 ms), naming options.heartbeatTimeoutMs', (_what, value) => {
    const error = configError(() => task('t', async () => 1, { heartbeatTimeoutMs: value as number }));
    expect(error.field).toBe('options.heartbeatTimeoutMs');
    expect(error.message).toContain('from 1 to Number.MAX_SAFE_INTEGER');
  });

  it('an XState actor child and a child supervisor have no heartbeat(): refused', () => {
    const logic = createMachine({});
    expect(configError(() => task('m', logic, { heartbeatTimeoutMs: 100 })).field).toBe('options.heartbeatTimeoutMs');
    expect(configError(() => supervisor('s', { heartbeatTimeoutMs: 100 })).field).toBe('options.heartbeatTimeoutMs');
  });

  it('add() and submit() reject a hand-made spec, naming the field', async () => {
    const h = harness();
    await h.app.start();
    const bad = { ...task('x', async () => 1), options: { heartbeatTimeoutMs: 0 } };
    await expect(rejection(h.app.add(bad))).resolves.toMatchObject({ code: 'ERR_INVALID_CONFIG', field: 'spec' });
    const actor = { ...task('y', createMachine({})), options: { heartbeatTimeoutMs: 10 } };
    await expect(rejection(h.app.submit(actor, { slot: 's', admission: 'queue' }))).resolves.toMatchObject({
      field: 'spec',
    });
  });
});
