/**
 * Probes end to end, on real processes under a supervisor whose clock is simulated: the probe
 * timers wait on the clock, the HTTP servers, connections and exec probes are real.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HealthCheckError, processTask } from '../src/index.ts';
import { childrenOf, count, freePort, health, probeProcesses, pump, server } from './probe-support.ts';
import { disposeAll, isAlive, sleep, tracked } from './support.ts';

afterEach(disposeAll);

describe('livenessProbe', { timeout: 30_000 }, () => {
  it('a server that starts answering 500: HealthCheckFailed x3, stopped, TaskFailed naming the probe, restarted', async () => {
    const port = await freePort();
    // initialDelayMs covers the server's start: the clock must not outrun it in real time.
    const probe = { http: { port, path: '/health' }, initialDelayMs: 1_000, periodMs: 100, timeoutMs: 5_000, failureThreshold: 3 };
    const h = tracked({
      children: [
        processTask('p', server(port, { readyIndicator: 'listening', livenessProbe: probe }), {
          restart: 'on-failure',
          backoff: { firstMs: 10, maxMs: 10, factor: 1, jitter: 'none' },
        }),
      ],
    });
    await h.app.start();
    await h.until('p', 'TaskReady');
    // Healthy: checks pass, nothing is published.
    await pump(h, () => h.lines('p').filter((line) => line === 'GET /health').length >= 3, () => 'three healthy checks');
    expect(health(h)).toEqual([]);

    h.app.child('p').write('sick\n');
    await h.until('p', 'TaskOutput', h.lines('p').length + 1);
    await pump(h, () => count(h, 'TaskFailed') === 1, () => h.kinds('p').join(', '));

    const reason = `GET http://127.0.0.1:${port}/health answered 500`;
    expect(health(h).map((event) => [event.probe, event.reason, event.failures, event.attempt])).toEqual([
      ['liveness', reason, 1, 1],
      ['liveness', reason, 2, 1],
      ['liveness', reason, 3, 1],
    ]);
    const kinds = h.kinds('p');
    const failedAt = kinds.indexOf('TaskFailed');
    expect(kinds.slice(kinds.lastIndexOf('HealthCheckFailed'), failedAt + 1).filter((kind) => kind !== 'TaskOutput')).toEqual([
      'HealthCheckFailed',
      'ProcessControl',
      'TaskFailed',
    ]);
    expect(h.find('p', 'ProcessControl')).toMatchObject({ action: 'stop' });
    expect(h.find('p', 'TaskFailed')).toMatchObject({ reason: `liveness probe failed 3 times in a row: ${reason}`, signal: 'SIGTERM' });

    // Restarted: the new server is healthy again, and its count starts from 0.
    await h.advance(10); // the backoff
    await h.until('p', 'TaskReady', 2);
    expect(h.of('p').filter((event) => event.kind === 'TaskStarted').map((event) => event.attempt)).toEqual([1, 2]);
    const before = h.lines('p').length;
    await pump(h, () => h.lines('p').slice(before).filter((line) => line === 'GET /health').length >= 2, () => 'healthy checks');
    expect(health(h)).toHaveLength(3);
  });

  it('a success resets the count; at the threshold the outcome error is a HealthCheckError', async () => {
    const counter = join(mkdtempSync(join(tmpdir(), 'probe-')), 'n');
    // Check 1 fails, check 2 passes, checks 3 and 4 fail.
    const script = `n=$(cat ${counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > ${counter}; test $n = 2`;
    const probe = { exec: { command: 'sh', args: ['-c', script] }, periodMs: 100, failureThreshold: 2 };
    const h = tracked({ children: [processTask('p', { command: 'sleep', args: ['30'], livenessProbe: probe }, { restart: 'never' })] });
    await h.app.start();
    await pump(h, () => count(h, 'TaskFailed') === 1, () => h.kinds('p').join(', '));
    expect(readFileSync(counter, 'utf8').trim()).toBe('4');
    expect(health(h).map((event) => event.failures)).toEqual([1, 1, 2]);
    const outcome = await h.app.outcome('p');
    expect(outcome.kind).toBe('failed');
    expect(outcome.error).toBeInstanceOf(HealthCheckError);
    expect(outcome.error).toMatchObject({ code: 'ERR_HEALTH_CHECK', probe: 'liveness', failures: 2 });
    expect(outcome.reason).toBe(`liveness probe failed 2 times in a row: exec sh -c ${JSON.stringify(script)} exited with code 1`);
  });

  it('waits initialDelayMs from the start, and stops with the attempt: no probe process is left, none runs after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-'));
    const log = join(dir, 'runs');
    const marker = `probe-e2e-${process.pid}-${Date.now()}`;
    // Every check logs its run, then hangs until its timeout.
    const probe = {
      exec: { command: 'sh', args: ['-c', `echo run >> ${log}; sleep 30; : ${marker}`] },
      initialDelayMs: 1_000,
      periodMs: 100,
      timeoutMs: 300,
      failureThreshold: 100,
    };
    const h = tracked({ children: [processTask('p', { command: 'sleep', args: ['30'], livenessProbe: probe }, { restart: 'never' })] });
    await h.app.start();
    const runs = (): number => {
      try {
        return readFileSync(log, 'utf8').split('\n').length - 1;
      } catch {
        return 0;
      }
    };
    await h.advance(999);
    await sleep(100);
    expect(runs()).toBe(0);
    await pump(h, () => health(h).length >= 2 && probeProcesses(marker).length > 0, () => 'two timed-out checks and a third running', 50);
    expect(health(h)[0]?.reason).toBe(`exec sh -c "echo run >> ${log}; sleep 30; : ${marker}" timed out after 300ms`);
    const running = probeProcesses(marker);
    await h.app.cancel('p');
    expect(h.kinds('p')).toContain('TaskStopped');
    const sleepers = running.flatMap((pid) => [pid, ...childrenOf(pid)]);
    for (const pid of sleepers) await pump(h, () => !isAlive(pid), () => `probe process ${pid} to be gone`, 0);
    const after = runs();
    await pump(h, () => true, () => '');
    for (let i = 0; i < 10; i++) await h.advance(100);
    await sleep(100);
    expect(runs()).toBe(after);
    expect(probeProcesses(marker)).toEqual([]);
  });
});

describe('probes and the attempt', { timeout: 30_000 }, () => {
  it('hold while the group is paused: a stopped process fails no liveness check', async () => {
    const port = await freePort();
    const probe = { http: { port, path: '/health' }, initialDelayMs: 1_000, periodMs: 100, timeoutMs: 300, failureThreshold: 2 };
    const h = tracked({ children: [processTask('p', server(port, { readyIndicator: 'listening', livenessProbe: probe }), { restart: 'never' })] });
    await h.app.start();
    await h.until('p', 'TaskReady');
    await pump(h, () => h.lines('p').includes('GET /health'), () => 'a healthy check');
    h.app.child('p').pause();
    for (let i = 0; i < 20; i++) {
      await h.advance(100);
      await sleep(5);
    }
    expect(health(h)).toEqual([]);
    h.app.child('p').resume();
    const before = h.lines('p').length;
    await pump(h, () => h.lines('p').slice(before).includes('GET /health'), () => 'a check after resume');
    expect(health(h)).toEqual([]);
    expect(h.kinds('p')).not.toContain('TaskFailed');
  });

  it('stop when the leader exits: a check failing while the pipes drain cannot turn exit 0 into a failure', async () => {
    const closed = await freePort();
    const probe = { tcp: { port: closed }, initialDelayMs: 500, periodMs: 100, failureThreshold: 1 };
    // The background sleep keeps stdout open after the leader's exit 0: the attempt drains.
    const config = { command: 'sh', args: ['-c', 'sleep 30 & echo bye; exit 0'], livenessProbe: probe, drainTimeoutMs: 2_000 };
    const h = tracked({ children: [processTask('p', config, { restart: 'never' })] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const leader = h.pid('p');
    await pump(h, () => !isAlive(leader), () => 'the leader to exit', 0);
    await sleep(50); // its exit event reaches the host
    for (let i = 0; i < 25; i++) {
      await h.advance(100);
      await sleep(5);
    }
    await h.until('p', 'TaskStopped');
    expect(health(h)).toEqual([]);
    expect(h.find('p', 'TaskStopped')).toMatchObject({ exitCode: 0, stopReason: 'finished' });
  });
});

describe('maxMemoryBytes', { timeout: 30_000 }, () => {
  /** A small shell leading the group, and a node child that fills 64 MiB. */
  const allocating = {
    command: 'sh',
    args: ['-c', `${JSON.stringify(process.execPath)} -e "globalThis.b = Buffer.alloc(64 * 1024 * 1024, 1); console.log('filled'); setInterval(() => {}, 1000)" & wait`],
  };

  it("the group's resident memory above the limit: HealthCheckFailed memory, stopped, TaskFailed naming it", async () => {
    // The shell alone is far below 32 MiB: only the whole group's sum goes above.
    const h = tracked({ children: [processTask('p', { ...allocating, maxMemoryBytes: 32 * 1024 * 1024 }, { restart: 'never' })] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    await h.advance(999);
    await sleep(100);
    expect(health(h)).toEqual([]);
    await pump(h, () => count(h, 'TaskFailed') === 1, () => h.kinds('p').join(', '), 1);
    expect(health(h)).toHaveLength(1);
    expect(health(h)[0]).toMatchObject({ probe: 'memory', failures: 1 });
    const reason = health(h)[0]?.reason ?? '';
    expect(reason).toMatch(/^the process group's resident memory is \d+\.\d MiB \(\d+ bytes\), above maxMemoryBytes 32\.0 MiB \(33554432 bytes\)$/);
    expect(h.find('p', 'ProcessControl')).toMatchObject({ action: 'stop' });
    expect(h.find('p', 'TaskFailed')).toMatchObject({ reason: `memory limit exceeded: ${reason}` });
    const outcome = await h.app.outcome('p');
    expect(outcome.error).toBeInstanceOf(HealthCheckError);
    expect(outcome.error).toMatchObject({ probe: 'memory', failures: 1, lastFailure: reason });
  });

  it('below the limit nothing happens, sample after sample', async () => {
    const h = tracked({ children: [processTask('p', { ...allocating, maxMemoryBytes: 1024 * 1024 * 1024 }, { restart: 'never' })] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    for (let i = 0; i < 5; i++) {
      await h.advance(1_000);
      await sleep(30);
    }
    expect(health(h)).toEqual([]);
    expect(h.kinds('p')).not.toContain('TaskFailed');
  });
});
