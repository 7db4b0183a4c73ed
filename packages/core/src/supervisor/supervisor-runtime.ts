/**
 * The runtime of one supervisor (the root or a child supervisor's current incarnation): the
 * host of its supervisor machine. It keeps the registry of children (a Map of task machines
 * whose XState parent is the supervisor actor), claims names, and carries out what the machine
 * decided, right after the machine's step: restarts (restarts.ts), dependencies
 * (dependency-gate.ts), stops and shutdown. It never decides a restart itself, and it stops a
 * task only through the task's handle.
 */
import type { AnyActorRef } from 'xstate';
import { ShuttingDownError, TaskAlreadyExistsError } from '../errors.ts';
import type { TerminateReason } from '../events.ts';
import type { TaskOutcome } from '../outcome.ts';
import { restartsInWindow } from '../policies/intensity.ts';
import type { RunnerExit } from '../runner.ts';
import type { ChildSpec } from '../spec/supervisor-options.ts';
import type { NestedAttemptContext, TaskWork } from '../spec/task.ts';
import type { TaskEnvironment } from '../task/task-types.ts';
import type { ChildEntry } from './child-entry.ts';
import { deferred } from './child-entry.ts';
import { findChild } from './child-commands.ts';
import type { CommandTarget } from './child-commands.ts';
import { ChildPolicies } from './child-policy.ts';
import { followParent, nestedWork } from './nested-supervisor.ts';
import type { RestartDecisionRecord } from './decision-log.ts';
import { Restarts } from './restarts.ts';
import { ChildRegistry } from './registry.ts';
import type { StopOfAll } from './registry.ts';
import type { RuntimeDeps, RuntimeOptions, ShutdownResult, TreeServices } from './runtime-types.ts';
import { createSlotLimiter } from './slot-limiter.ts';
import type { SupervisorContext, SupervisorHost } from './supervisor-machine.ts';
import type { NodeSnapshot } from './tree-snapshot.ts';
import { childSnapshots } from './tree-snapshot.ts';

export type { NodeSnapshot } from './tree-snapshot.ts';
export type { RuntimeDeps, RuntimeOptions, ShutdownResult, TreeServices } from './runtime-types.ts';

/** A child of this runtime (a child supervisor's entry holds its current runtime). */
type Entry = ChildEntry<SupervisorRuntime>;

/** A supervisor's registry and operations; the host of its supervisor machine. */
export class SupervisorRuntime implements SupervisorHost, CommandTarget {
  readonly path: string;
  readonly #options: RuntimeOptions;
  readonly #tree: TreeServices;
  readonly #attempt: NestedAttemptContext | undefined;
  readonly #registry: ChildRegistry<SupervisorRuntime>;

  /** The children of this incarnation (for the commands of child-commands.ts). */
  get registry(): ChildRegistry<SupervisorRuntime> {
    return this.#registry;
  }

  /** What this runtime shares with its tree. */
  get tree(): TreeServices {
    return this.#tree;
  }
  /** The registry's children (live, in list order). */
  readonly #children: Map<string, Entry>;
  readonly #restarts: Restarts<Entry>;

  /** The effects of the machine's restart decisions. */
  get restarts(): Restarts<Entry> {
    return this.#restarts;
  }
  #self: AnyActorRef | undefined;
  #started = false;
  /** Admission is closed: shutdown began, the supervisor gave up, or its attempt is stopping. */
  #closing = false;
  /** A stop of every child under way (shutdown, or the parent's stop). */
  #stopping: StopOfAll | undefined;
  #readyReported = false;
  /** Children registered and not yet counted by the machine's `live`. */
  #added = 0;
  #announcing = false;
  #exit: RunnerExit = { kind: 'completed' };

