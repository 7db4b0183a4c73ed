/**
 * A job runner: jobs submitted through admission slots, at most two running at once, flaky jobs
 * retried with exponential backoff, and every job's outcome collected at the end.
 *
 *   pnpm example src/job-runner.ts
 *
 *   jobs                  maxConcurrent: 2 (attempts running at once, retries included)
 *   ├── resize-1 .. 6     submitted to slots 'customer-a', '-b', '-c' with admission 'queue':
 *   │                     one job per customer at a time, the others wait in order; three
 *   │                     customers, but only two jobs run at once
 *   ├── resize-3          fails its first attempt, then succeeds on a retry
 *   └── resize-5          always fails: after maxRetries 2 (3 attempts) its outcome is 'failed'
 *
 * @expect 6 jobs: 5 completed, 1 failed; at most 2 ran at once
 */
import { createSupervisor, task } from '@statevisor/core';
import type { TaskContext, TaskOutcome } from '@statevisor/core';

const JOBS = 6;
let running = 0;
let mostAtOnce = 0;

/** A fake unit of work: 40 ms of "resizing", failing as the job's plan says. */
function resize(job: number) {
  return async ({ attempt, signal }: TaskContext): Promise<string> => {
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    try {
      await new Promise((resolve) => setTimeout(resolve, 40));
      signal.throwIfAborted();
      if (job === 5) throw new Error('image is corrupt');
      if (job === 3 && attempt === 1) throw new Error('storage timed out');
      return `image-${job}.webp`;
    } finally {
      running--;
    }
  };
}

const app = createSupervisor({
  name: 'jobs',
  maxConcurrent: 2,
  defaults: { restart: 'on-failure', maxRetries: 2, backoff: { firstMs: 50, maxMs: 400, factor: 2, jitter: 'equal' } },
});

app.subscribe({
  name: 'log',
  next: (event) => {
    if (event.kind === 'TaskFailed') console.log(`  ${event.task} attempt ${event.attempt} failed: ${event.reason}`);
    if (event.kind === 'BackoffScheduled' && event.backoffSource === 'failure') {
      console.log(`  ${event.task} retries in ${event.delayMs} ms`);
    }
  },
});

await app.start();
const names: string[] = [];
for (let job = 1; job <= JOBS; job++) {
  const name = `resize-${job}`;
  const slot = `customer-${'abc'.charAt(job % 3)}`;
  await app.submit(task(name, resize(job)), { slot, admission: 'queue' });
  names.push(name);
}
console.log(`submitted ${JOBS} jobs to 3 slots`);

const outcomes: TaskOutcome[] = await Promise.all(names.map((name) => app.outcome(name)));
names.forEach((name, index) => {
  const outcome = outcomes[index];
  if (outcome === undefined) return;
  const detail = outcome.kind === 'completed' ? String(outcome.output) : (outcome.reason ?? '');
  console.log(`${name}: ${outcome.kind} (${detail})`);
});
const completed = outcomes.filter((outcome) => outcome.kind === 'completed').length;
console.log(`${JOBS} jobs: ${completed} completed, ${JOBS - completed} failed; at most ${mostAtOnce} ran at once`);
await app.shutdown();
