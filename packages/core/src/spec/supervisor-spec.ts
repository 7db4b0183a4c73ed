/**
 * `supervisor()`: a child supervisor, with its own strategy, intensity and children, under
 * another supervisor.
 *
 * @module
 */
import { ConfigError } from '../errors.ts';
import { validateDependencies } from './dependencies.ts';
import { isBuilt, markBuilt } from './built-specs.ts';
import type { Strategy } from '../events.ts';
import type { BackoffPolicy } from '../policies/backoff.ts';
import { validateBackoff } from '../policies/backoff.ts';
import type { RestartPolicy } from '../policies/restart.ts';
import { validateMaxRetries, validateRestart } from '../policies/restart.ts';
import type { ChildOptions, TaskSpec } from './task.ts';
import { CHILD_OPTION_KEYS, refuseHeartbeat, refuseInput, validateChildOptions } from './task.ts';
import {
  describeValue,
  expectInteger,
  expectKnownKeys,
  expectName,
  expectDelay,
  expectObject,
  expectOneOf,
  invalid,
  join,
} from '../validate.ts';

/**
 * Options of a child supervisor: a supervisor's own options plus the options every child takes.
 *
 * @example
 * ```ts
 * const options: SupervisorChildOptions = {
 *   strategy: 'one-for-all',
 *   intensity: { maxRestarts: 2, periodMs: 10_000 },
 *   restart: 'always',
 *   children: [task('a', runA), task('b', runB)],
 * };
 * ```
 */
export interface SupervisorChildOptions extends ChildOptions {
  /** How a child's exit affects its siblings. @defaultValue `'one-for-one'` */
  readonly strategy?: Strategy;
  /** Restart intensity of this supervisor; absent = no limit. */
  readonly intensity?: { readonly maxRestarts: number; readonly periodMs: number };
  /** Running attempts at once among its children; absent = unlimited. */
  readonly maxConcurrent?: number;
  /**
   * Its own grace as a child (how long its parent waits for it to stop, as for any child) and
   * the default grace of its children; default: the parent's default grace for its children.
   */
  readonly graceMs?: number;
  /** Policy defaults for its subtree (over the parent's). */
  readonly defaults?: {
    readonly restart?: RestartPolicy;
    readonly backoff?: Partial<BackoffPolicy>;
    readonly maxRetries?: number;
    readonly resetAfterMs?: number;
    readonly timeoutMs?: number;
    readonly graceMs?: number;
  };
  /** Its children. */
  readonly children?: readonly (TaskSpec | SupervisorSpec)[];
}

/**
 * The subtree defaults a nested supervisor's options give, validated; those it does not give are
 * absent (the nearer supervisor's or the built-in defaults then apply).
 *
 * @example
 * ```ts
 * const spec = supervisor('workers', { defaults: { restart: 'always', graceMs: 1_000 }, children: [] });
 * const given: GivenDefaults | undefined = spec.supervisor.defaults; // { restart: 'always', graceMs: 1000 }
 * ```
 */
export interface GivenDefaults {
  readonly restart?: RestartPolicy;
  readonly backoff?: BackoffPolicy;
  readonly maxRetries?: number;
  readonly resetAfterMs?: number;
  readonly timeoutMs?: number;
  readonly graceMs?: number;
}

/** The validated supervisor part of a {@link SupervisorSpec}. */
export interface NestedSupervisorOptions {
  readonly strategy: Strategy;
  readonly intensity: { readonly maxRestarts: number; readonly periodMs: number } | undefined;
  readonly maxConcurrent: number | undefined;
  readonly graceMs: number | undefined;
  readonly defaults: GivenDefaults | undefined;
  readonly children: readonly (TaskSpec | SupervisorSpec)[];
}

/**
 * A validated child supervisor. Build it with {@link supervisor}.
 *
 * @example
 * ```ts
 * const workers: SupervisorSpec = supervisor('workers', { children: [task('a', run)] });
 * workers.name; // 'workers'
 * ```
 */
export interface SupervisorSpec {
  readonly type: 'supervisor';
  readonly name: string;
  /** The child options (restart, backoff, ...) that its parent applies to it. */
  readonly options: ChildOptions;
  readonly supervisor: NestedSupervisorOptions;
}

/** The supervisor strategies, for validation. */
export const STRATEGIES: readonly Strategy[] = ['one-for-one', 'one-for-all', 'rest-for-one'];

/** The subtree defaults an option object gives, validated; the keys it does not give stay absent. */
export function validateGivenDefaults(value: unknown, field: string): GivenDefaults {
  const object = expectObject(value, field);
  expectKnownKeys(object, field, ['restart', 'backoff', 'maxRetries', 'resetAfterMs', 'timeoutMs', 'graceMs']);
  const given: { -readonly [K in keyof GivenDefaults]: GivenDefaults[K] } = {};
  if (object['restart'] !== undefined) given.restart = validateRestart(object['restart'], join(field, 'restart'));
  if (object['backoff'] !== undefined) given.backoff = validateBackoff(object['backoff'], join(field, 'backoff'));
  const maxRetries = validateMaxRetries(object['maxRetries'], join(field, 'maxRetries'));
  if (maxRetries !== undefined) given.maxRetries = maxRetries;
  if (object['timeoutMs'] !== undefined) given.timeoutMs = expectDelay(object['timeoutMs'], join(field, 'timeoutMs'));
  for (const key of ['resetAfterMs', 'graceMs'] as const) {
    if (object[key] !== undefined) given[key] = expectDelay(object[key], join(field, key));
  }
  return given;
}
const SUPERVISOR_KEYS = ['strategy', 'intensity', 'maxConcurrent', 'graceMs', 'defaults', 'children'];

