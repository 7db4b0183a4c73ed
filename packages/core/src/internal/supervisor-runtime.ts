/**
 * The runtime of one supervisor: its registry of children (a Map of standalone task actors
 * whose parent is the supervisor actor), name claims, outcomes, slots and shutdown.
 */
import { createActor } from 'xstate';
import type { Actor, AnyActorRef } from 'xstate';
import type { Clock, RandomSource } from '../clock.ts';
import { ShuttingDownError, TaskAlreadyExistsError, UnknownTaskError } from '../errors.ts';
import type { EventDraft, TerminateReason } from '../events.ts';
import type { TaskOutcome } from '../outcome.ts';
import { validateBackoff } from '../policies/backoff.ts';
import type { RunnerControl } from '../runner.ts';
import type { ResolvedSupervisorOptions } from '../supervisor-options.ts';
import type { TaskSpec } from '../task.ts';
import { OutcomeStore } from './outcome-store.ts';
import { createSlotLimiter } from './slot-limiter.ts';
import type { SupervisorHost } from './supervisor-machine.ts';
import { taskMachine } from './task-machine.ts';
import type { TaskEnvironment, TaskPolicy } from './task-machine.ts';

/** One live child. */
interface ChildEntry {
  readonly name: string;
  readonly path: string;
  readonly spec: TaskSpec;
  readonly actor: Actor<typeof taskMachine>;
  /** Claimed by remove / cancel / shutdown / stop: the name stays reserved until TaskRemoved. */
  removing: boolean;
  /** Resolved once the child's TaskRemoved is published; made only when a caller waits. */
  removal: { promise: Promise<void>; resolve: () => void } | undefined;
  ready: boolean;
}

/** The result of `shutdown()`. */
export interface ShutdownResult {
  /** True when every child stopped before the grace deadline. */
  readonly withinGrace: boolean;
  /** Paths of the children that had to be force-aborted. */
  readonly stuck: readonly string[];
}

/** A node of `snapshot()`. */
export interface NodeSnapshot {
  readonly path: string;
  readonly kind: 'supervisor' | 'task';
  readonly state: string;
  readonly attempt?: number;
  readonly pid?: number;
  readonly restartsInWindow?: number;
  readonly queueDepth?: number;
  readonly children?: readonly NodeSnapshot[];
}

