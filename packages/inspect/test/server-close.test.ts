/**
 * serveViewer's close(): the port is free once it resolves, browsers are disconnected, it is
 * idempotent, and nothing keeps a process alive after it (a real child process must exit on
 * its own).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSupervisor, task } from '@statevisor/core';
import { serveViewer } from '../src/index.ts';
import { connectLive, liveUrl } from './live-client.ts';

const fixture = fileURLToPath(new URL('fixtures/serve-and-close.ts', import.meta.url));

/** Resolves true when the port can be listened on again. */
async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('serveViewer close()', () => {
  it('frees the port, disconnects browsers, and is idempotent', async () => {
    const app = createSupervisor({ name: 'app', children: [] });
    const viewer = await serveViewer(app);
    const client = await connectLive(liveUrl(viewer.url));
    await client.until((lines) => lines.length >= 1);
    const disconnected = new Promise((resolve) => client.ws.once('close', resolve));
    expect(await portIsFree(viewer.port)).toBe(false);

    const first = viewer.close();
    expect(viewer.close()).toBe(first);
    await first;
    await disconnected;
    expect(await portIsFree(viewer.port)).toBe(true);
    expect(viewer.stats().clients).toBe(0);
    await viewer.close();
    await app.shutdown();
  });

  it('stops following the app: its subscription is gone', async () => {
    const app = createSupervisor({ name: 'app', children: [] });
    const viewer = await serveViewer(app);
    await viewer.close();
    // A subscriber left behind would have these events delivered (and counted) to it.
    const seen: string[] = [];
    app.events$.subscribe((event) => seen.push(event.kind));
    await app.start();
    await app.add(task('late', () => Promise.resolve(1)));
    await app.outcome('late');
    await app.shutdown();
    expect(seen).toContain('TaskRemoved');
    expect(seen).not.toContain('SubscriberOverflow');
    expect(viewer.stats().sent).toBe(0);
  });

  it('leaves nothing running: a process that served a live app and a file, with clients, exits on its own', async () => {
    const child = spawn(process.execPath, ['--conditions=@statevisor/source', '--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exit = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^closed \{"clients":0,"sent":\d+,"dropped":0\}\n$/);
    expect(exit).toBe(0);
  }, 30_000);
});
