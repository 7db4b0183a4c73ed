/**
 * Child specifications: `task()` for async functions and XState actor logic, `runnerTask()` for
 * anything that implements the {@link Runner} contract (such as OS processes).
 *
 * @module
 */
import type { AnyActorLogic, InputFrom } from 'xstate';
import { ConfigError } from '../errors.ts';
import type { BackoffPolicy } from '../policies/backoff.ts';
import { validateBackoff } from '../policies/backoff.ts';
import type { RestartPolicy } from '../policies/restart.ts';
import { validateMaxRetries, validateRestart } from '../policies/restart.ts';
import type { TerminateReason } from '../events.ts';
import type { Runner, RunnerContext, TaskFn } from '../runner.ts';
import { functionRunner } from '../runners/function-runner.ts';
import { markBuilt } from './built-specs.ts';
import {
  expectFunction,
  expectKnownKeys,
  expectName,
  expectDelay,
  expectObject,
  invalid,
  join,
} from '../validate.ts';

/**
 * Options every child takes (tasks, process tasks and nested supervisors).
 *
 * @example
 * ```ts
 * const options: ChildOptions = { restart: 'always', timeoutMs: 10_000, maxRetries: 5, resetAfterMs: 60_000 };
 * const service: ChildOptions = { restart: 'always', graceMs: 10_000, heartbeatTimeoutMs: 30_000 };
 * ```
 */
export interface ChildOptions {
  /** When to run again. Default `'on-failure'` for tasks, `'always'` for supervisors. */
  readonly restart?: RestartPolicy;
  /** Delay between attempts after failures; missing fields come from the supervisor's defaults. */
  readonly backoff?: Partial<BackoffPolicy>;
  /** Retries allowed per failure streak (m retries = m + 1 attempts in a row); absent = unlimited. */
  readonly maxRetries?: number;
  /**
   * A failure of an attempt that ran for at least this long (ms, from its `TaskStarted`, on the
   * supervisor clock) counts as the first failure of a new streak: the first backoff delay again,
   * and `maxRetries` afresh. So a service that crashes once an hour is retried for ever, while a
   * crash loop still runs out of retries. An integer `>= 0`. @defaultValue `30_000` (or the
   * supervisor's `defaults.resetAfterMs`)
   */
  readonly resetAfterMs?: number;
  /** Per-attempt time limit in ms; 0 or absent = none. */
  readonly timeoutMs?: number;
  /**
   * How long (ms) a stop of this child waits for the work to end before force-aborting it: for a
   * remove, cancel, restart, a handle's `stop()`, a strategy or give-up stop, a dependency stop, a
   * timeout, a missed heartbeat and shutdown. `0` force-aborts at once (OTP's `brutal_kill`; a
   * process gets SIGKILL with no killSignal first). For a process it is also the default
   * `killGraceMs`. From 0 to `Number.MAX_SAFE_INTEGER`. @defaultValue the supervisor's `defaults.graceMs`, else its
   * `graceMs`
   */
  readonly graceMs?: number;
  /**
   * Arms a heartbeat watchdog for every attempt: when no `heartbeat()` (for a process: no output
   * line) has come for this long (ms) since the attempt's `TaskStarted` or its last heartbeat, the
   * supervisor publishes `HealthCheckFailed { probe: 'heartbeat' }`, stops the attempt (with the
   * child's grace) and it ends `TaskFailed` (retryable). From 1 to `Number.MAX_SAFE_INTEGER`; absent = no watchdog.
   * Not for XState actor children or child supervisors, which have no `heartbeat()`.
   */
  readonly heartbeatTimeoutMs?: number;
  /** Names of siblings that must be ready (or completed) before this child starts. */
  readonly dependsOn?: readonly string[];
}

/** The option names every child accepts. */
export const CHILD_OPTION_KEYS: readonly string[] = [
  'restart',
  'backoff',
  'maxRetries',
  'resetAfterMs',
  'timeoutMs',
  'graceMs',
  'heartbeatTimeoutMs',
  'dependsOn',
];

/**
 * The context of a nested attempt (a child supervisor): the runner context plus why the
 * attempt is being stopped.
 */
export interface NestedAttemptContext extends RunnerContext {
  /** Why the attempt is being stopped, once its signal aborted (`undefined` for a timeout). */
  stopReason(): TerminateReason | undefined;
}

