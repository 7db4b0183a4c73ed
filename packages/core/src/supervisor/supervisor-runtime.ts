/**
 * The runtime of one supervisor (the root or a child supervisor's current incarnation): its
 * registry of children (a Map of standalone task actors whose XState parent is the supervisor
 * actor), name claims, strategies, the intensity window, dependencies, removal and shutdown.
 *
 * Every child's task actor is observed: its steps flush the tree's {@link Dispatcher}, and its
 * completion or crash ends the child here. Nothing in this file runs inside a machine action.
 */
import { createActor } from 'xstate';
import type { Actor, AnyActorRef } from 'xstate';
import type { Clock, RandomSource } from '../clock.ts';
import { ShuttingDownError, TaskAlreadyExistsError, UnknownTaskError } from '../errors.ts';
import { describeThrown, toError } from '../foreign.ts';
import type { RestartExplanation, Strategy, TaskOutcomeKind, TerminateReason } from '../events.ts';
import type { TaskOutcome } from '../outcome.ts';
import { validateBackoff } from '../policies/backoff.ts';
import { restartsInWindow } from '../policies/intensity.ts';
import type { RunnerExit } from '../runner.ts';
import type { ChildSpec, Intensity, ResolvedDefaults } from '../spec/supervisor-options.ts';
import type { NestedSupervisorOptions } from '../spec/supervisor-spec.ts';
import type { NestedAttemptContext, TaskWork } from '../spec/task.ts';
import type { LiveAttempt } from '../attempt/live-attempt.ts';
import type { Incarnation } from './child-handle.ts';
import type { DecisionLog, RestartDecisionRecord } from './decision-log.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { OutcomeStore } from './outcome-store.ts';
import { RecentMap } from './recent-map.ts';
import { createSlotLimiter } from './slot-limiter.ts';
import type { StrategyRestart, SupervisorContext, SupervisorHost } from './supervisor-machine.ts';
import { createSupervisorLogic } from './supervisor-machine.ts';
import { taskLogic } from '../task/task-machine.ts';
import type { ChildFailed, TaskEnvironment, TaskPolicy } from '../task/task-types.ts';

/** One live child. */
interface ChildEntry {
  readonly name: string;
  readonly path: string;
  readonly spec: ChildSpec;
  readonly actor: Actor<typeof taskLogic>;
  /** Claimed by remove / cancel / shutdown / stop: the name stays reserved until TaskRemoved. */
  removing: boolean;
  /** Resolved once the child's TaskRemoved is published; made only when a caller waits. */
  removal: { promise: Promise<void>; resolve: () => void } | undefined;
  /** Listeners for the child's TaskRemoved (admission slots). */
  onRemoved: (() => void)[] | undefined;
  /** The current attempt reported readiness. */
  ready: boolean;
  /** The runtime of the current incarnation, for a child supervisor. */
  nested: SupervisorRuntime | undefined;
  /** The task machine's state and attempt, kept by the observer so `snapshot()` stays cheap. */
  state: string;
  attempt: number;
  /** The live attempt's handles (pid, control). */
  readonly live: LiveAttempt;
  /** The child's grace: every stop of it force-aborts after this long (its own `graceMs` or the default). */
  readonly graceMs: number;
}

/** The result of `shutdown()`. */
export interface ShutdownResult {
  /** True when every child stopped before the grace deadline. */
  readonly withinGrace: boolean;
  /** Paths of the children that had to be force-aborted. */
  readonly stuck: readonly string[];
}

/**
 * A node of `snapshot()`: plain data, cheap to poll.
 *
 * @example
 * ```ts
 * const tree: NodeSnapshot = app.snapshot();
 * for (const child of tree.children ?? []) console.log(child.path, child.state, child.attempt);
 * ```
 */
export interface NodeSnapshot {
  readonly path: string;
  readonly kind: 'supervisor' | 'task';
  /**
   * The task machine's state (for a child supervisor: its task machine's state), or `'paused'`
   * for a task whose running or ready attempt was paused through its handle (until it is
   * resumed or the attempt ends).
   */
  readonly state: string;
  readonly attempt?: number;
  readonly pid?: number;
  /** Restarts counted in this supervisor's intensity window now (supervisors only). */
  readonly restartsInWindow?: number;
  /**
   * Submissions waiting in the admission slots of `submit()`, across all slots (the occupants not
   * counted). On the root only: a nested supervisor has no slots, so the field is absent there.
   */
  readonly queueDepth?: number;
  readonly children?: readonly NodeSnapshot[];
}

/** The options a runtime runs with (a root's, or a child supervisor's merged with its parent's). */
export interface RuntimeOptions {
  readonly strategy: Strategy;
  readonly intensity: Intensity | undefined;
  readonly maxConcurrent: number | undefined;
  readonly defaults: ResolvedDefaults;
  readonly children: readonly ChildSpec[];
}

