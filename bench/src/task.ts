/**
 * Task benchmarks (perf-baselines.md §7.2): T1 transitions, T2 create, S1 scale.
 *
 * - **T1** drives one real task machine synchronously through its restart lifecycle with the
 *   machine's own `task.stop` (then: 'restart') events; framework = a child of a real supervisor
 *   whose lifecycle events go to the real EventBus with one synchronous subscriber; baseline =
 *   the same machine as a root actor with a no-op `publish`. **T1.loop** is the natural loop (a
 *   restart: 'always' task whose function resolves at once, one macrotask per attempt).
 * - **T2** creates one idle (gated) supervised task through `app.add(task(...))` vs a raw
 *   `createActor(taskMachine, { input }).start()` of the same gated machine; **T2.heap** is heap
 *   per task over 10 k. The per-add costs are broken down in `extra`.
 * - **S1.{1k,10k,100k}** creates N idle tasks, sends one event to each and stops all, vs standalone
 *   actors in a Map; `.stop` and `.heap` are separate rows, **S1.linear** compares per-task create
 *   at the largest N with 1 k.
 *
 * Internals are not exported by @statevisor/core, so they are imported from its source (as in
 * bus.ts; types statically, values through `load()` below so that BENCH_CORE can point at a
 * compiled build instead). The raw side only needs `taskMachine`; its input is copied from a real
 * supervised task. See bench/README.md for the scenario table.
 *
 * @module
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createActor, createMachine, fromCallback, type Actor, type AnyActorRef } from 'xstate';
import type { TaskEnvironment, TaskMachineInput } from '../../packages/core/src/task/task-types.js';
import type { Supervisor } from '../../packages/core/src/supervisor-handle.js';
import type { TaskFn } from '../../packages/core/src/runner.js';
import type { TaskSpec } from '../../packages/core/src/spec/task.js';
import {
  compare,
  costResult,
  fmt,
  gc,
  heapUsed,
  median,
  must,
  sink,
  throughputResult,
  type BenchGroup,
  type Check,
  type RunContext,
  type Scenario,
  type ScenarioResult,
  type Summary,
  type Variant,
} from './harness.ts';

// ---------------------------------------------------------------------------------------------
// Which core: a compiled build (default: `pnpm bench` builds first), or its TypeScript source
// through tsx (BENCH_CORE=src). tsx compiles with esbuild's keepNames, which wraps every function expression in
// `__name(fn, 'name')` (an Object.defineProperty per closure created): each closure the runtime
// makes per task then carries a dictionary-mode property store (~256 B, and its bound copies as
// well) and costs a defineProperty call. The published package (tsc output) has none of that, so
// BENCH_CORE=dist measures `packages/core/dist` (run `pnpm build` first; a stale build is refused)
// and BENCH_CORE=<absolute dir> any other build of core/src.

const CORE_SRC = fileURLToPath(new URL('../../packages/core/src/', import.meta.url));
const CORE_DIST = fileURLToPath(new URL('../../packages/core/dist/', import.meta.url));
const coreOption = process.env['BENCH_CORE'] ?? 'dist';

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listTs(join(dir, d.name)).map((f) => join(d.name, f)) : d.name.endsWith('.ts') ? [d.name] : [],
  );
}

/** The directory core is imported from, refusing a missing or stale packages/core/dist. */
function coreRoot(): { dir: string; ext: string; kind: string } {
  if (coreOption === 'src') return { dir: CORE_SRC, ext: '.ts', kind: 'src (tsx, keepNames)' };
  if (coreOption !== 'dist') {
    if (!isAbsolute(coreOption)) throw new Error(`BENCH_CORE must be 'src', 'dist' or an absolute directory, not ${coreOption}`);
    return { dir: coreOption.endsWith('/') ? coreOption : `${coreOption}/`, ext: '.js', kind: `build at ${coreOption}` };
  }
  const stale = listTs(CORE_SRC).filter((file) => {
    const built = join(CORE_DIST, file.replace(/\.ts$/, '.js'));
    try {
      return statSync(built).mtimeMs < statSync(join(CORE_SRC, file)).mtimeMs;
    } catch {
      return true;
    }
  });
  if (stale.length > 0) {
    throw new Error(`BENCH_CORE=dist: packages/core/dist is missing or older than src for ${stale.slice(0, 5).join(', ')}; run \`pnpm build\` first`);
  }
  return { dir: CORE_DIST, ext: '.js', kind: 'dist (tsc build)' };
}

const CORE = coreRoot();

async function load<T>(module: string): Promise<T> {
  return (await import(pathToFileURL(`${CORE.dir}${module}${CORE.ext}`).href)) as T;
}

const { EventBus } = await load<typeof import('../../packages/core/src/bus/event-bus.js')>('bus/event-bus');
const { systemClock } = await load<typeof import('../../packages/core/src/clock.js')>('clock');
const { taskMachine, taskLogic } = await load<typeof import('../../packages/core/src/task/task-machine.js')>('task/task-machine');
const { createSupervisor } = await load<typeof import('../../packages/core/src/create-supervisor.js')>('create-supervisor');
const { task } = await load<typeof import('../../packages/core/src/spec/task.js')>('spec/task');
type EventBus = InstanceType<typeof EventBus>;

type TaskActor = Actor<typeof taskMachine>;

/** The supervisor's default grace; the raw events use the same. */
const GRACE_MS = 5_000;

let acc = 0;
const observer = { name: 'observer', next: (e: { seq: number }): void => void (acc += e.seq) };

/** Like `observer`, also counting the events it is given (T1, T1.loop). */
function countingObserver(): { readonly observer: typeof observer; readonly delivered: () => number } {
  let delivered = 0;
  return {
    observer: {
      name: 'observer',
      next: (e) => {
        acc += e.seq;
        delivered++;
      },
    },
    delivered: () => delivered,
  };
}

