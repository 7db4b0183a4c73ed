/**
 * What a format reader gives: the config's value before validation, the line of a field path
 * (where the format keeps lines), and the problems found while reading (syntax errors).
 *
 * @module
 */
import type { ConfigProblem } from './config-file-error.ts';
import type { LineOf } from './config-problems.ts';

/**
 * A config file as read, before validation.
 *
 * @example
 * ```ts
 * const raw: RawConfig = { value: { processes: {} }, lineOf: () => undefined, problems: [] };
 * ```
 */
export interface RawConfig {
  readonly value: unknown;
  readonly lineOf: LineOf;
  readonly problems: readonly ConfigProblem[];
}

/**
 * No line is known (TS/JS modules).
 *
 * @example
 * ```ts
 * NO_LINES(['processes', 'web']); // undefined
 * ```
 */
export const NO_LINES: LineOf = () => undefined;
