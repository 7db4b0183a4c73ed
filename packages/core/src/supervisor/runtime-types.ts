/**
 * The plain types a supervisor runtime is set up with and answers with: its options, what it
 * shares with the rest of its tree, and the result of a shutdown.
 */
import type { Clock, RandomSource } from '../clock.ts';
import type { Strategy } from '../events.ts';
import type { ChildSpec, Intensity, ResolvedDefaults } from '../spec/supervisor-options.ts';
import type { NestedAttemptContext } from '../spec/task.ts';
import type { DecisionLog } from './decision-log.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { OutcomeStore } from './outcome-store.ts';

/**
 * The result of `shutdown()`.
 *
 * @example
 * ```ts
 * const { withinGrace, stuck }: ShutdownResult = await app.shutdown();
 * if (!withinGrace) console.error('force-aborted:', stuck.join(', '));
 * ```
 */
export interface ShutdownResult {
  /** True when every child stopped before the grace deadline. */
  readonly withinGrace: boolean;
  /** Paths of the children that had to be force-aborted. */
  readonly stuck: readonly string[];
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
