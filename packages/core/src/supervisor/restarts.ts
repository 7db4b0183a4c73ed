/**
 * What the supervisor machine decided about a failure, carried out on the registry: the
 * failed child's BackoffScheduled or its denial, a strategy restart (its affected children
 * stopped newest first, one at a time, then resumed in list order), and a give-up (the rest
 * stopped newest first, one at a time, once the failed child is gone). Nothing here decides:
 * the decisions are the machine's transitions (supervisor-machine.ts).
 */
import type { RestartExplanation, Strategy, TerminateReason } from '../events.ts';
import type { TaskOutcome } from '../outcome.ts';
import type { Intensity } from '../spec/supervisor-options.ts';
import type { ChildFailed, StopRequest } from '../task/task-types.ts';
import type { ChildEntry } from './child-entry.ts';
import type { DecisionLog } from './decision-log.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { RestartEffects, StrategyRestart } from './supervisor-machine.ts';

/** A give-up under way: why, and the child whose failure caused it. */
export interface GiveUp {
  readonly reason: string;
  readonly causePath: string;
  /** The failed child's outcome, once it has ended. */
  cause: TaskOutcome | undefined;
}

/** What {@link Restarts} works on. */
export interface RestartsSetup<E extends ChildEntry> {
  readonly path: string;
  readonly strategy: Strategy;
  readonly intensity: Intensity | undefined;
  readonly children: ReadonlyMap<string, E>;
  readonly dispatcher: Dispatcher;
  readonly decisions: DecisionLog;
  /** Stops a child (through its task) and flushes. */
  readonly stop: (entry: E, reason: TerminateReason, graceMs: number, then: StopRequest['then']) => void;
  /** The give-up began: admission closes. */
  readonly onGiveUp: () => void;
}

/**
 * The restart effects of one supervisor incarnation.
 *
 * @example
 * ```ts
 * const restarts = new Restarts({ path, strategy, intensity, children, dispatcher, decisions, stop });
 * restarts.announceRestart('app/b', restarts.affectedBy('app/b'));
 * ```
 */
export class Restarts<E extends ChildEntry> implements RestartEffects {
  readonly #setup: RestartsSetup<E>;
  /** Restart decisions of this incarnation (the count shown without an intensity). */
  count = 0;
  /** Set once the intensity was exceeded. */
  gaveUp: GiveUp | undefined;
  /** The affected child a strategy restart is stopping now (one at a time). */
  #restartStop: string | undefined;
  /** The child the give-up is stopping now (one at a time). */
  #remainingStop: E | undefined;

  constructor(setup: RestartsSetup<E>) {
    this.#setup = setup;
  }

  get strategy(): Strategy {
    return this.#setup.strategy;
  }

  get intensity(): Intensity | undefined {
    return this.#setup.intensity;
  }

  /** Counts one restart decision and keeps it for `explain()`. */
  recordDecision(failed: ChildFailed, explanation: RestartExplanation): void {
    this.count++;
    this.#setup.decisions.record(this.#setup.path, { ...explanation, path: failed.path, decidedAt: failed.at });
  }

  /** The live children (paths, list order) a failure of `path` makes the strategy restart. */
  affectedBy(path: string): readonly string[] {
    const { strategy, children } = this.#setup;
    if (strategy === 'one-for-one') return [];
    const order = [...children.values()];
    const index = order.findIndex((entry) => entry.path === path);
    if (index < 0) return [];
    const siblings = strategy === 'one-for-all' ? order.filter((_, i) => i !== index) : order.slice(index + 1);
    return siblings.filter((entry) => !entry.removing).map((entry) => entry.path);
  }