/**
 * What a task runs: a runner (functions, processes), XState actor logic, or a nested actor
 * made per attempt (child supervisors) that reports like a runner and outputs a `RunnerExit`.
 */
export type TaskWork =
  | { readonly kind: 'runner'; readonly runner: Runner }
  | {
      readonly kind: 'actor';
      readonly logic: AnyActorLogic;
      /** Given to each attempt's actor as its input (child option `input`); passed as is, never copied. */
      readonly input?: unknown;
    }
  | {
      readonly kind: 'nested';
      readonly create: (context: NestedAttemptContext) => { readonly logic: AnyActorLogic; readonly input: unknown };
    };

/**
 * A validated specification of one task child. Build it with {@link task} or {@link runnerTask}.
 *
 * @example
 * ```ts
 * const spec: TaskSpec = task('tick', async () => 'tock');
 * spec.name; // 'tick'
 * ```
 */
export interface TaskSpec {
  readonly type: 'task';
  readonly name: string;
  readonly work: TaskWork;
  readonly options: ChildOptions;
}

/**
 * The options of a task that runs XState actor logic: the options every child takes, plus the
 * `input` each attempt's actor is created with.
 *
 * @example
 * ```ts
 * const options: ActorTaskOptions<typeof counterMachine> = { input: { start: 10 }, restart: 'always' };
 * task('counter', counterMachine, options);
 * ```
 */
export interface ActorTaskOptions<TLogic extends AnyActorLogic = AnyActorLogic> extends ChildOptions {
  /**
   * The input of every attempt's actor (what `createActor(logic, { input })` takes): a restarted
   * actor starts fresh from this same input. It is passed by reference, never copied or frozen,
   * so it may hold anything (functions, class instances); treat it as read-only, because an
   * attempt that mutates it in place changes what later attempts start from. Only for XState
   * actor logic: a function task, a runner task or a child supervisor refuses it.
   */
  readonly input?: InputFrom<TLogic>;
}

/**
 * Refuses the child option `input` (given and not `undefined`) for a child that is not XState
 * actor logic: `what` names the child in the message.
 */
export function refuseInput(options: Record<string, unknown>, field: string, what: string): void {
  const input: unknown = options['input'];
  if (input === undefined) return;
  invalid(join(field, 'input'), `no input: only an XState actor child takes one, not ${what}`, input);
}

/** Validates a child options object; `field` is the path prefix for errors. */
export function validateChildOptions(value: unknown, field: string, extraKeys: readonly string[] = []): ChildOptions {
  if (value === undefined) return {};
  const object = expectObject(value, field);
  expectKnownKeys(object, field, [...CHILD_OPTION_KEYS, ...extraKeys]);
  const options: {
    restart?: RestartPolicy;
    backoff?: Partial<BackoffPolicy>;
    maxRetries?: number;
    resetAfterMs?: number;
    timeoutMs?: number;
    graceMs?: number;
    heartbeatTimeoutMs?: number;
    dependsOn?: readonly string[];
  } = {};
  if (object['restart'] !== undefined) options.restart = validateRestart(object['restart'], join(field, 'restart'));
  if (object['backoff'] !== undefined) {
    const backoff = expectObject(object['backoff'], join(field, 'backoff'));
    validateBackoff(backoff, join(field, 'backoff'));
    options.backoff = { ...backoff };
  }
  const maxRetries = validateMaxRetries(object['maxRetries'], join(field, 'maxRetries'));
  if (maxRetries !== undefined) options.maxRetries = maxRetries;
  if (object['resetAfterMs'] !== undefined) options.resetAfterMs = expectDelay(object['resetAfterMs'], join(field, 'resetAfterMs'));
  if (object['timeoutMs'] !== undefined) options.timeoutMs = expectDelay(object['timeoutMs'], join(field, 'timeoutMs'));
  if (object['graceMs'] !== undefined) options.graceMs = expectDelay(object['graceMs'], join(field, 'graceMs'));
  if (object['heartbeatTimeoutMs'] !== undefined) {
    options.heartbeatTimeoutMs = expectDelay(object['heartbeatTimeoutMs'], join(field, 'heartbeatTimeoutMs'), 1);
  }
  if (object['dependsOn'] !== undefined) {
    const deps = object['dependsOn'];
    if (!Array.isArray(deps)) invalid(join(field, 'dependsOn'), 'an array of sibling names', deps);
    options.dependsOn = Object.freeze(deps.map((dep: unknown, i) => expectName(dep, `${join(field, 'dependsOn')}[${i}]`)));
  }
  return Object.freeze(options);
}

