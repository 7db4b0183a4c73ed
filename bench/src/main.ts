/**
 * `pnpm bench [-- ID ...]`: runs every registered scenario group in 3 fresh node processes
 * (1 with BENCH_QUICK=1), prints a table of ratios against raw baselines and writes
 * bench/results.json. Exits with 1 when a scenario fails.
 *
 * To add a group: write a module exporting `group: BenchGroup` (see harness.ts) and add one line
 * to {@link GROUPS}.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Subject } from 'rxjs';
import {
  QUICK,
  calibrate,
  fmt,
  gc,
  makeContext,
  median,
  must,
  type BenchGroup,
  type Check,
  type ScenarioResult,
  type Variant,
} from './harness.ts';

/** Every scenario group: name and module. Add new groups here. */
const GROUPS: readonly { name: string; load: () => Promise<{ group: BenchGroup }> }[] = [
  { name: 'bus', load: () => import('./bus.ts') },
  { name: 'task', load: () => import('./task.ts') },
  { name: 'process', load: () => import('./process.ts') },
  { name: 'trees', load: () => import('./trees.ts') },
  { name: 'events', load: () => import('./events.ts') },
  { name: 'peers', load: () => import('./peers.ts') },
  { name: 'spawn-rss', load: () => import('./spawn-rss.ts') },
  { name: 'peers-process', load: () => import('./peers-process.ts') },
];

const MARK = '@@statevisor-bench@@ ';
const PROCESSES = QUICK ? 1 : 3;
const SCRIPT = fileURLToPath(import.meta.url);
const RESULTS_FILE = fileURLToPath(new URL('../results.json', import.meta.url));

/** Does scenario `id` match one of the filters (`B1` matches `B1` and `B1.*`)? */
function selected(id: string, filters: readonly string[]): boolean {
  if (filters.length === 0) return true;
  const lower = id.toLowerCase();
  return filters.some((f) => {
    const g = f.toLowerCase();
    return lower === g || lower.startsWith(`${g}.`);
  });
}

// ---------------------------------------------------------------------------------------------
// Child side

