/**
 * An alerting pipeline: a noisy process and a flaky worker under one supervisor, and two ways to
 * watch only what matters.
 *
 *   pnpm --filter @statevisor/examples exec tsx --conditions=@statevisor/source src/alerting.ts
 *
 *   alerting
 *   ├── logger          process   prints 20,000 lines of output
 *   └── workers         supervisor
 *       └── importer    task      fails on every attempt; gives up after 3 retries
 *
 * - A pager: `subscribe({ kinds, path })` with a small buffer (64) and a slow async `next`
 *   (each page takes 50 ms). The filter runs before the buffer, so the logger's 20,000 lines
 *   never fill it: every failure is paged, none is dropped.
 * - A dashboard counter: `events$.pipe(underPath('workers'), ofKind(...))`, synchronous, typed:
 *   after `ofKind('TaskFailed')` the event is a `TaskFailed`, so `event.reason` needs no check.
 *
 * It runs for a few seconds, prints what it paged and counted, and exits 0.
 *
 * @expect dashboard: 4 failures under workers
 */
import { createSupervisor, formatEvent, ofKind, supervisor, task, underPath } from '@statevisor/core';
import { processTask } from '@statevisor/process';
import { firstValueFrom, map, scan } from 'rxjs';

const LINES = 20_000;
const RETRIES = 3;

const startedAt = Date.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const app = createSupervisor({
  name: 'alerting',
  children: [
    processTask('logger', {
      command: process.execPath,
      args: ['-e', `for (let i = 1; i <= ${String(LINES)}; i++) console.log('request ' + i + ' served in ' + (i % 17) + ' ms');`],
    }),
    supervisor('workers', {
      restart: 'never',
      children: [
        task(
          'importer',
          async ({ attempt }) => {
            await sleep(100);
            throw new Error(`upstream refused the batch (attempt ${String(attempt)})`);
          },
          { maxRetries: RETRIES, backoff: { firstMs: 50, maxMs: 400, factor: 2, jitter: 'none' } },
        ),
      ],
    }),
  ],
});

// 1. The pager: a filtered subscriber with a small buffer and a slow async `next`.
const paged: string[] = [];
const pager = app.subscribe({
  name: 'pager',
  capacity: 64,
  kinds: ['TaskFailed', 'ActorExhausted'],
  path: 'workers',
  next: async (event) => {
    await sleep(50); // a slow paging API
    paged.push(formatEvent(event, { since: startedAt }));
  },
});

// 2. A dashboard: typed operators on events$, plain synchronous RxJS.
let failures = 0;
app.events$
  .pipe(
    underPath('workers'),
    ofKind('TaskFailed'),
    map((event) => event.reason),
    scan((count) => count + 1, 0),
  )
  .subscribe((count) => {
    failures = count;
  });
let lines = 0;
app.events$.pipe(ofKind('TaskOutput')).subscribe(() => {
  lines++;
});

// The importer's last event: an operator chain also makes a handy promise.
const importerDone = firstValueFrom(app.events$.pipe(underPath('workers/importer'), ofKind('ActorExhausted', 'ActorDead')));

await app.start();
const [logger, importer] = await Promise.all([app.outcome('logger'), importerDone]);
await sleep(100); // lets the pager finish its last page
const result = await app.shutdown();

console.log(`logger: ${logger.kind}, ${String(lines)} lines of output`);
console.log(`importer: ${importer.outcome} (${importer.reason ?? ''})`);
console.log(`dashboard: ${String(failures)} failures under workers`);
console.log(`pager: ${JSON.stringify(pager.stats())}; pages:`);
for (const page of paged) console.log(`  ${page}`);

const pagedFailures = paged.filter((page) => page.includes('TaskFailed')).length;
const ok = result.withinGrace && lines === LINES && failures === RETRIES + 1 && pagedFailures === RETRIES + 1 && pager.stats().dropped === 0;
if (!ok) {
  console.error('alerting example: unexpected result');
  process.exitCode = 1;
}
