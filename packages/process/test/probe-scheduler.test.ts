/**
 * The probe scheduler on a SimulatedClock with fake checks: when checks start, how failures are
 * counted, and that it never runs two checks at once nor anything after stop().
 */
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { Clock } from '@statevisor/core';
import { ProbeLoop } from '../src/probes/scheduler.ts';
import type { ProbeCheck, ProbeSchedule } from '../src/probes/scheduler.ts';
import { flush } from './support.ts';

interface Run {
  readonly at: number;
  readonly signal: AbortSignal;
  /** Ends this check: undefined for a success, else the failure's reason. */
  end(failure?: string): void;
}

interface Fake {
  readonly clock: SimulatedClock;
  /** Timers the loop has armed and not cleared or fired. */
  pending(): number;
  readonly loop: ProbeLoop;
  readonly runs: Run[];
  /** What the observer saw: 'ok', or 'fail <failures> <reason>'. */
  readonly seen: string[];
  /** The most checks running at once. */
  maxRunning(): number;
  advance(ms: number): Promise<void>;
}

/** A loop over a check that ends when the test says so (or at once with `auto`). */
function fake(schedule: Partial<ProbeSchedule> = {}, auto?: (n: number) => string | undefined): Fake {
  const clock = new SimulatedClock();
  const runs: Run[] = [];
  const seen: string[] = [];
  let running = 0;
  let most = 0;
  const check: ProbeCheck = {
    target: 'fake',
    run: (signal) =>
      new Promise<string | undefined>((resolve) => {
        running++;
        most = Math.max(most, running);
        let ended = false;
        const end = (failure?: string): void => {
          if (ended) return;
          ended = true;
          running--;
          resolve(failure);
        };
        signal.addEventListener('abort', () => {
          end('aborted');
        });
        runs.push({ at: clock.now(), signal, end });
        if (auto !== undefined) end(auto(runs.length));
      }),
  };
  const armed = new Set<number>();
  const counted: Clock = {
    setTimeout: (fn, ms) => {
      const handle = clock.setTimeout(() => {
        armed.delete(handle);
        fn();
      }, ms);
      armed.add(handle);
      return handle;
    },
    clearTimeout: (handle) => {
      armed.delete(handle as number);
      clock.clearTimeout(handle as number);
    },
  };
  const loop = new ProbeLoop(check, { initialDelayMs: 0, periodMs: 100, timeoutMs: 50, ...schedule }, counted, {
    passed: () => seen.push('ok'),
    failed: (reason, failures) => seen.push(`fail ${failures} ${reason}`),
  });
  return {
    clock,
    pending: () => armed.size,
    loop,
    runs,
    seen,
    maxRunning: () => most,
    async advance(ms) {
      await flush(1);
      clock.increment(ms);
      await flush(1);
    },
  };
}