  /** Publishes the failed child's BackoffScheduled: it restarts after its backoff, as it decided. */
  scheduleBackoff(failed: ChildFailed, explanation: RestartExplanation): void {
    const { decision } = failed;
    this.#setup.dispatcher.emit({
      kind: 'BackoffScheduled',
      task: failed.path,
      attempt: failed.attempt,
      delayMs: decision.delayMs,
      backoffSource: 'failure',
      reason: failed.reason,
      explanation,
    });
  }

  /** The failed child must not restart: it ends `failed`. */
  deny(path: string, explanation: RestartExplanation): void {
    const entry = this.#entryAt(path);
    if (entry === undefined) return;
    this.#setup.dispatcher.defer(() => {
      entry.task.deny(explanation);
    });
  }

  /** Publishes SupervisorRestarting for a failure of `path` that restarts `affected`. */
  announceRestart(path: string, affected: readonly string[]): void {
    const { children, dispatcher, strategy } = this.#setup;
    // One rank lookup per child: the sort stays O(n log n) over a 1000-child one-for-all.
    const order = new Map([...children.keys()].map((name, index) => [name, index]));
    const rank = (p: string): number => order.get(p.slice(this.#setup.path.length + 1)) ?? -1;
    dispatcher.emit({
      kind: 'SupervisorRestarting',
      task: this.#setup.path,
      strategy,
      affected: [path, ...affected].sort((x, y) => rank(x) - rank(y)),
    });
  }

  /** The failed child waits in its backoff until the strategy restart resumes it. */
  hold(path: string): void {
    const entry = this.#entryAt(path);
    if (entry === undefined) return;
    this.#setup.dispatcher.defer(() => {
      entry.task.hold();
    });
  }

  /** Stops the newest affected child that has not stopped, unless one is being stopped. */
  stopNextAffected(restart: StrategyRestart): void {
    const stopped = new Set(restart.stopped);
    const inFlight = this.#restartStop;
    if (inFlight !== undefined && !stopped.has(inFlight) && this.#entryAt(inFlight) !== undefined) return;
    this.#restartStop = undefined;
    for (let i = restart.affected.length - 1; i >= 0; i--) {
      const path = restart.affected[i] as string;
      if (stopped.has(path)) continue;
      const next = this.#entryAt(path);
      if (next === undefined) continue;
      this.#restartStop = path;
      // A child whose policy is `never` is not restarted: it is stopped for good.
      const never = next.task.policy.restart === 'never';
      if (never) next.removing = true;
      this.#setup.dispatcher.defer(() => {
        this.#setup.stop(next, 'cleanup', next.graceMs, never ? 'exit' : 'hold');
      });
      return;
    }
  }

  /** Resumes the children of a finished strategy restart, in list order. */
  resume(restart: StrategyRestart): void {
    this.#restartStop = undefined;
    const restarted = new Set([restart.failed, ...restart.affected]);
    const entries = [...this.#setup.children.values()].filter((entry) => restarted.has(entry.path));
    const { dispatcher } = this.#setup;
    // Once the step that parked the last child is over (that child may still be stepping), so
    // each resumed child takes its resume at once and they restart in list order.
    queueMicrotask(() => {
      for (const entry of entries) entry.task.resume();
      dispatcher.flush();
    });
  }

  /** The intensity was exceeded by a failure of `causePath`: admission closes; the rest follows when that child is gone. */
  giveUp(causePath: string, restarts: number): void {
    const { intensity, dispatcher, path } = this.#setup;
    if (intensity === undefined) return;
    this.#setup.onGiveUp();
    this.#restartStop = undefined;
    this.gaveUp = {
      reason: `gave up: restart intensity exceeded (${restarts} restarts within ${intensity.periodMs}ms, at most ${intensity.maxRestarts})`,
      causePath,
      cause: undefined,
    };
    dispatcher.emit({ kind: 'IntensityExceeded', task: path, restarts, periodMs: intensity.periodMs });
  }

  /** Giving up: once the failed child is gone, stops the newest remaining child, one at a time. */
  stopNextRemaining(): void {
    const gaveUp = this.gaveUp;
    if (gaveUp === undefined || this.#entryAt(gaveUp.causePath) !== undefined) return;
    const inFlight = this.#remainingStop;
    const { children } = this.#setup;
    if (inFlight !== undefined && children.get(inFlight.name) === inFlight) return;
    const next = [...children.values()].reverse().find((entry) => !entry.removing);
    this.#remainingStop = next;
    if (next === undefined) return;
    next.removing = true;
    this.#setup.dispatcher.defer(() => {
      this.#setup.stop(next, 'cleanup', next.graceMs, 'exit');
    });
  }

  /** The live child at a direct path of this supervisor. */
  #entryAt(path: string): E | undefined {
    return this.#setup.children.get(path.slice(this.#setup.path.length + 1));
  }
}
