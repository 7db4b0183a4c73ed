/**
 * Delays above 2^31 - 1 ms (issue 9, defect 2; DESIGN.md §2 "Time and randomness"): any delay up
 * to Number.MAX_SAFE_INTEGER ms means what it says. Node runs a longer setTimeout after 1 ms;
 * the clock every supervisor uses waits such delays in steps. The tests run on a simulated clock
 * that clamps like Node does, so an unstepped long delay would fire at once.
 */
import { describe, expect, it } from 'vitest';
import { SimulatedClock, createMachine } from 'xstate';
import { ConfigError, createSupervisor, supervisor, task } from '../src/index.ts';
import type { Clock, SupervisorEvent, SupervisorOptions } from '../src/index.ts';
import { MAX_TIMER_MS, withLongDelays } from '../src/clock.ts';
import { configError, flush, untilAborted } from './support.ts';

const DAY = 86_400_000;

/** A simulated clock that treats delays like Node does: above 2^31 - 1 ms, 1 ms. */
function nodeLikeClock(): { clock: Required<Clock>; sim: SimulatedClock } {
  const sim = new SimulatedClock();
  const clock: Required<Clock> = {
    setTimeout: (fn, ms) => sim.setTimeout(fn, ms > MAX_TIMER_MS ? 1 : ms),
    clearTimeout: (handle) => {
      sim.clearTimeout(handle as number);
    },
    now: () => sim.now(),
  };
  return { clock, sim };
}

/** A supervisor named `app` on a Node-like clock, with a lossless log and a day-stepping advance. */
function longHarness(options: SupervisorOptions) {
  const { clock, sim } = nodeLikeClock();
  const app = createSupervisor({ name: 'app', clock, random: () => 0.5, ...options });
  const events: SupervisorEvent[] = [];
  app.events$.subscribe((event) => events.push(event));
  return {
    app,
    kinds: (name: string) => events.filter((event) => event.task === `app/${name}`).map((event) => event.kind),
    /** Advances the clock by `ms`, in steps of at most a day, letting promises run between them. */
    async advance(ms: number): Promise<void> {
      await flush();
      for (let done = 0; done < ms; ) {
        const step = Math.min(DAY, ms - done);
        sim.increment(step);
        done += step;
        await flush();
      }
    },
  };
}

describe('withLongDelays', () => {
  it('waits a 25-day delay in steps: nothing fires early, it fires once at its time', () => {
    const { clock, sim } = nodeLikeClock();
    const wrapped = withLongDelays(clock);
    let fired = 0;
    wrapped.setTimeout(() => fired++, 25 * DAY);
    sim.increment(1);
    expect(fired).toBe(0);
    sim.increment(25 * DAY - 2);
    expect(fired).toBe(0);
    sim.increment(1);
    expect(fired).toBe(1);
    sim.increment(100 * DAY);
    expect(fired).toBe(1);
  });

  it('fires on time when the clock jumps past several steps at once', () => {
    const { clock, sim } = nodeLikeClock();
    let fired = 0;
    withLongDelays(clock).setTimeout(() => fired++, 80 * DAY);
    sim.increment(79 * DAY);
    expect(fired).toBe(0);
    sim.increment(DAY);
    expect(fired).toBe(1);
  });

  it('clearTimeout cancels a stepped timer, whichever step is pending', () => {
    const { clock, sim } = nodeLikeClock();
    const wrapped = withLongDelays(clock);
    let fired = 0;
    const early = wrapped.setTimeout(() => fired++, 60 * DAY);
    const late = wrapped.setTimeout(() => fired++, 60 * DAY);
    wrapped.clearTimeout(early);
    sim.increment(30 * DAY); // `late` is on its second step now
    wrapped.clearTimeout(late);
    sim.increment(60 * DAY);
    expect(fired).toBe(0);
  });

  it('counts steps on a clock without now()', () => {
    const { clock, sim } = nodeLikeClock();
    const wrapped = withLongDelays({ setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout });
    let fired = 0;
    wrapped.setTimeout(() => fired++, 2 * MAX_TIMER_MS + 5);
    sim.increment(MAX_TIMER_MS);
    sim.increment(MAX_TIMER_MS);
    sim.increment(4);
    expect(fired).toBe(0);
    sim.increment(1);
    expect(fired).toBe(1);
  });

  it('hands normal delays straight to the clock, and never wraps twice', () => {
    const { clock } = nodeLikeClock();
    const wrapped = withLongDelays(clock);
    expect(withLongDelays(wrapped)).toBe(wrapped);
    expect(typeof wrapped.setTimeout(() => undefined, MAX_TIMER_MS)).toBe('number');
    expect(wrapped.now?.()).toBe(0);
  });
});

