/**
 * Supervision-tree scenarios (issue "Supervision trees"), each against a baseline in the same run:
 *
 * - TR1 `tree.one-for-one.k1000`: a one-for-one restart cycle (fail → decision → backoff 0 →
 *   next attempt) with 1,000 live siblings vs the same with 1 sibling: no per-sibling work in a
 *   one-for-one decision (target <= 1.5x time per cycle).
 * - TR2 `tree.one-for-all.k1000`: one one-for-all restart over 1,000 children, reported as time
 *   per affected child, against stopping and starting one raw XState actor per child (context
 *   only; no target).
 * - TR3 `tree.snapshot.10k`: `snapshot()` of a 10,000-node tree vs building an array of 10,000
 *   plain objects with the same fields (target <= 5x).
 */
import { SimulatedClock, createActor, createMachine } from 'xstate';
import { createSupervisor, supervisor, task } from '@statevisor/core';
import type { Supervisor, TaskFn } from '@statevisor/core';
import type { BenchGroup, Check, RunContext, ScenarioResult, Variant } from './harness.ts';
import { compare, costResult, macrotask, sink } from './harness.ts';

const ZERO = { firstMs: 0, maxMs: 0, factor: 1, jitter: 'none' } as const;

const forever: TaskFn = ({ signal, ready }) =>
  new Promise<void>((resolve) => {
    ready();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });

/** Waits (yielding macrotasks) until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await macrotask();
}

/** A supervisor with `siblings` idle-running tasks and one task that fails while `failing` is on. */
interface RestartLoop {
  readonly app: Supervisor;
  cycles(): number;
  setFailing(value: boolean): void;
  stop(): Promise<void>;
}

