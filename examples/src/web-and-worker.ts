/**
 * A web server and a worker, both real OS processes: the worker is gated on the server's
 * readiness (`dependsOn` + `readyIndicator`), then really calls it over HTTP.
 *
 *   pnpm example src/web-and-worker.ts
 *
 *   app
 *   ├── web      process   `node -e` HTTP server on 127.0.0.1; warms up for 300 ms, then prints
 *   │                      "listening on <port>": that line makes it ready (readyIndicator)
 *   └── worker   process   dependsOn web: spawned only once web is ready; fetches 3 jobs from it
 *                          and exits 0 (a worker started before the server would get ECONNREFUSED)
 *
 * @expect worker: 3 of 3 requests answered by web
 */
import { createServer } from 'node:net';
import { createSupervisor } from '@statevisor/core';
import { processTask } from '@statevisor/process';

/** A free TCP port on the loopback interface, for the server to listen on. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  console.log('served ' + req.url);
  res.end('job ' + new URL(req.url, 'http://x').searchParams.get('n') + ' done by pid ' + process.pid);
});
setTimeout(() => server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT)), 300);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const WORKER = `
(async () => {
  for (let n = 1; n <= 3; n++) {
    const res = await fetch(process.env.WEB_URL + '/work?n=' + n);
    console.log('got: ' + (await res.text()));
  }
})();
`;

const port = String(await freePort());
const app = createSupervisor({
  name: 'app',
  graceMs: 2_000,
  children: [
    processTask('web', { command: process.execPath, args: ['-e', SERVER], env: { PORT: port }, readyIndicator: /^listening on \d+$/ }, { restart: 'always' }),
    processTask(
      'worker',
      { command: process.execPath, args: ['-e', WORKER], env: { WEB_URL: `http://127.0.0.1:${port}` } },
      { dependsOn: ['web'], restart: 'on-failure', maxRetries: 2 },
    ),
  ],
});

const started = Date.now();
let answered = 0;
app.subscribe({
  name: 'log',
  next: (event) => {
    const at = `+${String(event.at - started).padStart(4)} ms`;
    if (event.kind === 'TaskStarted') console.log(`${at}  ${event.task} started, pid ${String(event.pid)}`);
    if (event.kind === 'TaskReady' && event.task === 'app/web') console.log(`${at}  ${event.task} is ready`);
    if (event.kind === 'TaskFailed') console.log(`${at}  ${event.task} failed: ${event.reason}`);
    if (event.kind === 'TaskOutput') {
      console.log(`${at}  [${event.task}] ${event.line}`);
      if (event.task === 'app/worker' && event.line.startsWith('got: job ')) answered++;
    }
  },
});

await app.start();
const outcome = await app.outcome('worker');
console.log(`worker: ${outcome.kind}`);
const result = await app.shutdown();
console.log(`worker: ${answered} of 3 requests answered by web`);
console.log(`shutdown: ${result.withinGrace ? 'both processes stopped within grace' : `stuck: ${result.stuck.join(', ')}`}`);
process.exitCode = outcome.kind === 'completed' && answered === 3 ? 0 : 1;
