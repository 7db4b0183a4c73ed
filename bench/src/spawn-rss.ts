/**
 * P7 `proc.spawn-at-rss` (perf-baselines.md §7.2b): P1 (`app.add(processTask(true, { restart:
 * 'never' }))` → TaskRemoved) with the host's heap grown to ~1 GB of live objects, against P1
 * with a small host, in the same process. Target: p50 ≤ 1.2×. **P7.raw** reports the same for a
 * raw `spawn('/usr/bin/true')` → `'close'` (no target): Node 20 spawns with a plain `fork()`, so
 * the kernel copies the host's page tables, and a big host spawns slower.
 *
 * Both sizes in one process, in blocks: a process cannot be small and big at once, so sizes
 * alternate block by block in the order small, big, big, small (ABBA), repeated. Before a big
 * block the heap is grown with live objects (untimed), after the last big block of a pair they
 * are dropped and two full GCs return the memory; inside a block the raw and the supervised
 * spawn alternate sample by sample (ABAB), as in P1.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { gc, macrotask, median, type BenchGroup, type Check, type RunContext, type Scenario, type ScenarioResult } from './harness.ts';
import { TRUE, latencyResult, pct, rawTrue, supervisedTrue, withRig, type Rig } from './process.ts';

/** The heap a big block runs with (heapUsed after the growth). */
const BIG_HEAP_BYTES = 1e9;
/** Live objects are grown in arrays of this many small objects. */
const OBJECTS_PER_ARRAY = 1_000_000;

type Size = 'small' | 'big';

interface Samples {
  raw: number[];
  fw: number[];
}

interface P7Data {
  readonly small: Samples;
  readonly big: Samples;
  /** RSS (MB) at the start of each block, by size. */
  readonly rssMb: Record<Size, number[]>;
  readonly heapMb: Record<Size, number[]>;
  /** Untimed: how long each growth to ~1 GB took (ms). */
  readonly growMs: number[];
  readonly checks: Check[];
}

/** The live objects of a big host: arrays of small objects, the shape 100 k idle tasks leave. */
let ballast: { a: number; b: number; c: null }[][] = [];

/** Grows the heap with live objects until heapUsed reaches {@link BIG_HEAP_BYTES}. */
function grow(): number {
  const t0 = performance.now();
  while (process.memoryUsage().heapUsed < BIG_HEAP_BYTES) {
    const objects: { a: number; b: number; c: null }[] = [];
    for (let i = 0; i < OBJECTS_PER_ARRAY; i++) objects.push({ a: i, b: i + 0.5, c: null });
    ballast.push(objects);
  }
  return performance.now() - t0;
}

/** Drops the live objects and collects them, so the host is small again. */
function shrink(): void {
  ballast = [];
  gc();
}

const mb = (bytes: number): number => Math.round(bytes / 1e6);

/** One block at the current size: `warm` discarded rounds, then `n` rounds of raw and supervised, ABAB. */
async function block(r: Rig, n: number, warm: number, into: Samples): Promise<void> {
  for (let i = 0; i < warm + n; i++) {
    const order = i % 2 === 0 ? (['raw', 'fw'] as const) : (['fw', 'raw'] as const);
    for (const side of order) {
      const t = side === 'raw' ? (await rawTrue()).total : (await supervisedTrue(r, TRUE)).total;
      if (i >= warm) into[side].push(t);
      await macrotask();
    }
  }
}

let pending: Promise<P7Data> | undefined;

async function measure(ctx: RunContext): Promise<P7Data> {
  const pairs = ctx.quick ? 1 : 2;
  const n = ctx.quick ? 15 : 40;
  const warm = ctx.quick ? 3 : 5;
  const d: P7Data = {
    small: { raw: [], fw: [] },
    big: { raw: [], fw: [] },
    rssMb: { small: [], big: [] },
    heapMb: { small: [], big: [] },
    growMs: [],
    checks: [],
  };
  try {
    await withRig('p7', '`true`', d.checks, async (r) => {
      for (let pair = 0; pair < pairs; pair++) {
        for (const size of ['small', 'big', 'big', 'small'] as const) {
          if (size === 'big' && ballast.length === 0) d.growMs.push(grow());
          if (size === 'small' && ballast.length > 0) shrink();
          const mem = process.memoryUsage();
          d.rssMb[size].push(mb(mem.rss));
          d.heapMb[size].push(mb(mem.heapUsed));
          ctx.log(`    P7 ${size} block: rss ${mb(mem.rss)} MB, heap ${mb(mem.heapUsed)} MB`);
          await block(r, n, warm, d[size]);
        }
      }
    });
  } finally {
    shrink();
  }
  const bigRss = Math.min(...d.rssMb.big);
  const smallRss = Math.max(...d.rssMb.small);
  d.checks.push({
    name: 'the big host held ~1 GB of live heap, the small one was small again',
    ok: Math.min(...d.heapMb.big) >= mb(BIG_HEAP_BYTES) && smallRss < 300,
    detail: `big blocks: heap ${d.heapMb.big.join(', ')} MB, rss ${d.rssMb.big.join(', ')} MB; small blocks: heap ${d.heapMb.small.join(', ')} MB, rss ${d.rssMb.small.join(', ')} MB (min big rss ${bigRss})`,
  });
  return d;
}

function p7Scenario(id: 'P7' | 'P7.raw'): Scenario {
  const name = id === 'P7' ? 'proc.spawn-at-rss' : 'proc.spawn-at-rss.raw';
  return {
    id,
    name,
    async run(ctx: RunContext): Promise<ScenarioResult> {
      pending ??= measure(ctx);
      const d = await pending;
      const side = id === 'P7' ? 'fw' : 'raw';
      const what =
        id === 'P7' ? `app.add(processTask(name, { command: '${TRUE}' }, { restart: 'never' })) -> TaskRemoved` : `raw spawn('${TRUE}') -> 'close'`;
      const row = {
        id,
        name,
        target: 1.2,
        band: 0.2,
        baselineLabel: `${what}, host ~${median(d.rssMb.small)} MB RSS`,
        frameworkLabel: `${what}, host grown to ~1 GB of live heap (${median(d.rssMb.big)} MB RSS)`,
      };
      // In extra, "raw*" is the small host and "fw*" the big one; P1's own ratio at each size follows.
      const result = latencyResult(row, 50, d.small[side], d.big[side], d.checks, {
        p1RatioSmallP50: pct(d.small.fw, 50) / pct(d.small.raw, 50),
        p1RatioBigP50: pct(d.big.fw, 50) / pct(d.big.raw, 50),
        rssMbSmall: JSON.stringify(d.rssMb.small),
        rssMbBig: JSON.stringify(d.rssMb.big),
        growMs: JSON.stringify(d.growMs.map(Math.round)),
      });
      // P7 is the target; P7.raw shows what the fork of a big host costs: report only.
      return id === 'P7' ? result : { ...result, target: { direction: 'lower', value: Number.NaN, reportOnly: true } };
    },
  };
}

/** P7 and P7.raw, in a group of their own: the ~1 GB host must not disturb the other process scenarios. */
export const group: BenchGroup = {
  name: 'spawn-rss',
  scenarios: [p7Scenario('P7'), p7Scenario('P7.raw')],
};