describe('ProbeLoop', () => {
  it('runs the first check at initialDelayMs, then periodMs after each check ENDED', async () => {
    const f = fake({ initialDelayMs: 300, periodMs: 100, timeoutMs: 1_000 });
    f.loop.start();
    await f.advance(299);
    expect(f.runs).toHaveLength(0);
    await f.advance(1);
    expect(f.runs.map((run) => run.at)).toEqual([300]);
    // The check takes 40 ms: the next starts 100 ms after it ended, at 440.
    await f.advance(40);
    f.runs[0]?.end();
    await f.advance(99);
    expect(f.runs).toHaveLength(1);
    await f.advance(1);
    expect(f.runs.map((run) => run.at)).toEqual([300, 440]);
    f.loop.stop();
  });

  it('never runs two checks at once, even when a check outlasts periodMs', async () => {
    const f = fake({ periodMs: 10, timeoutMs: 10_000 });
    f.loop.start();
    await f.advance(0);
    await f.advance(500);
    expect(f.runs).toHaveLength(1);
    f.runs[0]?.end();
    await f.advance(10);
    expect(f.runs).toHaveLength(2);
    expect(f.maxRunning()).toBe(1);
    f.loop.stop();
  });

  it('counts failures in a row and resets the count on a success', async () => {
    const results = ['a', 'b', undefined, 'c', 'd', 'e'];
    const f = fake({ periodMs: 100 }, (n) => results[n - 1]);
    f.loop.start();
    await f.advance(0);
    for (let i = 1; i < results.length; i++) await f.advance(100);
    expect(f.seen).toEqual(['fail 1 a', 'fail 2 b', 'ok', 'fail 1 c', 'fail 2 d', 'fail 3 e']);
    expect(f.loop.failures).toBe(3);
    f.loop.stop();
  });

  it('fails a check at timeoutMs, aborts its signal, ignores its late result, and goes on', async () => {
    const f = fake({ periodMs: 100, timeoutMs: 50 });
    f.loop.start();
    await f.advance(0);
    const first = f.runs[0];
    await f.advance(49);
    expect(f.seen).toEqual([]);
    expect(first?.signal.aborted).toBe(false);
    await f.advance(1);
    expect(f.seen).toEqual(['fail 1 fake timed out after 50ms']);
    expect(first?.signal.aborted).toBe(true);
    first?.end(); // a late success changes nothing
    await f.advance(99);
    expect(f.seen).toHaveLength(1);
    await f.advance(1);
    expect(f.runs.map((run) => run.at)).toEqual([0, 150]);
    f.runs[1]?.end();
    await f.advance(0);
    expect(f.seen).toEqual(['fail 1 fake timed out after 50ms', 'ok']);
    f.loop.stop();
  });

  it('an observer that stops the loop gets no further check', async () => {
    const clock = new SimulatedClock();
    let failures = 0;
    const loop = new ProbeLoop(
      { target: 't', run: () => Promise.resolve('down') },
      { initialDelayMs: 0, periodMs: 100, timeoutMs: 50 },
      clock,
      {
        passed: () => undefined,
        failed: () => {
          failures++;
          if (failures === 2) loop.stop();
        },
      },
    );
    loop.start();
    for (let i = 0; i < 10; i++) {
      clock.increment(100);
      await flush(1);
    }
    expect(failures).toBe(2);
  });

  it('stop() cancels the pending wait and aborts the running check, whose result is ignored', async () => {
    const f = fake({ initialDelayMs: 100, periodMs: 100, timeoutMs: 1_000 });
    f.loop.start();
    f.loop.stop();
    await f.advance(10_000);
    expect(f.runs).toHaveLength(0);

    const g = fake({ periodMs: 100, timeoutMs: 1_000 });
    g.loop.start();
    await g.advance(0);
    expect(g.runs).toHaveLength(1);
    g.loop.stop();
    expect(g.runs[0]?.signal.aborted).toBe(true);
    await g.advance(10_000);
    expect(g.runs).toHaveLength(1);
    expect(g.seen).toEqual([]);
    expect(g.pending()).toBe(0);
  });

  it('hold() cancels the wait and ignores a running check; release() checks again periodMs later, count kept', async () => {
    const f = fake({ periodMs: 100, timeoutMs: 1_000 });
    f.loop.start();
    await f.advance(0);
    f.runs[0]?.end('down');
    await f.advance(100);
    expect(f.runs).toHaveLength(2);
    f.loop.hold();
    expect(f.runs[1]?.signal.aborted).toBe(true);
    await f.advance(10_000);
    expect(f.runs).toHaveLength(2);
    expect(f.seen).toEqual(['fail 1 down']);
    expect(f.pending()).toBe(0);
    f.loop.release();
    await f.advance(99);
    expect(f.runs).toHaveLength(2);
    await f.advance(1);
    expect(f.runs.map((run) => run.at)).toEqual([0, 100, 10_200]);
    f.runs[2]?.end('down');
    await f.advance(0);
    expect(f.seen).toEqual(['fail 1 down', 'fail 2 down']);
    f.loop.stop();
    f.loop.release();
    await f.advance(1_000);
    expect(f.runs).toHaveLength(3);
  });

  it('an infinite timeoutMs arms no timeout', async () => {
    const f = fake({ periodMs: 100, timeoutMs: Number.POSITIVE_INFINITY });
    f.loop.start();
    await f.advance(0);
    expect(f.pending()).toBe(0);
    await f.advance(1e9);
    expect(f.seen).toEqual([]);
    f.runs[0]?.end('x');
    await f.advance(0);
    expect(f.seen).toEqual(['fail 1 x']);
    f.loop.stop();
  });

  it('a check that rejects anyway is a failure, never an unhandled rejection', async () => {
    const clock = new SimulatedClock();
    const seen: string[] = [];
    const loop = new ProbeLoop({ target: 't', run: () => Promise.reject(new Error('bug')) }, { initialDelayMs: 0, periodMs: 100, timeoutMs: 50 }, clock, {
      passed: () => seen.push('ok'),
      failed: (reason) => seen.push(reason),
    });
    loop.start();
    clock.increment(0);
    await flush(1);
    expect(seen).toEqual(['t failed: Error: bug']);
    loop.stop();
  });
});
