/**
 * The restart decisions of a whole tree, for `explain()`: per supervisor path, the recent
 * decisions it made about each child. The log belongs to the tree, not to a supervisor's
 * incarnation, so the decisions that made a supervisor give up (or restart) stay visible after
 * that incarnation has ended.
 */
import type { RestartExplanation } from '../events.ts';
import { RecentMap } from './recent-map.ts';

/**
 * A recent restart decision, as `explain()` returns it.
 *
 * @example
 * ```ts
 * for (const decision of app.explain('workers')) {
 *   console.log(decision.path, decision.allowed ? `retry in ${decision.delayMs} ms` : 'gave up');
 * }
 * ```
 */
export interface RestartDecisionRecord extends RestartExplanation {
  /** The child the decision was about. */
  readonly path: string;
  /** The supervisor's clock time of the decision. */
  readonly decidedAt: number;
}

/** How many decisions are kept per child. */
const KEEP_PER_CHILD = 20;

/**
 * Decisions per supervisor path, then per child path. One per tree.
 *
 * @example
 * ```ts
 * const log = new DecisionLog();
 * log.record('app/workers', { ...explanation, path: 'app/workers/a', decidedAt: clock.now() });
 * log.explain('app/workers'); // every decision app/workers made, oldest first
 * log.explain('app/workers/a'); // the decisions about app/workers/a
 * ```
 */
export class DecisionLog {
  readonly #bySupervisor: RecentMap<string, RecentMap<string, RestartDecisionRecord[]>>;
  readonly #limit: number;

  /** @param limit - how many supervisors, and how many children per supervisor, are remembered */
  constructor(limit = 10_000) {
    this.#limit = limit;
    this.#bySupervisor = new RecentMap(limit);
  }

  /** A supervisor (an incarnation of it) exists at `path`: its earlier decisions are kept. */
  open(path: string): void {
    if (!this.#bySupervisor.has(path)) this.#bySupervisor.set(path, new RecentMap(this.#limit));
  }

  /** The supervisor at `supervisorPath` decided about its child `record.path`. */
  record(supervisorPath: string, record: RestartDecisionRecord): void {
    this.open(supervisorPath);
    const children = this.#bySupervisor.get(supervisorPath);
    if (children === undefined) return;
    let list = children.get(record.path);
    if (list === undefined) {
      list = [];
      children.set(record.path, list);
    }
    list.push(record);
    if (list.length > KEEP_PER_CHILD) list.shift();
  }

  /**
   * For a supervisor's path: every decision it made about its children, oldest first. For any
   * other path: the decisions its supervisor made about it.
   */
  explain(path: string): readonly RestartDecisionRecord[] {
    const made = this.#bySupervisor.get(path);
    if (made !== undefined) return [...made.values()].flat().sort((a, b) => a.decidedAt - b.decidedAt);
    const parent = path.slice(0, Math.max(0, path.lastIndexOf('/')));
    return [...(this.#bySupervisor.get(parent)?.get(path) ?? [])];
  }
}
