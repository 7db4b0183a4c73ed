/**
 * Makes packages/inspect/recordings/canonical.jsonl: a real, small run recorded with
 * `{ inspect: true }`, used by the viewer's tests and demos (and checked by
 * test/canonical-recording.test.ts). Its tree shows, in a few seconds:
 * - a process task (`app/web`, `sh -c` printing lines) that becomes ready on a line;
 * - a ready-gated dependency (`app/api` waits for `web` to be ready);
 * - a crash and a one-for-all restart (`app/workers/a` throws on its first attempt, so the
 *   `workers` supervisor stops `b` and restarts both), with backoffs;
 * - an escalation (`app/fragile/unstable` keeps crashing, `fragile`'s intensity is exceeded, it
 *   fails, and `app` restarts it; the new incarnation's child stays up);
 * - a clean shutdown.
 *
 * Run it with `pnpm --filter @statevisor/inspect run recording`.
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createSupervisor, supervisor, task, type SupervisorEvent, type TaskContext } from '@statevisor/core';
import { processTask } from '@statevisor/process';
import { filter, firstValueFrom } from 'rxjs';
import { record } from '../src/index.ts';

/** Where the canonical recording lives. */
export const CANONICAL_RECORDING = fileURLToPath(new URL('../recordings/canonical.jsonl', import.meta.url));

const quick = { firstMs: 20, maxMs: 40, factor: 2, jitter: 'none' } as const;

/** Resolves when the signal aborts: a service that runs until it is stopped. */
async function serve({ signal, ready }: TaskContext): Promise<void> {
  ready();
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => { resolve(); }, { once: true });
  });
}

/** Records the canonical run into `file` (replacing it) and returns the number of events. */
export async function makeCanonicalRecording(file: string = CANONICAL_RECORDING): Promise<number> {
  await rm(file, { force: true });
  let workerRuns = 0;
  let unstableRuns = 0;
  const app = createSupervisor({
    name: 'app',
    graceMs: 2_000,
    defaults: { backoff: quick },
    children: [
      processTask('web', {
        command: 'sh',
        args: ['-c', 'echo "web: booting"; echo "web: listening on 8080"; exec sleep 30'],
        readyIndicator: /listening/,
      }),
      task('api', serve, { dependsOn: ['web'] }),
      supervisor('workers', {
        strategy: 'one-for-all',
        children: [
          task('a', async (context) => {
            if (++workerRuns === 1) throw new Error('worker a crashed');
            await serve(context);
          }),
          task('b', serve),
        ],
      }),
      supervisor('fragile', {
        intensity: { maxRestarts: 1, periodMs: 60_000 },
        children: [
          task('unstable', async (context) => {
            if (++unstableRuns <= 2) throw new Error(`unstable crashed (run ${String(unstableRuns)})`);
            await serve(context);
          }),
        ],
      }),
    ],
  });

  const when = (test: (event: SupervisorEvent) => boolean): Promise<SupervisorEvent> =>
    firstValueFrom(app.events$.pipe(filter(test)));
  const readyAgain = (path: string): Promise<SupervisorEvent> => when((e) => e.kind === 'TaskReady' && e.task === path);
  const settled = Promise.all([
    when((e) => e.kind === 'TaskReady' && e.task === 'app/api'),
    when((e) => e.kind === 'SupervisorRestarting' && e.task === 'app/workers').then(() => readyAgain('app/workers/a')),
    when((e) => e.kind === 'IntensityExceeded' && e.task === 'app/fragile').then(() => readyAgain('app/fragile/unstable')),
  ]);

  const recording = record(app, file, { inspect: true });
  await app.start();
  await settled;
  await app.shutdown();
  await recording.stop();
  return recording.stats().written;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const written = await makeCanonicalRecording();
  console.log(`wrote ${CANONICAL_RECORDING} (${String(written)} events)`);
}
