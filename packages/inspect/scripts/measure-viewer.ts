/**
 * Measures how long the viewer takes to load a large recording: generates 100 000 events (a
 * realistic mix over 300 tasks: starts, output, failures with backoffs, readiness, removal,
 * plus each task machine's inspection message with its definition), serves the file, opens it
 * in headless Chromium five times, and prints the time from navigation to
 * `document.body.dataset.ready` (the page reads, parses and draws everything first).
 *
 * Run: pnpm --filter @statevisor/inspect exec tsx --conditions=@statevisor/source scripts/measure-viewer.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveViewer } from '../src/index.ts';
import { launchBrowser, openLocalPage } from '../test/browser.ts';
import { buildViewer } from './build-viewer.ts';

const EVENTS = 100_000;
const TASKS = 300;
const RUNS = 5;
const STARTED_AT = Date.UTC(2026, 0, 1);

/** A small deterministic PRNG (mulberry32), so every run measures the same file. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEFINITION = JSON.stringify({
  id: 'task',
  initial: 'idle',
  states: Object.fromEntries(
    ['idle', 'starting', 'running', 'ready', 'stopping', 'stopped', 'failed', 'backoff', 'exhausted', 'dead'].map((state, index, all) => [
      state,
      { on: { [`to.${all[(index + 1) % all.length] ?? 'idle'}`]: { target: all[(index + 1) % all.length] }, 'task.stop': { target: 'stopping' } } },
    ]),
  ),
});

/** The recording's text (header, one inspection line per task, then the events) and its event count. */
function generate(): { readonly text: string; readonly events: number } {
  const next = random(42);
  const lines: string[] = [];
  const groups = ['api', 'workers', 'jobs'];
  const children = groups.map((group) => ({ path: `app/${group}`, kind: 'supervisor', state: 'idle', children: [] }));
  lines.push(JSON.stringify({ format: 'statevisor-recording', version: 1, startedAt: STARTED_AT, snapshot: { path: 'app', kind: 'supervisor', state: 'idle', children } }));
  const tasks = Array.from({ length: TASKS }, (_, index) => ({ path: `app/${groups[index % groups.length] ?? 'api'}/t${String(index)}`, attempt: 0, phase: 'new' }));
  tasks.forEach((task, index) => {
    lines.push(JSON.stringify({ inspect: { type: '@xstate.actor', sessionId: `x:${String(index + 1)}`, rootId: 'x:0', createdAt: String(STARTED_AT), id: null, _version: '0.7.2', name: task.path, parentId: 'x:0', definition: DEFINITION, snapshot: { status: 'active', value: 'idle' } } }));
  });
  let seq = 0;
  const emit = (event: Record<string, unknown>): void => {
    seq += 1;
    lines.push(JSON.stringify({ ...event, seq, at: STARTED_AT + seq * 3 }));
  };
  while (seq < EVENTS) {
    const task = tasks[Math.floor(next() * tasks.length)];
    if (task === undefined) continue;
    const { path } = task;
    const roll = next();
    if (task.phase === 'new') {
      emit({ kind: 'TaskAddRequested', task: path });
      emit({ kind: 'TaskAdded', task: path });
      task.phase = 'idle';
    } else if (task.phase === 'idle') {
      task.attempt += 1;
      emit({ kind: 'TaskStarting', task: path, attempt: task.attempt });
      emit({ kind: 'TaskStarted', task: path, attempt: task.attempt, pid: 1000 + seq });
      task.phase = 'running';
    } else if (task.phase === 'running' && roll < 0.3) {
      emit({ kind: 'TaskReady', task: path, attempt: task.attempt });
      task.phase = 'ready';
    } else if ((task.phase === 'running' || task.phase === 'ready') && roll < 0.36) {
      emit({ kind: 'TaskFailed', task: path, attempt: task.attempt, reason: `exit code 1 (run ${String(task.attempt)})`, exitCode: 1, durationMs: 120 });
      const explanation = { strategy: 'one-for-one', restartsBefore: task.attempt - 1, restartsAfter: task.attempt, maxRestarts: 1000, periodMs: 60_000, delayMs: 100, baseMs: 100, allowed: true };
      emit({ kind: 'BackoffScheduled', task: path, attempt: task.attempt, delayMs: 100, backoffSource: 'failure', reason: 'exit code 1', explanation });
      task.phase = 'idle';
    } else if (task.phase === 'ready' && roll > 0.998) {
      emit({ kind: 'TaskStopped', task: path, attempt: task.attempt, stopReason: 'finished', durationMs: 500 });
      emit({ kind: 'ActorExhausted', task: path, outcome: 'completed' });
      emit({ kind: 'TaskRemoved', task: path });
      task.phase = 'new';
    } else if (task.phase === 'running' || task.phase === 'ready') {
      emit({ kind: 'TaskOutput', task: path, attempt: task.attempt, stream: roll < 0.9 ? 'stdout' : 'stderr', line: `request ${String(seq)} handled in ${String(Math.floor(roll * 100))} ms` });
    }
  }
  return { text: `${lines.join('\n')}\n`, events: seq };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

await buildViewer();
const dir = await mkdtemp(join(tmpdir(), 'statevisor-measure-'));
const file = join(dir, 'large.jsonl');
const { text, events } = generate();
await writeFile(file, text);
const viewer = await serveViewer(file);
const browser = await launchBrowser();
const inPage: number[] = [];
const wall: number[] = [];
try {
  for (let run = 0; run < RUNS; run += 1) {
    const local = await openLocalPage(browser);
    await local.page.setViewportSize({ width: 1400, height: 900 });
    const began = performance.now();
    await local.page.goto(viewer.url);
    await local.page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 });
    wall.push(performance.now() - began);
    inPage.push(Number(await local.page.locator('body').getAttribute('data-ready-ms')));
    const count = await local.page.locator('[data-testid="event-count"]').getAttribute('data-count');
    if (count !== String(events)) throw new Error(`the page shows ${String(count)} events, not ${String(events)}`);
    local.assertLocal();
    await local.close();
  }
} finally {
  await browser.close();
  await viewer.close();
  await rm(dir, { recursive: true, force: true });
}
console.log(`recording: ${String(events)} events over ${String(TASKS)} tasks, ${(text.length / 1e6).toFixed(1)} MB`);
console.log(`navigation to body.dataset.ready: median ${String(Math.round(median(inPage)))} ms (runs: ${inPage.join(', ')} ms)`);
console.log(`goto to ready seen by the test: median ${String(Math.round(median(wall)))} ms`);
