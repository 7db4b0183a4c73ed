/**
 * The options of a recording's line source (and of `record`), validated at the boundary.
 *
 * @module
 */
import { ConfigError } from '@statevisor/core';

/** The recorder's default subscriber name (in `SubscriberOverflow` reports). */
export const DEFAULT_RECORDER_NAME = 'recorder';

/** The default bound of the recorder's event buffer and of its inspection queue. */
export const DEFAULT_RECORDER_CAPACITY = 1024;

/**
 * What to record.
 *
 * @example
 * ```ts
 * const options: RecordOptions = { inspect: true, capacity: 4096, name: 'audit' };
 * ```
 */
export interface RecordOptions {
  /** Also record XState inspection messages, as `{ "inspect": ... }` lines (default false). */
  readonly inspect?: boolean;
  /** Keep `env` values in inspection messages (default false: `"[redacted]"`). */
  readonly secrets?: boolean;
  /** Keep task outputs (`output` fields) in inspection messages (default false: dropped). */
  readonly outputs?: boolean;
  /**
   * Events waiting while a line is being written, and inspection messages waiting, each at most
   * this many (an integer >= 1, default 1024); beyond, they are dropped and the drop is written
   * as a `SubscriberOverflow` line.
   */
  readonly capacity?: number;
  /**
   * The recorder's subscriber name (default `'recorder'`); its inspection drops are reported
   * as `<name>#inspect`.
   */
  readonly name?: string;
}

/** Options after validation, defaults applied. */
export interface ResolvedRecordOptions {
  readonly inspect: boolean;
  readonly secrets: boolean;
  readonly outputs: boolean;
  readonly capacity: number;
  readonly name: string;
}

const KNOWN = new Set(['inspect', 'secrets', 'outputs', 'capacity', 'name']);

/**
 * Validates record options, throwing a `ConfigError` that names the bad field and quotes it.
 *
 * @param options - what the caller passed (anything)
 * @returns the options with defaults
 * @throws ConfigError for an unknown field or a value of the wrong type
 *
 * @example
 * ```ts
 * resolveRecordOptions({ capacity: 0 }); // throws ConfigError: capacity: expected an integer >= 1, got 0
 * ```
 */
export function resolveRecordOptions(options: unknown): ResolvedRecordOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError('options', `expected an object, got ${quote(options)}`);
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!KNOWN.has(key)) throw new ConfigError(key, `unknown option (known: ${[...KNOWN].join(', ')})`);
  }
  const capacity = given['capacity'] ?? DEFAULT_RECORDER_CAPACITY;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1) {
    throw new ConfigError('capacity', `expected an integer >= 1, got ${quote(capacity)}`);
  }
  const name = given['name'] ?? DEFAULT_RECORDER_NAME;
  if (typeof name !== 'string' || name === '') throw new ConfigError('name', `expected a non-empty string, got ${quote(name)}`);
  return { inspect: flag(given, 'inspect'), secrets: flag(given, 'secrets'), outputs: flag(given, 'outputs'), capacity, name };
}

function flag(given: Record<string, unknown>, key: string): boolean {
  const value = given[key] ?? false;
  if (typeof value !== 'boolean') throw new ConfigError(key, `expected a boolean, got ${quote(value)}`);
  return value;
}

/** Quotes a received value for an error message. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value.toString()}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return value.toString();
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
