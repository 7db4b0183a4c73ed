/**
 * The Statevisor demo: a small supervision tree of function tasks, printing its events as
 * readable lines for a few seconds, then shutting down gracefully.
 *
 *   pnpm demo
 */
import { createSupervisor, task } from '@statevisor/core';
import { formatEvent } from './format.ts';

const RUN_FOR_MS = Number(process.env['DEMO_MS'] ?? 4_000);

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

const app = createSupervisor({
  name: 'demo',
  graceMs: 1_000,
  defaults: { restart: 'on-failure', backoff: { firstMs: 200, maxMs: 2_000, factor: 2, jitter: 'equal' } },
  children: [
    // A worker that crashes on its first three attempts, then settles: backoff grows between tries.
    task('flaky-worker', async ({ attempt, signal, ready }) => {
      await sleep(100, signal);
      if (attempt <= 3) throw new Error(`connection refused (attempt ${attempt})`);
      ready();
      await sleep(60_000, signal);
    }),
    // A periodic job: runs, succeeds, and runs again every 700 ms.
    task('heartbeat', ({ attempt }) => `beat ${attempt}`, { restart: { always: { intervalMs: 700 } } }),
    // A service that takes a moment to become ready, then serves until stopped.
    task('api', async ({ signal, ready }) => {
      await sleep(300, signal);
      ready();
      await sleep(60_000, signal);
    }),
    // A task that depends on the api being ready before it starts.
    task('reporter', async ({ signal, ready }) => {
      ready();
      await sleep(60_000, signal);
    }, { dependsOn: ['api'] }),
  ],
});

app.events$.subscribe((event) => {
  console.log(formatEvent(event));
});

console.log(`Statevisor demo: running a supervision tree for ${RUN_FOR_MS / 1000}s, then shutting down.\n`);
await app.start();
await new Promise((resolve) => setTimeout(resolve, RUN_FOR_MS));
const result = await app.shutdown();
console.log(`\nshutdown: ${result.withinGrace ? 'every task stopped within grace' : `stuck: ${result.stuck.join(', ')}`}`);
