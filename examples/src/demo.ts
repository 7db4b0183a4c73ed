/**
 * The Statevisor demo: a supervision tree of function tasks, real processes and a nested
 * supervisor, printing its events as readable lines for a few seconds, then shutting down.
 *
 *   pnpm demo            (DEMO_MS=8000 pnpm demo to watch longer)
 *   pnpm demo --ui       also serves the offline viewer: open the printed URL to watch the tree
 *                        live; after the shutdown the page keeps the run (scrub back through it)
 *                        until Ctrl-C
 *
 * @expect shutdown: every task stopped within grace
 *
 *   demo                          one-for-one, intensity 10 restarts / 10 s
 *   ├── web          process      a small HTTP server; ready once it prints "listening on"
 *   ├── reporter     task         dependsOn web: starts once web is ready, queries it
 *   ├── crasher      process      a script that exits 3; restarted with exponential backoff
 *   ├── heartbeat    task         a periodic job, every 700 ms
 *   └── pipeline     supervisor   one-for-all, intensity 2 restarts / 10 s
 *       ├── stage    supervisor   intensity 1 restart / 10 s
 *       │   └── parser  task     crashes on its first 2 starts: stage gives up once (escalation)
 *       └── collector task        restarted with its sibling by one-for-all
 */
import { createSupervisor, formatEvent, supervisor, task } from '@statevisor/core';
import { serveViewer } from '@statevisor/inspect';
import { processTask } from '@statevisor/process';

const RUN_FOR_MS = Number(process.env['DEMO_MS'] ?? 4_000);
const startedAt = Date.now();

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => res.end('hello from pid ' + process.pid));
server.listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

let port = 0;
let parserStarts = 0;

const app = createSupervisor({
  name: 'demo',
  graceMs: 1_000,
  intensity: { maxRestarts: 10, periodMs: 10_000 },
  defaults: { restart: 'on-failure', backoff: { firstMs: 200, maxMs: 2_000, factor: 2, jitter: 'equal' } },
  children: [
    processTask('web', { command: process.execPath, args: ['-e', SERVER], readyIndicator: /listening on (\d+)/ }),
    task(
      'reporter',
      async ({ signal, ready }) => {
        const res = await fetch(`http://127.0.0.1:${port}/`, { signal });
        console.log(`           reporter got: ${await res.text()}`);
        ready();
        await sleep(60_000, signal);
      },
      { dependsOn: ['web'] },
    ),
    processTask(
      'crasher',
      { command: 'sh', args: ['-c', 'echo working; sleep 0.2; echo "lost the database" >&2; exit 3'] },
      { maxRetries: 3, backoff: { firstMs: 200, maxMs: 1_000, factor: 2, jitter: 'none' } },
    ),
    task('heartbeat', ({ attempt }) => `beat ${attempt}`, { restart: { always: { intervalMs: 700 } } }),
    supervisor('pipeline', {
      strategy: 'one-for-all',
      intensity: { maxRestarts: 2, periodMs: 10_000 },
      backoff: { firstMs: 100, maxMs: 100, factor: 1, jitter: 'none' },
      children: [
        supervisor('stage', {
          intensity: { maxRestarts: 1, periodMs: 10_000 },
          children: [
            task(
              'parser',
              async ({ signal, ready }) => {
                parserStarts++;
                await sleep(150, signal);
                if (parserStarts <= 2) throw new Error(`bad input (start ${parserStarts})`);
                ready();
                await sleep(60_000, signal);
              },
              { backoff: { firstMs: 100, maxMs: 100, factor: 1, jitter: 'none' } },
            ),
          ],
        }),
        task('collector', async ({ signal, ready }) => {
          ready();
          await sleep(60_000, signal);
        }),
      ],
    }),
  ],
});

app.events$.subscribe((event) => {
  if (event.kind === 'TaskOutput' && event.task === 'demo/web') {
    const match = /listening on (\d+)/.exec(event.line);
    if (match?.[1] !== undefined) port = Number(match[1]);
  }
  console.log(formatEvent(event, { since: startedAt }));
});

console.log(`Statevisor demo: running a supervision tree for ${RUN_FOR_MS / 1000}s, then shutting down.\n`);
// Before start(), so the page has every event. `--ui` is for people; the tests run without it.
const viewer = process.argv.includes('--ui') ? await serveViewer(app) : undefined;
if (viewer !== undefined) console.log(`the viewer: ${viewer.url}\n`);
await app.start();
await new Promise((resolve) => setTimeout(resolve, RUN_FOR_MS));
console.log('\nthe tree now:');
const show = (node: ReturnType<typeof app.snapshot>, depth: number): void => {
  console.log(`${'  '.repeat(depth + 1)}${node.path}  ${node.kind}  ${node.state}${node.attempt === undefined ? '' : `  attempt ${node.attempt}`}${node.pid === undefined ? '' : `  pid ${node.pid}`}`);
  for (const child of node.children ?? []) show(child, depth + 1);
};
show(app.snapshot(), 0);
console.log('\nwhy the stage was restarted:', JSON.stringify(app.explain('demo/pipeline/stage').at(-1)));
const result = await app.shutdown();
console.log(`\nshutdown: ${result.withinGrace ? 'every task stopped within grace' : `stuck: ${result.stuck.join(', ')}`}`);
if (viewer !== undefined) {
  console.log(`\nthe viewer keeps the whole run at ${viewer.url}: press Ctrl-C to end`);
  await new Promise((resolve) => process.once('SIGINT', resolve));
  await viewer.close();
}