/**
 * Refuses `maxSlotQueue` on a child supervisor: admission slots (`submit()`) exist on the root
 * only, so the option would be accepted and ignored.
 */
function refuseSlotQueue(object: Record<string, unknown>): void {
  if (!Object.hasOwn(object, 'maxSlotQueue')) return;
  const value = object['maxSlotQueue'];
  throw new ConfigError(
    'options.maxSlotQueue',
    `a child supervisor has no admission slots (submit() admits root children only), so maxSlotQueue ${describeValue(value)} would be ignored; set it on createSupervisor()`,
  );
}

/** Validates an intensity option. */
export function validateIntensity(value: unknown, field: string): { maxRestarts: number; periodMs: number } {
  const object = expectObject(value, field);
  expectKnownKeys(object, field, ['maxRestarts', 'periodMs']);
  return {
    maxRestarts: expectInteger(object['maxRestarts'], join(field, 'maxRestarts')),
    periodMs: expectDelay(object['periodMs'], join(field, 'periodMs')),
  };
}

/** Whether `value` is a child spec made by `task()`, `runnerTask()`, `processTask()` or `supervisor()`. */
export function isChildSpec(value: unknown): value is TaskSpec | SupervisorSpec {
  return isBuilt(value);
}

/** Validates a children list's shape and names (dependencies are checked by the caller). */
export function validateChildList(value: unknown, field: string): (TaskSpec | SupervisorSpec)[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalid(field, 'an array of child specs', value);
  const names = new Set<string>();
  return value.map((child: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!isChildSpec(child)) invalid(at, 'a child spec made by task(), processTask() or supervisor()', child);
    if (names.has(child.name)) throw new ConfigError(`${at}.name`, `duplicate child name "${child.name}"`);
    names.add(child.name);
    return child;
  });
}

/**
 * Makes a child supervisor: a node of the tree with its own strategy, restart intensity and
 * children. Each restart runs a fresh incarnation (an empty window, its children added again,
 * attempts counted from 1). When it exceeds its intensity it gives up, and its parent sees a
 * child failure (escalation). Its restart policy defaults to `'always'`.
 *
 * @param name - unique among its siblings; no `/`
 * @param options - see {@link SupervisorChildOptions}
 * @throws {@link ConfigError} naming the bad field, before anything starts; also for
 *   `maxSlotQueue`, which only the root takes (admission slots are the root's)
 *
 * @example
 * ```ts
 * import { createSupervisor, supervisor, task } from '@statevisor/core';
 *
 * const app = createSupervisor({
 *   name: 'app',
 *   intensity: { maxRestarts: 1, periodMs: 60_000 },
 *   children: [
 *     supervisor('workers', {
 *       strategy: 'one-for-all',
 *       intensity: { maxRestarts: 2, periodMs: 10_000 },
 *       children: [task('fetch', fetchLoop), task('parse', parseLoop)],
 *     }),
 *   ],
 * });
 * ```
 */
export function supervisor(name: string, options: SupervisorChildOptions = {}): SupervisorSpec {
  const validName = expectName(name, 'name');
  const object = expectObject(options, 'options');
  refuseSlotQueue(object);
  refuseInput(object, 'options', 'a child supervisor');
  expectKnownKeys(object, 'options', [...CHILD_OPTION_KEYS, ...SUPERVISOR_KEYS]);
  const childOptions: Record<string, unknown> = {};
  for (const key of CHILD_OPTION_KEYS) if (object[key] !== undefined) childOptions[key] = object[key];
  const defaultsValue = object['defaults'];
  const defaults = defaultsValue === undefined ? undefined : validateGivenDefaults(defaultsValue, 'options.defaults');
  const nested: NestedSupervisorOptions = {
    strategy: object['strategy'] === undefined ? 'one-for-one' : expectOneOf(object['strategy'], 'options.strategy', STRATEGIES),
    intensity: object['intensity'] === undefined ? undefined : validateIntensity(object['intensity'], 'options.intensity'),
    maxConcurrent: object['maxConcurrent'] === undefined ? undefined : expectInteger(object['maxConcurrent'], 'options.maxConcurrent', 1),
    graceMs: object['graceMs'] === undefined ? undefined : expectDelay(object['graceMs'], 'options.graceMs'),
    defaults,
    children: validateChildList(object['children'], 'options.children'),
  };
  validateDependencies(nested.children, (i) => `options.children[${i}]`);
  const validOptions = validateChildOptions(childOptions, 'options');
  refuseHeartbeat(validOptions, 'options', 'a child supervisor');
  return markBuilt(Object.freeze({
    type: 'supervisor' as const,
    name: validName,
    options: validOptions,
    supervisor: Object.freeze(nested),
  }));
}
