/**
 * Production knobs of a process task: probes, a reload signal, and exit codes that mean "stop
 * trying".
 *
 *   pnpm example src/process-health.ts
 *
 *   app
 *   ├── web       process   `node -e` HTTP server: ready when GET /health answers (readinessProbe);
 *   │                       reloads on SIGHUP (signal('SIGHUP')); once told to get sick, /health
 *   │                       answers 500: the livenessProbe fails twice in a row, the attempt is
 *   │                       stopped and restarted, and the next attempt is healthy again
 *   └── migrate   process   exits 78 ("config error"), listed in fatalExitCodes: ActorDead
 *                           (fatal) at once, although its restart policy is 'always'
 *
 * @expect web restarted by its liveness probe; migrate ended for good on exit code 78
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
let sick = false;
const server = require('node:http').createServer((req, res) => {
  if (req.url === '/sick') { sick = true; console.log('getting sick'); }
  res.statusCode = req.url === '/health' && sick ? 500 : 200;
  res.end();
});
process.on('SIGHUP', () => console.log('reloaded the configuration'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
setTimeout(() => server.listen(Number(process.env.PORT), '127.0.0.1'), 200);
`;

const port = await freePort();
const health = { http: { port, path: '/health' }, periodMs: 100, timeoutMs: 500 };
const app = createSupervisor({
  name: 'app',
  graceMs: 2_000,
  children: [
    processTask(
      'web',
      {
        command: process.execPath,
        args: ['-e', SERVER],
        env: { PORT: String(port) },
        readinessProbe: health,
        readyTimeoutMs: 5_000,
        livenessProbe: { ...health, initialDelayMs: 1_000, failureThreshold: 2 },
      },
      { restart: 'always', backoff: { firstMs: 50, jitter: 'none' } },
    ),
    processTask('migrate', { command: 'sh', args: ['-c', 'echo "bad config" >&2; exit 78'], fatalExitCodes: [78] }, { restart: 'always' }),
  ],
});

const started = Date.now();
const readyAttempts: number[] = [];
app.subscribe({
  name: 'log',
  next: (event) => {
    const at = `+${String(event.at - started).padStart(4)} ms`;
    if (event.kind === 'TaskReady' && event.task === 'app/web') readyAttempts.push(event.attempt);
    if (event.kind === 'TaskReady' || event.kind === 'ProcessControl' || event.kind === 'HealthCheckFailed') {
      const detail = event.kind === 'ProcessControl' ? ` ${event.action} ${event.signal ?? ''}` : event.kind === 'HealthCheckFailed' ? ` ${event.probe}: ${event.reason}` : '';
      console.log(`${at}  ${event.task} #${String(event.attempt)} ${event.kind}${detail}`);
    }
    if (event.kind === 'TaskOutput') console.log(`${at}  [${event.task}] ${event.line}`);
    if (event.kind === 'TaskFailed' || event.kind === 'ActorDead') console.log(`${at}  ${event.task} ${event.kind}: ${event.reason}`);
  },
});

await app.start();
const web = app.child('web');
await waitUntil(() => readyAttempts.length >= 1);
web.signal('SIGHUP');
await fetch(`http://127.0.0.1:${String(port)}/sick`);
await waitUntil(() => readyAttempts.includes(2));
const migrate = await app.outcome('migrate');
await app.shutdown();
const restarted = readyAttempts.includes(2);
console.log(`${restarted ? 'web restarted by its liveness probe' : 'web was never restarted'}; migrate ${migrate.kind === 'fatal' ? 'ended for good on exit code 78' : `ended ${migrate.kind}`}`);
process.exitCode = restarted && migrate.kind === 'fatal' ? 0 : 1;

/** Polls `condition` every 20 ms (this example runs on the real clock, like the processes). */
async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