/** The task actor a supervisor made for `path` (`actor.system.get(path)`, as documented). */
function supervisedActor(app: Supervisor, path: string): TaskActor {
  return must(app.actor.system.get(path) as TaskActor | undefined, `the task actor at ${path}`);
}

/**
 * The baseline's machine input: a real supervised task's input (same work, same resolved policy,
 * same environment fields, whatever the runtime puts there) with the observation taken out: a
 * no-op `publish`/`publishNow`, no `onReady`, effects run inline instead of through the tree's
 * dispatcher. Derived at run time so the baseline follows core as it changes.
 */
function rawInputFrom(actor: TaskActor, gated: boolean): TaskMachineInput {
  const input = actor.getSnapshot().context.input;
  const noop = (): void => undefined;
  const env = Object.assign({}, input.env, {
    publish: noop,
    publishNow: noop,
    onReady: undefined,
    defer: (effect: () => void) => effect(),
  }) as TaskEnvironment;
  return { ...input, env, gated };
}

/** A task function that never runs in T2/S1 (every task waits in idle). */
const neverRuns: TaskFn = () => undefined;

/** The sibling every T2/S1 task depends on: it runs until aborted and never reports ready. */
const neverReady: TaskFn = ({ signal }) =>
  new Promise<void>((resolve) => {
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
const GATED = Object.freeze({ dependsOn: ['never-ready'] as const });

/** A supervisor named `app` whose only initial child is `never-ready`, started. */
async function gatedSupervisor(withObserver: boolean): Promise<Supervisor> {
  const app = createSupervisor({ name: 'app', children: [task('never-ready', neverReady)] });
  if (withObserver) app.subscribe(observer);
  await app.start();
  return app;
}

/** The raw gated input, taken once from a real gated task (its supervisor stays alive, idle). */
let gatedTemplate: { app: Supervisor; input: TaskMachineInput } | undefined;
async function rawGatedInput(): Promise<TaskMachineInput> {
  if (gatedTemplate === undefined) {
    const app = await gatedSupervisor(false);
    await app.add(task('template', neverRuns, GATED));
    gatedTemplate = { app, input: rawInputFrom(supervisedActor(app, 'app/template'), true) };
  }
  return gatedTemplate.input;
}

/**
 * Drops a supervisor whose children are all idle (plus `never-ready`, waiting on a promise):
 * nothing of it holds a timer or a handle, so it is garbage. Used where shutting down would
 * only slow the bench down (untimed teardown): S1 measures shutdown itself.
 */
function abandon(_app: Supervisor | undefined): void {
  // Nothing to release: dropping the last reference is enough.
}

/** A raw gated task actor (root actor, own system), started: the T2/S1 baseline unit. */
function rawGated(input: TaskMachineInput, name: string): TaskActor {
  return createActor(taskMachine, { input: { ...input, name, path: `app/${name}` } }).start();
}

function stateOf(actor: AnyActorRef | undefined): string {
  const snap = actor?.getSnapshot() as { value?: unknown } | undefined;
  return typeof snap?.value === 'string' ? snap.value : JSON.stringify(snap?.value);
}

// ---------------------------------------------------------------------------------------------
// T1

/** The machine's own restart request: in `ready` it ends the attempt (→ stopped → backoff), in
 *  `backoff` it starts the next one (→ idle → starting → running → ready). */
const STOP_RESTART = { type: 'task.stop', reason: 'user-requested', graceMs: GRACE_MS, then: 'restart' } as const;
/** State changes per cycle of two STOP_RESTART events (ready→stopped→backoff; backoff→idle→starting→running→ready). */
const TRANSITIONS_PER_CYCLE = 6;
/** Lifecycle events per cycle: TaskStopped, BackoffScheduled, TaskStarting, TaskStarted, TaskReady. */
const EVENTS_PER_CYCLE = 5;

/** Actor work whose attempt runs until stopped: attempt.started + attempt.ready are raised at spawn. */
const idleLogic = fromCallback(() => undefined);

function driveCycles(actor: AnyActorRef, transitions: number): void {
  for (let i = 0; i < transitions; i += TRANSITIONS_PER_CYCLE) {
    actor.send(STOP_RESTART);
    actor.send(STOP_RESTART);
  }
}

/** Delivered-to-observer count over `cycles` cycles, and the end state. */
function probeCycles(actor: AnyActorRef, cycles: number, delivered: () => number): { perCycle: number; state: string } {
  const before = delivered();
  driveCycles(actor, cycles * TRANSITIONS_PER_CYCLE);
  return { perCycle: (delivered() - before) / cycles, state: stateOf(actor) };
}

const transition: Scenario = {
  id: 'T1',
  name: 'task.transition',
  async run(ctx: RunContext): Promise<ScenarioResult> {
    const app = createSupervisor({ name: 'app', children: [task('t', idleLogic, { restart: 'always' })] });
    const counter = countingObserver();
    app.subscribe(counter.observer);
    await app.start();
    const supervised = supervisedActor(app, 'app/t');

    const raw = createActor(taskMachine, { input: rawInputFrom(supervised, false) }).start();
    const baseline: Variant = {
      label: 'raw task actor (root), no-op publish, no observers',
      run: (n) => driveCycles(raw, n),
    };
    const framework: Variant = {
      label: 'supervised task (child of a supervisor), EventBus + 1 sync subscriber',
      run: (n) => driveCycles(supervised, n),
    };
    const startState = [stateOf(raw), stateOf(supervised)];

    // Warm both paths (JIT) before calibrating: a cold first batch would calibrate far too small.
    const warmTransitions = 3_000 * TRANSITIONS_PER_CYCLE / (ctx.quick ? 4 : 1);
    for (let i = 0; i < 3; i++) {
      driveCycles(raw, warmTransitions);
      driveCycles(supervised, warmTransitions);
    }
    const s = await compare(ctx, baseline, framework, { minOps: 6_000, opsMultiple: TRANSITIONS_PER_CYCLE });

    // The same drive through the public API (app.restart: registry lookup + a Promise per call).
    const publicApi: Variant = {
      label: 'supervised task driven by app.restart("t")',
      run(n) {
        for (let i = 0; i < n; i += TRANSITIONS_PER_CYCLE) {
          void app.restart('t');
          void app.restart('t');
        }
      },
    };
    const p = await compare(ctx, baseline, publicApi, { minOps: 6_000, opsMultiple: TRANSITIONS_PER_CYCLE });

    const probe = probeCycles(supervised, 100, counter.delivered);
    const rawEnd = stateOf(raw);
    raw.stop();
    await app.shutdown();
    const checks: Check[] = [
      {
        name: 'both tasks cycle ready -> backoff -> ready',
        ok: startState.every((v) => v === 'ready') && probe.state === 'ready' && rawEnd === 'ready',
        detail: `start ${startState.join('/')}, end raw ${rawEnd}, supervised ${probe.state}`,
      },
      {
        name: `${EVENTS_PER_CYCLE} lifecycle events per cycle reach the subscriber`,
        ok: probe.perCycle === EVENTS_PER_CYCLE,
        detail: `${probe.perCycle} events delivered per cycle of ${TRANSITIONS_PER_CYCLE} transitions`,
      },
    ];
    return throughputResult(
      { id: 'T1', name: 'task.transition', target: 0.85, band: 0.05, unit: 'transition' },
      { baseline: baseline.label, framework: framework.label },
      s,
      checks,
      {
        nsPerTransitionRaw: s.baseline.nsPerOp,
        nsPerTransitionSupervised: s.framework.nsPerOp,
        observationNsPerLifecycleEvent: ((s.framework.nsPerOp - s.baseline.nsPerOp) * TRANSITIONS_PER_CYCLE) / EVENTS_PER_CYCLE,
        publicApiRatio: p.framework.perSec / p.baseline.perSec,
        publicApiNsPerTransition: p.framework.nsPerOp,
      },
    );
  },
};

// T1.loop: restart 'always' + a function that resolves at once; one macrotask per attempt.

/** State changes per attempt: idle→starting→running→ready→stopped→backoff→idle. */
const LOOP_TRANSITIONS = 6;

interface LoopCounter {
  target: number;
  count: number;
  done: (() => void) | undefined;
}

function loopFn(counter: LoopCounter): TaskFn {
  return ({ ready }) => {
    ready();
    counter.count++;
    if (counter.count === counter.target) counter.done?.();
    return undefined;
  };
}

function untilCount(counter: LoopCounter, attempts: number): Promise<void> {
  counter.count = 0;
  counter.target = attempts;
  return new Promise<void>((resolve) => {
    counter.done = resolve;
  });
}

const transitionLoop: Scenario = {
  id: 'T1.loop',
  name: 'task.transition.loop',
  async run(ctx: RunContext): Promise<ScenarioResult> {
    // The raw input comes from a gated twin of the loop task (same work, policy, environment).
    const rawCounter: LoopCounter = { target: 0, count: 0, done: undefined };
    const twin = await gatedSupervisor(false);
    await twin.add(task('t', loopFn(rawCounter), { restart: 'always', dependsOn: ['never-ready'] }));
    const rawInput = rawInputFrom(supervisedActor(twin, 'app/t'), false);
    let rawActor: TaskActor | undefined;
    const baseline: Variant = {
      label: "raw task actor, restart 'always', no-op publish",
      async run(n) {
        const done = untilCount(rawCounter, n / LOOP_TRANSITIONS);
        // taskLogic, as a supervisor runs it: the bare machine never takes its attempts' ends.
        rawActor = createActor(taskLogic, { input: rawInput }).start();
        await done;
      },
      after() {
        rawActor?.stop();
      },
    };
    const fwCounter: LoopCounter = { target: 0, count: 0, done: undefined };
    const fwFn = loopFn(fwCounter);
    let app: Supervisor | undefined;
    const counter = countingObserver();
    const framework: Variant = {
      label: "supervised task, restart 'always', EventBus + 1 sync subscriber",
      async run(n) {
        const done = untilCount(fwCounter, n / LOOP_TRANSITIONS);
        app = createSupervisor({ name: 'app', children: [task('t', fwFn, { restart: 'always' })] });
        app.subscribe(counter.observer);
        await app.start();
        await done;
      },
      async after() {
        await app?.shutdown();
      },
    };
    const s = await compare(ctx, baseline, framework, { minOps: 3_000, opsMultiple: LOOP_TRANSITIONS });
    await twin.shutdown();
    return throughputResult(
      { id: 'T1.loop', name: 'task.transition.loop', target: 0.85, band: 0.05, unit: 'transition' },
      { baseline: baseline.label, framework: framework.label },
      s,
      [
        {
          name: 'the loop publishes >= 5 events per attempt',
          ok: counter.delivered() >= (fwCounter.count * EVENTS_PER_CYCLE),
          detail: `${counter.delivered()} events delivered, last run ${fwCounter.count} attempts`,
        },
      ],
      { usPerAttemptRaw: (s.baseline.nsPerOp * LOOP_TRANSITIONS) / 1000, usPerAttemptSupervised: (s.framework.nsPerOp * LOOP_TRANSITIONS) / 1000 },
    );
  },
};

// ---------------------------------------------------------------------------------------------
// T2

/** The T2 framework unit: the full public path for one idle task. */
function addGated(app: Supervisor, name: string): void {
  void app.add(task(name, neverRuns, GATED));
}

function checkIdle(app: Supervisor, expected: number): Check {
  const children = app.snapshot().children ?? [];
  const tasks = children.filter((c) => c.path !== 'app/never-ready');
  const idle = tasks.filter((c) => c.state === 'idle').length;
  return {
    name: 'every added task is registered and idle',
    ok: tasks.length === expected && idle === expected,
    detail: `${tasks.length} registered, ${idle} idle, expected ${expected}`,
  };
}

function specs(n: number): TaskSpec[] {
  const out = new Array<TaskSpec>(n);
  for (let i = 0; i < n; i++) out[i] = task(`t${i}`, neverRuns, GATED);
  return out;
}

/** A started machine with no behaviour: the parent of the "XState child" variant. */
function bareParent(): AnyActorRef {
  return createActor(createMachine({})).start();
}

/** `createActor(taskMachine, { parent, id, systemId, input })`: what the registry creates, without the registry. */
function childOf(parent: AnyActorRef, input: TaskMachineInput, name: string): TaskActor {
  const path = `app/${name}`;
  return createActor(taskMachine, { parent, id: name, systemId: path, input: { ...input, name, path } }).start();
}

/** One step of the breakdown: set up untimed, time `run(n)`, tear down untimed. */
interface Step {
  readonly key: string;
  readonly label: string;
  setup(n: number): Promise<void> | void;
  run(n: number): void;
  teardown(): Promise<void> | void;
}

function breakdownSteps(input: TaskMachineInput): Step[] {
  let keep: unknown[] = [];
  let prebuilt: TaskSpec[] = [];
  let app: Supervisor | undefined;
  let bus: EventBus | undefined;
  let parent: AnyActorRef | undefined;
  const dropAll = (): void => {
    keep = [];
    prebuilt = [];
    parent = undefined;
  };
  return [
    {
      key: 'raw',
      label: 'raw createActor(taskMachine).start() (root actor, own system)',
      setup: () => undefined,
      run(n) {
        keep = new Array<unknown>(n);
        for (let i = 0; i < n; i++) keep[i] = rawGated(input, `t${i}`);
      },
      teardown() {
        for (const a of keep as TaskActor[]) a.stop();
        dropAll();
      },
    },
    {
      key: 'child',
      label: 'createActor(taskMachine, { parent, id, systemId }).start() in a Map (no registry, no subscription)',
      setup() {
        parent = bareParent();
      },
      run(n) {
        const p = must(parent, 'the parent');
        const map = new Map<string, TaskActor>();
        for (let i = 0; i < n; i++) map.set(`t${i}`, childOf(p, input, `t${i}`));
        keep = [map];
      },
      teardown: dropAll, // idle children hold no timer: dropping them and their parent frees them
    },
    {
      key: 'appAddSpec',
      label: 'app.add(spec) with prebuilt specs',
      async setup(n) {
        prebuilt = specs(n);
        app = await gatedSupervisor(true);
      },
      run(n) {
        const a = must(app, 'the supervisor');
        for (let i = 0; i < n; i++) void a.add(must(prebuilt[i]));
      },
      teardown() {
        abandon(app);
        app = undefined;
        dropAll();
      },
    },
    {
      key: 'appAddTask',
      label: 'app.add(task(name, fn, { dependsOn })) (the T2 framework unit)',
      async setup() {
        app = await gatedSupervisor(true);
      },
      run(n) {
        const a = must(app, 'the supervisor');
        for (let i = 0; i < n; i++) addGated(a, `t${i}`);
      },
      teardown() {
        abandon(app);
        app = undefined;
      },
    },
    {
      key: 'spec',
      label: 'task(name, fn, { dependsOn }) alone',
      setup: () => undefined,
      run(n) {
        keep = specs(n);
      },
      teardown: dropAll,
    },
    {
      key: 'publish3',
      label: '3 x EventBus.publish to 1 sync subscriber (the events of one add)',
      setup() {
        const b = new EventBus({ clock: systemClock, path: 'app' });
        b.subscribe(observer);
        bus = b;
      },
      run(n) {
        const b = must(bus, 'the bus');
        for (let i = 0; i < n; i++) {
          const path = `app/t${i}`;
          b.publish({ kind: 'TaskAddRequested', task: path });
          b.publish({ kind: 'TaskAdded', task: path });
          b.publish({ kind: 'DependencyWaiting', task: path, waitingFor: ['never-ready'] });
        }
      },
      teardown() {
        bus = undefined;
      },
    },
  ];
}

/** Runs the steps round-robin (order rotated each round, one warm-up round); median ns per op of each. */
async function breakdown(input: TaskMachineInput, n: number, rounds: number): Promise<Record<string, number>> {
  const steps = breakdownSteps(input);
  const times = new Map<string, number[]>(steps.map((s) => [s.key, []]));
  for (let r = -1; r < rounds; r++) {
    const order = steps.map((_, i) => must(steps[(i + Math.max(r, 0)) % steps.length]));
    for (const step of order) {
      await step.setup(n);
      gc();
      const t0 = performance.now();
      step.run(n);
      const dt = performance.now() - t0;
      await step.teardown();
      if (r >= 0) must(times.get(step.key)).push((dt * 1e6) / n);
    }
  }
  const out: Record<string, number> = {};
  for (const [key, values] of times) out[key] = median(values);
  return out;
}

const create: Scenario = {
  id: 'T2',
  name: 'task.create',
  async run(ctx: RunContext): Promise<ScenarioResult> {
    const input = await rawGatedInput();
    let raws: TaskActor[] = [];
    const baseline: Variant = {
      label: 'raw createActor(taskMachine, { input: gated }).start()',
      run(n) {
        raws = new Array<TaskActor>(n);
        for (let i = 0; i < n; i++) raws[i] = rawGated(input, `t${i}`);
      },
      after() {
        for (const a of raws) a.stop();
        raws = [];
      },
    };
    let app: Supervisor | undefined;
    let lastCheck: Check | undefined;
    let lastN = 0;
    const framework: Variant = {
      label: "app.add(task(name, fn, { dependsOn: ['never-ready'] })), 1 sync subscriber",
      async prepare() {
        app = await gatedSupervisor(true);
      },
      run(n) {
        const a = must(app, 'the supervisor');
        lastN = n;
        for (let i = 0; i < n; i++) addGated(a, `t${i}`);
      },
      after() {
        const a = must(app, 'the supervisor');
        lastCheck = checkIdle(a, lastN);
        abandon(a);
        app = undefined;
      },
    };
    // Warm both paths (JIT) before calibrating.
    for (let i = 0; i < 2; i++) {
      await framework.prepare?.();
      await framework.run(2_000);
      await framework.after?.();
      await baseline.run(2_000);
      await baseline.after?.();
    }
    const s = await compare(ctx, baseline, framework, { minOps: 2_000 });

    // Events published per add, by kind.
    const kinds = new Map<string, number>();
    {
      const a = await gatedSupervisor(false);
      const sub = a.subscribe({ next: (e) => void kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1) });
      for (let i = 0; i < 100; i++) addGated(a, `p${i}`);
      sub.unsubscribe();
      await a.shutdown();
    }
    const published = [...kinds.values()].reduce((x, y) => x + y, 0) / 100;

    const breakdownN = ctx.quick ? 2_000 : 10_000;
    const bd = await breakdown(input, breakdownN, ctx.quick ? 2 : 5);
    const g = (k: string): number => must(bd[k], k);
    const extra: Record<string, number | string | boolean> = {
      eventsPublishedPerAdd: published,
      eventKindsPerAdd: [...kinds].map(([k, v]) => `${k}:${v / 100}`).join(' '),
      breakdownN,
    };
    for (const [k, v] of Object.entries(bd)) extra[`ns_${k}`] = Math.round(v);
    // Where an add's time goes (medians of separate runs, so only roughly additive).
    extra['ns_childVsRoot'] = Math.round(g('child') - g('raw'));
    extra['ns_registryEtc'] = Math.round(g('appAddSpec') - g('child') - g('publish3'));
    extra['ns_bus3Events'] = Math.round(g('publish3'));
    extra['ns_specCreation'] = Math.round(g('appAddTask') - g('appAddSpec'));
    ctx.log(
      `    per add: raw ${fmt(g('raw'))} ns, XState child ${fmt(g('child'))} ns, app.add(spec) ${fmt(g('appAddSpec'))} ns, ` +
        `app.add(task()) ${fmt(g('appAddTask'))} ns; task() ${fmt(g('spec'))} ns; 3 publishes ${fmt(g('publish3'))} ns; events/add ${String(extra['eventKindsPerAdd'])}`,
    );
    return costResult(
      { id: 'T2', name: 'task.create', target: 1.3, band: 0.15, unit: 'task' },
      { baseline: baseline.label, framework: framework.label },
      s,
      lastCheck === undefined ? [] : [lastCheck],
      extra,
    );
  },
};

// T2.heap

const HEAP_N = 10_000;

/** Heap per unit after `make(n)` (two GCs before each reading); `teardown` frees it. */
async function heapPer(n: number, make: (n: number) => unknown, teardown: (kept: unknown) => Promise<void> | void): Promise<number> {
  const h0 = heapUsed();
  const kept = make(n);
  const h1 = heapUsed();
  await teardown(kept);
  gc();
  return (h1 - h0) / n;
}

const createHeap: Scenario = {
  id: 'T2.heap',
  name: 'task.create.heap',
  async run(ctx: RunContext): Promise<ScenarioResult> {
    const n = HEAP_N;
    const reps = ctx.quick ? 1 : 3;
    const input = await rawGatedInput();
    const raw: number[] = [];
    const fw: number[] = [];
    const child: number[] = [];
    const spec: number[] = [];
    const stopAll = (kept: unknown): void => {
      for (const a of kept as TaskActor[]) a.stop();
    };
    for (let r = -1; r < reps; r++) {
      // Supervisors and parents are made before the first reading: their fixed cost is not per task.
      const app = await gatedSupervisor(true);
      const rawPer = await heapPer(n, (k) => Array.from({ length: k }, (_, i) => rawGated(input, `t${i}`)), stopAll);
      const fwPer = await heapPer(
        n,
        (k) => {
          for (let i = 0; i < k; i++) addGated(app, `t${i}`);
          return app;
        },
        () => {
          abandon(app);
        },
      );
      const parent = bareParent();
      const childPer = await heapPer(
        n,
        (k) => {
          const map = new Map<string, TaskActor>();
          for (let i = 0; i < k; i++) map.set(`t${i}`, childOf(parent, input, `t${i}`));
          return map;
        },
        () => undefined,
      );
      const specPer = await heapPer(n, (k) => specs(k), () => undefined);
      if (r >= 0) {
        raw.push(rawPer);
        fw.push(fwPer);
        child.push(childPer);
        spec.push(specPer);
      }
    }
    const base = median(raw);
    const frame = median(fw);
    const kb = 4.5 * 1024;
    ctx.log(
      `    heap/task: raw ${fmt(base)} B, supervised ${fmt(frame)} B (${(frame / base).toFixed(2)}x); ` +
        `XState child (parent, systemId) ${fmt(median(child))} B; task() spec ${fmt(median(spec))} B`,
    );
    const summary = (v: number): Summary => ({ ops: n, perSec: 1e9 / v, nsPerOp: v, iqr: 0, spread: 0, rates: [] });
    const result = costResult(
      { id: 'T2.heap', name: 'task.create.heap', target: 1.25, band: 0.15, unit: 'task' },
      { baseline: 'raw gated task actor (root), heap per actor', framework: 'app.add(task(...)) idle task, heap per task' },
      { baseline: summary(base), framework: summary(frame) },
      [
        {
          name: 'heap per idle supervised task <= 4.5 KB',
          ok: frame <= kb,
          detail: `${frame.toFixed(0)} B per task (n = ${n}, median of ${reps}; raw ${base.toFixed(0)} B)`,
        },
      ],
      {
        n,
        bytesRaw: Math.round(base),
        bytesSupervised: Math.round(frame),
        bytesXStateChild: Math.round(median(child)),
        bytesSpec: Math.round(median(spec)),
        bytesRegistryEtc: Math.round(frame - median(child) - median(spec)),
        repsRaw: raw.map((x) => Math.round(x)).join(','),
        repsSupervised: fw.map((x) => Math.round(x)).join(','),
      },
    );
    // Heap figures are bytes per task, not ns.
    return { ...result, baseline: { ...result.baseline, unit: 'B/task' }, framework: { ...result.framework, unit: 'B/task' } };
  },
};

// ---------------------------------------------------------------------------------------------
// S1

interface ScaleSample {
  createMs: number;
  sendMs: number;
  stopMs: number;
  heapPerTask: number;
}

interface ScaleMeasurement {
  raw: ScaleSample[];
  fw: ScaleSample[];
  /** Set when the supervised shutdown was not run at this N: its predicted time. */
  stopExtrapolatedMs: number | undefined;
  stopModel: StopModel;
  checks: Check[];
}

/** One raw pass: N standalone gated actors in a Map. */
function rawScale(input: TaskMachineInput, n: number): { sample: ScaleSample; allIdle: boolean } {
  const h0 = heapUsed();
  const t0 = performance.now();
  const map = new Map<string, TaskActor>();
  for (let i = 0; i < n; i++) {
    const name = `t${i}`;
    map.set(name, rawGated(input, name));
  }
  const t1 = performance.now();
  const h1 = heapUsed();
  const t2 = performance.now();
  for (let i = 0; i < n; i++) {
    must(map.get(`t${i}`)).send({ type: 'task.stop', reason: 'user-requested', graceMs: GRACE_MS, then: 'restart' });
  }
  const t3 = performance.now();
  let idle = 0;
  for (const a of map.values()) if (stateOf(a) === 'idle') idle++;
  const t4 = performance.now();
  for (const a of map.values()) a.stop();
  map.clear();
  const t5 = performance.now();
  return { sample: { createMs: t1 - t0, sendMs: t3 - t2, stopMs: t5 - t4, heapPerTask: (h1 - h0) / n }, allIdle: idle === n };
}

/**
 * One framework pass: N idle tasks added to a supervisor, app.restart() each (ignored in idle),
 * then shutdown — or, when `stop` is false (its predicted time is beyond the budget), the
 * supervisor is dropped instead and stopMs is NaN.
 */
async function fwScale(n: number, stop: boolean): Promise<{ sample: ScaleSample; allIdle: boolean; withinGrace: boolean; empty: boolean }> {
  const app = await gatedSupervisor(true);
  const h0 = heapUsed();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) addGated(app, `t${i}`);
  const t1 = performance.now();
  const h1 = heapUsed();
  const t2 = performance.now();
  for (let i = 0; i < n; i++) void app.restart(`t${i}`);
  const t3 = performance.now();
  const idle = (app.snapshot().children ?? []).filter((c) => c.state === 'idle').length;
  let stopMs = Number.NaN;
  let withinGrace = true;
  let empty = true;
  if (stop) {
    const t4 = performance.now();
    const result = await app.shutdown();
    stopMs = performance.now() - t4;
    withinGrace = result.withinGrace;
    empty = (app.snapshot().children ?? []).length === 0;
  } else {
    abandon(app);
  }
  return {
    sample: { createMs: t1 - t0, sendMs: t3 - t2, stopMs, heapPerTask: (h1 - h0) / n },
    allIdle: idle === n,
    withinGrace,
    empty,
  };
}

