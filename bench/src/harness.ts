/**
 * A small benchmark harness following reference/perf-baselines.md §7.1:
 *
 * - every scenario compares the framework with a raw baseline measured in the same process,
 *   variants interleaved (ABAB, the order alternating each round);
 * - micro scenarios calibrate a batch so that one run takes ~200 ms, then do 2 warm-up and 7
 *   timed runs per variant; the ratio is framework / baseline of the medians;
 * - `main.ts` runs each group in 3 fresh processes and reports the median ratio and its range.
 *
 * A group is a module exporting `group: BenchGroup`; register it in the list in `main.ts`.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';

/** Which way a ratio is good: `higher` for throughput ratios, `lower` for time or size ratios. */
export type Direction = 'higher' | 'lower';

/** What a scenario must reach: `ratio >= value` (higher is better) or `ratio <= value`. */
export interface Target {
  readonly direction: Direction;
  /** NaN: no target yet (only with `reportOnly`; it reaches the parent as `null`). */
  readonly value: number;
  /**
   * The ratio is reported, not enforced: a miss is not a failure (the hard checks still are).
   * For targets announced for a later release (perf-baselines §7.2b "next").
   */
  readonly reportOnly?: boolean;
}

/** One measured quantity, e.g. `{ value: 3.2e7, unit: 'ev/s', label: 'rxjs Subject, 1 sub' }`. */
export interface Measure {
  readonly value: number;
  readonly unit: string;
  readonly label: string;
}

/** A hard pass/fail condition of a scenario (an exact count, a memory bound, ...). */
export interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What one scenario produced in one process. */
export interface ScenarioResult {
  readonly id: string;
  readonly name: string;
  readonly baseline: Measure;
  readonly framework: Measure;
  /** framework / baseline, in the sense given by `target.direction`. */
  readonly ratio: number;
  readonly target: Target;
  /** Allowed miss before "fail", as a fraction of the target (§7.1 rule 3: ~5 % micro, ~15 % allocation-heavy). */
  readonly band: number;
  readonly checks: readonly Check[];
  /** Free-form numbers worth keeping in results.json (iqr, ops per run, heap figures, ...). */
  readonly extra: Readonly<Record<string, number | string | boolean>>;
}

/** Repetition settings, from BENCH_QUICK. */
export interface RunContext {
  readonly quick: boolean;
  readonly warmup: number;
  readonly runs: number;
  readonly targetMs: number;
  /** Prints a progress line to stderr (stdout carries the child's JSON). */
  log(line: string): void;
}

/** A benchmark scenario; `run` is called once per process. */
export interface Scenario {
  /** Stable id used for filtering, e.g. `B1.k4` (`B1` selects all `B1.*`). */
  readonly id: string;
  /** Dotted name from perf-baselines §7.2, e.g. `bus.fanout.k4`. */
  readonly name: string;
  run(ctx: RunContext): Promise<ScenarioResult>;
}

/** A set of scenarios run together in one child process. */
export interface BenchGroup {
  readonly name: string;
  readonly scenarios: readonly Scenario[];
}

/** One side of a comparison. `run(ops)` performs `ops` operations (sync or async). */
export interface Variant {
  readonly label: string;
  /** Untimed, before every run (e.g. a fresh bus). */
  prepare?(): void | Promise<void>;
  run(ops: number): void | Promise<void>;
  /** Untimed, after every run. */
  after?(): void | Promise<void>;
}

/** Statistics of the timed runs of one variant. */
export interface Summary {
  /** Operations per run. */
  readonly ops: number;
  /** Median operations per second. */
  readonly perSec: number;
  /** 1e9 / perSec. */
  readonly nsPerOp: number;
  /** Inter-quartile range / median of the per-run rates. */
  readonly iqr: number;
  /** (max - min) / median of the per-run rates. */
  readonly spread: number;
  readonly rates: readonly number[];
}

/** Options of {@link compare}. */
export interface CompareOptions {
  /** Smallest batch tried while calibrating (default 1000). */
  readonly minOps?: number;
  /** A fixed batch: no calibration. */
  readonly ops?: number;
  /** Multiple that `ops` is rounded up to (e.g. a burst size). */
  readonly opsMultiple?: number;
}

export const QUICK = process.env['BENCH_QUICK'] === '1';

/** The repetition settings for this process. */
export function makeContext(): RunContext {
  return {
    quick: QUICK,
    warmup: QUICK ? 1 : 2,
    runs: QUICK ? 3 : 7,
    targetMs: QUICK ? 50 : 200,
    log: (line) => process.stderr.write(`${line}\n`),
  };
}

/** Forces two full collections when `--expose-gc` is on (§7.1 rule 6). */
export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect !== undefined) {
    collect();
    collect();
  }
}

/** Heap in use after two full collections. */
export function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** Yields one macrotask (the producers' burst boundary). */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `value`, or a thrown error naming `what` when it is missing (an index out of range). */
export function must<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`bench: missing ${what}`);
  return value;
}

