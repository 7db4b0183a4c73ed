/**
 * One live child of a supervisor, as its registry keeps it: the task handle, the name claim, and
 * what the observer of the task machine keeps so `snapshot()` stays cheap.
 */
import type { LiveAttempt } from '../attempt/live-attempt.ts';
import type { ChildSpec } from '../spec/supervisor-options.ts';
import type { TaskHandle } from '../task/task-handle.ts';

/** A promise with its resolve function, made only when someone waits. */
export interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

/** Makes a {@link Deferred}. */
export function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * One live child. `TNested` is the runtime of a child supervisor's current incarnation.
 *
 * @example
 * ```ts
 * const entry: ChildEntry = registry.get('web');
 * entry.task.stop('user-requested', entry.graceMs, 'exit');
 * ```
 */
export interface ChildEntry<TNested = unknown> {
  readonly name: string;
  readonly path: string;
  readonly spec: ChildSpec;
  readonly task: TaskHandle;
  /** Claimed by remove / cancel / shutdown / stop: the name stays reserved until TaskRemoved. */
  removing: boolean;
  /** Resolved once the child's TaskRemoved is published; made only when a caller waits. */
  removal: Deferred | undefined;
  /** Listeners for the child's TaskRemoved (admission slots). */
  onRemoved: (() => void)[] | undefined;
  /** The current attempt reported readiness. */
  ready: boolean;
  /** The runtime of the current incarnation, for a child supervisor. */
  nested: TNested | undefined;
  /** The task machine's state and attempt, kept by the observer so `snapshot()` stays cheap. */
  state: string;
  attempt: number;
  /** The live attempt's handles (pid, control). */
  readonly live: LiveAttempt;
  /** The child's grace: every stop of it force-aborts after this long (its own `graceMs` or the default). */
  readonly graceMs: number;
}