function scaleN(label: '1k' | '10k' | '100k', quick: boolean): number {
  const n = label === '1k' ? 1_000 : label === '10k' ? 10_000 : 100_000;
  return quick ? Math.min(n, 10_000) : n;
}

const scaleCache = new Map<number, Promise<ScaleMeasurement>>();

function measureScale(ctx: RunContext, n: number): Promise<ScaleMeasurement> {
  let m = scaleCache.get(n);
  if (m === undefined) {
    m = runScale(ctx, n);
    scaleCache.set(n, m);
  }
  return m;
}

/** Supervised shutdown time at two sizes (the warm-up probes), to predict larger N. */
interface StopModel {
  readonly n1: number;
  readonly t1: number;
  readonly n2: number;
  readonly t2: number;
  /** Scaling exponent of the total stop time (1 = linear, 2 = quadratic), clamped to [1, 3]. */
  readonly exponent: number;
}
let stopModel: StopModel | undefined;

/** The model through two (N, shutdown ms) points. */
function stopModelThrough(n1: number, t1: number, n2: number, t2: number): StopModel {
  return { n1, t1, n2, t2, exponent: Math.min(3, Math.max(1, Math.log(t2 / t1) / Math.log(n2 / n1))) };
}

/** Median supervised shutdown times measured so far in this process, by N. */
const measuredStops = new Map<number, number>();

