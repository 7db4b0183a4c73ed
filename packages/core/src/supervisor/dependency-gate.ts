/**
 * A supervisor's dependency gate: which children wait for which siblings, which names are
 * satisfied (ready, or completed for good), how ended children ended, and how many live children
 * are not ready yet (a child supervisor is ready once that count is 0). Every walk is over the
 * dependents of one name, so a dependency costs O(its dependents).
 */
import type { TaskOutcomeKind } from '../events.ts';
import type { ChildEntry } from './child-entry.ts';
import { RecentMap } from './recent-map.ts';

/** How many finished names a supervisor remembers (for dependencies). */
const REMEMBER = 10_000;

/**
 * The dependencies between one supervisor's children.
 *
 * @example
 * ```ts
 * const gate = new DependencyGate(children);
 * if (gate.mustWait(spec.options.dependsOn)) console.log('waits in idle for its dependencies');
 * gate.track(entry);
 * for (const released of gate.satisfy('db')) released.task.release();
 * ```
 */
export class DependencyGate<E extends ChildEntry> {
  readonly #children: ReadonlyMap<string, E>;
  /** Live dependents by the name they depend on. */
  readonly #dependents = new Map<string, Set<E>>();
  /** Names that are ready or completed (bounded). */
  readonly #satisfied = new RecentMap<string, true>(REMEMBER);
  /** How children that ended for good ended, for `dependencies-finished` (bounded). */
  readonly #ended = new RecentMap<string, TaskOutcomeKind>(REMEMBER);
  /** Live children that have not reported readiness yet. */
  #notReady = 0;

  constructor(children: ReadonlyMap<string, E>) {
    this.#children = children;
  }

  /** Whether a child with these dependencies must wait for one of them. */
  mustWait(dependsOn: readonly string[] | undefined): boolean {
    return (dependsOn ?? []).some((dep) => !this.#satisfied.has(dep));
  }

  /** Registers a new child. */
  track(entry: E): void {
    const deps = entry.spec.options.dependsOn ?? [];
    for (const dep of deps) {
      let dependents = this.#dependents.get(dep);
      if (dependents === undefined) {
        dependents = new Set();
        this.#dependents.set(dep, dependents);
      }
      dependents.add(entry);
    }
    this.#satisfied.delete(entry.name);
    this.#ended.delete(entry.name);
    this.#notReady++;
  }

  /** The dependencies `entry` still waits for. */
  waitingFor(entry: E): string[] {
    return (entry.spec.options.dependsOn ?? []).filter((dep) => !this.#satisfied.has(dep));
  }

  /** A child ended with `kind`: it leaves the gate. */
  forget(entry: E, kind: TaskOutcomeKind): void {
    if (!entry.ready) this.#notReady--;
    for (const dep of entry.spec.options.dependsOn ?? []) {
      const dependents = this.#dependents.get(dep);
      dependents?.delete(entry);
      if (dependents?.size === 0) this.#dependents.delete(dep);
    }
    this.#ended.set(entry.name, kind);
  }

  /** A live child reported readiness. */
  markReady(entry: E): void {
    if (entry.ready) return;
    entry.ready = true;
    this.#notReady--;
  }

  /** Whether every live child has reported readiness. */
  get allReady(): boolean {
    return this.#notReady <= 0;
  }

  /** Whether `name` is satisfied (ready or completed). */
  isSatisfied(name: string): boolean {
    return this.#satisfied.has(name);
  }

  /** Whether live children depend on `name`. */
  hasDependents(name: string): boolean {
    return this.#dependents.has(name);
  }

  /** `name` became ready or completed: the dependents it was the last dependency of. */
  satisfy(name: string): E[] {
    if (this.#satisfied.has(name)) return [];
    this.#satisfied.set(name, true);
    const released: E[] = [];
    for (const entry of [...(this.#dependents.get(name) ?? [])]) {
      const deps = entry.spec.options.dependsOn ?? [];
      if (deps.every((dep) => this.#satisfied.has(dep))) released.push(entry);
    }
    return released;
  }

  /**
   * `name` ended for good: its dependents whose dependencies have all ended, one of them without
   * completing (they stop with `dependencies-finished`).
   */
  finished(name: string): E[] {
    const stopped: E[] = [];
    for (const entry of [...(this.#dependents.get(name) ?? [])]) {
      const deps = entry.spec.options.dependsOn ?? [];
      if (entry.removing) continue;
      if (!deps.every((dep) => this.#ended.has(dep) && !this.#children.has(dep))) continue;
      if (deps.every((dep) => this.#ended.get(dep) === 'completed')) continue;
      stopped.push(entry);
    }
    return stopped;
  }
}