async function restartLoop(siblings: number): Promise<RestartLoop> {
  let failing = false;
  let cycles = 0;
  const children = [];
  for (let i = 0; i < siblings; i++) children.push(task(`s${i}`, forever));
  children.push(
    task(
      'flaky',
      ({ signal }) =>
        new Promise<void>((resolve, reject) => {
          if (failing) {
            reject(new Error('crash'));
            return;
          }
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
      { backoff: ZERO },
    ),
  );
  const app = createSupervisor({ name: 'bench', clock: new SimulatedClock(), children });
  app.events$.subscribe((event) => {
    if (event.kind === 'BackoffScheduled' && event.backoffSource === 'failure') cycles++;
  });
  await app.start();
  await macrotask();
  return {
    app,
    cycles: () => cycles,
    setFailing: (value) => {
      failing = value;
    },
    async stop() {
      failing = false;
      await app.shutdown();
    },
  };
}

const oneForOne = {
  id: 'TR1',
  name: 'tree.one-for-one.k1000',
  async run(ctx: RunContext): Promise<ScenarioResult> {
    const variant = async (siblings: number, label: string): Promise<{ variant: Variant; stop: () => Promise<void> }> => {
      const loop = await restartLoop(siblings);
      return {
        variant: {
          label,
          async run(n) {
            const target = loop.cycles() + n;
            loop.setFailing(true);
            await loop.app.restart('flaky');
            await until(() => loop.cycles() >= target);
            loop.setFailing(false);
            await until(() => loop.app.snapshot().children?.at(-1)?.state === 'running');
          },
        },
        stop: () => loop.stop(),
      };
    };
    const siblings = ctx.quick ? 200 : 1_000;
    const one = await variant(1, 'restart cycle, 1 sibling');
    const many = await variant(siblings, `restart cycle, ${siblings} siblings`);
    const s = await compare(ctx, one.variant, many.variant, { minOps: 200 });
    await one.stop();
    await many.stop();
    return costResult(
      { id: 'TR1', name: 'tree.one-for-one.k1000', target: 1.5, band: 0.15, unit: 'restart' },
      { baseline: one.variant.label, framework: many.variant.label },
      s,
    );
  },
};

const oneForAll = {
  id: 'TR2',
  name: 'tree.one-for-all.k1000',
  async run(ctx: RunContext): Promise<ScenarioResult> {
    const n = ctx.quick ? 200 : 1_000;
    let fail: (() => void) | undefined;
    const children = [];
    for (let i = 0; i < n - 1; i++) children.push(task(`c${i}`, forever));
    children.push(
      task(
        'trigger',
        ({ signal }) =>
          new Promise<void>((resolve, reject) => {
            fail = () => reject(new Error('crash'));
            signal.addEventListener('abort', () => resolve(), { once: true });
          }),
        { backoff: ZERO },
      ),
    );
    let starts = 0;
    const app = createSupervisor({ name: 'bench', strategy: 'one-for-all', clock: new SimulatedClock(), children });
    app.events$.subscribe((event) => {
      if (event.kind === 'TaskStarting') starts++;
    });
    await app.start();
    await until(() => starts >= n);
    const framework: Variant = {
      label: `one-for-all restart of ${n} children (per child)`,
      async run(restarts) {
        for (let r = 0; r < restarts; r++) {
          const target = starts + n;
          fail?.();
          await until(() => starts >= target);
        }
      },
    };
    const machine = createMachine({ id: 'raw', initial: 'on', states: { on: {} } });
    const baseline: Variant = {
      label: `stop + start ${n} raw actors (per child)`,
      async run(restarts) {
        for (let r = 0; r < restarts; r++) {
          for (let i = 0; i < n; i++) {
            const actor = createActor(machine).start();
            actor.stop();
            sink.n += i;
          }
          await macrotask();
        }
      },
    };
    const s = await compare(ctx, baseline, framework, { minOps: 1 });
    await app.shutdown();
    const perChild = (ns: number): number => ns / n;
    const checks: Check[] = [{ name: 'every child restarted', ok: starts >= n * 2, detail: `${starts} starts` }];
    const result = costResult(
      { id: 'TR2', name: 'tree.one-for-all.k1000', target: 1000, band: 0, unit: 'restart' },
      { baseline: baseline.label, framework: framework.label },
      s,
      checks,
      { nsPerAffectedChild: perChild(s.framework.nsPerOp), rawNsPerChild: perChild(s.baseline.nsPerOp) },
    );
    return {
      ...result,
      baseline: { ...result.baseline, value: perChild(result.baseline.value), unit: 'ns/child' },
      framework: { ...result.framework, value: perChild(result.framework.value), unit: 'ns/child' },
    };
  },
};

const snapshot = {
  id: 'TR3',
  name: 'tree.snapshot.10k',
  async run(ctx: RunContext): Promise<ScenarioResult> {
    const groups = 10;
    const perGroup = 999;
    const app = createSupervisor({
      name: 'bench',
      clock: new SimulatedClock(),
      children: Array.from({ length: groups }, (_, g) =>
        supervisor(`g${g}`, { children: Array.from({ length: perGroup }, (_unused, i) => task(`t${i}`, forever)) }),
      ),
    });
    let started = 0;
    app.events$.subscribe((event) => {
      if (event.kind === 'TaskStarted') started++;
    });
    await app.start();
    await until(() => started >= groups * (perGroup + 1));
    const nodes = 1 + groups * (perGroup + 1);
    const paths = Array.from({ length: nodes }, (_, i) => `bench/g${i % groups}/t${i}`);
    const baseline: Variant = {
      label: `build ${nodes} plain objects`,
      run(n) {
        for (let r = 0; r < n; r++) {
          const out = new Array<object>(nodes);
          for (let i = 0; i < nodes; i++) out[i] = { path: paths[i], kind: 'task', state: 'running', attempt: 1, pid: undefined };
          sink.n += out.length;
        }
      },
    };
    const framework: Variant = {
      label: `snapshot() of ${nodes} nodes`,
      run(n) {
        for (let r = 0; r < n; r++) sink.n += app.snapshot().children?.length ?? 0;
      },
    };
    const s = await compare(ctx, baseline, framework, { minOps: 2 });
    const tree = app.snapshot();
    const count = (node: typeof tree): number => 1 + (node.children ?? []).reduce((sum, child) => sum + count(child), 0);
    await app.shutdown();
    return costResult(
      { id: 'TR3', name: 'tree.snapshot.10k', target: 5, band: 0.15, unit: 'snapshot' },
      { baseline: baseline.label, framework: framework.label },
      s,
      [{ name: 'snapshot covers every node', ok: count(tree) === nodes, detail: `${count(tree)} nodes` }],
    );
  },
};

/** The supervision-tree scenarios. */
export const group: BenchGroup = { name: 'trees', scenarios: [oneForOne, oneForAll, snapshot] };