async function runChild(groupName: string, filters: readonly string[]): Promise<void> {
  const entry = GROUPS.find((g) => g.name === groupName);
  if (entry === undefined) throw new Error(`unknown group ${groupName}`);
  const { group } = await entry.load();
  const ctx = makeContext();
  const results: ScenarioResult[] = [];
  for (const scenario of group.scenarios) {
    if (!selected(scenario.id, filters)) continue;
    const t0 = performance.now();
    ctx.log(`  [${group.name}] ${scenario.id} ${scenario.name} ...`);
    try {
      const result = await scenario.run(ctx);
      results.push(result);
      ctx.log(`  [${group.name}] ${scenario.id} ratio ${result.ratio.toFixed(3)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (error) {
      ctx.log(`  [${group.name}] ${scenario.id} crashed: ${String(error)}`);
      results.push({
        id: scenario.id,
        name: scenario.name,
        baseline: { value: Number.NaN, unit: '', label: '' },
        framework: { value: Number.NaN, unit: '', label: '' },
        ratio: Number.NaN,
        target: { direction: 'higher', value: Number.NaN },
        band: 0,
        checks: [{ name: 'ran', ok: false, detail: error instanceof Error ? (error.stack ?? error.message) : String(error) }],
        extra: {},
      });
    }
  }
  process.stdout.write(`${MARK}${JSON.stringify(results)}\n`);
}

/** Calibration numbers of §7.1 rule 4, so that a slow machine is recognisable. */
interface Calibration {
  subject1SubEvPerSec: number;
  spawnCloseP50Ms: number;
}

async function runCalibration(): Promise<void> {
  const ctx = makeContext();
  // Raw rxjs Subject, 1 plain subscriber, synchronous loop (perf-baselines §2 (c)).
  const subject = new Subject<{ seq: number; kind: string; task: string; at: number }>();
  let acc = 0;
  subject.subscribe((e) => void (acc += e.seq));
  const variant: Variant = {
    label: 'raw Subject 1 sub',
    run(n) {
      for (let i = 0; i < n; i++) subject.next({ seq: i, kind: 'stdout', task: 't1', at: i });
    },
  };
  const ops = await calibrate(ctx, variant, 10_000);
  const rates: number[] = [];
  for (let i = 0; i < ctx.warmup + ctx.runs; i++) {
    gc();
    const t0 = performance.now();
    const pending = variant.run(ops);
    if (pending !== undefined) await pending;
    const dt = performance.now() - t0;
    if (i >= ctx.warmup) rates.push(ops / (dt / 1000));
  }
  // Raw spawn -> 'close' of `true`, serial.
  const trueBin = ['/bin/true', '/usr/bin/true'].find((p) => existsSync(p)) ?? 'true';
  const samples: number[] = [];
  const n = QUICK ? 15 : 60;
  for (let i = 0; i < n + 5; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(trueBin, [], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.on('error', reject);
      child.on('close', () => resolve());
    });
    if (i >= 5) samples.push(performance.now() - t0);
  }
  const result: Calibration = { subject1SubEvPerSec: median(rates), spawnCloseP50Ms: median(samples) };
  if (acc === -1) process.stderr.write('');
  process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Parent side

function runProcess(args: readonly string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, SCRIPT, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (line === undefined) {
        reject(new Error(`child ${args.join(' ')} exited with ${String(code)} and no result`));
        return;
      }
      resolve(JSON.parse(line.slice(MARK.length)) as unknown);
    });
  });
}

interface Aggregate {
  id: string;
  name: string;
  baseline: ScenarioResult['baseline'];
  framework: ScenarioResult['framework'];
  ratio: number;
  ratios: number[];
  /** (max - min) / median of the per-process ratios: the measured noise band. */
  range: number;
  target: ScenarioResult['target'];
  band: number;
  status: 'pass' | 'pass (within noise)' | 'FAIL' | 'report only' | 'report only (meets)' | 'report only (misses)';
  checks: Check[];
  perProcess: ScenarioResult[];
}

function aggregate(runs: readonly ScenarioResult[]): Aggregate {
  const first = must(runs[0], 'a result');
  const ratios = runs.map((r) => r.ratio);
  const ratio = median(ratios);
  const range = (Math.max(...ratios) - Math.min(...ratios)) / ratio;
  const { direction, value } = first.target;
  const meets = direction === 'higher' ? ratio >= value : ratio <= value;
  const withinNoise = direction === 'higher' ? ratio >= value * (1 - first.band) : ratio <= value * (1 + first.band);
  // A check holds only if it held in every process.
  const checks: Check[] = [];
  for (const check of first.checks) {
    const all = runs.map((r) => r.checks.find((c) => c.name === check.name));
    const failed = all.find((c) => c === undefined || !c.ok);
    checks.push({ name: check.name, ok: failed === undefined, detail: (failed ?? check).detail });
  }
  const checksOk = checks.every((c) => c.ok);
  const status: Aggregate['status'] =
    !checksOk || Number.isNaN(ratio)
      ? 'FAIL'
      : first.target.reportOnly === true
        ? !Number.isFinite(value)
          ? 'report only'
          : meets
            ? 'report only (meets)'
            : 'report only (misses)'
        : meets
          ? 'pass'
          : withinNoise
            ? 'pass (within noise)'
            : 'FAIL';
  return {
    id: first.id,
    name: first.name,
    baseline: { ...first.baseline, value: median(runs.map((r) => r.baseline.value)) },
    framework: { ...first.framework, value: median(runs.map((r) => r.framework.value)) },
    ratio,
    ratios,
    range,
    target: first.target,
    band: first.band,
    status,
    checks,
    perProcess: [...runs],
  };
}

function table(rows: readonly string[][]): string {
  const header = must(rows[0], 'a header');
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

async function runParent(filters: readonly string[]): Promise<number> {
  const plan: { group: string; ids: string[] }[] = [];
  const known: string[] = [];
  for (const entry of GROUPS) {
    const { group } = await entry.load();
    const ids = group.scenarios.map((s) => s.id).filter((id) => selected(id, filters));
    known.push(...group.scenarios.map((s) => s.id));
    if (ids.length > 0) plan.push({ group: entry.name, ids });
  }
  if (plan.length === 0) {
    process.stderr.write(`no scenario matches ${filters.join(' ')}; known: ${known.join(' ')}\n`);
    return 2;
  }
  const loadStart = loadavg();
  process.stderr.write(
    `statevisor bench: ${plan.flatMap((p) => p.ids).join(' ')} | ${PROCESSES} process(es)${QUICK ? ' (BENCH_QUICK)' : ''} | node ${process.version}, ${cpus().length} cpus, load ${loadStart.map((l) => l.toFixed(2)).join(' ')}\n`,
  );
  const perScenario = new Map<string, ScenarioResult[]>();
  const calibrations: Calibration[] = [];
  for (let p = 0; p < PROCESSES; p++) {
    process.stderr.write(`process ${p + 1}/${PROCESSES}: calibration\n`);
    calibrations.push((await runProcess(['--calibrate'])) as Calibration);
    for (const { group, ids } of plan) {
      process.stderr.write(`process ${p + 1}/${PROCESSES}: group ${group}\n`);
      const results = (await runProcess(['--child', group, ...ids])) as ScenarioResult[];
      for (const r of results) perScenario.set(r.id, [...(perScenario.get(r.id) ?? []), r]);
    }
  }
  const aggregates = [...perScenario.values()].map(aggregate);

  const rows: string[][] = [['id', 'scenario', 'baseline', 'framework', 'ratio', 'range', 'target', 'result']];
  for (const a of aggregates) {
    const better = a.target.direction === 'higher' ? 'higher is better' : 'lower is better';
    rows.push([
      a.id,
      a.name,
      `${fmt(a.baseline.value)} ${a.baseline.unit}`,
      `${fmt(a.framework.value)} ${a.framework.unit}`,
      `${a.ratio.toFixed(2)}x`,
      `${(a.range * 100).toFixed(1)}%`,
      // No target: NaN in the child, null once it has crossed JSON.
      !Number.isFinite(a.target.value)
        ? `none (${better})`
        : `${a.target.direction === 'higher' ? '>=' : '<='} ${a.target.value}x (${better}; band ${(a.band * 100).toFixed(0)}%)`,
      a.status,
    ]);
  }
  const calibration = {
    subject1SubEvPerSec: median(calibrations.map((c) => c.subject1SubEvPerSec)),
    spawnCloseP50Ms: median(calibrations.map((c) => c.spawnCloseP50Ms)),
  };
  const out: string[] = [];
  out.push('');
  out.push(table(rows));
  out.push('');
  for (const a of aggregates) {
    out.push(`${a.id} ${a.name}: baseline = ${a.baseline.label}; framework = ${a.framework.label}; per-process ratios ${a.ratios.map((r) => r.toFixed(3)).join(', ')}`);
    for (const c of a.checks) out.push(`    [${c.ok ? 'ok' : 'FAIL'}] ${c.name}: ${c.detail}`);
  }
  out.push('');
  out.push(
    `calibration: raw Subject 1 sub ${fmt(calibration.subject1SubEvPerSec)} ev/s (reference 32.8M), raw spawn->close p50 ${calibration.spawnCloseP50Ms.toFixed(2)} ms (reference 1.5-2.5 ms)`,
  );
  process.stdout.write(`${out.join('\n')}\n`);

  const loadEnd = loadavg();
  const json = {
    timestamp: new Date().toISOString(),
    quick: QUICK,
    processes: PROCESSES,
    filters,
    environment: {
      node: process.version,
      v8: process.versions.v8,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadavgStart: loadStart,
      loadavgEnd: loadEnd,
      execArgv: process.execArgv,
    },
    calibration: { ...calibration, perProcess: calibrations },
    scenarios: aggregates,
  };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(`wrote ${RESULTS_FILE}\n`);
  return aggregates.some((a) => a.status === 'FAIL') ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------

const args = process.argv.slice(2).filter((a) => a !== '--');
if (args[0] === '--child') {
  await runChild(args[1] ?? '', args.slice(2));
} else if (args[0] === '--calibrate') {
  await runCalibration();
} else {
  process.exitCode = await runParent(args);
}