/**
 * The model used to predict the shutdown at `n`: the two largest sizes measured so far (the
 * probes, or completed S1 sizes, whichever are larger), so that 100 k extrapolates from 10 k.
 */
function modelFor(probe: StopModel): StopModel {
  const points = new Map<number, number>([[probe.n1, probe.t1], [probe.n2, probe.t2], ...measuredStops]);
  const sizes = [...points.keys()].sort((a, b) => a - b);
  const n2 = must(sizes[sizes.length - 1]);
  const n1 = must(sizes[sizes.length - 2]);
  return stopModelThrough(n1, must(points.get(n1)), n2, must(points.get(n2)));
}

function predictStopMs(model: StopModel, n: number): number {
  return model.t2 * (n / model.n2) ** model.exponent;
}

async function warmScale(ctx: RunContext, input: TaskMachineInput): Promise<StopModel> {
  if (stopModel !== undefined) return stopModel;
  // Warm the code paths (JIT) before the first, smallest N.
  for (let i = 0; i < 2; i++) {
    rawScale(input, 2_000);
    await fwScale(2_000, true);
  }
  // Probe how the supervised shutdown scales, so that an N whose shutdown would run for many
  // minutes (a quadratic path) is extrapolated instead of hanging the bench.
  const n1 = 1_000;
  const n2 = 4_000;
  const t1 = median([(await fwScale(n1, true)).sample.stopMs, (await fwScale(n1, true)).sample.stopMs]);
  const t2 = (await fwScale(n2, true)).sample.stopMs;
  stopModel = stopModelThrough(n1, t1, n2, t2);
  ctx.log(`    shutdown probe: ${fmt(t1)} ms at ${fmt(n1)}, ${fmt(t2)} ms at ${fmt(n2)} tasks -> exponent ${stopModel.exponent.toFixed(2)}`);
  return stopModel;
}

