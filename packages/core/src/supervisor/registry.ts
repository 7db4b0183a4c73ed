/**
 * A supervisor's registry of children: a Map of task machines (standalone actors whose XState
 * parent is the supervisor actor, so 100k children stay linear), with their name claims, their
 * dependencies (dependency-gate.ts) and how each one is stopped and forgotten. The supervisor
 * runtime owns one registry per incarnation; the registry decides nothing.
 */
import type { AnyActorRef } from 'xstate';
import { describeThrown, toError } from '../foreign.ts';
import type { TerminateReason } from '../events.ts';
import type { TaskOutcome } from '../outcome.ts';
import type { ChildSpec } from '../spec/supervisor-options.ts';
import type { TaskWork } from '../spec/task.ts';
import { TaskHandle } from '../task/task-handle.ts';
import type { StopRequest, TaskEnvironment } from '../task/task-types.ts';
import type { ChildEntry, Deferred } from './child-entry.ts';
import type { ChildPolicies } from './child-policy.ts';
import { DependencyGate } from './dependency-gate.ts';
import type { TreeServices } from './runtime-types.ts';

/** A stop of every child under way: each child's deadline is `since` + its grace. */
export interface StopOfAll {
  readonly reason: TerminateReason;
  readonly since: number;
}

/** What a registry asks of the supervisor that owns it. */
export interface RegistryOwner<N> {
  readonly path: string;
  readonly tree: TreeServices;
  readonly env: TaskEnvironment;
  readonly policies: ChildPolicies;
  /** The supervisor's actor (the XState parent of every task machine). */
  self(): AnyActorRef | undefined;
  /** Admission is closed (no dependents are stopped for `dependencies-finished` then). */
  closing(): boolean;
  /** The stop of every child under way, if any. */
  stopping(): StopOfAll | undefined;
  /** What a child runs (a child supervisor: a fresh runtime per attempt, put on `ref`). */
  work(spec: ChildSpec, ref: { entry: ChildEntry<N> | undefined; nested: N | undefined }): TaskWork;
  /** Readiness may have changed (a child supervisor reports it once all its children are ready). */
  checkReady(): void;
}

/**
 * One supervisor incarnation's children.
 *
 * @example
 * ```ts
 * const registry = new ChildRegistry(owner);
 * const entry = registry.register(spec);
 * registry.launch(entry);
 * ```
 */
export class ChildRegistry<N> {
  readonly children = new Map<string, ChildEntry<N>>();
  readonly gate = new DependencyGate<ChildEntry<N>>(this.children);
  /** Paths of children a shutdown had to force-abort. */
  readonly stuck: string[] = [];
  /** Resolved when the last child is gone (made only when someone waits). */
  empty: Deferred | undefined;
  readonly #owner: RegistryOwner<N>;

  constructor(owner: RegistryOwner<N>) {
    this.#owner = owner;
  }

  /** The live child at a direct path of this supervisor. */
  at(path: string): ChildEntry<N> | undefined {
    return this.children.get(path.slice(this.#owner.path.length + 1));
  }

  /** Creates the child's task machine and registers its name; records TaskAdded. Starts nothing. */
  register(spec: ChildSpec): ChildEntry<N> {
    const owner = this.#owner;
    const self = owner.self();
    if (self === undefined) throw new Error('supervisor runtime used before attach()');
    const path = `${owner.path}/${spec.name}`;
    const gated = this.gate.mustWait(spec.options.dependsOn);
    const ref: { entry: ChildEntry<N> | undefined; nested: N | undefined } = { entry: undefined, nested: undefined };
    const policy = owner.policies.of(spec);
    const task = new TaskHandle(self, { name: spec.name, path, work: owner.work(spec, ref), policy, env: owner.env, gated });
    const entry: ChildEntry<N> = {
      name: spec.name,
      path,
      spec,
      task,
      removing: false,
      removal: undefined,
      onRemoved: undefined,
      ready: false,
      nested: ref.nested,
      state: 'idle',
      attempt: 0,
      live: task.live,
      graceMs: policy.graceMs,
    };
    ref.entry = entry;
    const { dispatcher, outcomes } = owner.tree;
    // The child's end reaches the supervisor machine as its `child.done` / `child.error`.
    task.actor.subscribe({
      next: (snapshot) => {
        const value: unknown = snapshot.value;
        entry.state = typeof value === 'string' ? value : JSON.stringify(value);
        entry.attempt = snapshot.context.attempt;
        dispatcher.flush();
      },
      error: ignore,
    });
    this.children.set(spec.name, entry);
    this.gate.track(entry);
    outcomes.open(path);
    dispatcher.emit({ kind: 'TaskAdded', task: path });
    return entry;
  }

  /** Starts a registered child (it waits in `idle` for its dependencies, if any). */
  launch(entry: ChildEntry<N>): void {
    const waitingFor = this.gate.waitingFor(entry);
    if (waitingFor.length > 0) this.#owner.tree.dispatcher.emit({ kind: 'DependencyWaiting', task: entry.path, waitingFor });
    entry.task.start();
  }

  /** Asks a child's task to stop: the task stops its attempt (a supervisor never reaches into it). */
  signal(entry: ChildEntry<N>, reason: TerminateReason, graceMs: number, then: StopRequest['then']): void {
    entry.task.stop(reason, graceMs, then);
    this.#owner.tree.dispatcher.flush();
  }

  /** Claims a child for good (its name stays reserved until TaskRemoved) and stops it. */
  stopForGood(entry: ChildEntry<N>, reason: TerminateReason, graceMs: number): void {
    entry.removing = true;
    this.signal(entry, reason, graceMs, 'exit');
  }

  /**
   * A child's task machine ended (or crashed): it leaves the registry now, and the follow-up
   * (TaskRemoved, its outcome, its dependents) runs after the supervisor's step.
   */
  forget(entry: ChildEntry<N>, end: { readonly output: unknown } | { readonly error: unknown }): TaskOutcome {
    let outcome: TaskOutcome;
    if ('error' in end) {
      const reason = `internal error in the task machine: ${describeThrown(end.error)}`;
      this.#owner.tree.dispatcher.emit({ kind: 'ActorDead', task: entry.path, outcome: 'fatal', reason });
      outcome = { kind: 'fatal', reason, error: toError(end.error) };
    } else {
      outcome = (end.output as TaskOutcome | undefined) ?? { kind: 'cancelled' };
    }
    this.children.delete(entry.name);
    this.gate.forget(entry, outcome.kind);
    this.#owner.tree.dispatcher.defer(() => {
      this.#afterEnded(entry, outcome);
    });
    return outcome;
  }

