/**
 * Options of `createSupervisor`, and their validation at the boundary.
 *
 * @module
 */
import type { InspectionEvent, Observer } from 'xstate';
import type { Clock, RandomSource } from '../clock.ts';
import { systemClock, withLongDelays } from '../clock.ts';
import type { Strategy } from '../events.ts';
import type { BackoffPolicy } from '../policies/backoff.ts';
import { DEFAULT_BACKOFF, validateBackoff } from '../policies/backoff.ts';
import type { RestartPolicy } from '../policies/restart.ts';
import type { TaskSpec } from './task.ts';
import { refuseHeartbeat, validateChildOptions } from './task.ts';
import type { SupervisorSpec } from './supervisor-spec.ts';
import { STRATEGIES, isChildSpec, validateChildList, validateGivenDefaults, validateIntensity } from './supervisor-spec.ts';
import { validateDependencies } from './dependencies.ts';
import {
  expectBoolean,
  expectFunction,
  expectInteger,
  expectKnownKeys,
  expectName,
  expectDelay,
  expectObject,
  expectOneOf,
  invalid,
  join,
  readingAs,
} from '../validate.ts';

/**
 * Policy defaults for a whole subtree; a nearer supervisor or the child itself overrides them.
 *
 * @example
 * ```ts
 * const defaults: ChildDefaults = { restart: 'on-failure', backoff: { firstMs: 200, maxMs: 30_000, factor: 2, jitter: 'equal' } };
 * const services: ChildDefaults = { restart: 'always', resetAfterMs: 60_000, graceMs: 10_000 };
 * ```
 */
export interface ChildDefaults {
  readonly restart?: RestartPolicy;
  readonly backoff?: Partial<BackoffPolicy>;
  readonly maxRetries?: number;
  /** The child option `resetAfterMs` for the subtree. @defaultValue `30_000` */
  readonly resetAfterMs?: number;
  readonly timeoutMs?: number;
  /** The child option `graceMs` for the subtree. @defaultValue the supervisor's `graceMs` */
  readonly graceMs?: number;
}

/**
 * Restart intensity: at most `maxRestarts` restarts within any `periodMs` window.
 *
 * @example
 * ```ts
 * const intensity: Intensity = { maxRestarts: 3, periodMs: 5_000 };
 * ```
 */
export interface Intensity {
  readonly maxRestarts: number;
  readonly periodMs: number;
}

/** What `inspect` accepts: the same as XState's `createActor` option. */
export type InspectOption = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/** A child of a supervisor: a task (function, XState logic, process) or a child supervisor. */
export type ChildSpec = TaskSpec | SupervisorSpec;

/**
 * Options of {@link createSupervisor}.
 *
 * @example
 * ```ts
 * const options: SupervisorOptions = {
 *   name: 'app',
 *   maxConcurrent: 8,
 *   graceMs: 5_000,
 *   defaults: { restart: 'on-failure' },
 *   children: [task('tick', async () => 'tock')],
 * };
 * ```
 */
export interface SupervisorOptions {
  /** Root path segment. @defaultValue `'root'` */
  readonly name?: string;
  /** How a child's exit affects its siblings. @defaultValue `'one-for-one'` */
  readonly strategy?: Strategy;
  /** Restart intensity; absent = no limit. */
  readonly intensity?: Intensity;
  /** Running attempts at once; absent = unlimited. */
  readonly maxConcurrent?: number;
  /** Shutdown / removal grace before force-abort, in ms. @defaultValue `5000` */
  readonly graceMs?: number;
  /** How long shutdown drains subscriber buffers, in ms. @defaultValue `5000` */
  readonly subscriberDrainMs?: number;
  /** Queued submissions per admission slot. @defaultValue `100` */
  readonly maxSlotQueue?: number;
  /** Start shutdown on SIGINT / SIGTERM, then re-raise the signal. @defaultValue `false` */
  readonly handleSignals?: boolean;
  /** Policy defaults for every child. */
  readonly defaults?: ChildDefaults;
  /** The clock for every delay and measurement (XState's `SimulatedClock` works). */
  readonly clock?: Clock;
  /** Random source in [0, 1) for every jitter. @defaultValue `Math.random` */
  readonly random?: RandomSource;
  /** Forwarded to the root actor: every machine shows in the inspector. */
  readonly inspect?: InspectOption;
  /** The initial children, started in list order. */
  readonly children?: readonly ChildSpec[];
}

/** Options after validation, with every default filled in. */
export interface ResolvedSupervisorOptions {
  readonly name: string;
  readonly strategy: Strategy;
  readonly intensity: Intensity | undefined;
  readonly maxConcurrent: number | undefined;
  readonly graceMs: number;
  readonly subscriberDrainMs: number;
  readonly maxSlotQueue: number;
  readonly handleSignals: boolean;
  readonly defaults: ResolvedDefaults;
  /** The given clock (or the system clock), wrapped by {@link withLongDelays}. */
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly inspect: InspectOption | undefined;
  readonly children: readonly ChildSpec[];
}

/** Child defaults with every field present. */
export interface ResolvedDefaults {
  readonly restart: RestartPolicy;
  readonly backoff: BackoffPolicy;
  readonly maxRetries: number | undefined;
  readonly resetAfterMs: number;
  readonly timeoutMs: number;
  /** The grace of a child that gives none: `defaults.graceMs`, else the supervisor's `graceMs`. */
  readonly graceMs: number;
}

/** The default of `resetAfterMs` (DESIGN §2). */
export const DEFAULT_RESET_AFTER_MS = 30_000;