async function runScale(ctx: RunContext, n: number): Promise<ScaleMeasurement> {
  const input = await rawGatedInput();
  const model = modelFor(await warmScale(ctx, input));
  const budgetMs = ctx.quick ? 15_000 : 60_000;
  const predictedStopMs = predictStopMs(model, n);
  const measureStop = predictedStopMs <= budgetMs;
  if (!measureStop) {
    ctx.log(`    N=${n}: supervised shutdown predicted ${fmt(predictedStopMs / 1000)} s > budget ${fmt(budgetMs / 1000)} s: not run, extrapolated`);
  }
  const reps = n <= 1_000 ? ctx.runs : n <= 10_000 ? (ctx.quick ? 2 : 3) : 2;
  const raw: ScaleSample[] = [];
  const fw: ScaleSample[] = [];
  let allIdle = true;
  let withinGrace = true;
  let empty = true;
  for (let r = 0; r < reps; r++) {
    // ABAB, the order swapped every rep.
    const order = r % 2 === 0 ? ['raw', 'fw'] : ['fw', 'raw'];
    for (const which of order) {
      gc();
      if (which === 'raw') {
        const x = rawScale(input, n);
        raw.push(x.sample);
        allIdle &&= x.allIdle;
      } else {
        const x = await fwScale(n, measureStop);
        fw.push(x.sample);
        allIdle &&= x.allIdle;
        withinGrace &&= x.withinGrace;
        empty &&= x.empty;
      }
    }
    const last = (xs: ScaleSample[]): ScaleSample => must(xs[xs.length - 1]);
    ctx.log(
      `    N=${n} rep ${r + 1}/${reps}: create raw ${fmt(last(raw).createMs)} ms / fw ${fmt(last(fw).createMs)} ms; ` +
        `send ${fmt(last(raw).sendMs)} / ${fmt(last(fw).sendMs)} ms; stop ${fmt(last(raw).stopMs)} / ${fmt(last(fw).stopMs)} ms; ` +
        `heap ${fmt(last(raw).heapPerTask)} / ${fmt(last(fw).heapPerTask)} B/task`,
    );
  }
  if (measureStop) measuredStops.set(n, med(fw, 'stopMs'));
  const graceDetail = measureStop
    ? `withinGrace ${String(withinGrace)}, registry empty ${String(empty)}`
    : `not run at this N (see the .stop row)`;
  return {
    raw,
    fw,
    stopExtrapolatedMs: measureStop ? undefined : predictedStopMs,
    stopModel: model,
    checks: [
      { name: 'every task idle after the event (it is ignored)', ok: allIdle, detail: allIdle ? `all ${n} idle in both variants` : 'some task left idle' },
      { name: 'shutdown within grace (default 5 s), registry empty', ok: withinGrace && empty, detail: graceDetail },
    ],
  };
}