describe('long delays in a supervision tree', () => {
  it('a 25-day timeoutMs times out after 25 days, not at once', async () => {
    const h = longHarness({
      children: [task('slow', ({ signal }) => untilAborted(signal), { timeoutMs: 25 * DAY, restart: 'never' })],
    });
    await h.app.start();
    await h.advance(25 * DAY - 1);
    expect(h.kinds('slow')).not.toContain('TimeoutHit');
    await h.advance(1);
    expect(h.kinds('slow')).toContain('TimeoutHit');
    await expect(h.app.outcome('slow')).resolves.toMatchObject({ kind: 'failed' });
    await h.app.shutdown();
  });

  it('a 35-day backoff waits 35 days between attempts (no restart storm)', async () => {
    let attempts = 0;
    const h = longHarness({
      children: [
        task('flaky', () => {
          attempts++;
          throw new Error('down');
        }, { backoff: { firstMs: 35 * DAY, maxMs: 35 * DAY, factor: 1, jitter: 'none' }, maxRetries: 1 }),
      ],
    });
    await h.app.start();
    await h.advance(35 * DAY - 1);
    expect(attempts).toBe(1);
    await h.advance(1);
    expect(attempts).toBe(2);
    await expect(h.app.outcome('flaky')).resolves.toMatchObject({ kind: 'failed', reason: 'down' });
    await h.app.shutdown();
  });

  it('a 40-day restart interval waits its time', async () => {
    let runs = 0;
    const h = longHarness({ children: [task('cron', () => { runs++; }, { restart: { always: { intervalMs: 40 * DAY } } })] });
    await h.app.start();
    await h.advance(40 * DAY - 1);
    expect(runs).toBe(1);
    await h.advance(1);
    expect(runs).toBe(2);
    await h.app.shutdown();
  });

  it('a huge graceMs waits before force-aborting, and ends early when the work stops', async () => {
    const h = longHarness({
      graceMs: 30 * DAY,
      children: [task('stubborn', () => new Promise<never>(() => undefined)), task('polite', ({ signal }) => untilAborted(signal))],
    });
    await h.app.start();
    let result: unknown;
    void h.app.shutdown().then((value) => {
      result = value;
    });
    await h.advance(29 * DAY);
    expect(result).toBeUndefined();
    expect(h.kinds('polite')).toContain('TaskRemoved');
    expect(h.kinds('stubborn')).not.toContain('TaskRemoved');
    await h.advance(DAY);
    expect(result).toEqual({ withinGrace: false, stuck: ['app/stubborn'] });
  });

  it('a nested supervisor and an XState machine wait their long delays too', async () => {
    const machine = createMachine({ initial: 'waiting', states: { waiting: { after: { [30 * DAY]: 'done' } }, done: { type: 'final' } } });
    const h = longHarness({
      children: [supervisor('inner', { restart: 'never', children: [task('sleeper', machine, { timeoutMs: 31 * DAY })] })],
    });
    await h.app.start();
    await h.advance(30 * DAY - 1);
    await expect(Promise.race([h.app.outcome('app/inner/sleeper'), flush().then(() => 'pending')])).resolves.toBe('pending');
    await h.advance(1);
    await expect(h.app.outcome('app/inner/sleeper')).resolves.toMatchObject({ kind: 'completed' });
    await h.app.shutdown();
  });
});

describe('delay validation', () => {
  const LIMIT = Number.MAX_SAFE_INTEGER;

  it('accepts every delay up to Number.MAX_SAFE_INTEGER', () => {
    expect(() => task('t', async () => 1, { timeoutMs: LIMIT, backoff: { firstMs: LIMIT, maxMs: LIMIT, floorMs: LIMIT } })).not.toThrow();
    expect(() => task('t', async () => 1, { restart: { always: { intervalMs: LIMIT } } })).not.toThrow();
    expect(() =>
      createSupervisor({ graceMs: LIMIT, subscriberDrainMs: LIMIT, intensity: { maxRestarts: 1, periodMs: LIMIT }, defaults: { timeoutMs: LIMIT } }),
    ).not.toThrow();
    expect(() => supervisor('s', { graceMs: LIMIT, children: [] })).not.toThrow();
  });

  it.each([
    ['timeoutMs', () => task('t', async () => 1, { timeoutMs: LIMIT + 2 }), 'options.timeoutMs'],
    ['backoff.maxMs', () => task('t', async () => 1, { backoff: { maxMs: 1e300 } }), 'options.backoff.maxMs'],
    ['intervalMs', () => task('t', async () => 1, { restart: { always: { intervalMs: 2 ** 60 } } }), 'options.restart.always.intervalMs'],
    ['graceMs', () => createSupervisor({ graceMs: 1e20 }), 'graceMs'],
    ['subscriberDrainMs', () => createSupervisor({ subscriberDrainMs: Infinity }), 'subscriberDrainMs'],
    ['defaults.timeoutMs', () => createSupervisor({ defaults: { timeoutMs: 2 ** 53 } }), 'defaults.timeoutMs'],
    ['nested graceMs', () => supervisor('s', { graceMs: Number.MAX_VALUE, children: [] }), 'options.graceMs'],
  ])('refuses %s above Number.MAX_SAFE_INTEGER with a ConfigError naming the field', (_label, make, field) => {
    const error = configError(make);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.field).toBe(field);
    expect(error.message).toContain('MAX_SAFE_INTEGER');
  });
});