/** Median of a list of numbers (NaN for an empty list). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 === 1 ? must(s[(n - 1) / 2]) : (must(s[n / 2 - 1]) + must(s[n / 2])) / 2;
}

function summarise(ops: number, rates: readonly number[]): Summary {
  const s = [...rates].sort((a, b) => a - b);
  const med = median(s);
  const q = (p: number): number => must(s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))]);
  return {
    ops,
    perSec: med,
    nsPerOp: 1e9 / med,
    iqr: (q(0.75) - q(0.25)) / med,
    spread: (q(1) - q(0)) / med,
    rates,
  };
}

async function timeOnce(variant: Variant, ops: number): Promise<number> {
  if (variant.prepare !== undefined) await variant.prepare();
  const t0 = performance.now();
  const r = variant.run(ops);
  if (r !== undefined) await r;
  const dt = performance.now() - t0;
  if (variant.after !== undefined) await variant.after();
  return dt;
}

function roundUp(n: number, multiple: number): number {
  return Math.max(multiple, Math.ceil(n / multiple) * multiple);
}

/** Finds a batch size so that one run of `variant` takes about `targetMs`. */
export async function calibrate(ctx: RunContext, variant: Variant, minOps = 1000, multiple = 1): Promise<number> {
  let ops = roundUp(minOps, multiple);
  for (;;) {
    const dt = await timeOnce(variant, ops);
    if (dt > 20 || ops > 1e9) return roundUp(Math.max(minOps, (ops * ctx.targetMs) / Math.max(dt, 1e-3)), multiple);
    ops *= 4;
  }
}

/**
 * Runs `baseline` and `framework` interleaved (ABAB, alternating which goes first each round):
 * calibration of each, `ctx.warmup` warm-up rounds, then `ctx.runs` timed rounds, with a full GC
 * before every timed run (outside the timing).
 */
export async function compare(
  ctx: RunContext,
  baseline: Variant,
  framework: Variant,
  options: CompareOptions = {},
): Promise<{ baseline: Summary; framework: Summary }> {
  const multiple = options.opsMultiple ?? 1;
  const opsA = options.ops ?? (await calibrate(ctx, baseline, options.minOps, multiple));
  const opsB = options.ops ?? (await calibrate(ctx, framework, options.minOps, multiple));
  for (let i = 0; i < ctx.warmup; i++) {
    await timeOnce(baseline, opsA);
    await timeOnce(framework, opsB);
  }
  const ratesA: number[] = [];
  const ratesB: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const order: [Variant, number, number[]][] = [
      [baseline, opsA, ratesA],
      [framework, opsB, ratesB],
    ];
    if (i % 2 === 1) order.reverse();
    for (const [variant, ops, rates] of order) {
      gc();
      const dt = await timeOnce(variant, ops);
      rates.push(ops / (dt / 1000));
    }
  }
  if (process.env['BENCH_DEBUG'] === '1') {
    ctx.log(`    ${baseline.label}: ${ratesA.map(fmt).join(' ')}`);
    ctx.log(`    ${framework.label}: ${ratesB.map(fmt).join(' ')}`);
  }
  return { baseline: summarise(opsA, ratesA), framework: summarise(opsB, ratesB) };
}

/** Formats a rate or a count compactly: 12.3M, 450k, 7.20. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(a < 10 ? 2 : 1);
}

type ResultBase = { id: string; name: string; target: number; band: number; unit: string };
type ResultLabels = { baseline: string; framework: string };
type ResultSummaries = { baseline: Summary; framework: Summary };
type ResultExtra = Record<string, number | string | boolean>;
type SummaryResultBuilder = (
  base: ResultBase,
  labels: ResultLabels,
  s: ResultSummaries,
  checks?: readonly Check[],
  extra?: ResultExtra,
) => ScenarioResult;

/** Builds results from two Summaries: rates (higher is better) or costs per op (lower is better). */
function summaryResult(direction: Direction): SummaryResultBuilder {
  const valueOf = (summary: Summary): number => (direction === 'higher' ? summary.perSec : summary.nsPerOp);
  return (base, labels, s, checks = [], extra = {}) => {
    const unit = direction === 'higher' ? `${base.unit}/s` : `ns/${base.unit}`;
    return {
      id: base.id,
      name: base.name,
      baseline: { value: valueOf(s.baseline), unit, label: labels.baseline },
      framework: { value: valueOf(s.framework), unit, label: labels.framework },
      ratio: valueOf(s.framework) / valueOf(s.baseline),
      target: { direction, value: base.target },
      band: base.band,
      checks,
      extra: {
        baselineIqr: s.baseline.iqr,
        frameworkIqr: s.framework.iqr,
        baselineOps: s.baseline.ops,
        frameworkOps: s.framework.ops,
        ...extra,
      },
    };
  };
}

/** A throughput result (higher is better): ratio = framework rate / baseline rate. */
export const throughputResult = summaryResult('higher');

/** A cost result (lower is better): ratio = framework ns/op / baseline ns/op. */
export const costResult = summaryResult('lower');

/** Keeps values alive so the optimiser cannot drop the work that made them. */
export const sink = { n: 0 };