type Phase = 'createMs' | 'sendMs' | 'stopMs' | 'heapPerTask';

function med(samples: readonly ScaleSample[], phase: Phase): number {
  return median(samples.map((s) => s[phase]));
}

/** The median of a phase per task: ns per task for times, bytes for heapPerTask. */
function perTask(samples: readonly ScaleSample[], phase: Phase, n: number): number {
  return phase === 'heapPerTask' ? med(samples, phase) : (med(samples, phase) * 1e6) / n;
}

/** Every sample's four figures, rounded to 0.1. */
function samplesJson(samples: readonly ScaleSample[]): string {
  return JSON.stringify(samples.map((s) => [s.createMs, s.sendMs, s.stopMs, s.heapPerTask].map((x) => Math.round(x * 10) / 10)));
}

function scaleScenario(label: '1k' | '10k' | '100k', metric: 'create' | 'stop' | 'heap'): Scenario {
  const id = metric === 'create' ? `S1.${label}` : `S1.${label}.${metric}`;
  const name = metric === 'create' ? `supervisor.scale.${label}` : `supervisor.scale.${label}.${metric}`;
  return {
    id,
    name,
    async run(ctx: RunContext): Promise<ScenarioResult> {
      const n = scaleN(label, ctx.quick);
      const m = await measureScale(ctx, n);
      const phase: Phase = metric === 'create' ? 'createMs' : metric === 'stop' ? 'stopMs' : 'heapPerTask';
      const b = perTask(m.raw, phase, n);
      const extrapolated = metric === 'stop' && m.stopExtrapolatedMs !== undefined;
      const f = extrapolated ? (must(m.stopExtrapolatedMs) * 1e6) / n : perTask(m.fw, phase, n);
      const checks: Check[] = [];
      if (metric === 'create') checks.push(must(m.checks[0]));
      if (metric === 'stop') {
        const model = m.stopModel;
        checks.push(must(m.checks[1]), {
          name: 'supervised shutdown measured at this N',
          ok: !extrapolated,
          detail: extrapolated
            ? `not run: predicted ${fmt(must(m.stopExtrapolatedMs) / 1000)} s from ${fmt(model.t1)} ms at ${fmt(model.n1)} and ` +
              `${fmt(model.t2)} ms at ${fmt(model.n2)} tasks (time ~ N^${model.exponent.toFixed(2)}); the ratio is extrapolated`
            : `measured (shutdown time ~ N^${model.exponent.toFixed(2)} between ${fmt(model.n1)} and ${fmt(model.n2)} tasks)`,
        });
      }
      const target = metric === 'create' ? 1.5 : metric === 'stop' ? 2 : 1.3;
      const unit = metric === 'heap' ? 'B/task' : 'ns/task';
      const labels = {
        create: ['standalone createActor(taskMachine).start() into a Map', "app.add(task(name, fn, { dependsOn: ['never-ready'] }))"],
        stop: ['stop() each standalone actor, Map.clear()', 'await app.shutdown() (each task: task.stop -> exhausted -> TaskRemoved)'],
        heap: ['standalone gated actors in a Map', 'idle supervised tasks'],
      }[metric];
      return {
        id,
        name,
        baseline: { value: b, unit, label: must(labels[0]) },
        framework: { value: f, unit, label: must(labels[1]) },
        ratio: f / b,
        target: { direction: 'lower', value: target },
        band: 0.15,
        checks,
        extra: {
          n,
          stopExtrapolated: extrapolated,
          stopProbeExponent: m.stopModel.exponent,
          reps: m.raw.length,
          createNsPerTaskRaw: perTask(m.raw, 'createMs', n),
          createNsPerTaskSupervised: perTask(m.fw, 'createMs', n),
          sendNsPerTaskRaw: perTask(m.raw, 'sendMs', n),
          sendNsPerTaskSupervised: perTask(m.fw, 'sendMs', n),
          sendRatio: perTask(m.fw, 'sendMs', n) / perTask(m.raw, 'sendMs', n),
          stopNsPerTaskRaw: perTask(m.raw, 'stopMs', n),
          stopNsPerTaskSupervised: perTask(m.fw, 'stopMs', n),
          heapPerTaskRaw: med(m.raw, 'heapPerTask'),
          heapPerTaskSupervised: med(m.fw, 'heapPerTask'),
          samplesRaw: samplesJson(m.raw),
          samplesSupervised: samplesJson(m.fw),
        },
      };
    },
  };
}