/** What the runtime needs besides its options. */
export interface RuntimeDeps {
  readonly options: ResolvedSupervisorOptions;
  readonly publish: (draft: EventDraft) => void;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Drains and completes the event stream (after the shutdown verdict). */
  readonly closeEvents: () => Promise<void>;
}

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
  readonly #deps: RuntimeDeps;
  readonly #children = new Map<string, ChildEntry>();
  readonly #outcomes = new OutcomeStore();
  readonly #env: TaskEnvironment;
  #self: AnyActorRef | undefined;
  #started = false;
  #shutdown: Promise<ShutdownResult> | undefined;
  #shuttingDown = false;
  #stuck: string[] = [];
  #empty: { promise: Promise<void>; resolve: () => void } | undefined;
  /** The policy of children that override nothing, shared by all of them. */
  #defaultPolicy: TaskPolicy | undefined;
  /** Names that are ready or completed, for dependencies. */
  readonly #satisfied = new Set<string>();

  constructor(deps: RuntimeDeps) {
    this.#deps = deps;
    this.path = deps.options.name;
    const { maxConcurrent, graceMs } = deps.options;
    this.#env = {
      publish: deps.publish,
      random: deps.random,
      clock: deps.clock,
      slots: maxConcurrent === undefined ? undefined : createSlotLimiter(maxConcurrent),
      graceMs,
      onReady: (path) => {
        this.#onChildReady(path);
      },
    };
    this.#outcomes.open(this.path);
  }

  /** Binds the runtime to its supervisor actor (the parent of every task actor). */
  attach(self: AnyActorRef): void {
    this.#self = self;
  }

  /** Whether shutdown has begun. */
  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Publishes TaskAddRequested/TaskAdded for the initial children, then starts them. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const entries: ChildEntry[] = [];
    for (const spec of this.#deps.options.children) {
      this.#deps.publish({ kind: 'TaskAddRequested', task: this.#pathOf(spec.name) });
      entries.push(this.#register(spec));
    }
    for (const entry of entries) this.#launch(entry);
  }

  /** Adds a child at runtime; returns its path or throws (the facade turns it into a rejection). */
  add(spec: TaskSpec): string {
    if (this.#shuttingDown) throw new ShuttingDownError();
    const path = this.#pathOf(spec.name);
    this.#deps.publish({ kind: 'TaskAddRequested', task: path });
    if (this.#children.has(spec.name)) {
      const error = new TaskAlreadyExistsError(path);
      this.#deps.publish({ kind: 'TaskAddFailed', task: path, reason: error.message });
      throw error;
    }
    this.#launch(this.#register(spec));
    return path;
  }

  /** Claims a child for removal: true if this call claimed it. Cleanup continues in the background. */
  remove(nameOrPath: string, reason: TerminateReason = 'user-requested'): boolean {
    if (this.#shuttingDown) return false;
    const entry = this.#entryOf(nameOrPath);
    if (entry === undefined || entry.removing) return false;
    entry.removing = true;
    this.#deps.publish({ kind: 'TaskRemoveRequested', task: entry.path });
    entry.actor.send({ type: 'task.stop', reason, graceMs: this.#deps.options.graceMs, then: 'exit' });
    return true;
  }

  /** Like remove, but resolves after the child's final events; false for non-claimers (who still wait). */
  async cancel(nameOrPath: string): Promise<boolean> {
    if (this.#shuttingDown) return false;
    const entry = this.#entryOf(nameOrPath);
    if (entry === undefined) return false;
    // Made before the stop is sent: a child that ends synchronously (in backoff, waiting for a
    // slot, grace 0) publishes TaskRemoved inside remove(), and must still release this wait.
    entry.removal ??= deferred();
    const claimed = this.remove(nameOrPath);
    await entry.removal.promise;
    return claimed;
  }

  /** Stops the current attempt (user-requested) and starts a fresh one; not a failure. */
  restart(nameOrPath: string): boolean {
    if (this.#shuttingDown) return false;
    const entry = this.#entryOf(nameOrPath);
    if (entry === undefined || entry.removing) return false;
    entry.actor.send({ type: 'task.stop', reason: 'user-requested', graceMs: this.#deps.options.graceMs, then: 'restart' });
    return true;
  }

  /** Stops a child for good (user-requested), without a remove request. */
  stopChild(nameOrPath: string): boolean {
    if (this.#shuttingDown) return false;
    const entry = this.#entryOf(nameOrPath);
    if (entry === undefined || entry.removing) return false;
    entry.removing = true;
    entry.actor.send({ type: 'task.stop', reason: 'user-requested', graceMs: this.#deps.options.graceMs, then: 'exit' });
    return true;
  }

  /** The control handle of a child's live attempt, if it has one. */
  controlOf(nameOrPath: string): RunnerControl | undefined {
    const entry = this.#entryOf(nameOrPath);
    if (entry === undefined) throw new UnknownTaskError(nameOrPath);
    const live = entry.actor.getSnapshot().context.live;
    return live.active ? live.control : undefined;
  }

  /** Whether `name` is a live child, or one that completed (a dependency it satisfies for good). */
  hasChild(name: string): boolean {
    return this.#children.has(name) || this.#satisfied.has(name);
  }

  /** The path a name or path refers to. */
  resolvePath(nameOrPath: string): string {
    return nameOrPath.includes('/') ? nameOrPath : this.#pathOf(nameOrPath);
  }

  /** The outcome of the newest child at a name or path, or of the supervisor itself. */
  outcome(nameOrPath?: string): Promise<TaskOutcome> {
    return this.#outcomes.get(nameOrPath === undefined ? this.path : this.resolvePath(nameOrPath));
  }

  /** The tree as plain data. */
  snapshot(state: string): NodeSnapshot {
    const children: NodeSnapshot[] = [];
    for (const entry of this.#children.values()) {
      const snap = entry.actor.getSnapshot();
      const { live } = snap.context;
      const node: { path: string; kind: 'task'; state: string; attempt: number; pid?: number; restartsInWindow: number } = {
        path: entry.path,
        kind: 'task',
        state: typeof snap.value === 'string' ? snap.value : JSON.stringify(snap.value),
        attempt: snap.context.attempt,
        restartsInWindow: 0,
      };
      if (live.active && live.pid !== undefined) node.pid = live.pid;
      children.push(node);
    }
    return { path: this.path, kind: 'supervisor', state, restartsInWindow: 0, children };
  }

  /** Runs shutdown once; every caller gets the same result. */
  shutdown(): Promise<ShutdownResult> {
    this.#shutdown ??= this.#runShutdown();
    return this.#shutdown;
  }

  // SupervisorHost ---------------------------------------------------------------------------

  childEnded(name: string, outcome: TaskOutcome): void {
    const entry = this.#children.get(name);
    if (entry === undefined) return;
    this.#children.delete(name);
    if (this.#shuttingDown && outcome.kind === 'force-aborted') this.#stuck.push(entry.path);
    if (outcome.kind === 'completed') this.#markSatisfied(name);
    this.#deps.publish({ kind: 'TaskRemoved', task: entry.path });
    this.#outcomes.settle(entry.path, outcome);
    entry.removal?.resolve();
    if (this.#children.size === 0) this.#empty?.resolve();
  }

  childCrashed(name: string, error: unknown): void {
    const entry = this.#children.get(name);
    if (entry === undefined) return;
    const message = error instanceof Error ? error.message : String(error);
    const reason = `internal error in the task machine: ${message}`;
    this.#deps.publish({ kind: 'ActorDead', task: entry.path, outcome: 'fatal', reason });
    this.childEnded(name, { kind: 'fatal', reason, error: error instanceof Error ? error : new Error(message) });
  }

  /** Shutdown: signals every child at once (newest first) against one grace deadline. */
  #stopAllChildren(): void {
    const { graceMs } = this.#deps.options;
    const entries = [...this.#children.values()].reverse();
    for (const entry of entries) {
      if (entry.removing) continue;
      entry.removing = true;
      entry.actor.send({ type: 'task.stop', reason: 'shutdown', graceMs, then: 'exit' });
    }
  }

  // internals --------------------------------------------------------------------------------

  #pathOf(name: string): string {
    return `${this.path}/${name}`;
  }

  #entryOf(nameOrPath: string): ChildEntry | undefined {
    if (!nameOrPath.includes('/')) return this.#children.get(nameOrPath);
    const prefix = `${this.path}/`;
    if (!nameOrPath.startsWith(prefix)) return undefined;
    return this.#children.get(nameOrPath.slice(prefix.length));
  }

  #policyOf(spec: TaskSpec): TaskPolicy {
    const defaults = this.#deps.options.defaults;
    const { options } = spec;
    const overrides =
      options.restart !== undefined ||
      options.backoff !== undefined ||
      options.maxRetries !== undefined ||
      options.timeoutMs !== undefined;
    if (!overrides) {
      this.#defaultPolicy ??= { ...defaults };
      return this.#defaultPolicy;
    }
    return {
      restart: options.restart ?? defaults.restart,
      backoff:
        options.backoff === undefined ? defaults.backoff : validateBackoff({ ...defaults.backoff, ...options.backoff }, 'backoff'),
      maxRetries: options.maxRetries ?? defaults.maxRetries,
      timeoutMs: options.timeoutMs ?? defaults.timeoutMs,
    };
  }

  /** Creates the child's task actor and registers its name; publishes TaskAdded. Starts nothing. */
  #register(spec: TaskSpec): ChildEntry {
    const self = this.#self;
    if (self === undefined) throw new Error('supervisor runtime used before attach()');
    const path = this.#pathOf(spec.name);
    const deps = spec.options.dependsOn ?? [];
    const gated = deps.some((dep) => !this.#satisfied.has(dep));
    const actor = createActor(taskMachine, {
      parent: self,
      id: spec.name,
      systemId: path,
      input: { name: spec.name, path, work: spec.work, policy: this.#policyOf(spec), env: this.#env, gated },
    });
    const entry: ChildEntry = { name: spec.name, path, spec, actor, removing: false, removal: undefined, ready: false };
    this.#children.set(spec.name, entry);
    this.#satisfied.delete(spec.name);
    this.#outcomes.open(path);
    this.#deps.publish({ kind: 'TaskAdded', task: path });
    return entry;
  }

  #launch(entry: ChildEntry): void {
    const deps = entry.spec.options.dependsOn ?? [];
    const waitingFor = deps.filter((dep) => !this.#satisfied.has(dep));
    if (waitingFor.length > 0) this.#deps.publish({ kind: 'DependencyWaiting', task: entry.path, waitingFor });
    entry.actor.start();
  }

  #onChildReady(path: string): void {
    const name = path.slice(this.path.length + 1);
    const entry = this.#children.get(name);
    if (entry !== undefined) entry.ready = true;
    this.#markSatisfied(name);
  }

  /** A dependency became ready or completed: release the dependents it was the last one for. */
  #markSatisfied(name: string): void {
    if (this.#satisfied.has(name)) return;
    this.#satisfied.add(name);
    for (const entry of this.#children.values()) {
      const deps = entry.spec.options.dependsOn;
      if (deps === undefined || !deps.includes(name)) continue;
      if (!deps.every((dep) => this.#satisfied.has(dep))) continue;
      const snap = entry.actor.getSnapshot();
      if (snap.status !== 'active' || !snap.context.gated) continue;
      this.#deps.publish({ kind: 'DependencyReady', task: entry.path });
      entry.actor.send({ type: 'task.release' });
    }
  }

  async #runShutdown(): Promise<ShutdownResult> {
    this.#shuttingDown = true;
    this.#deps.publish({ kind: 'ShutdownRequested', task: this.path });
    if (this.#children.size > 0) {
      this.#empty = deferred();
      this.#self?.send({ type: 'supervisor.shutdown' });
      this.#stopAllChildren();
      await this.#empty.promise;
    } else {
      this.#self?.send({ type: 'supervisor.shutdown' });
    }
    const stuck = [...this.#stuck];
    if (stuck.length === 0) this.#deps.publish({ kind: 'AllStoppedWithinGrace', task: this.path });
    else this.#deps.publish({ kind: 'GraceExceeded', task: this.path, stuck });
    await this.#deps.closeEvents();
    this.#self?.send({ type: 'supervisor.stopped' });
    this.#outcomes.settle(this.path, { kind: 'cancelled' });
    return { withinGrace: stuck.length === 0, stuck };
  }
}
