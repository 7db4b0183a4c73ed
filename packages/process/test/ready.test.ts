import { afterEach, describe, expect, it } from 'vitest';
import { task } from '@statevisor/core';
import type { SupervisorEvent } from '@statevisor/core';
import { processTask, ReadyTimeoutError } from '../src/index.ts';
import type { ProcessConfig } from '../src/index.ts';
import { disposeAll, groupGone, tracked } from './support.ts';

afterEach(disposeAll);

const sh = (script: string, extra: Partial<ProcessConfig> = {}): ProcessConfig => ({ command: 'sh', args: ['-c', script], ...extra });

async function run(config: ProcessConfig): Promise<ReturnType<typeof tracked>> {
  const h = tracked({ children: [processTask('p', config, { restart: 'never' })] });
  await h.app.start();
  await h.app.outcome('p');
  return h;
}

/** The attempt's events as short strings: O(stream:line), B(stream:lines), R, and the other kinds. */
function trace(events: readonly SupervisorEvent[]): string[] {
  return events.flatMap((event) => {
    switch (event.kind) {
      case 'TaskOutput':
        return [`O(${event.stream}:${event.line})`];
      case 'TaskOutputBatch':
        return [`B(${event.stream}:${event.lines.join('|')})`];
      case 'TaskReady':
        return ['R'];
      case 'TaskStarted':
      case 'TaskStopped':
      case 'TaskFailed':
        return [event.kind];
      default:
        return [];
    }
  });
}

describe('readiness', { timeout: 20_000 }, () => {
  it('is the first line matching on stdout, published after that line and before the next', async () => {
    const h = await run(sh('echo booting; echo "Server listening on 3000"; sleep 0.3; echo after', { readyIndicator: 'listening' }));
    expect(trace(h.of('p'))).toEqual([
      'TaskStarted',
      'O(stdout:booting)',
      'O(stdout:Server listening on 3000)',
      'R',
      'O(stdout:after)',
      'TaskStopped',
    ]);
  });

  it('matches a RegExp (a global one too), once per attempt', async () => {
    const h = await run(sh('echo READY 1; echo READY 2; echo READY 3', { readyIndicator: /READY \d/g }));
    expect(trace(h.of('p'))).toEqual(['TaskStarted', 'O(stdout:READY 1)', 'R', 'O(stdout:READY 2)', 'O(stdout:READY 3)', 'TaskStopped']);
  });

  it('is a case-sensitive substring match', async () => {
    const h = await run(sh('echo READY; echo xxreadyxx', { readyIndicator: 'ready' }));
    expect(trace(h.of('p'))).toEqual(['TaskStarted', 'O(stdout:READY)', 'O(stdout:xxreadyxx)', 'R', 'TaskStopped']);
  });

  it('on stderr with readySource stderr; the other stream never matches', async () => {
    const h = await run(sh('echo READY; echo READY >&2; sleep 0.2', { readyIndicator: 'READY', readySource: 'stderr' }));
    const t = trace(h.of('p'));
    expect(t.indexOf('R')).toBe(t.indexOf('O(stderr:READY)') + 1);

    const mismatch = await run(sh('echo READY >&2', { readyIndicator: 'READY' }));
    expect(mismatch.kinds('p')).not.toContain('TaskReady');
  });

  it("readySource 'any' matches either stream", async () => {
    const h = await run(sh('echo go >&2; sleep 0.2; echo go', { readyIndicator: 'go', readySource: 'any' }));
    expect(trace(h.of('p'))).toEqual(['TaskStarted', 'O(stderr:go)', 'R', 'O(stdout:go)', 'TaskStopped']);
  });

  it('splits a batch around the ready line, and works with output none', async () => {
    const batches = await run(sh("printf 'a\\nREADY\\nb\\n'", { readyIndicator: 'READY', output: 'batches' }));
    expect(trace(batches.of('p'))).toEqual(['TaskStarted', 'B(stdout:a|READY)', 'R', 'B(stdout:b)', 'TaskStopped']);

    const quiet = await run(sh('echo READY', { readyIndicator: 'READY', output: 'none' }));
    expect(trace(quiet.of('p'))).toEqual(['TaskStarted', 'R', 'TaskStopped']);
  });

  it('an unterminated line can only match at EOF', async () => {
    const h = await run(sh('printf "ready> "; sleep 0.3', { readyIndicator: 'ready>' }));
    expect(trace(h.of('p'))).toEqual(['TaskStarted', 'O(stdout:ready> )', 'R', 'TaskStopped']);
  });

  it('without an indicator the task is ready as soon as it is spawned', async () => {
    const h = await run(sh('echo hi'));
    expect(trace(h.of('p'))).toEqual(['TaskStarted', 'R', 'O(stdout:hi)', 'TaskStopped']);
  });

  it('a process that never matches and has no readyTimeoutMs just runs to its end', async () => {
    const h = await run(sh('sleep 0.2', { readyIndicator: 'zzz' }));
    expect(h.kinds('p')).not.toContain('TaskReady');
    await expect(h.app.outcome('p')).resolves.toEqual({ kind: 'completed', exitCode: 0 });
  });

  it('no match within readyTimeoutMs fails the attempt and stops the group', async () => {
    const h = tracked({
      children: [processTask('p', sh('echo booting; sleep 30', { readyIndicator: 'zzz', readyTimeoutMs: 500 }), { restart: 'never' })],
    });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    await h.advance(499);
    expect(h.kinds('p')).not.toContain('ProcessControl');
    await h.advance(1);
    const outcome = await h.app.outcome('p');
    expect(outcome.kind).toBe('failed');
    expect(outcome.reason).toMatch(/not ready within 500ms/);
    expect(outcome.error).toBeInstanceOf(ReadyTimeoutError);
    expect(h.find('p', 'ProcessControl')).toMatchObject({ action: 'stop' });
    expect(h.find('p', 'TaskFailed')).toMatchObject({ signal: 'SIGTERM' });
    expect(h.kinds('p')).not.toContain('TaskReady');
    await groupGone(h.pid('p'));
  });

  it('the ready timer is cancelled once the task is ready', async () => {
    const h = tracked({
      children: [processTask('p', sh('echo READY; sleep 0.3', { readyIndicator: 'READY', readyTimeoutMs: 100 }), { restart: 'never' })],
    });
    await h.app.start();
    await h.until('p', 'TaskReady');
    await h.advance(1_000);
    await expect(h.app.outcome('p')).resolves.toEqual({ kind: 'completed', exitCode: 0 });
  });

  it('a dependent starts only after the process printed its ready line', async () => {
    const h = tracked({
      children: [
        processTask('web', sh('echo booting; sleep 0.2; echo listening; sleep 30', { readyIndicator: 'listening' })),
        task('client', async () => 'done', { dependsOn: ['web'] }),
      ],
    });
    await h.app.start();
    await expect(h.app.outcome('client')).resolves.toMatchObject({ kind: 'completed' });
    const ready = h.find('web', 'TaskReady');
    const starting = h.find('client', 'TaskStarting');
    expect(ready).toBeDefined();
    expect(starting?.seq).toBeGreaterThan(ready?.seq ?? Infinity);
  });
});
