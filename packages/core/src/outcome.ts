/**
 * How a child ended for good.
 *
 * @module
 */
import type { TaskOutcomeKind } from './events.ts';

/**
 * The final result of a child, as `outcome()` resolves it.
 *
 * `reason`, `exitCode` and `error` are those of the last attempt's terminal event; `output`
 * is what the last successful attempt returned; `cause` chains an escalation down to the
 * failure that started it.
 *
 * @example
 * ```ts
 * const result: TaskOutcome = await app.outcome('fetch');
 * if (result.kind === 'failed') console.error(result.reason);
 * ```
 */
export interface TaskOutcome {
  readonly kind: TaskOutcomeKind;
  readonly reason?: string;
  readonly exitCode?: number;
  readonly error?: Error;
  readonly output?: unknown;
  readonly stderrTail?: readonly string[];
  readonly cause?: TaskOutcome;
}
