/**
 * The real event path (perf-baselines.md §7.2b): E1 `events.real-path`.
 *
 * B1 measures `EventBus.publish` of a prebuilt draft. E1 measures what a user's events really
 * go through: a runner calls `ctx.output(line, stream)` (the attempt's context), the supervisor
 * publishes a `TaskOutput` event, and the bus hands it to one synchronous `subscribe()`
 * subscriber. `@statevisor/core` is imported by package name: with `pnpm bench` that is its
 * `dist` build, the code a user runs.
 *
 * @module
 */
import { Subject } from 'rxjs';
import { createSupervisor, runnerTask, type RunnerContext, type Supervisor, type SupervisorEvent } from '@statevisor/core';
import { compare, macrotask, throughputResult, type BenchGroup, type Check, type RunContext, type Scenario, type Variant } from './harness.ts';

/** Events per producer burst; the producer yields one macrotask between bursts. */
const BURST = 256;
const LINE = 'a line of output from a supervised task';

let acc = 0;

/** The raw baseline's event: the 7 fields a stamped `TaskOutput` has. */
interface RawOutput {
  kind: 'TaskOutput';
  task: string;
  attempt: number;
  line: string;
  stream: 'stdout' | 'stderr';
  seq: number;
  at: number;
}

/** Baseline: a raw Subject, one subscriber, a 7-field event built per emit, bursts of 256. */
function subjectVariant(): Variant {
  const subject = new Subject<RawOutput>();
  subject.subscribe((e) => void (acc += e.seq));
  let seq = 0;
  return {
    label: 'rxjs Subject, 1 sub, 7-field event built per emit',
    async run(n) {
      let i = 0;
      while (i < n) {
        const end = Math.min(n, i + BURST);
        for (; i < end; i++) subject.next({ kind: 'TaskOutput', task: 'app/t', attempt: 1, line: LINE, stream: 'stdout', seq: ++seq, at: i });
        await macrotask();
      }
    },
  };
}

/** A supervisor whose one task is a runner that hands its context out and waits to be stopped. */
interface OutputRig {
  readonly app: Supervisor;
  readonly ctx: Promise<RunnerContext>;
  readonly sub: ReturnType<Supervisor['subscribe']>;
  outputs: number;
  failures: number;
}

function outputRig(): OutputRig {
  const app = createSupervisor({ name: 'app' });
  let handOut: (ctx: RunnerContext) => void = () => undefined;
  const ctx = new Promise<RunnerContext>((resolve) => {
    handOut = resolve;
  });
  const rig: OutputRig = {
    app,
    ctx,
    sub: app.subscribe({
      name: 'counter',
      next(e: SupervisorEvent) {
        if (e.kind === 'TaskOutput') {
          rig.outputs++;
          acc += e.seq;
        } else if (e.kind === 'TaskFailed' || e.kind === 'ActorDead' || e.kind === 'TaskError') rig.failures++;
      },
    }),
    outputs: 0,
    failures: 0,
  };
  void app.add(
    runnerTask('t', (context) => {
      context.started({ ready: true });
      handOut(context);
      return new Promise((resolve) => {
        context.signal.addEventListener('abort', () => resolve({ kind: 'completed' }), { once: true });
      });
    }),
  );
  return rig;
}

const realPath: Scenario = {
  id: 'E1',
  name: 'events.real-path',
  async run(ctx: RunContext) {
    const rig = outputRig();
    await rig.app.start();
    const context = await rig.ctx;
    let called = 0;
    const framework: Variant = {
      label: "runnerTask: ctx.output(line, 'stdout') -> TaskOutput -> 1 sync subscribe() subscriber",
      async run(n) {
        called += n;
        let i = 0;
        while (i < n) {
          const end = Math.min(n, i + BURST);
          for (; i < end; i++) context.output(LINE, 'stdout');
          await macrotask();
        }
      },
    };
    const baseline = subjectVariant();
    const s = await compare(ctx, baseline, framework, { minOps: BURST * 4, opsMultiple: BURST });
    const delivered = rig.outputs;
    const result = await rig.app.shutdown();
    const checks: Check[] = [
      {
        name: 'every output delivered, nothing dropped, no failure',
        ok: delivered === called && rig.sub.stats().dropped === 0 && rig.failures === 0,
        detail: `${delivered} TaskOutput delivered for ${called} ctx.output() calls; dropped ${rig.sub.stats().dropped}; failures ${rig.failures}`,
      },
      { name: 'shut down within grace', ok: result.withinGrace, detail: `stuck: ${result.stuck.join(', ') || 'none'}` },
    ];
    return throughputResult(
      { id: 'E1', name: 'events.real-path', target: 0.5, band: 0.05, unit: 'ev' },
      { baseline: baseline.label, framework: framework.label },
      s,
      checks,
      { loadedFrom: import.meta.resolve('@statevisor/core').includes('/src/') ? 'src (tsx)' : 'dist' },
    );
  },
};

/** The event-path scenarios. */
export const group: BenchGroup = { name: 'events', scenarios: [realPath] };

/** Keeps the subscribers' work observable. */
export function accumulated(): number {
  return acc;
}
