/**
 * Typed errors of Statevisor. Every class sets `name` to its class name and carries a
 * stable `code`, so callers can branch on `error.code` without `instanceof` across realms.
 *
 * @module
 */
import { printable } from './foreign.ts';

/**
 * Base class of every error Statevisor throws or rejects with.
 *
 * @example
 * ```ts
 * try {
 *   await app.add(task('dup', run));
 * } catch (error) {
 *   if (error instanceof StatevisorError) console.error(error.code, error.message);
 * }
 * ```
 */
export class StatevisorError extends Error {
  /** A stable machine-readable code, e.g. `ERR_TASK_EXISTS`. */
  readonly code: string;

  /**
   * @param code - the stable code of the error
   * @param message - a sentence for humans
   * @param options - standard `ErrorOptions` (`cause`)
   */
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A configuration value is invalid. Thrown synchronously, before anything starts; `field` is
 * the path of the bad option (e.g. `children[2].backoff.factor`) and the message quotes the value.
 *
 * @example
 * ```ts
 * try {
 *   task('x', run, { backoff: { firstMs: 10, maxMs: 5, factor: 2, jitter: 'none' } });
 * } catch (error) {
 *   if (error instanceof ConfigError) console.error(error.field); // 'backoff.firstMs'
 * }
 * ```
 */
export class ConfigError extends StatevisorError {
  /** Path of the invalid option, e.g. `children[0].backoff.factor`. */
  readonly field: string;

  /**
   * @param field - path of the invalid option
   * @param message - what is wrong, quoting the received value
   */
  constructor(field: string, message: string) {
    super('ERR_INVALID_CONFIG', `${field}: ${message}`);
    this.field = field;
  }
}

/**
 * A live sibling already has this name (including one still being removed).
 *
 * @example
 * ```ts
 * await app.add(task('web', run)).catch((error: unknown) => {
 *   if (error instanceof TaskAlreadyExistsError) console.log('already running:', error.path);
 * });
 * ```
 */
export class TaskAlreadyExistsError extends StatevisorError {
  /** The path that is taken. */
  readonly path: string;

  /** @param path - the path that is taken */
  constructor(path: string) {
    super('ERR_TASK_EXISTS', `a task named "${path}" already exists`);
    this.path = path;
  }
}

/**
 * No child was ever seen at this path (or its outcome was evicted), or, for `child()`, none is
 * live there. The message says how paths are written under the root: a root child's name, a
 * full path (`app/workers/a`) or a path relative to the root (`workers/a`).
 *
 * @example
 * ```ts
 * await app.outcome('nope').catch((error: unknown) => {
 *   if (error instanceof UnknownTaskError) console.log(error.code); // 'ERR_UNKNOWN_TASK'
 * });
 * ```
 */
export class UnknownTaskError extends StatevisorError {
  /** The path that was asked for. */
  readonly path: string;

  /**
   * @param path - the path that was asked for
   * @param root - the root's name, for a hint on how paths are written
   */
  constructor(path: string, root?: string) {
    super(
      'ERR_UNKNOWN_TASK',
      root === undefined
        ? `no task "${path}" is known to this supervisor`
        : `no task "${path}" is known to the supervisor "${root}" (name a child of the root ("web"), ` +
            `give a full path ("${root}/workers/a") or a path relative to the root ("workers/a"))`,
    );
    this.path = path;
  }
}

/**
 * The supervisor is shutting down (or has shut down) and admits no new work.
 *
 * @example
 * ```ts
 * await app.shutdown();
 * await app.add(task('late', run)).catch((error: unknown) => {
 *   if (error instanceof ShuttingDownError) console.log('too late');
 * });
 * ```
 */
export class ShuttingDownError extends StatevisorError {
  constructor() {
    super('ERR_SHUTTING_DOWN', 'the supervisor is shutting down and admits no new work');
  }
}

/**
 * An admission slot refused a submission (`app.submit`). `reason` says why:
 *
 * - `'queue-full'`: the slot is busy and `maxSlotQueue` submissions already wait in it;
 * - `'slot-busy'`: a `drop-if-running` submission found the slot busy;
 * - `'superseded'`: a later `replace` took this waiting submission's place;
 * - `'removed-from-queue'`: `remove` / `cancel` took it out of the queue before it started;
 * - `'shutting-down'`: shutdown began while it was waiting.
 *
 * The first two reject the `submit()` call itself. The others concern a submission that was
 * already admitted (its `submit()` resolved with the path): they publish `ControllerRejected` and
 * settle `app.outcome(path)` with `{ kind: 'rejected', reason }`.
 *
 * @example
 * ```ts
 * await app.submit(task('report', build), { slot: 'reports', admission: 'drop-if-running' }).catch((error: unknown) => {
 *   if (error instanceof ControllerRejectedError && error.reason === 'slot-busy') console.log('already building');
 * });
 * ```
 */
export class ControllerRejectedError extends StatevisorError {
  /** Why the slot refused the submission. */
  readonly reason: 'queue-full' | 'slot-busy' | 'superseded' | 'removed-from-queue' | 'shutting-down';
  /** The slot it was submitted to. */
  readonly slot: string;
  /** The path the submission would have had. */
  readonly path: string;

  /**
   * @param reason - why the slot refused it
   * @param slot - the slot it was submitted to
   * @param path - the path it would have had
   */
  constructor(
    reason: 'queue-full' | 'slot-busy' | 'superseded' | 'removed-from-queue' | 'shutting-down',
    slot: string,
    path: string,
  ) {
    super('ERR_CONTROLLER_REJECTED', `slot "${slot}" rejected "${path}": ${reason}`);
    this.reason = reason;
    this.slot = slot;
    this.path = path;
  }
}

/**
 * Thrown by a task to fail for good: the task is not retried, whatever its restart policy.
 *
 * @example
 * ```ts
 * task('migrate', async () => {
 *   if (!(await schemaIsKnown())) throw new FatalError('unknown schema version');
 * });
 * ```
 */
export class FatalError extends StatevisorError {
  /** An optional exit code reported with the failure. */
  readonly exitCode: number | undefined;

  /**
   * @param reason - why the task cannot succeed
   * @param options - `exitCode` to report and the standard `cause`
   */
  constructor(reason: string, options?: { exitCode?: number; cause?: unknown }) {
    // A reason that is not a string (from JavaScript callers) is printed without ever throwing.
    super('ERR_FATAL', printable(reason), options?.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options?.exitCode;
  }
}