/**
 * Refuses `heartbeatTimeoutMs` for a child that has no `heartbeat()` (XState actor logic, a
 * child supervisor): its watchdog could only ever fire.
 */
export function refuseHeartbeat(options: ChildOptions, field: string, what: string): void {
  if (options.heartbeatTimeoutMs === undefined) return;
  throw new ConfigError(
    join(field, 'heartbeatTimeoutMs'),
    `${what} has no heartbeat() to call, so a heartbeat watchdog could only fire (received ${options.heartbeatTimeoutMs})`,
  );
}

function isActorLogic(value: unknown): value is AnyActorLogic {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { transition?: unknown }).transition === 'function' &&
    typeof (value as { getInitialSnapshot?: unknown }).getInitialSnapshot === 'function'
  );
}

/**
 * Makes a task child from an async function or any XState actor logic (a machine,
 * `fromPromise`, `fromCallback`, `fromObservable`, ...). Each attempt runs the work as a fresh
 * child actor; an XState child succeeds when it reaches a final state and fails when it errors.
 *
 * @param name - unique among its siblings; no `/`
 * @param run - the work: a {@link TaskFn} or actor logic
 * @param options - restart policy, backoff, retries, uptime reset, timeout, grace, heartbeat, dependencies;
 *   for actor logic also `input`, given to each attempt's actor (see {@link ActorTaskOptions})
 * @throws {@link ConfigError} naming the bad field, before anything starts (`options.input` for a
 *   function task)
 *
 * @example
 * ```ts
 * import { createSupervisor, task } from '@statevisor/core';
 *
 * const app = createSupervisor({
 *   children: [
 *     task('fetch', async ({ signal }) => fetchAll(signal), { restart: 'always', timeoutMs: 10_000 }),
 *     task('counter', counterMachine, { input: { start: 10 } }),
 *   ],
 * });
 * ```
 */
export function task<TOutput>(name: string, run: TaskFn<TOutput>, options?: ChildOptions): TaskSpec;
export function task<TLogic extends AnyActorLogic>(name: string, logic: TLogic, options?: ActorTaskOptions<TLogic>): TaskSpec;
export function task<TOutput>(
  name: string,
  run: TaskFn<TOutput> | AnyActorLogic,
  options?: ChildOptions | ActorTaskOptions,
): TaskSpec {
  const validName = expectName(name, 'name');
  const raw = options === undefined ? {} : expectObject(options, 'options');
  const validOptions = validateChildOptions(raw, 'options', ['input']);
  let work: TaskWork;
  if (typeof run === 'function') {
    refuseInput(raw, 'options', 'a function task');
    work = { kind: 'runner', runner: functionRunner(run) };
  } else if (isActorLogic(run)) {
    refuseHeartbeat(validOptions, 'options', 'an XState actor child');
    const input: unknown = raw['input'];
    work = Object.freeze(input === undefined ? { kind: 'actor', logic: run } : { kind: 'actor', logic: run, input });
  } else throw new ConfigError('run', `expected an async function or XState actor logic, received ${typeof run}`);
  return markBuilt(Object.freeze({ type: 'task', name: validName, work, options: validOptions }));
}

/**
 * Makes a task child from a {@link Runner}: the extension point for packages such as
 * `@statevisor/process`. The supervisor's policies apply unchanged.
 *
 * @example
 * ```ts
 * const spec = runnerTask('echo', async (ctx) => {
 *   ctx.started();
 *   ctx.output('hi', 'stdout');
 *   return { kind: 'completed' };
 * });
 * ```
 */
export function runnerTask(name: string, runner: Runner, options?: ChildOptions): TaskSpec {
  const validName = expectName(name, 'name');
  const validRunner = expectFunction<Runner>(runner, 'runner');
  const raw = options === undefined ? {} : expectObject(options, 'options');
  refuseInput(raw, 'options', 'a runner task');
  return markBuilt(Object.freeze({
    type: 'task' as const,
    name: validName,
    work: { kind: 'runner' as const, runner: validRunner },
    options: validateChildOptions(raw, 'options'),
  }));
}
