/**
 * Peer benchmarks (perf-baselines.md §7.2b): what a user would pick instead of Statevisor, on the
 * same work, in the same process.
 *
 * **F1 `peer.function-tasks`**: 10 k async tasks that each fail on their first attempt and succeed
 * on their second, retried with zero backoff, at most 8 running at once; measured until every
 * outcome is known, as CPU time (`process.cpuUsage()`, user + system) and wall time.
 *
 * - Statevisor: a fresh supervisor (`maxConcurrent: 8`, defaults `maxRetries: 1` and a zero
 *   backoff) is started outside the timing; the run `add`s 10 k `task()`s and awaits each one's
 *   `outcome()`; the supervisor is shut down outside the timing.
 * - Effect 4: `Effect.forEach(items, f, { concurrency: 8 })` where `f` is
 *   `Effect.retry(Effect.tryPromise(work), Schedule.recurs(1))`, run with `Effect.runPromise`.
 * - p-retry + p-queue: `new PQueue({ concurrency: 8 })`, each item
 *   `queue.add(() => pRetry(work, { retries: 1, minTimeout: 0 }))`, awaited with `Promise.all`.
 *
 * All three call the same `work(i)`: its promise rejects with a new `Error` on the first call
 * for `i` and resolves to `i` on the second. The three variants run interleaved, the order
 * rotating every round, with two full GCs before each run. **F1** is the ratio against Effect
 * (target ≤ 3×, report-only for now); **F1.p-retry** the ratio against p-retry + p-queue (no
 * target, report-only). Both come from one measurement per process.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { Effect, Schedule } from 'effect';
import PQueue from 'p-queue';
import pRetry from 'p-retry';
import { createSupervisor, task, type Supervisor, type TaskOutcome } from '@statevisor/core';
import { gc, median, must, type BenchGroup, type Check, type RunContext, type Scenario, type ScenarioResult } from './harness.ts';

/** Tasks per run (2 000 with BENCH_QUICK). */
const TASKS = 10_000;
const CONCURRENCY = 8;

/** One side of F1: `prepare` and `after` are untimed; `run(n)` returns each item's result. */
interface Side {
  readonly key: 'statevisor' | 'effect' | 'pRetry';
  readonly label: string;
  prepare?(): Promise<void>;
  run(n: number): Promise<readonly unknown[]>;
  after?(): Promise<void>;
}

/** Calls of `work(i)` per item in the current run. */
let attempts = new Uint8Array(0);

/**
 * The user's async function: its promise rejects with a new `Error` on the first call for `i`
 * and resolves to `i` on the second (what an `async` function that throws, then returns, does).
 */
function work(i: number): Promise<number> {
  attempts[i] = (attempts[i] ?? 0) + 1;
  return attempts[i] === 1 ? Promise.reject(new Error(`task ${i}: transient failure`)) : Promise.resolve(i);
}

function indices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function statevisorSide(): Side {
  let app: Supervisor | undefined;
  return {
    key: 'statevisor',
    label: "createSupervisor({ maxConcurrent: 8, defaults: { maxRetries: 1, backoff: { firstMs: 0 } } }); app.add(task(name, () => work(i))) then app.outcome(name), x N",
    async prepare() {
      app = createSupervisor({
        name: 'f1',
        maxConcurrent: CONCURRENCY,
        defaults: { restart: 'on-failure', maxRetries: 1, backoff: { firstMs: 0, maxMs: 0, factor: 1, jitter: 'none' } },
      });
      await app.start();
    },
    run(n) {
      const sup = must(app, 'a started supervisor');
      return Promise.all(indices(n).map((i) => sup.add(task(`t${i}`, () => work(i))).then((path) => sup.outcome(path))));
    },
    async after() {
      await must(app, 'a started supervisor').shutdown();
      app = undefined;
    },
  };
}

function effectSide(): Side {
  const retried = (i: number): Effect.Effect<number, unknown> =>
    Effect.retry(Effect.tryPromise({ try: () => work(i), catch: (error) => error }), Schedule.recurs(1));
  return {
    key: 'effect',
    label: 'Effect.runPromise(Effect.forEach(items, (i) => Effect.retry(Effect.tryPromise(() => work(i)), Schedule.recurs(1)), { concurrency: 8 }))',
    run: (n) => Effect.runPromise(Effect.forEach(indices(n), retried, { concurrency: CONCURRENCY })),
  };
}

function pRetrySide(): Side {
  return {
    key: 'pRetry',
    label: 'new PQueue({ concurrency: 8 }); Promise.all(items.map((i) => queue.add(() => pRetry(() => work(i), { retries: 1, minTimeout: 0 }))))',
    run(n) {
      const queue = new PQueue({ concurrency: CONCURRENCY });
      return Promise.all(indices(n).map((i) => queue.add(() => pRetry(() => work(i), { retries: 1, minTimeout: 0, randomize: false }))));
    },
  };
}

/** Did item `i` end well? Statevisor: a `completed` outcome whose output is `i`; peers: `i`. */
function succeeded(side: Side['key'], result: unknown, i: number): boolean {
  if (side !== 'statevisor') return result === i;
  const outcome = result as TaskOutcome;
  return outcome.kind === 'completed' && outcome.output === i;
}

/** Per side: CPU and wall ms per run, and what went wrong in any run. */
interface SideRuns {
  readonly cpuMs: number[];
  readonly wallMs: number[];
  readonly problems: string[];
}

