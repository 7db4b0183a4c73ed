import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SupervisorEvent } from '@statevisor/core';
import { processTask } from '../src/index.ts';
import { disposeAll, tracked } from './support.ts';

const none = { firstMs: 100, maxMs: 10_000, factor: 2, jitter: 'none' } as const;
const TERMINALS = new Set(['TaskStopped', 'TaskFailed', 'TimeoutHit', 'TaskError']);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'statevisor-supervision-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(disposeAll);

describe('supervision of processes', { timeout: 30_000 }, () => {
  it('restarts a crashing process with backoff under on-failure, until maxRetries', async () => {
    const h = tracked({
      children: [processTask('crash', { command: 'sh', args: ['-c', 'echo crash >&2; exit 1'] }, { maxRetries: 3, backoff: none })],
    });
    await h.app.start();
    for (const [n, delay] of [
      [1, 100],
      [2, 200],
      [3, 400],
    ] as const) {
      await h.until('crash', 'BackoffScheduled', n);
      await h.advance(delay - 1);
      expect(h.kinds('crash').filter((kind) => kind === 'TaskStarting')).toHaveLength(n);
      await h.advance(1);
    }
    const outcome = await h.app.outcome('crash');
    expect(outcome).toMatchObject({ kind: 'failed', exitCode: 1, stderrTail: ['crash'] });
    const delays = h.of('crash').flatMap((event) => (event.kind === 'BackoffScheduled' ? [event.delayMs] : []));
    expect(delays).toEqual([100, 200, 400]);
    const pids = h.of('crash').flatMap((event) => (event.kind === 'TaskStarted' && event.pid !== undefined ? [event.pid] : []));
    expect(new Set(pids).size).toBe(4);
    expect(h.kinds('crash').slice(-3)).toEqual(['TaskFailed', 'ActorExhausted', 'TaskRemoved']);
  });

  it('a process that succeeds on its third attempt completes, and the streak is over', async () => {
    const counter = join(dir, 'attempts');
    const script = `n=$(cat "${counter}" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "${counter}"; echo attempt $n; [ $n -ge 3 ]`;
    const h = tracked({ children: [processTask('flaky', { command: 'sh', args: ['-c', script] }, { backoff: none })] });
    await h.app.start();
    await h.until('flaky', 'BackoffScheduled', 1);
    await h.advance(100);
    await h.until('flaky', 'BackoffScheduled', 2);
    await h.advance(200);
    await expect(h.app.outcome('flaky')).resolves.toEqual({ kind: 'completed', exitCode: 0 });
    expect(h.lines('flaky')).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
  });

  it('runs 100 short processes under maxConcurrent 8: never more than 8 at once, all complete', async () => {
    const h = tracked({ maxConcurrent: 8 });
    let running = 0;
    let peak = 0;
    const inFlight = new Set<string>();
    h.app.events$.subscribe((event: SupervisorEvent) => {
      if (event.kind === 'TaskStarting') {
        inFlight.add(event.task);
        running++;
        peak = Math.max(peak, running);
      } else if (TERMINALS.has(event.kind) && inFlight.delete(event.task)) running--;
    });
    await h.app.start();
    const names = Array.from({ length: 100 }, (_, i) => `p${i}`);
    for (const name of names) await h.app.add(processTask(name, { command: 'sh', args: ['-c', 'sleep 0.05'] }));
    const outcomes = await Promise.all(names.map((name) => h.app.outcome(name)));
    expect(outcomes.every((outcome) => outcome.kind === 'completed')).toBe(true);
    expect(peak).toBeLessThanOrEqual(8);
    expect(peak).toBe(8);
    const pids = h.events.flatMap((event) => (event.kind === 'TaskStarted' && event.pid !== undefined ? [event.pid] : []));
    expect(pids).toHaveLength(100);
  });
});