const SUPERVISOR_KEYS = [
  'name',
  'strategy',
  'intensity',
  'maxConcurrent',
  'graceMs',
  'subscriberDrainMs',
  'maxSlotQueue',
  'handleSignals',
  'defaults',
  'clock',
  'random',
  'inspect',
  'children',
] as const;

function validateDefaults(value: unknown, field: string, graceMs: number): ResolvedDefaults {
  const given = value === undefined ? {} : validateGivenDefaults(value, field);
  return {
    restart: given.restart ?? 'on-failure',
    backoff: given.backoff ?? DEFAULT_BACKOFF,
    maxRetries: given.maxRetries,
    resetAfterMs: given.resetAfterMs ?? DEFAULT_RESET_AFTER_MS,
    timeoutMs: given.timeoutMs ?? 0,
    graceMs: given.graceMs ?? graceMs,
  };
}

function validateClock(value: unknown, field: string): Clock {
  const clock = expectObject(value, field);
  expectFunction(clock['setTimeout'], join(field, 'setTimeout'));
  expectFunction(clock['clearTimeout'], join(field, 'clearTimeout'));
  if (clock['now'] !== undefined) expectFunction(clock['now'], join(field, 'now'));
  return value as Clock;
}

function validateInspect(value: unknown, field: string): InspectOption {
  if (typeof value === 'function') return value as InspectOption;
  const object = expectObject(value, field);
  if (typeof object['next'] !== 'function') invalid(join(field, 'next'), 'a function', object['next']);
  return value as InspectOption;
}


/** Validates the children list: specs built by `task()`/`processTask()`, unique names, known dependencies, no cycles. */
export function validateChildren(value: unknown, field: string): readonly ChildSpec[] {
  const specs = validateChildList(value, field);
  validateDependencies(specs, (i) => `${field}[${i}]`);
  return specs;
}

/**
 * Validates the spec given to `add()` / `submit()` (errors name the field `spec...`): a spec made
 * by a builder, whose dependencies are live siblings (`isLiveSibling`), whose child options are
 * valid (a spec may be hand-made rather than built by `task()`), and whose backoff is valid once
 * merged with the supervisor's defaults. Throws only ConfigErrors.
 */
export function validateAddedSpec(value: unknown, defaults: ResolvedDefaults, isLiveSibling: (name: string) => boolean): ChildSpec {
  return readingAs('spec', () => {
    if (!isChildSpec(value)) invalid('spec', 'a child spec made by task(), processTask() or supervisor()', value);
    validateDependencies([value], () => 'spec', isLiveSibling);
    validateChildPolicies([value], defaults, () => 'spec');
    return value;
  });
}

/**
 * Checks each child's options again (a spec may be hand-made rather than built by `task()`), and
 * its own backoff once merged with the supervisor's defaults (what the child will run with):
 * `task()` can only check a partial backoff against the built-in defaults. `fieldOf(i)` is the
 * path of the i-th spec (e.g. `children[2]`).
 */
export function validateChildPolicies(
  specs: readonly ChildSpec[],
  defaults: ResolvedDefaults,
  fieldOf: (index: number) => string,
): void {
  specs.forEach((spec, i) => {
    const field = `${fieldOf(i)}.options`;
    const options = validateChildOptions(spec.options, field);
    if (spec.type === 'supervisor') refuseHeartbeat(options, field, 'a child supervisor');
    else if (spec.work.kind !== 'runner') refuseHeartbeat(options, field, 'an XState actor child');
    if (options.backoff === undefined) return;
    validateBackoff(options.backoff, `${field}.backoff`, defaults.backoff);
  });
}

/** Validates `createSupervisor` options; throws ConfigError naming the field. */
export function resolveSupervisorOptions(value: unknown): ResolvedSupervisorOptions {
  const options = value === undefined ? {} : expectObject(value, 'options');
  expectKnownKeys(options, '', SUPERVISOR_KEYS);
  const intensity = options['intensity'] === undefined ? undefined : validateIntensity(options['intensity'], 'intensity');
  const graceMs = options['graceMs'] === undefined ? 5_000 : expectDelay(options['graceMs'], 'graceMs');
  const defaults = validateDefaults(options['defaults'], 'defaults', graceMs);
  const children = validateChildren(options['children'], 'children');
  validateChildPolicies(children, defaults, (i) => `children[${i}]`);
  return {
    name: options['name'] === undefined ? 'root' : expectName(options['name'], 'name'),
    strategy: options['strategy'] === undefined ? 'one-for-one' : expectOneOf(options['strategy'], 'strategy', STRATEGIES),
    intensity,
    maxConcurrent: options['maxConcurrent'] === undefined ? undefined : expectInteger(options['maxConcurrent'], 'maxConcurrent', 1),
    graceMs,
    subscriberDrainMs:
      options['subscriberDrainMs'] === undefined ? 5_000 : expectDelay(options['subscriberDrainMs'], 'subscriberDrainMs'),
    maxSlotQueue: options['maxSlotQueue'] === undefined ? 100 : expectInteger(options['maxSlotQueue'], 'maxSlotQueue'),
    handleSignals: options['handleSignals'] === undefined ? false : expectBoolean(options['handleSignals'], 'handleSignals'),
    defaults,
    clock: withLongDelays(options['clock'] === undefined ? systemClock : validateClock(options['clock'], 'clock')),
    random: options['random'] === undefined ? Math.random : expectFunction<RandomSource>(options['random'], 'random'),
    inspect: options['inspect'] === undefined ? undefined : validateInspect(options['inspect'], 'inspect'),
    children,
  };
}