/** What a runtime shares with the rest of its tree. */
export interface TreeServices {
  readonly dispatcher: Dispatcher;
  readonly outcomes: OutcomeStore;
  /** Every supervisor's restart decisions, for `explain()` (kept across incarnations). */
  readonly decisions: DecisionLog;
  readonly clock: Clock;
  readonly now: () => number;
  readonly random: RandomSource;
}

/** How a runtime is set up. */
export interface RuntimeDeps {
  readonly path: string;
  readonly options: RuntimeOptions;
  readonly tree: TreeServices;
  /** For a child supervisor: its attempt's context (ready, stop signals). Absent for the root. */
  readonly attempt?: NestedAttemptContext;
}

/** How many finished names a supervisor remembers (for dependencies and `explain`). */
const REMEMBER = 10_000;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}


/** A supervisor's registry and operations. */
export class SupervisorRuntime implements SupervisorHost {
  readonly path: string;
  readonly #options: RuntimeOptions;
  readonly #tree: TreeServices;
  readonly #attempt: NestedAttemptContext | undefined;
  readonly #children = new Map<string, ChildEntry>();
  readonly #env: TaskEnvironment;
  #self: AnyActorRef | undefined;
  #started = false;
  /** Admission is closed: shutdown began, the supervisor gave up, or its attempt is stopping. */
  #closing = false;
  /** A stop of every child under way (shutdown, or the parent's stop): each child's deadline is `since` + its grace. */
  #stopping: { reason: TerminateReason; since: number } | undefined;
  #stuck: string[] = [];
  #empty: { promise: Promise<void>; resolve: () => void } | undefined;
  /** Live dependents by the name they depend on: every dependency walk is O(its dependents). */
  readonly #dependents = new Map<string, Set<ChildEntry>>();
  /** Names that are ready or completed, for dependencies (bounded). */
  readonly #satisfied = new RecentMap<string, true>(REMEMBER);
  /** How children that ended for good ended, for `dependencies-finished` (bounded). */
  readonly #ended = new RecentMap<string, TaskOutcomeKind>(REMEMBER);
  /** The policy of children that override nothing, shared by all of them. */
  #defaultPolicy: TaskPolicy | undefined;
  /** Restart decisions of this incarnation (the count shown without an intensity). */
  #restartCount = 0;
  /** The affected child a strategy restart is stopping now (one at a time). */
  #restartStop: string | undefined;
  /** The child the give-up is stopping now (one at a time). */
  #remainingStop: ChildEntry | undefined;
  /** Set once the intensity was exceeded. */
  #gaveUp: { readonly reason: string; readonly causePath: string; cause: TaskOutcome | undefined } | undefined;
  #readyReported = false;
  /** Live children that have not reported readiness yet: readiness checks stay O(1). */
  #notReady = 0;
  #exit: RunnerExit = { kind: 'completed' };

