/**
 * serveViewer live: a browser's WebSocket gets the header, the history kept since serveViewer
 * was called, then every new line, in the order events$ saw them; a browser that falls behind
 * loses lines only with a SubscriberOverflow line that counts them.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, task } from '@statevisor/core';
import type { Supervisor, SupervisorEvent } from '@statevisor/core';
import { serveViewer } from '../src/index.ts';
import { connectLive, liveUrl } from './live-client.ts';
import type { Line } from './live-client.ts';

const NO_BACKOFF = { firstMs: 0, maxMs: 0, factor: 1, jitter: 'none' } as const;

/** An app whose task fails `failures` times with a reason of `reasonBytes`, then succeeds. */
function flakyApp(failures: number, reasonBytes = 10): Supervisor {
  let attempts = 0;
  return createSupervisor({
    name: 'app',
    children: [
      task(
        'flaky',
        () => {
          attempts += 1;
          if (attempts <= failures) return Promise.reject(new Error('x'.repeat(reasonBytes)));
          return Promise.resolve('done');
        },
        { backoff: NO_BACKOFF },
      ),
      task('quick', () => Promise.resolve(1)),
    ],
  });
}

/** Runs the app to its shutdown and returns the events events$ saw (as JSON round trips). */
async function run(app: Supervisor, seen: Line[]): Promise<void> {
  app.events$.subscribe((event: SupervisorEvent) => seen.push(JSON.parse(JSON.stringify(event)) as Line));
  await app.start();
  await app.outcome('flaky');
  await app.shutdown();
}

const eventLines = (lines: readonly Line[]): Line[] => lines.slice(1).filter((line) => !('inspect' in line));

