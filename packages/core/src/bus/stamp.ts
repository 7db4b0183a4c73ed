/**
 * Stamping an event with `seq` and `at`: the cold fallbacks of the event bus's `publish` (which
 * stamps the draft in place itself, on its hot path).
 *
 * @module
 */
import type { EventDraft, SupervisorEvent } from '../events.ts';

/**
 * What publishing writes onto a draft.
 *
 * @example
 * ```ts
 * const target = draft as unknown as Stampable;
 * target.seq = seq;
 * ```
 */
export interface Stampable {
  seq: number;
  at: number;
}

/**
 * Reads `wallNow`, falling back to `Date.now()` when it throws.
 *
 * @param wallNow - the bus's wall clock (epoch milliseconds)
 * @returns the time for `at`
 * @example
 * ```ts
 * report.at = safeWallNow(state.wallNow);
 * ```
 */
export function safeWallNow(wallNow: () => number): number {
  try {
    return wallNow();
  } catch {
    return Date.now();
  }
}

/**
 * A stamped copy, for a draft that cannot be written to (frozen) or a throwing `wallNow`.
 *
 * @param draft - the event without `seq` and `at`
 * @param seq - the `seq` already taken for it
 * @param wallNow - the bus's wall clock
 * @returns a new event: the draft's fields plus `seq` and `at`
 * @example
 * ```ts
 * const event = copyStamped(Object.freeze({ kind: 'TaskReady', task: 'app/web', attempt: 1 }), 7, Date.now);
 * ```
 */
export function copyStamped(draft: EventDraft, seq: number, wallNow: () => number): SupervisorEvent {
  return { ...draft, seq, at: safeWallNow(wallNow) };
}