const scaleLinear: Scenario = {
  id: 'S1.linear',
  name: 'supervisor.scale.linear',
  async run(ctx: RunContext): Promise<ScenarioResult> {
    const small = scaleN('1k', ctx.quick);
    const big = scaleN('100k', ctx.quick);
    const ms = await measureScale(ctx, small);
    const mb = await measureScale(ctx, big);
    const fs = perTask(ms.fw, 'createMs', small);
    const fb = perTask(mb.fw, 'createMs', big);
    const rs = perTask(ms.raw, 'createMs', small);
    const rb = perTask(mb.raw, 'createMs', big);
    return {
      id: 'S1.linear',
      name: 'supervisor.scale.linear',
      baseline: { value: fs, unit: 'ns/task', label: `supervised create per task at N = ${fmt(small)}` },
      framework: { value: fb, unit: 'ns/task', label: `supervised create per task at N = ${fmt(big)}` },
      ratio: fb / fs,
      target: { direction: 'lower', value: 1.5 },
      band: 0.15,
      checks: [],
      extra: {
        small,
        big,
        rawScaling: rb / rs,
        stopScalingSupervised: med(mb.fw, 'stopMs') / big / (med(ms.fw, 'stopMs') / small),
        stopScalingRaw: med(mb.raw, 'stopMs') / big / (med(ms.raw, 'stopMs') / small),
      },
    };
  },
};

/** Records which core a result was measured on (src through tsx, or a build). */
function withCore(scenario: Scenario): Scenario {
  return {
    id: scenario.id,
    name: scenario.name,
    async run(ctx) {
      const result = await scenario.run(ctx);
      return { ...result, extra: { ...result.extra, core: CORE.kind } };
    },
  };
}

/** The task scenarios. */
export const group: BenchGroup = {
  name: 'task',
  scenarios: [
    transition,
    transitionLoop,
    create,
    createHeap,
    ...(['1k', '10k', '100k'] as const).flatMap((label) => (['create', 'stop', 'heap'] as const).map((metric) => scaleScenario(label, metric))),
    scaleLinear,
  ].map(withCore),
};

/** Keeps the subscribers' work observable. */
export function accumulated(): number {
  return acc + sink.n;
}