describe('serveViewer live', () => {
  it('sends the header, then the events events$ saw in the same order, to an early and a late browser', async () => {
    const app = flakyApp(2);
    const seen: Line[] = [];
    const viewer = await serveViewer(app, { inspect: false });
    const early = await connectLive(liveUrl(viewer.url));
    try {
      await run(app, seen);
      await early.until((lines) => eventLines(lines).length >= seen.length);
      expect(early.lines[0]).toMatchObject({ format: 'statevisor-recording', version: 1, snapshot: { path: 'app', state: 'idle' } });
      expect(eventLines(early.lines)).toEqual(seen);
      expect(seen.map((event) => event.kind)).toContain('BackoffScheduled');

      // After the app shut down, a browser that connects late gets the same lines from history.
      const late = await connectLive(liveUrl(viewer.url));
      await late.until((lines) => eventLines(lines).length >= seen.length);
      expect(late.lines).toEqual(early.lines);
      await late.close();
      expect(viewer.stats()).toMatchObject({ dropped: 0 });
    } finally {
      await early.close();
      await viewer.close();
    }
  });

  it('relays inspection lines by default, with the machines\' definitions, and the events in order among them', async () => {
    const app = flakyApp(1);
    const seen: Line[] = [];
    const viewer = await serveViewer(app);
    const client = await connectLive(liveUrl(viewer.url));
    try {
      await run(app, seen);
      await client.until((lines) => eventLines(lines).length >= seen.length);
      expect(eventLines(client.lines)).toEqual(seen);
      const actors = client.lines
        .map((line) => line.inspect as { type: string; name?: string; definition?: string } | undefined)
        .filter((message) => message?.type === '@xstate.actor');
      const names = actors.map((message) => message?.name);
      expect(names).toContain('app/flaky');
      expect(names).toContain('app/flaky#2');
      expect(actors.find((message) => message?.name === 'app/flaky')?.definition).toEqual(expect.any(String));
    } finally {
      await client.close();
      await viewer.close();
    }
  });

  it('follows the app from the call on, before its promise resolves', async () => {
    const app = flakyApp(1);
    const seen: Line[] = [];
    const pending = serveViewer(app, { inspect: false });
    await run(app, seen);
    const viewer = await pending;
    try {
      const client = await connectLive(liveUrl(viewer.url));
      await client.until((lines) => eventLines(lines).length >= seen.length);
      expect(client.lines[0]).toMatchObject({ snapshot: { state: 'idle' } });
      expect(eventLines(client.lines)).toEqual(seen);
      await client.close();
    } finally {
      await viewer.close();
    }
  });

  it('batches lines: fewer WebSocket messages than lines', async () => {
    const app = flakyApp(5);
    const seen: Line[] = [];
    const viewer = await serveViewer(app, { inspect: false });
    const client = await connectLive(liveUrl(viewer.url));
    try {
      await run(app, seen);
      await client.until((lines) => eventLines(lines).length >= seen.length);
      expect(client.messages).toBeLessThan(client.lines.length);
    } finally {
      await client.close();
      await viewer.close();
    }
  });

  it('keeps historyLimit lines and tells a late browser how many were trimmed', async () => {
    const app = flakyApp(3);
    const seen: Line[] = [];
    const viewer = await serveViewer(app, { inspect: false, historyLimit: 5 });
    try {
      await run(app, seen);
      const late = await connectLive(liveUrl(viewer.url));
      await late.until((lines) => lines.length >= 7);
      const trimmed = seen.length - 5;
      expect(late.lines[1]).toMatchObject({ kind: 'SubscriberOverflow', subscriber: 'viewer#history', dropped: trimmed, seq: seen[trimmed - 1]?.seq, task: 'app' });
      expect(late.lines.slice(2)).toEqual(seen.slice(-5));
      await late.close();
    } finally {
      await viewer.close();
    }
  });

  it('drops lines for a browser that does not read, and reports them once it drains: received + dropped = published', async () => {
    // The task fails with a 100 KB reason (two such lines per failure: TaskFailed and
    // BackoffScheduled) until the server has dropped lines for the paused browser: the kernel's
    // socket buffers fill, then the server's budget, however large the buffers are.
    let attempts = 0;
    const app = createSupervisor({
      name: 'app',
      children: [
        task(
          'flaky',
          () => {
            attempts += 1;
            // The task runs only after app.start(), once `viewer` below is set.
            const dropping = viewer.stats().dropped > 0;
            return dropping || attempts > 2_000 ? Promise.resolve('done') : Promise.reject(new Error('x'.repeat(100_000)));
          },
          { backoff: NO_BACKOFF },
        ),
      ],
    });
    const seen: Line[] = [];
    const viewer = await serveViewer(app, { inspect: false, clientBufferBytes: 512 * 1024, historyLimit: 10 });
    const slow = await connectLive(liveUrl(viewer.url));
    const fast = await connectLive(liveUrl(viewer.url));
    try {
      slow.pause();
      await run(app, seen);
      expect(attempts).toBeLessThanOrEqual(2_000);
      await fast.until((lines) => eventLines(lines).length >= seen.length);
      expect(eventLines(fast.lines)).toEqual(seen);
      expect(viewer.stats().dropped).toBeGreaterThan(0);

      slow.resume();
      const reports = (lines: readonly Line[]): Line[] =>
        eventLines(lines).filter((line) => line.kind === 'SubscriberOverflow' && line.subscriber === 'viewer');
      const received = (lines: readonly Line[]): Line[] => eventLines(lines).filter((line) => !reports(lines).includes(line));
      const reported = (lines: readonly Line[]): number => reports(lines).reduce((sum, line) => sum + (line.dropped as number), 0);
      await slow.until((lines) => received(lines).length + reported(lines) === seen.length);

      expect(reports(slow.lines).length).toBeGreaterThan(0);
      expect(reported(slow.lines)).toBe(viewer.stats().dropped);
      // What it got is what was published, in order, with gaps only where a report stands.
      const got = received(slow.lines);
      const seqs = got.map((line) => line.seq as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      for (const line of got) expect(line).toEqual(seen.find((event) => event.seq === line.seq));
      for (const report of reports(slow.lines)) {
        const index = slow.lines.indexOf(report);
        const before = eventLines(slow.lines.slice(0, index)).filter((line) => line.kind !== 'SubscriberOverflow').at(-1);
        expect(report.seq).toBe(before?.seq ?? 0);
        expect(report.task).toBe('app');
      }
    } finally {
      await Promise.all([slow.close(), fast.close()]);
      await viewer.close();
    }
  });

  it('counts its clients', async () => {
    const app = flakyApp(0);
    const viewer = await serveViewer(app, { inspect: false });
    try {
      const a = await connectLive(liveUrl(viewer.url));
      const b = await connectLive(liveUrl(viewer.url));
      await Promise.all([a.until((lines) => lines.length >= 1), b.until((lines) => lines.length >= 1)]);
      expect(viewer.stats().clients).toBe(2);
      await a.close();
      await b.close();
    } finally {
      await viewer.close();
      await app.shutdown();
    }
  });
});
