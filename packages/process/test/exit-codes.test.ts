/** successExitCodes and fatalExitCodes against real processes, and how they meet restart policies and stops. */
import { afterEach, describe, expect, it } from 'vitest';
import { processTask, ProcessExitError } from '../src/index.ts';
import type { ProcessConfig } from '../src/index.ts';
import { disposeAll, tempDir, tracked } from './support.ts';

const inDir = tempDir('exit-codes');
afterEach(disposeAll);

const sh = (script: string, extra: Partial<ProcessConfig> = {}): ProcessConfig => ({ command: 'sh', args: ['-c', script], ...extra });
const none = { firstMs: 100, maxMs: 10_000, factor: 2, jitter: 'none' } as const;
const HANDLES_TERM_WITH_78 = 'trap "exit 78" TERM; echo armed; while :; do sleep 0.1; done';

describe('successExitCodes', { timeout: 20_000 }, () => {
  it('a natural exit with a listed code completes: TaskStopped finished with that exitCode, no restart on-failure', async () => {
    const h = tracked({ children: [processTask('grep', sh('exit 1', { successExitCodes: [0, 1] }), { restart: 'on-failure' })] });
    await h.app.start();
    await expect(h.app.outcome('grep')).resolves.toEqual({ kind: 'completed', exitCode: 1 });
    expect(h.find('grep', 'TaskStopped')).toMatchObject({ stopReason: 'finished', exitCode: 1 });
    expect(h.kinds('grep').slice(-3)).toEqual(['TaskStopped', 'ActorExhausted', 'TaskRemoved']);
    expect(h.kinds('grep')).not.toContain('TaskFailed');
  });

  it('with restart always, a listed code is a success: the restart is a success backoff', async () => {
    const h = tracked({ children: [processTask('loop', sh('exit 2', { successExitCodes: [0, 2] }), { restart: 'always', backoff: none })] });
    await h.app.start();
    await h.until('loop', 'BackoffScheduled');
    expect(h.find('loop', 'BackoffScheduled')).toMatchObject({ backoffSource: 'success' });
    expect(h.kinds('loop')).not.toContain('TaskFailed');
  });

  it('the list replaces the default: with [2], exit 0 is a failure', async () => {
    const h = tracked({ children: [processTask('strict', sh('exit 0', { successExitCodes: [2] }), { restart: 'never' })] });
    await h.app.start();
    const outcome = await h.app.outcome('strict');
    expect(outcome).toMatchObject({ kind: 'failed', exitCode: 0 });
    expect(h.find('strict', 'TaskFailed')).toMatchObject({ exitCode: 0, reason: 'sh -c "exit 0" exited with code 0' });
  });

  it('an exit outside both lists is a retryable failure, as before', async () => {
    const h = tracked({
      children: [processTask('flaky', sh('exit 3', { successExitCodes: [0, 1], fatalExitCodes: [78] }), { maxRetries: 1, backoff: none })],
    });
    await h.app.start();
    await h.until('flaky', 'BackoffScheduled');
    await h.advance(100);
    await expect(h.app.outcome('flaky')).resolves.toMatchObject({ kind: 'failed', exitCode: 3 });
    expect(h.kinds('flaky').filter((kind) => kind === 'TaskFailed')).toHaveLength(2);
    expect(h.kinds('flaky')).not.toContain('ActorDead');
  });
});

describe('fatalExitCodes', { timeout: 20_000 }, () => {
  it('ends the task for good even with restart always: TaskFailed, then ActorDead (fatal), no backoff', async () => {
    const h = tracked({
      children: [processTask('cfg', sh('echo "bad config" >&2; exit 78', { fatalExitCodes: [78] }), { restart: 'always', backoff: none })],
    });
    await h.app.start();
    const outcome = await h.app.outcome('cfg');
    expect(h.kinds('cfg')).toEqual([
      'TaskAddRequested',
      'TaskAdded',
      'TaskStarting',
      'TaskStarted',
      'TaskReady',
      'TaskOutput',
      'TaskFailed',
      'ActorDead',
      'TaskRemoved',
    ]);
    const reason = 'sh -c "echo \\"bad config\\" >&2; exit 78" exited with code 78, listed in fatalExitCodes: bad config';
    expect(h.find('cfg', 'TaskFailed')).toMatchObject({ exitCode: 78, reason });
    expect(h.find('cfg', 'ActorDead')).toMatchObject({ outcome: 'fatal', exitCode: 78, reason });
    expect(outcome).toMatchObject({ kind: 'fatal', exitCode: 78, reason, stderrTail: ['bad config'] });
    expect(outcome.error).toBeInstanceOf(ProcessExitError);
    expect(outcome.error).toMatchObject({ exitCode: 78, signal: undefined, stderrTail: ['bad config'], message: reason });
  });

  it('is fatal after earlier retryable failures too (the second attempt exits 78)', async () => {
    const h = tracked({
      children: [
        processTask('second', sh('[ -e "$MARK" ] && exit 78; : > "$MARK"; exit 1', { env: { MARK: inDir('second-mark') }, fatalExitCodes: [78] }), {
          restart: 'on-failure',
          backoff: none,
        }),
      ],
    });
    await h.app.start();
    await h.until('second', 'BackoffScheduled');
    await h.advance(100);
    await expect(h.app.outcome('second')).resolves.toMatchObject({ kind: 'fatal', exitCode: 78 });
    expect(h.of('second').filter((event) => event.kind === 'TaskFailed').map((event) => 'exitCode' in event && event.exitCode)).toEqual([1, 78]);
  });

  it('a stop the framework asked for stays a stop, whatever code the TERM handler exits with', async () => {
    const h = tracked({ children: [processTask('svc', sh(HANDLES_TERM_WITH_78, { fatalExitCodes: [78] }), { restart: 'always' })] });
    await h.app.start();
    await h.until('svc', 'TaskOutput');
    await expect(h.app.child('svc').stop()).resolves.toBe(true);
    await expect(h.app.outcome('svc')).resolves.toMatchObject({ kind: 'cancelled' });
    expect(h.find('svc', 'TaskStopped')).toMatchObject({ exitCode: 78, stopReason: { terminated: 'user-requested' } });
    expect(h.kinds('svc')).not.toContain('ActorDead');
  });

  it('a timeout stays a retryable TimeoutHit when the TERM handler exits with a fatal code', async () => {
    const h = tracked({
      children: [processTask('slow', sh(HANDLES_TERM_WITH_78, { fatalExitCodes: [78], timeoutMs: 500 }), { maxRetries: 1, backoff: none })],
    });
    await h.app.start();
    await h.until('slow', 'TaskOutput');
    await h.advance(500);
    await h.until('slow', 'BackoffScheduled');
    expect(h.kinds('slow')).toContain('TimeoutHit');
    expect(h.kinds('slow')).not.toContain('ActorDead');
  });
});