  constructor(deps: RuntimeDeps) {
    this.path = deps.path;
    this.#options = deps.options;
    this.#tree = deps.tree;
    this.#attempt = deps.attempt;
    const { maxConcurrent, strategy, intensity } = deps.options;
    const { dispatcher, decisions } = deps.tree;
    const env: TaskEnvironment = {
      publish: dispatcher.emit,
      publishNow: dispatcher.publishNow,
      random: deps.tree.random,
      clock: deps.tree.clock,
      now: deps.tree.now,
      slots: maxConcurrent === undefined ? undefined : createSlotLimiter(maxConcurrent),
      onReady: (path) => {
        dispatcher.defer(() => {
          this.#registry.ready(path);
        });
      },
      defer: dispatcher.defer,
    };
    this.#registry = new ChildRegistry<SupervisorRuntime>({
      path: this.path,
      tree: deps.tree,
      env,
      policies: new ChildPolicies(deps.options.defaults),
      self: () => this.#self,
      closing: () => this.#closing,
      stopping: () => this.#stopping,
      work: (spec, ref) => this.#workOf(spec, ref),
      checkReady: () => {
        this.#checkReady();
      },
    });
    this.#children = this.#registry.children;
    this.#restarts = new Restarts<Entry>({
      path: this.path,
      strategy,
      intensity,
      children: this.#children,
      dispatcher,
      decisions,
      stop: (entry, reason, graceMs, then) => {
        this.#registry.signal(entry, reason, graceMs, then);
      },
      onGiveUp: () => {
        this.#closing = true;
      },
    });
    if (deps.attempt === undefined) deps.tree.outcomes.open(this.path);
    decisions.open(this.path);
  }

  // SupervisorHost: what the machine's transitions ask for -------------------------------------

  /** Binds the runtime to its supervisor actor (the parent of every task actor). */
  attach(self: AnyActorRef): void {
    this.#self = self;
    const attempt = this.#attempt;
    if (attempt === undefined) return;
    // A child supervisor follows its attempt (the root's facade observes the root actor).
    followParent(attempt, self, this.#tree.dispatcher, {
      stop: (reason) => {
        this.#stopForParent(reason);
      },
      force: () => {
        this.#registry.forceAll(this.#stopping?.reason ?? 'cleanup');
      },
      start: () => {
        this.start();
      },
    });
  }

  /**
   * Shutdown (or the parent's stop): signals every child at once, newest first, each against its
   * own deadline (the start of the stop + its grace), except that a child is signalled only once
   * its dependents have stopped (with its deadline unchanged).
   */
  stopAll(): void {
    const stopping = this.#stopping;
    if (stopping === undefined) return;
    this.#tree.dispatcher.defer(() => {
      this.#registry.stopAll(stopping);
    });
  }

  /** A child's task machine ended (or crashed): the registry's follow-up, after the supervisor's step. */
  childEnded(path: string, end: { readonly output: unknown } | { readonly error: unknown }): void {
    const entry = this.#registry.at(path);
    if (entry === undefined) return;
    const outcome = this.#registry.forget(entry, end);
    // The cause of a give-up is known before the machine's output is asked for.
    const gaveUp = this.#restarts.gaveUp;
    if (gaveUp?.causePath === entry.path) gaveUp.cause = outcome;
  }

  /** This incarnation reached a final state: a child supervisor's exit, or the root's failure. */
  finished(how: 'stopped' | 'failed'): void {
    const gaveUp = this.#restarts.gaveUp;
    if (how === 'stopped' || gaveUp === undefined) {
      this.#exit = { kind: 'completed' };
      return;
    }
    const { reason, cause } = gaveUp;
    this.#exit = cause === undefined ? { kind: 'failed', reason } : { kind: 'failed', reason, cause };
    if (this.#attempt === undefined) this.#tree.outcomes.settle(this.path, this.#exit);
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
    const entries: Entry[] = [];
    for (const spec of this.#options.children) {
      dispatcher.emit({ kind: 'TaskAddRequested', task: this.#pathOf(spec.name) });
      entries.push(this.#registry.register(spec));
      this.#added++;
    }
    this.#announceAdded();
    dispatcher.flush();
    for (const entry of entries) this.#registry.launch(entry);
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
    const entry = this.#registry.register(spec);
    this.#added++;
    this.#announceSoon();
    dispatcher.flush();
    this.#registry.launch(entry);
    dispatcher.flush();
    return path;
  }

  /** Whether `name` is a live child, or one that completed (a dependency it satisfies for good). */
  hasChild(name: string): boolean {
    return this.#children.has(name) || this.#registry.gate.isSatisfied(name);
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
    if (findChild(this, path) !== undefined) return;
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

  /** The tree as plain data. No queueDepth: only the root has admission slots, and its facade adds it. */
  snapshot(state: string): NodeSnapshot {
    const intensity = this.#options.intensity;
    const machine = this.#self?.getSnapshot() as { readonly context: SupervisorContext } | undefined;
    const window = machine?.context.window ?? [];
    const restarts = intensity === undefined ? this.#restarts.count : restartsInWindow(window, this.#tree.now(), intensity.periodMs);
    return { path: this.path, kind: 'supervisor', state, restartsInWindow: restarts, children: childSnapshots(this.#children.values()) };
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
    if (this.#children.size > 0) this.#registry.empty = deferred();
    // A root that gave up has reached `failed` already: its machine takes no more events.
    if (this.#machineActive()) {
      this.#announceAdded();
      this.#self?.send({ type: 'supervisor.shutdown' });
    }
    dispatcher.flush();
    if (this.#registry.empty !== undefined) await this.#registry.empty.promise;
    const stuck = [...this.#registry.stuck];
    if (stuck.length === 0) dispatcher.publishNow({ kind: 'AllStoppedWithinGrace', task: this.path });
    else dispatcher.publishNow({ kind: 'GraceExceeded', task: this.path, stuck });
    await closeEvents();
    this.#tree.outcomes.settle(this.path, { kind: 'cancelled' });
    return { withinGrace: stuck.length === 0, stuck };
  }

  /** The root gave up: its outcome is `failed`, with the cause chain. */
  rootGaveUp(): { reason: string; cause: TaskOutcome | undefined } | undefined {
    const gaveUp = this.#restarts.gaveUp;
    return gaveUp === undefined ? undefined : { reason: gaveUp.reason, cause: gaveUp.cause };
  }

  // Children -----------------------------------------------------------------------------------

  #pathOf(name: string): string {
    return `${this.path}/${name}`;
  }

  /** What a child runs: its own work, or, for a child supervisor, a fresh runtime per attempt. */
  #workOf(spec: ChildSpec, ref: { entry: Entry | undefined; nested: SupervisorRuntime | undefined }): TaskWork {
    if (spec.type === 'task') return spec.work;
    return nestedWork(this.#pathOf(spec.name), spec.supervisor, this.#options.defaults, this.#tree, ref, (deps) => new SupervisorRuntime(deps));
  }

  /** A child supervisor is ready once all its children are ready (or completed). */
  #checkReady(): void {
    if (this.#attempt === undefined || this.#readyReported || !this.#started || this.#closing) return;
    if (!this.#registry.gate.allReady) return;
    this.#readyReported = true;
    this.#attempt.ready();
  }

  // Stopping -----------------------------------------------------------------------------------

  /** This incarnation of a child supervisor is being stopped by its parent. */
  #stopForParent(reason: TerminateReason): void {
    if (this.#stopping !== undefined) return;
    this.#closing = true;
    this.#stopping = { reason, since: this.#tree.now() };
    this.#announceAdded();
    this.#self?.send({ type: 'supervisor.shutdown' });
  }

  /** Tells the machine how many children were registered since it last counted (if any). */
  #announceAdded(): void {
    if (this.#added > 0) this.#self?.send({ type: 'children.added', count: this.#added });
  }

  /**
   * Announces children added one by one in one event per turn of the event loop: adding 10k
   * children costs the machine one step, not 10k. Until then a child's end and a shutdown fold
   * them in (`takeAdded`), so `live` is never short when it counts down.
   */
  #announceSoon(): void {
    if (this.#announcing) return;
    this.#announcing = true;
    setImmediate(() => {
      this.#announcing = false;
      if (this.#machineActive()) this.#announceAdded();
      this.#tree.dispatcher.flush();
    });
  }

  /** Whether the machine still takes events (a root that gave up has reached `failed`). */
  #machineActive(): boolean {
    return (this.#self?.getSnapshot() as { status?: string } | undefined)?.status === 'active';
  }

  takeAdded(): number {
    const added = this.#added;
    this.#added = 0;
    return added;
  }
}
