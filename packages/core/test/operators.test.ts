/** `ofKind` and `underPath` on `events$`: what they let through, and what they refuse. */
import { describe, it, expect } from 'vitest';
import { Subject } from 'rxjs';
import { ConfigError, ofKind, runnerTask, supervisor, task, underPath, type SupervisorEvent } from '../src/index.ts';
import { harness } from './support.ts';

function event(kind: 'TaskFailed' | 'TaskOutput' | 'ActorDead', task: string, seq: number): SupervisorEvent {
  if (kind === 'TaskFailed') return { kind, task, seq, at: 0, attempt: 1, reason: 'boom', durationMs: 0 };
  if (kind === 'ActorDead') return { kind, task, seq, at: 0, outcome: 'fatal', reason: 'fatal' };
  return { kind, task, seq, at: 0, attempt: 1, line: 'x', stream: 'stdout' };
}

function through<T>(operator: (source: Subject<SupervisorEvent>) => { subscribe(fn: (value: T) => void): unknown }, events: SupervisorEvent[]): T[] {
  const source = new Subject<SupervisorEvent>();
  const out: T[] = [];
  operator(source).subscribe((value) => out.push(value));
  for (const e of events) source.next(e);
  return out;
}

const stream = [
  event('TaskOutput', 'app/web', 1),
  event('TaskFailed', 'app/web', 2),
  event('TaskFailed', 'app/workers', 3),
  event('ActorDead', 'app/workers/a', 4),
  event('TaskFailed', 'app/workers2', 5),
  event('TaskOutput', 'app', 6),
];
const seqs = (events: readonly SupervisorEvent[]): number[] => events.map((e) => e.seq);

describe('ofKind', () => {
  it('lets through only the kinds given', () => {
    expect(seqs(through((s) => s.pipe(ofKind('TaskFailed')), stream))).toEqual([2, 3, 5]);
    expect(seqs(through((s) => s.pipe(ofKind('TaskFailed', 'ActorDead')), stream))).toEqual([2, 3, 4, 5]);
  });

  it('refuses no kind or an unknown one with a ConfigError naming it', () => {
    const fields: string[] = [];
    for (const bad of [[], ['TaskFialed'], ['TaskFailed', 'nope']] as const) {
      try {
        ofKind(...(bad as unknown as ['TaskFailed']));
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        fields.push((error as ConfigError).field);
      }
    }
    expect(fields).toEqual(['kinds', 'kinds[0]', 'kinds[1]']);
  });
});

describe('underPath', () => {
  it('takes a full path, or one relative to the root segment of each event, and never a name that only starts the same', () => {
    const full = seqs(through((s) => s.pipe(underPath('app/workers')), stream));
    const relative = seqs(through((s) => s.pipe(underPath('workers')), stream));
    expect(full).toEqual([3, 4]);
    expect(relative).toEqual([3, 4]);
    expect(seqs(through((s) => s.pipe(underPath('app')), stream))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seqs(through((s) => s.pipe(underPath('workers/a')), stream))).toEqual([4]);
    expect(seqs(through((s) => s.pipe(underPath('web'), ofKind('TaskFailed')), stream))).toEqual([2]);
  });

  it('refuses what is not a path', () => {
    for (const bad of ['', 'a//b', '/a', 'a/', 7]) {
      expect(() => underPath(bad as string)).toThrow(ConfigError);
    }
  });

  it("matches what subscribe({ path }) delivers on a live supervisor's events$", async () => {
    const { app, advance } = harness();
    const piped: number[] = [];
    const subscribed: number[] = [];
    app.events$.pipe(underPath('inner'), ofKind('TaskFailed', 'TaskStopped')).subscribe((e) => piped.push(e.seq));
    app.subscribe({ kinds: ['TaskFailed', 'TaskStopped'], path: 'inner', next: (e) => void subscribed.push(e.seq) });
    await app.start();
    await app.add(
      supervisor('inner', {
        children: [
          task('bad', () => Promise.reject(new Error('no')), { restart: 'never' }),
          task('good', () => Promise.resolve(1), { restart: 'never' }),
        ],
      }),
    );
    await app.add(task('outside', () => Promise.reject(new Error('no')), { restart: 'never' }));
    await advance(10);
    await app.shutdown();
    expect(piped.length).toBeGreaterThanOrEqual(2);
    expect(subscribed).toEqual(piped);
  });
});

describe('subscribe({ kinds }) on a supervisor (issue 9: 13 of 31 TaskFailed seen among 20,000 lines)', () => {
  it('a capacity-64 alerting subscriber with a slow pager gets all 31 TaskFailed while a task prints 20,000 lines', async () => {
    const { app } = harness();
    const pages: (() => void)[] = [];
    const pager = (): Promise<void> => new Promise<void>((resolve) => pages.push(resolve));
    const failures: string[] = [];
    const alerts = app.subscribe({
      name: 'alerts',
      capacity: 64,
      kinds: ['TaskFailed'],
      next: (event) => {
        failures.push(event.task);
        return pager();
      },
    });
    const unfiltered: string[] = [];
    app.subscribe({
      name: 'unfiltered',
      capacity: 64,
      next: (event) => {
        if (event.kind === 'TaskFailed') unfiltered.push(event.task);
        return pager();
      },
    });
    const tick = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
    await app.start();
    await app.add(
      runnerTask('chatty', async (ctx) => {
        ctx.started();
        await tick();
        for (let i = 0; i < 20_000; i++) {
          ctx.output(`GET /items/${String(i)} 200`, 'stdout');
          if (i % 500 === 499) await tick();
        }
        return { kind: 'completed' };
      }),
    );
    await app.add(
      task(
        'flaky',
        async () => {
          await tick();
          throw new Error('upstream down');
        },
        { maxRetries: 30, backoff: { firstMs: 0, maxMs: 0, factor: 1, jitter: 'none' } },
      ),
    );
    await Promise.all([app.outcome('chatty'), app.outcome('flaky')]);
    while (pages.length > 0) {
      pages.shift()?.();
      await tick();
    }
    expect(failures).toHaveLength(31);
    expect(alerts.stats()).toEqual({ delivered: 31, dropped: 0 });
    expect(unfiltered.length).toBeLessThan(31); // the same buffer without the filter fills with output
    const state = { down: false };
    const shutdown = app.shutdown().then(() => (state.down = true));
    while (!state.down) {
      pages.shift()?.();
      await tick();
    }
    await shutdown;
  });
});
