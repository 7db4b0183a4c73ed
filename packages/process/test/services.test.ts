/**
 * Long-running services, with real processes: output lines as heartbeats (`heartbeatTimeoutMs`),
 * a per-child `graceMs` of 0 (SIGKILL to the group at once, no killSignal first) and
 * `killGraceMs` defaulting to the child's grace. DESIGN §2 "Graces and heartbeats", §5.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@statevisor/core';
import { processTask } from '../src/index.ts';
import type { ProcessConfig } from '../src/index.ts';
import { disposeAll, groupGone, isAlive, sleep, tracked, waitFor } from './support.ts';

afterEach(disposeAll);

const scratch = mkdtempSync(join(tmpdir(), 'statevisor-services-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

const sh = (script: string, extra: Partial<ProcessConfig> = {}): ProcessConfig => ({ command: 'sh', args: ['-c', script], ...extra });

describe('output lines are heartbeats', { timeout: 20_000 }, () => {
  it('a process that prints, then goes silent: HealthCheckFailed, killSignal, then TaskFailed saying why', async () => {
    // Echoes each stdin line, so the test decides when the process speaks.
    const h = tracked({
      children: [
        processTask('p', sh('echo hello; while read line; do echo "got $line"; done', { stdin: true }), {
          heartbeatTimeoutMs: 1_000,
          restart: 'never',
        }),
      ],
    });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const pid = h.pid('p');
    await h.advance(800);
    expect(h.app.child('p').write('one\n')).toBe(true);
    await h.until('p', 'TaskOutput', 2);
    await h.advance(800); // 1600 ms since the start, 800 since the last line
    expect(h.kinds('p')).not.toContain('HealthCheckFailed');
    await h.advance(200);
    await h.until('p', 'TaskFailed');
    const reason = 'no heartbeat for 1000ms (heartbeatTimeoutMs 1000)';
    expect(h.find('p', 'HealthCheckFailed')).toMatchObject({ probe: 'heartbeat', reason, failures: 1 });
    expect(h.find('p', 'TaskFailed')).toMatchObject({ reason, signal: 'SIGTERM', durationMs: 1_800 });
    expect(h.kinds('p').slice(-5)).toEqual(['HealthCheckFailed', 'ProcessControl', 'TaskFailed', 'ActorExhausted', 'TaskRemoved']);
    await expect(h.app.outcome('p')).resolves.toMatchObject({ kind: 'failed', reason });
    await groupGone(pid);
  });

  it("with output: 'none' the unpublished lines still count", async () => {
    // The ready indicator makes the unpublished line observable (TaskReady).
    const h = tracked({
      children: [
        processTask('quiet', sh('while read line; do echo "got $line"; done', { stdin: true, output: 'none', readyIndicator: /got/ }), {
          heartbeatTimeoutMs: 1_000,
          restart: 'never',
        }),
      ],
    });
    await h.app.start();
    await h.until('quiet', 'TaskStarted');
    await h.advance(900);
    expect(h.app.child('quiet').write('one\n')).toBe(true);
    await h.until('quiet', 'TaskReady');
    await h.advance(900);
    expect(h.kinds('quiet')).not.toContain('HealthCheckFailed');
    await h.advance(100);
    await h.until('quiet', 'TaskFailed');
    expect(h.find('quiet', 'TaskFailed')).toMatchObject({ durationMs: 1_900 });
  });
});

describe('per-child graceMs for processes', { timeout: 20_000 }, () => {
  it('graceMs 0: SIGKILL to the group at once, no SIGTERM first (the trap never runs)', async () => {
    const marker = join(scratch, 'term-trapped');
    const script = `trap "touch '${marker}'; exit 7" TERM; echo armed; while :; do sleep 0.1; done`;
    const h = tracked({ graceMs: 5_000, children: [processTask('brutal', sh(script), { graceMs: 0 })] });
    await h.app.start();
    await h.until('brutal', 'TaskOutput');
    const pid = h.pid('brutal');
    await expect(h.app.child('brutal').stop()).resolves.toBe(true);
    await expect(h.app.outcome('brutal')).resolves.toMatchObject({ kind: 'force-aborted' });
    expect(h.clock.now()).toBe(0);
    await groupGone(pid);
    await sleep(200);
    expect(existsSync(marker)).toBe(false);
    expect(h.kinds('brutal')).not.toContain('ProcessControl');
  });

  it('killGraceMs defaults to the child grace: a TERM-ignoring process is killed after it, not the supervisor grace', async () => {
    const h = tracked({
      graceMs: 60_000,
      children: [processTask('p', sh('trap "" TERM; echo armed; while :; do sleep 0.1; done'), { graceMs: 300 })],
    });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const pid = h.pid('p');
    const stopping = h.app.child('p').stop();
    await h.until('p', 'ProcessControl');
    await h.advance(2);
    await h.advance(297);
    await sleep(100);
    expect(isAlive(pid)).toBe(true);
    await h.advance(1);
    await stopping;
    await groupGone(pid);
    await waitFor(() => !isAlive(pid), 'the leader is gone');
  });
});

describe('validation of the service options at processTask()', () => {
  it.each([
    ['resetAfterMs', -1],
    ['graceMs', -1.5],
    ['heartbeatTimeoutMs', 0],
  ] as const)('refuses a bad %s, naming options.%s and quoting the value', (field, value) => {
    let error: unknown;
    try {
      processTask('p', { command: 'true' }, { [field]: value });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field: `options.${field}` });
    expect((error as Error).message).toContain(String(value));
  });
});