  #afterEnded(entry: ChildEntry<N>, outcome: TaskOutcome): void {
    const owner = this.#owner;
    const { dispatcher, outcomes } = owner.tree;
    const stopping = owner.stopping();
    if (stopping?.reason === 'shutdown' && outcome.kind === 'force-aborted') this.stuck.push(entry.path);
    if (outcome.kind === 'completed') this.satisfy(entry.name);
    dispatcher.emit({ kind: 'TaskRemoved', task: entry.path });
    dispatcher.flush();
    outcomes.settle(entry.path, outcome);
    entry.removal?.resolve();
    for (const listener of entry.onRemoved ?? []) listener();
    if (!owner.closing()) for (const dependent of this.gate.finished(entry.name)) this.stopForGood(dependent, 'dependencies-finished', dependent.graceMs);
    if (stopping !== undefined) this.#stopDependenciesOf(entry, stopping);
    if (this.children.size > 0) owner.checkReady();
    else this.empty?.resolve();
  }

  /** A child reported readiness: it satisfies its dependents. */
  ready(path: string): void {
    const name = path.slice(this.#owner.path.length + 1);
    const entry = this.children.get(name);
    if (entry !== undefined) this.gate.markReady(entry);
    this.satisfy(name);
    this.#owner.checkReady();
  }

  /** A dependency became ready or completed: release the dependents it was the last one for. */
  satisfy(name: string): void {
    const { dispatcher } = this.#owner.tree;
    for (const entry of this.gate.satisfy(name)) {
      if (!entry.task.gated) continue;
      dispatcher.emit({ kind: 'DependencyReady', task: entry.path });
      entry.task.release();
      dispatcher.flush();
    }
  }

  /**
   * Signals every child at once, newest first, each against its own deadline (the start of the
   * stop + its grace), except that a child is signalled only once its dependents have stopped
   * (with its deadline unchanged).
   */
  stopAll(stopping: StopOfAll): void {
    for (const entry of [...this.children.values()].reverse()) {
      // A child with live dependents is signalled from #stopDependenciesOf once they are gone.
      if (!entry.removing && !this.gate.hasDependents(entry.name)) this.stopForGood(entry, stopping.reason, this.#graceLeft(entry, stopping.since));
    }
  }

  /** Ends every child at once (the parent force-aborted this supervisor). */
  forceAll(reason: TerminateReason): void {
    for (const entry of [...this.children.values()].reverse()) this.stopForGood(entry, reason, 0);
  }

  /** During a stop: a child ended; signal those of its dependencies that have no dependent left. */
  #stopDependenciesOf(ended: ChildEntry<N>, stopping: StopOfAll): void {
    for (const dep of ended.spec.options.dependsOn ?? []) {
      const entry = this.children.get(dep);
      if (entry !== undefined && !entry.removing && !this.gate.hasDependents(dep)) {
        this.stopForGood(entry, stopping.reason, this.#graceLeft(entry, stopping.since));
      }
    }
  }

  /** What is left of a child's grace in a stop of every child that began at `since`. */
  #graceLeft(entry: ChildEntry<N>, since: number): number {
    return since + entry.graceMs - this.#owner.tree.now();
  }
}

function ignore(): void {}