interface F1Measurement {
  readonly n: number;
  readonly sides: Record<Side['key'], { label: string; runs: SideRuns }>;
}

/** Runs one side once: its CPU and wall time, then checks results and attempt counts. */
async function runOnce(side: Side, n: number, into: SideRuns | undefined): Promise<void> {
  attempts = new Uint8Array(n);
  if (side.prepare !== undefined) await side.prepare();
  gc();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const results = await side.run(n);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (side.after !== undefined) await side.after();
  if (into === undefined) return;
  into.cpuMs.push((cpu.user + cpu.system) / 1000);
  into.wallMs.push(wall);
  const bad = results.length === n ? indices(n).filter((i) => !succeeded(side.key, results[i], i)).length : n;
  const wrongAttempts = attempts.reduce((count, a) => count + (a === 2 ? 0 : 1), 0);
  if (bad > 0) into.problems.push(`${bad} of ${n} not completed with their value`);
  if (wrongAttempts > 0) into.problems.push(`${wrongAttempts} of ${n} not run exactly twice`);
}

async function measure(ctx: RunContext): Promise<F1Measurement> {
  const n = ctx.quick ? 2_000 : TASKS;
  const sides = [statevisorSide(), effectSide(), pRetrySide()];
  const runs = new Map<Side['key'], SideRuns>(sides.map((s) => [s.key, { cpuMs: [], wallMs: [], problems: [] }]));
  for (let round = 0; round < ctx.warmup + ctx.runs; round++) {
    // Rotate the order every round: each side goes first, second and third in turn.
    const order = sides.map((_, k) => must(sides[(k + round) % sides.length]));
    for (const side of order) await runOnce(side, n, round < ctx.warmup ? undefined : runs.get(side.key));
    const cpu = (key: Side['key']): string => must(must(runs.get(key)).cpuMs.at(-1), 'a run').toFixed(0);
    if (round >= ctx.warmup) ctx.log(`    round ${round - ctx.warmup + 1}/${ctx.runs}: CPU ms statevisor ${cpu('statevisor')}, effect ${cpu('effect')}, p-retry ${cpu('pRetry')}`);
  }
  const entry = (s: Side): { label: string; runs: SideRuns } => ({ label: s.label, runs: must(runs.get(s.key)) });
  const [sv, ef, pr] = sides.map(entry);
  return { n, sides: { statevisor: must(sv), effect: must(ef), pRetry: must(pr) } };
}

let shared: Promise<F1Measurement> | undefined;

/** One measurement per process, shared by F1 and F1.p-retry. */
function measureOnce(ctx: RunContext): Promise<F1Measurement> {
  shared ??= measure(ctx);
  return shared;
}

/** µs per task of the median run. */
function perTask(ms: readonly number[], n: number): number {
  return (median(ms) * 1000) / n;
}

function sideCheck(name: string, runs: SideRuns, n: number): Check {
  return {
    name: `${name}: every task completed with exactly 2 attempts`,
    ok: runs.problems.length === 0,
    detail: runs.problems.length === 0 ? `all ${n} tasks, in every run` : runs.problems.join('; '),
  };
}

function peerScenario(id: 'F1' | 'F1.p-retry', peer: 'effect' | 'pRetry', target: number): Scenario {
  const name = id === 'F1' ? 'peer.function-tasks' : 'peer.function-tasks.p-retry';
  return {
    id,
    name,
    async run(ctx: RunContext): Promise<ScenarioResult> {
      const m = await measureOnce(ctx);
      const sv = m.sides.statevisor;
      const other = m.sides[peer];
      const cpuSv = perTask(sv.runs.cpuMs, m.n);
      const cpuPeer = perTask(other.runs.cpuMs, m.n);
      const wallSv = perTask(sv.runs.wallMs, m.n);
      const wallPeer = perTask(other.runs.wallMs, m.n);
      return {
        id,
        name,
        baseline: { value: cpuPeer, unit: 'µs CPU/task', label: other.label },
        framework: { value: cpuSv, unit: 'µs CPU/task', label: sv.label },
        ratio: cpuSv / cpuPeer,
        target: { direction: 'lower', value: target, reportOnly: true },
        band: 0.15,
        checks: [sideCheck('statevisor', sv.runs, m.n), sideCheck(peer === 'effect' ? 'Effect' : 'p-retry + p-queue', other.runs, m.n)],
        extra: {
          tasks: m.n,
          concurrency: CONCURRENCY,
          wallUsPerTaskPeer: wallPeer,
          wallUsPerTaskStatevisor: wallSv,
          wallRatio: wallSv / wallPeer,
          cpuMsPeer: JSON.stringify(other.runs.cpuMs.map((x) => Math.round(x))),
          cpuMsStatevisor: JSON.stringify(sv.runs.cpuMs.map((x) => Math.round(x))),
          loadedFrom: import.meta.resolve('@statevisor/core').includes('/src/') ? 'src (tsx)' : 'dist',
        },
      };
    },
  };
}

/** The peer scenarios: F1 against Effect 4 (target ≤ 3×, report-only) and against p-retry + p-queue. */
export const group: BenchGroup = {
  name: 'peers',
  scenarios: [peerScenario('F1', 'effect', 3), peerScenario('F1.p-retry', 'pRetry', Number.NaN)],
};