  constructor(deps: RuntimeDeps) {
    this.path = deps.path;
    this.#options = deps.options;
    this.#tree = deps.tree;
    this.#attempt = deps.attempt;
    const { maxConcurrent } = deps.options;
    const { dispatcher } = deps.tree;
    this.#env = {
      publish: dispatcher.emit,
      publishNow: dispatcher.publishNow,
      random: deps.tree.random,
      clock: deps.tree.clock,
      now: deps.tree.now,
      slots: maxConcurrent === undefined ? undefined : createSlotLimiter(maxConcurrent),
      onReady: (path) => {
        dispatcher.defer(() => {
          this.#onChildReady(path);
        });
      },
      defer: dispatcher.defer,
    };
    if (deps.attempt === undefined) deps.tree.outcomes.open(this.path);
    deps.tree.decisions.open(this.path);
  }

  // SupervisorHost -----------------------------------------------------------------------------

  get strategy(): Strategy {
    return this.#options.strategy;
  }

  get intensity(): Intensity | undefined {
    return this.#options.intensity;
  }

  get restartCount(): number {
    return this.#restartCount;
  }

  /** Binds the runtime to its supervisor actor (the parent of every task actor). */
  attach(self: AnyActorRef): void {
    this.#self = self;
    const attempt = this.#attempt;
    if (attempt === undefined) return;
    // A child supervisor: its own steps are flushed like its children's (the root's facade
    // observes the root actor the same way).
    const { dispatcher } = this.#tree;
    self.subscribe({ next: dispatcher.flush, error: ignore });
    // Report the attempt, start the children, follow its stop signals.
    attempt.started();
    attempt.signal.addEventListener('abort', () => {
      this.#stopForParent(attempt.stopReason() === 'shutdown' ? 'shutdown' : 'cleanup');
      dispatcher.flush();
    });
    attempt.forceSignal.addEventListener('abort', () => {
      dispatcher.defer(() => {
        this.#forceAll();
      });
      dispatcher.flush();
    });
    // Start the children once the task machine has taken `attempt.started` (it is queued behind
    // the step that is spawning this supervisor), so TaskStarted comes before their events.
    queueMicrotask(() => {
      this.start();
    });
  }

  exit(): RunnerExit {
    return this.#exit;
  }

  // Operations ---------------------------------------------------------------------------------

  /** Whether admission is closed (shutdown began or the supervisor gave up). */
  get shuttingDown(): boolean {
    return this.#closing;
  }

  /** Publishes TaskAddRequested/TaskAdded for the initial children, then starts them. */
  start(): void {
    if (this.#started || this.#closing) return;
    this.#started = true;
    const { dispatcher } = this.#tree;
    const entries: ChildEntry[] = [];
    for (const spec of this.#options.children) {
      dispatcher.emit({ kind: 'TaskAddRequested', task: this.#pathOf(spec.name) });
      entries.push(this.#register(spec));
    }
    this.#self?.send({ type: 'children.added', count: entries.length });
    dispatcher.flush();
    for (const entry of entries) this.#launch(entry);
    this.#checkReady();
    dispatcher.flush();
  }

  /** Adds a child at runtime; returns its path or throws (the facade turns it into a rejection). */
  add(spec: ChildSpec): string {
    if (this.#closing) throw new ShuttingDownError();
    const { dispatcher } = this.#tree;
    const path = this.#pathOf(spec.name);
    dispatcher.publishNow({ kind: 'TaskAddRequested', task: path });
    if (this.#children.has(spec.name)) {
      const error = new TaskAlreadyExistsError(path);
      dispatcher.publishNow({ kind: 'TaskAddFailed', task: path, reason: error.message });
      throw error;
    }
    const entry = this.#register(spec);
    this.#self?.send({ type: 'children.added', count: 1 });
    dispatcher.flush();
    this.#launch(entry);
    dispatcher.flush();
    return path;
  }

  /** Claims a child for removal: true if this call claimed it. Cleanup continues in the background. */
  remove(path: string, reason: TerminateReason = 'user-requested'): boolean {
    const found = this.#find(path);
    if (found === undefined) return false;
    const { runtime, entry } = found;
    if (runtime.#closing || entry.removing) return false;
    // Published with the stop's own events, after the work was told to stop.
    runtime.#tree.dispatcher.emit({ kind: 'TaskRemoveRequested', task: entry.path });
    runtime.#stopForGood(entry, reason, entry.graceMs);
    return true;
  }

  /** Like remove, but resolves after the child's final events; false for non-claimers (who still wait). */
  async cancel(path: string): Promise<boolean> {
    const found = this.#find(path);
    if (found === undefined || found.runtime.#closing) return false;
    const { entry } = found;
    entry.removal ??= deferred();
    const claimed = this.remove(path);
    await entry.removal.promise;
    return claimed;
  }

  /** Stops the current attempt (user-requested) and starts a fresh one; not a failure. */
  restart(path: string): boolean {
    const found = this.#find(path);
    if (found === undefined) return false;
    const { runtime, entry } = found;
    if (runtime.#closing || entry.removing) return false;
    runtime.#signal(entry, 'user-requested', entry.graceMs, 'restart');
    return true;
  }

  /**
   * The live incarnation at a full path, for `child()`: it follows that child entry, never
   * the name. Throws UnknownTaskError when no child is live there.
   */
  incarnationOf(path: string): Incarnation {
    const found = this.#find(path);
    if (found === undefined) throw new UnknownTaskError(path, this.path);
    const { runtime, entry } = found;
    return {
      path: entry.path,
      live: () => (runtime.#children.get(entry.name) === entry ? entry.live : undefined),
      stop: () => runtime.#stopIncarnation(entry),
      task: entry.spec.type === 'task' && entry.spec.work.kind === 'actor' ? entry.actor : undefined,
    };
  }

  /** Whether a child is live at a full path. */
  isLive(path: string): boolean {
    return this.#find(path) !== undefined;
  }

  /** Whether `name` is a live child, or one that completed (a dependency it satisfies for good). */
  hasChild(name: string): boolean {
    return this.#children.has(name) || this.#satisfied.has(name);
  }

  /** Calls `listener` once after the TaskRemoved of the live child `name` (at once if none). */
  onRemoved(name: string, listener: () => void): void {
    const entry = this.#children.get(name);
    if (entry === undefined) {
      listener();
      return;
    }
    (entry.onRemoved ??= []).push(listener);
  }

  /**
   * Settles the outcome of a path that never became a child (a rejected submission). A live
   * child at that path keeps its own outcome.
   */
  reject(path: string, reason: string): void {
    if (this.#find(path) !== undefined) return;
    this.#tree.outcomes.settle(path, { kind: 'rejected', reason });
  }

  /** The outcome of the newest child at a full path, or of the supervisor itself. */
  outcome(path?: string): Promise<TaskOutcome> {
    return this.#tree.outcomes.get(path ?? this.path, this.path);
  }

  /**
   * The recent restart decisions about a node or, for a supervisor (live or ended), the
   * decisions it made about its children.
   */
  explain(path?: string): readonly RestartDecisionRecord[] {
    return this.#tree.decisions.explain(path ?? this.path);
  }

  /** The tree as plain data. */
  snapshot(state: string): NodeSnapshot {
    const children: NodeSnapshot[] = [];
    for (const entry of this.#children.values()) {
      const { live, state, attempt } = entry;
      if (entry.nested !== undefined || entry.spec.type === 'supervisor') {
        const nested = entry.nested?.snapshot(state);
        children.push(
          nested === undefined
            ? { path: entry.path, kind: 'supervisor', state, attempt, children: [] }
            : { ...nested, state, attempt },
        );
      } else {
        // A paused attempt shows as 'paused' until it is resumed or ends (stopping shows as such).
        const shown = live.active && live.paused && (state === 'running' || state === 'ready') ? 'paused' : state;
        children.push(
          live.active && live.pid !== undefined
            ? { path: entry.path, kind: 'task', state: shown, attempt, pid: live.pid }
            : { path: entry.path, kind: 'task', state: shown, attempt },
        );
      }
    }
    const intensity = this.#options.intensity;
    const machine = this.#self?.getSnapshot() as { readonly context: SupervisorContext } | undefined;
    const window = machine?.context.window ?? [];
    const restarts = intensity === undefined ? this.#restartCount : restartsInWindow(window, this.#tree.now(), intensity.periodMs);
    // No queueDepth: only the root has admission slots, and its facade adds their depth.
    return { path: this.path, kind: 'supervisor', state, restartsInWindow: restarts, children };
  }

  // Children -----------------------------------------------------------------------------------

  #pathOf(name: string): string {
    return `${this.path}/${name}`;
  }

  /** Finds the runtime that owns `path` (this one or a nested one), walking down the tree. */
  #ownerOf(path: string): SupervisorRuntime | undefined {
    if (path === this.path) return this;
    const prefix = `${this.path}/`;
    if (!path.startsWith(prefix)) return undefined;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) return this;
    const nested = this.#children.get(rest.slice(0, slash))?.nested;
    return nested === undefined ? undefined : nested.#ownerOf(path);
  }

  /** The live child at a full path (anywhere below this supervisor). */
  #find(path: string): { runtime: SupervisorRuntime; entry: ChildEntry } | undefined {
    const owner = this.#ownerOf(path);
    if (owner === undefined || path === owner.path) return undefined;
    const entry = owner.#children.get(path.slice(owner.path.length + 1));
    return entry === undefined ? undefined : { runtime: owner, entry };
  }

  /** A handle's stop: stops the incarnation for good and resolves after its TaskRemoved. */
  async #stopIncarnation(entry: ChildEntry): Promise<boolean> {
    if (this.#children.get(entry.name) !== entry) return false;
    entry.removal ??= deferred();
    const removed = entry.removal.promise;
    const claimed = !this.#closing && !entry.removing;
    if (claimed) this.#stopForGood(entry, 'user-requested', entry.graceMs);
    await removed;
    return claimed;
  }

  #policyOf(spec: ChildSpec): TaskPolicy {
    const defaults = this.#options.defaults;
    const { options } = spec;
    const fallbackRestart = spec.type === 'supervisor' ? 'always' : defaults.restart;
    const overrides =
      options.restart !== undefined ||
      options.backoff !== undefined ||
      options.maxRetries !== undefined ||
      options.resetAfterMs !== undefined ||
      options.timeoutMs !== undefined ||
      options.graceMs !== undefined ||
      options.heartbeatTimeoutMs !== undefined ||
      spec.type === 'supervisor';
    if (!overrides) {
      this.#defaultPolicy ??= { ...defaults, heartbeatTimeoutMs: 0 };
      return this.#defaultPolicy;
    }
    return {
      restart: options.restart ?? fallbackRestart,
      backoff: options.backoff === undefined ? defaults.backoff : validateBackoff(options.backoff, 'backoff', defaults.backoff),
      maxRetries: options.maxRetries ?? defaults.maxRetries,
      resetAfterMs: options.resetAfterMs ?? defaults.resetAfterMs,
      timeoutMs: options.timeoutMs ?? (spec.type === 'supervisor' ? 0 : defaults.timeoutMs),
      graceMs: options.graceMs ?? defaults.graceMs,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? 0,
    };
  }

  /** What a child runs: its own work, or, for a child supervisor, a fresh runtime per attempt. */
  #workOf(spec: ChildSpec, entryRef: { entry: ChildEntry | undefined; nested: SupervisorRuntime | undefined }): TaskWork {
    if (spec.type === 'task') return spec.work;
    const path = this.#pathOf(spec.name);
    const nestedOptions = spec.supervisor;
    return {
      kind: 'nested',
      create: (context) => {
        const runtime = new SupervisorRuntime({
          path,
          options: {
            strategy: nestedOptions.strategy,
            intensity: nestedOptions.intensity,
            maxConcurrent: nestedOptions.maxConcurrent,
            defaults: nestedDefaults(this.#options.defaults, nestedOptions),
            children: nestedOptions.children,
          },
          tree: this.#tree,
          attempt: context,
        });
        // XState resolves the first attempt while the task actor is being created, before the
        // entry exists: keep the runtime on the ref too.
        entryRef.nested = runtime;
        if (entryRef.entry !== undefined) entryRef.entry.nested = runtime;
        return { logic: createSupervisorLogic(runtime), input: undefined };
      },
    };
  }

  /** Creates the child's task actor and registers its name; records TaskAdded. Starts nothing. */
  #register(spec: ChildSpec): ChildEntry {
    const self = this.#self;
    if (self === undefined) throw new Error('supervisor runtime used before attach()');
    const path = this.#pathOf(spec.name);
    const deps = spec.options.dependsOn ?? [];
    const gated = deps.some((dep) => !this.#satisfied.has(dep));
    const entryRef: { entry: ChildEntry | undefined; nested: SupervisorRuntime | undefined } = { entry: undefined, nested: undefined };
    const policy = this.#policyOf(spec);
    const actor = createActor(taskLogic, {
      parent: self,
      id: path,
      systemId: path,
      input: { name: spec.name, path, work: this.#workOf(spec, entryRef), policy, env: this.#env, gated },
    });
    const entry: ChildEntry = {
      name: spec.name,
      path,
      spec,
      actor,
      removing: false,
      removal: undefined,
      onRemoved: undefined,
      ready: false,
      nested: entryRef.nested,
      state: 'idle',
      attempt: 0,
      live: actor.getSnapshot().context.live,
      graceMs: policy.graceMs,
    };
    entryRef.entry = entry;
    this.#notReady++;
    const { dispatcher } = this.#tree;
    // The child's end reaches the supervisor machine as its `child.done` / `child.error`.
    actor.subscribe({
      next: (snapshot) => {
        const value: unknown = snapshot.value;
        entry.state = typeof value === 'string' ? value : JSON.stringify(value);
        entry.attempt = snapshot.context.attempt;
        dispatcher.flush();
      },
      error: ignore,
    });
    this.#children.set(spec.name, entry);
    for (const dep of deps) {
      let dependents = this.#dependents.get(dep);
      if (dependents === undefined) {
        dependents = new Set();
        this.#dependents.set(dep, dependents);
      }
      dependents.add(entry);
    }
    this.#satisfied.delete(spec.name);
    this.#ended.delete(spec.name);
    this.#tree.outcomes.open(path);
    dispatcher.emit({ kind: 'TaskAdded', task: path });
    return entry;
  }

  #launch(entry: ChildEntry): void {
    const deps = entry.spec.options.dependsOn ?? [];
    const waitingFor = deps.filter((dep) => !this.#satisfied.has(dep));
    if (waitingFor.length > 0) this.#tree.dispatcher.emit({ kind: 'DependencyWaiting', task: entry.path, waitingFor });
    entry.actor.start();
  }

  /** Sends a stop to a child's task machine: the task stops its attempt (a supervisor never reaches into it). */
  #signal(entry: ChildEntry, reason: TerminateReason, graceMs: number, then: 'exit' | 'restart' | 'hold'): void {
    entry.actor.send({ type: 'task.stop', reason, graceMs: Math.max(0, graceMs), then });
    this.#tree.dispatcher.flush();
  }

  /** A child's task machine ended (or crashed): the registry's follow-up, after the supervisor's step. */
  childEnded(path: string, end: { readonly output: unknown } | { readonly error: unknown }): void {
    const entry = this.#children.get(path.slice(this.path.length + 1));
    if (entry === undefined) return;
    let outcome: TaskOutcome;
    if ('error' in end) {
      const reason = `internal error in the task machine: ${describeThrown(end.error)}`;
      this.#tree.dispatcher.emit({ kind: 'ActorDead', task: entry.path, outcome: 'fatal', reason });
      outcome = { kind: 'fatal', reason, error: toError(end.error) };
    } else {
      outcome = (end.output as TaskOutcome | undefined) ?? { kind: 'cancelled' };
    }
    // The cause of a give-up is known before the machine's output is asked for.
    if (this.#gaveUp?.causePath === entry.path) this.#gaveUp.cause = outcome;
    this.#children.delete(entry.name);
    if (!entry.ready) this.#notReady--;
    for (const dep of entry.spec.options.dependsOn ?? []) {
      const dependents = this.#dependents.get(dep);
      dependents?.delete(entry);
      if (dependents?.size === 0) this.#dependents.delete(dep);
    }
    this.#ended.set(entry.name, outcome.kind);
    this.#tree.dispatcher.defer(() => {
      this.#afterChildEnded(entry, outcome);
    });
  }

  #afterChildEnded(entry: ChildEntry, outcome: TaskOutcome): void {
    const { dispatcher } = this.#tree;
    if (this.#stopping?.reason === 'shutdown' && outcome.kind === 'force-aborted') this.#stuck.push(entry.path);
    if (outcome.kind === 'completed') this.#markSatisfied(entry.name);
    dispatcher.emit({ kind: 'TaskRemoved', task: entry.path });
    dispatcher.flush();
    this.#tree.outcomes.settle(entry.path, outcome);
    entry.removal?.resolve();
    for (const listener of entry.onRemoved ?? []) listener();
    this.#finishDependents(entry.name);
    if (this.#stopping !== undefined) this.#stopDependenciesOf(entry);
    if (this.#children.size > 0) this.#checkReady();
    else this.#empty?.resolve();
  }

  // Readiness and dependencies -----------------------------------------------------------------

  #onChildReady(path: string): void {
    const name = path.slice(this.path.length + 1);
    const entry = this.#children.get(name);
    if (entry !== undefined && !entry.ready) {
      entry.ready = true;
      this.#notReady--;
    }
    this.#markSatisfied(name);
    this.#checkReady();
  }

  /** A child supervisor is ready once all its children are ready (or completed). */
  #checkReady(): void {
    if (this.#attempt === undefined || this.#readyReported || !this.#started || this.#closing) return;
    if (this.#notReady > 0) return;
    this.#readyReported = true;
    this.#attempt.ready();
  }

  /** A dependency became ready or completed: release the dependents it was the last one for. */
  #markSatisfied(name: string): void {
    if (this.#satisfied.has(name)) return;
    this.#satisfied.set(name, true);
    for (const entry of [...(this.#dependents.get(name) ?? [])]) {
      const deps = entry.spec.options.dependsOn ?? [];
      if (!deps.every((dep) => this.#satisfied.has(dep))) continue;
      const snap = entry.actor.getSnapshot();
      if (snap.status !== 'active' || !snap.context.gated) continue;
      this.#tree.dispatcher.emit({ kind: 'DependencyReady', task: entry.path });
      entry.actor.send({ type: 'task.release' });
      this.#tree.dispatcher.flush();
    }
  }

  /** When every dependency of a child has ended for good and one did not complete, stop it. */
  #finishDependents(name: string): void {
    if (this.#closing) return;
    for (const entry of [...(this.#dependents.get(name) ?? [])]) {
      const deps = entry.spec.options.dependsOn ?? [];
      if (entry.removing) continue;
      if (!deps.every((dep) => this.#ended.has(dep) && !this.#children.has(dep))) continue;
      if (deps.every((dep) => this.#ended.get(dep) === 'completed')) continue;
      this.#stopForGood(entry, 'dependencies-finished', entry.graceMs);
    }
  }

  // Restarts: what the machine decided -------------------------------------------------------

  recordDecision(failed: ChildFailed, explanation: RestartExplanation): void {
    this.#restartCount++;
    this.#tree.decisions.record(this.path, { ...explanation, path: failed.path, decidedAt: failed.at });
  }

  affectedBy(path: string): readonly string[] {
    if (this.#options.strategy === 'one-for-one') return [];
    const order = [...this.#children.values()];
    const index = order.findIndex((entry) => entry.path === path);
    if (index < 0) return [];
    const siblings = this.#options.strategy === 'one-for-all' ? order.filter((_, i) => i !== index) : order.slice(index + 1);
    return siblings.filter((entry) => !entry.removing).map((entry) => entry.path);
  }

  scheduleBackoff(failed: ChildFailed, explanation: RestartExplanation): void {
    const { decision } = failed;
    this.#tree.dispatcher.emit({
      kind: 'BackoffScheduled',
      task: failed.path,
      attempt: failed.attempt,
      delayMs: decision.delayMs,
      backoffSource: 'failure',
      reason: failed.reason,
      explanation,
    });
  }

  deny(path: string, explanation: RestartExplanation): void {
    const entry = this.#entryAt(path);
    if (entry === undefined) return;
    this.#tree.dispatcher.defer(() => {
      entry.actor.send({ type: 'task.deny', explanation });
    });
  }

  announceRestart(path: string, affected: readonly string[]): void {
    const order = [...this.#children.keys()];
    const rank = (p: string): number => order.indexOf(p.slice(this.path.length + 1));
    this.#tree.dispatcher.emit({
      kind: 'SupervisorRestarting',
      task: this.path,
      strategy: this.#options.strategy,
      affected: [path, ...affected].sort((x, y) => rank(x) - rank(y)),
    });
  }

  hold(path: string): void {
    const entry = this.#entryAt(path);
    if (entry === undefined) return;
    this.#tree.dispatcher.defer(() => {
      entry.actor.send({ type: 'task.hold' });
    });
  }

  /** Stops the newest affected child that has not stopped, unless one is being stopped. */
  stopNextAffected(restart: StrategyRestart): void {
    const inFlight = this.#restartStop;
    if (inFlight !== undefined && !restart.stopped.includes(inFlight) && this.#entryAt(inFlight) !== undefined) return;
    this.#restartStop = undefined;
    for (let i = restart.affected.length - 1; i >= 0; i--) {
      const path = restart.affected[i] as string;
      if (restart.stopped.includes(path)) continue;
      const next = this.#entryAt(path);
      if (next === undefined) continue;
      this.#restartStop = path;
      const never = next.actor.getSnapshot().context.input.policy.restart === 'never';
      if (never) next.removing = true;
      this.#tree.dispatcher.defer(() => {
        this.#signal(next, 'cleanup', next.graceMs, never ? 'exit' : 'hold');
      });
      return;
    }
  }

  resume(restart: StrategyRestart): void {
    this.#restartStop = undefined;
    const restarted = new Set([restart.failed, ...restart.affected]);
    const entries = [...this.#children.values()].filter((entry) => restarted.has(entry.path));
    // Once the step that parked the last child is over (that child may still be stepping), so
    // each resumed child takes its resume at once and they restart in list order.
    queueMicrotask(() => {
      for (const entry of entries) entry.actor.send({ type: 'task.resume' });
      this.#tree.dispatcher.flush();
    });
  }

  /** The intensity was exceeded: stop taking restarts; the rest follows when the failed child is gone. */
  giveUp(causePath: string, restarts: number): void {
    const intensity = this.#options.intensity;
    if (intensity === undefined) return;
    this.#closing = true;
    this.#restartStop = undefined;
    this.#gaveUp = {
      reason: `gave up: restart intensity exceeded (${restarts} restarts within ${intensity.periodMs}ms, at most ${intensity.maxRestarts})`,
      causePath,
      cause: undefined,
    };
    this.#tree.dispatcher.emit({ kind: 'IntensityExceeded', task: this.path, restarts, periodMs: intensity.periodMs });
  }

  /** Giving up: once the failed child is gone, stops the newest remaining child, one at a time. */
  stopNextRemaining(): void {
    const gaveUp = this.#gaveUp;
    if (gaveUp === undefined || this.#entryAt(gaveUp.causePath) !== undefined) return;
    const inFlight = this.#remainingStop;
    if (inFlight !== undefined && this.#children.get(inFlight.name) === inFlight) return;
    const next = [...this.#children.values()].reverse().find((entry) => !entry.removing);
    this.#remainingStop = next;
    if (next === undefined) return;
    next.removing = true;
    this.#tree.dispatcher.defer(() => {
      this.#signal(next, 'cleanup', next.graceMs, 'exit');
    });
  }

  // Stopping -----------------------------------------------------------------------------------

  /** This incarnation of a child supervisor is being stopped by its parent. */
  #stopForParent(reason: TerminateReason): void {
    if (this.#stopping !== undefined) return;
    this.#closing = true;
    this.#stopping = { reason, since: this.#tree.now() };
    this.#self?.send({ type: 'supervisor.shutdown' });
  }

  /** The parent force-aborted this incarnation: end every child at once. */
  #forceAll(): void {
    for (const entry of [...this.#children.values()].reverse()) this.#stopForGood(entry, this.#stopping?.reason ?? 'cleanup', 0);
  }

  /**
   * Shutdown: signals every child at once, newest first, each against its own deadline (the
   * start of the stop + its grace), except that a child is signalled only once its dependents
   * have stopped (with its deadline unchanged).
   */
  stopAll(): void {
    const stopping = this.#stopping;
    if (stopping === undefined) return;
    this.#tree.dispatcher.defer(() => {
      for (const entry of [...this.#children.values()].reverse()) {
        // A child with live dependents is signalled from #stopDependenciesOf once they are gone.
        if (!entry.removing && !this.#dependents.has(entry.name)) this.#stopForGood(entry, stopping.reason, this.#graceLeft(entry, stopping.since));
      }
    });
  }

  /** During a stop: a child ended; signal those of its dependencies that have no dependent left. */
  #stopDependenciesOf(ended: ChildEntry): void {
    const stopping = this.#stopping;
    if (stopping === undefined) return;
    for (const dep of ended.spec.options.dependsOn ?? []) {
      const entry = this.#children.get(dep);
      if (entry !== undefined && !entry.removing && !this.#dependents.has(dep)) {
        this.#stopForGood(entry, stopping.reason, this.#graceLeft(entry, stopping.since));
      }
    }
  }

  /** What is left of a child's grace in a stop of every child that began at `since`: its deadline is `since` + its grace. */
  #graceLeft(entry: ChildEntry, since: number): number {
    return since + entry.graceMs - this.#tree.now();
  }

  /** Claims a child for good (its name stays reserved until TaskRemoved) and stops it. */
  #stopForGood(entry: ChildEntry, reason: TerminateReason, graceMs: number): void {
    entry.removing = true;
    this.#signal(entry, reason, graceMs, 'exit');
  }

  /** This incarnation reached a final state: a child supervisor's exit, or the root's failure. */
  finished(how: 'stopped' | 'failed'): void {
    const gaveUp = this.#gaveUp;
    if (how === 'stopped' || gaveUp === undefined) {
      this.#exit = { kind: 'completed' };
      return;
    }
    this.#exit =
      gaveUp.cause === undefined ? { kind: 'failed', reason: gaveUp.reason } : { kind: 'failed', reason: gaveUp.reason, cause: gaveUp.cause };
    if (this.#attempt === undefined) this.#tree.outcomes.settle(this.path, this.#exit);
  }

  /**
   * Shuts the root down: stops every child, then settles the root `cancelled`. Not memoised here:
   * the root facade (`createSupervisor().shutdown`) calls it once and shares that promise with
   * every caller, concurrent or late, also after a give-up.
   */
  async shutdown(closeEvents: () => Promise<void>): Promise<ShutdownResult> {
    const { dispatcher } = this.#tree;
    this.#closing = true;
    dispatcher.publishNow({ kind: 'ShutdownRequested', task: this.path });
    this.#stopping = { reason: 'shutdown', since: this.#tree.now() };
    if (this.#children.size > 0) this.#empty = deferred();
    // A root that gave up has reached `failed` already: its machine takes no more events.
    if ((this.#self?.getSnapshot() as { status?: string } | undefined)?.status === 'active') this.#self?.send({ type: 'supervisor.shutdown' });
    dispatcher.flush();
    if (this.#empty !== undefined) await this.#empty.promise;
    const stuck = [...this.#stuck];
    if (stuck.length === 0) dispatcher.publishNow({ kind: 'AllStoppedWithinGrace', task: this.path });
    else dispatcher.publishNow({ kind: 'GraceExceeded', task: this.path, stuck });
    await closeEvents();
    this.#tree.outcomes.settle(this.path, { kind: 'cancelled' });
    return { withinGrace: stuck.length === 0, stuck };
  }

  /** The root gave up: its outcome is `failed`, with the cause chain. Resolves when settled. */
  rootGaveUp(): { reason: string; cause: TaskOutcome | undefined } | undefined {
    return this.#gaveUp === undefined ? undefined : { reason: this.#gaveUp.reason, cause: this.#gaveUp.cause };
  }

  /** The live child at a direct path of this supervisor. */
  #entryAt(path: string): ChildEntry | undefined {
    return this.#children.get(path.slice(this.path.length + 1));
  }
}

function ignore(): void {}

/**
 * A child supervisor's defaults: its own `defaults` over its parent's. Its children's default
 * grace is its `defaults.graceMs`, else its own `graceMs`, else the parent's default grace.
 */
function nestedDefaults(parent: ResolvedDefaults, nested: NestedSupervisorOptions): ResolvedDefaults {
  const own = nested.defaults ?? {};
  return {
    restart: own.restart ?? parent.restart,
    backoff: own.backoff ?? parent.backoff,
    maxRetries: own.maxRetries ?? parent.maxRetries,
    resetAfterMs: own.resetAfterMs ?? parent.resetAfterMs,
    timeoutMs: own.timeoutMs ?? parent.timeoutMs,
    graceMs: own.graceMs ?? nested.graceMs ?? parent.graceMs,
  };
}
