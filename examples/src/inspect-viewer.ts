/**
 * Watching a tree without internet: a run recorded to a JSONL file while the offline viewer
 * follows it live, then the same recording read back in code and served again for time travel.
 *
 *   pnpm example src/inspect-viewer.ts          (VIEWER_MS=60000 to keep the pages open a minute)
 *
 * @expect recording read back: every event of the run
 *
 *   shop                  one-for-one
 *   ├── api     task      ready at once
 *   └── mailer  task      crashes on its first attempt, restarted after a backoff
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSupervisor, task } from '@statevisor/core';
import type { SupervisorEvent } from '@statevisor/core';
import { readRecording, readRecordingHeader, record, serveViewer } from '@statevisor/inspect';

const KEEP_OPEN_MS = Number(process.env['VIEWER_MS'] ?? 0);
const dir = mkdtempSync(join(tmpdir(), 'statevisor-viewer-'));
const file = join(dir, 'shop.jsonl');

const idle = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

const app = createSupervisor({
  name: 'shop',
  defaults: { backoff: { firstMs: 100, maxMs: 100, factor: 1, jitter: 'none' } },
  children: [
    task('api', async ({ signal, ready }) => {
      ready();
      await idle(signal);
    }),
    task('mailer', async ({ signal, attempt, ready }) => {
      if (attempt === 1) throw new Error('SMTP server refused the connection');
      ready();
      await idle(signal);
    }),
  ],
});

// Both before start(), so neither misses an event. The recording keeps the machines'
// definitions too ({ inspect: true }), so the viewer can draw them later.
const seen: SupervisorEvent[] = [];
app.events$.subscribe((event) => seen.push(event));
const recording = record(app, file, { inspect: true });
const live = await serveViewer(app);
console.log(`live viewer:      ${live.url}`);

const mailerUp = new Promise<void>((resolve) => {
  app.events$.subscribe((event) => {
    if (event.kind === 'TaskReady' && event.task === 'shop/mailer') resolve();
  });
});
await app.start();
await mailerUp;
console.log(`the mailer is up again: ${JSON.stringify(app.snapshot().children?.map((node) => [node.path, node.state, node.attempt]))}`);

const sessionUrl = new URL(live.url); // the token travels in the query of every request
sessionUrl.pathname = '/session';
const session: unknown = await (await fetch(sessionUrl)).json();
console.log(`the live page's session: ${JSON.stringify(session)}`);
if (KEEP_OPEN_MS > 0) await new Promise((resolve) => setTimeout(resolve, KEEP_OPEN_MS));

await app.shutdown();
await recording.stop(); // every line written, the file closed
await live.close();

// The morning after: the file holds the tree at the start, then every event in seq order.
const header = await readRecordingHeader(file);
let count = 0;
const failures: string[] = [];
for await (const event of readRecording(file)) {
  count += 1;
  if (event.kind === 'TaskFailed') failures.push(`${event.task}: ${event.reason}`);
}
console.log(`recording of ${header.snapshot.path} from ${new Date(header.startedAt).toISOString()}: ${count} events, failures: ${failures.join('; ')}`);
if (count === seen.length) console.log('recording read back: every event of the run');
else console.log(`recording read back: ${count} of ${seen.length} events`);

const replay = await serveViewer(file);
console.log(`replay viewer:    ${replay.url}`);
if (KEEP_OPEN_MS > 0) await new Promise((resolve) => setTimeout(resolve, KEEP_OPEN_MS));
await replay.close();
rmSync(dir, { recursive: true, force: true });
