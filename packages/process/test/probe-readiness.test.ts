/**
 * readinessProbe end to end, on real processes under a supervisor whose clock is simulated: the
 * attempt is ready at the probe's first success (and the indicator's line, when both are given),
 * failures before that are not published, and readyTimeoutMs names what was missing.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { processTask, ReadyTimeoutError } from '../src/index.ts';
import { count, freePort, health, pump, server } from './probe-support.ts';
import { disposeAll, sleep, tracked } from './support.ts';

const servers: (() => void)[] = [];
afterEach(async () => {
  for (const close of servers.splice(0)) close();
  await disposeAll();
});

/** Opens a TCP server on `port` (closed after the test). */
async function listenOn(port: number): Promise<void> {
  const tcp = createServer((socket) => socket.destroy());
  servers.push(() => tcp.close());
  await new Promise<void>((resolve) => tcp.listen(port, '127.0.0.1', () => { resolve(); }));
}

describe('readinessProbe', { timeout: 30_000 }, () => {
  it('is ready at the first success; failures before it are not published; then the probe stops', async () => {
    const port = await freePort();
    const probe = { http: { port, path: '/ready' }, periodMs: 100 };
    const h = tracked({ children: [processTask('p', server(port, { readinessProbe: probe }, 300), { restart: 'never' })] });
    await h.app.start();
    await h.until('p', 'TaskStarted');
    expect(h.kinds('p')).not.toContain('TaskReady');
    await pump(h, () => count(h, 'TaskReady') === 1, () => h.kinds('p').join(', '));
    expect(health(h)).toEqual([]);
    const probed = (): number => h.lines('p').filter((line) => line === 'GET /ready').length;
    await pump(h, () => probed() === 1, () => 'the server to log the probe');
    for (let i = 0; i < 10; i++) await h.advance(100);
    await sleep(50);
    expect(probed()).toBe(1);
  });

  it('with a readyIndicator too, waits for both: the line, then the probe', async () => {
    const port = await freePort();
    const probePort = await freePort();
    const config = server(port, { readyIndicator: 'listening', readinessProbe: { tcp: { port: probePort }, periodMs: 100 } });
    const h = tracked({ children: [processTask('p', config, { restart: 'never' })] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    expect(h.lines('p')).toEqual(['listening']);
    for (let i = 0; i < 5; i++) await h.advance(100);
    await sleep(50);
    expect(h.kinds('p')).not.toContain('TaskReady');
    await listenOn(probePort);
    await pump(h, () => count(h, 'TaskReady') === 1, () => h.kinds('p').join(', '));
    expect(health(h)).toEqual([]);
  });

  it('readyTimeoutMs with the probe never succeeding fails the attempt naming its last failure', async () => {
    const probePort = await freePort();
    const h = tracked({
      children: [
        processTask(
          'p',
          { command: 'sleep', args: ['30'], readinessProbe: { tcp: { port: probePort }, periodMs: 100 }, readyTimeoutMs: 1_000 },
          { restart: 'never' },
        ),
      ],
    });
    await h.app.start();
    await pump(h, () => count(h, 'TaskFailed') === 1, () => h.kinds('p').join(', '));
    const last = `tcp 127.0.0.1:${probePort} failed: ECONNREFUSED`;
    const reason = `not ready within 1000ms: the readiness probe never succeeded (last failure: ${last})`;
    expect(h.find('p', 'TaskFailed')).toMatchObject({ reason });
    expect(health(h)).toEqual([]);
    const outcome = await h.app.outcome('p');
    expect(outcome.error).toBeInstanceOf(ReadyTimeoutError);
    expect(outcome.error).toMatchObject({ readyTimeoutMs: 1_000, lastProbeFailure: last });
  });

  it('readyTimeoutMs with the probe passing but no line names the indicator alone', async () => {
    const probePort = await freePort();
    await listenOn(probePort);
    const h = tracked({
      children: [
        processTask(
          'p',
          {
            command: 'sleep',
            args: ['30'],
            readyIndicator: 'never printed',
            readinessProbe: { tcp: { port: probePort }, periodMs: 100 },
            readyTimeoutMs: 1_000,
          },
          { restart: 'never' },
        ),
      ],
    });
    await h.app.start();
    await pump(h, () => count(h, 'TaskFailed') === 1, () => h.kinds('p').join(', '));
    expect(h.find('p', 'TaskFailed')).toMatchObject({ reason: 'not ready within 1000ms: no line on stdout matched "never printed"' });
    expect((await h.app.outcome('p')).error).toMatchObject({ lastProbeFailure: undefined });
  });
});
