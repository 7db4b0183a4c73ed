/**
 * Typed errors of `@statevisor/process`. Each sets `name` to its class name and carries a stable
 * `code`, like every Statevisor error.
 *
 * @module
 */
import { ConfigError, StatevisorError, describeThrown } from '@statevisor/core';
import type { RunnerProbe } from '@statevisor/core';

/**
 * A process task's configuration is invalid. Thrown synchronously by `processTask()`, before
 * anything is spawned. It is a core {@link ConfigError} (code `ERR_INVALID_CONFIG`): `field` is
 * the path of the bad option (e.g. `config.env`, `config.args[2]`) and the message says what is
 * wrong. The values of `env` are never quoted.
 *
 * @example
 * ```ts
 * try {
 *   processTask('web', { command: '' });
 * } catch (error) {
 *   if (error instanceof ProcessConfigError) console.error(error.field); // 'config.command'
 * }
 * ```
 */
export class ProcessConfigError extends ConfigError {}

/**
 * Process tasks do not run on this platform (Windows). Thrown by `processTask()`.
 *
 * @example
 * ```ts
 * try {
 *   processTask('web', { command: 'node', args: ['server.js'] });
 * } catch (error) {
 *   if (error instanceof UnsupportedPlatformError) console.error(error.platform); // 'win32'
 * }
 * ```
 */
export class UnsupportedPlatformError extends StatevisorError {
  /** The platform that is not supported (`process.platform`). */
  readonly platform: string;

  /** @param platform - the platform that is not supported */
  constructor(platform: string) {
    super(
      'ERR_UNSUPPORTED_PLATFORM',
      `process tasks are not supported on ${platform}: they need POSIX process groups and signals (Linux or macOS)`,
    );
    this.platform = platform;
  }
}

/**
 * The command could not be spawned (`ENOENT`, `EACCES`, ...). It is the `error` of the attempt's
 * failure (`TaskFailed`, then the outcome), which is retried by the restart policy.
 *
 * @example
 * ```ts
 * const outcome = await app.outcome('tool');
 * if (outcome.error instanceof SpawnError) console.error(outcome.error.errno); // 'ENOENT'
 * ```
 */
export class SpawnError extends StatevisorError {
  /** The command as configured. */
  readonly command: string;
  /** The system error code, e.g. `ENOENT` or `EACCES`. */
  readonly errno: string;

  /**
   * @param command - the command as configured
   * @param errno - the system error code
   * @param cause - the underlying error from `child_process.spawn`
   */
  constructor(command: string, errno: string, cause?: unknown) {
    super('ERR_SPAWN_FAILED', `spawn ${JSON.stringify(command)} failed: ${errno}${describeErrno(errno)}`, {
      cause,
    });
    this.command = command;
    this.errno = errno;
  }
}

/**
 * What a {@link ProcessExitError} says about the process that ended.
 *
 * @example
 * ```ts
 * const details: ProcessExitDetails = { command: 'sh', args: ['-c', 'exit 3'], exitCode: 3, signal: undefined, stderrTail: [] };
 * ```
 */
export interface ProcessExitDetails {
  readonly command: string;
  readonly args: readonly string[];
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stderrTail: readonly string[];
}

/**
 * A process ended in a way that fails its attempt: an exit code outside `successExitCodes`
 * (fatal when it is in `fatalExitCodes`) or death by a signal. It is the outcome's `error`; its
 * message is the attempt's `reason`, which reads like execa's: the command line (cut at 100
 * characters), how it ended, and the last stderr line.
 *
 * @example
 * ```ts
 * const outcome = await app.outcome('job');
 * if (outcome.error instanceof ProcessExitError) {
 *   console.error(outcome.error.message); // sh -c "echo boom >&2; exit 3" exited with code 3: boom
 *   console.error(outcome.error.exitCode, outcome.error.stderrTail); // 3 ['boom']
 * }
 * ```
 */
export class ProcessExitError extends StatevisorError {
  /** The code of this error. */
  static readonly CODE = 'ERR_PROCESS_EXIT';
  /** The command as configured. */
  readonly command: string;
  /** Its arguments as configured. */
  readonly args: readonly string[];
  /** The exit code of a natural exit; undefined when the process was killed by a signal. */
  readonly exitCode: number | undefined;
  /** The signal that killed the process (e.g. `'SIGSEGV'`); undefined for a natural exit. */
  readonly signal: string | undefined;
  /** The last stderr lines (at most 20), oldest first; empty when there were none. */
  readonly stderrTail: readonly string[];

  /**
   * @param reason - the attempt's reason, which becomes the message
   * @param details - the command, its arguments and how it ended
   */
  constructor(reason: string, details: ProcessExitDetails) {
    super(ProcessExitError.CODE, reason);
    this.command = details.command;
    this.args = details.args;
    this.exitCode = details.exitCode;
    this.signal = details.signal;
    this.stderrTail = details.stderrTail;
  }
}

/**
 * The working directory is missing or is not a directory when an attempt starts. The attempt
 * ends with `TaskError { error: { code: 'ERR_INVALID_CWD' } }`, then `ActorDead` (outcome
 * `fatal`): it is never retried.
 *
 * @example
 * ```ts
 * app.events$.subscribe((event) => {
 *   if (event.kind === 'TaskError' && event.error.code === WorkingDirectoryError.CODE) console.error(event.error.message);
 * });
 * ```
 */
export class WorkingDirectoryError extends StatevisorError {
  /** The code of this error, also the `code` of its `TaskError` event. */
  static readonly CODE = 'ERR_INVALID_CWD';
  /** The working directory as configured. */
  readonly cwd: string;

  /**
   * @param cwd - the working directory as configured
   * @param problem - what is wrong with it, e.g. `does not exist`
   */
  constructor(cwd: string, problem: string) {
    super(WorkingDirectoryError.CODE, `working directory ${JSON.stringify(cwd)} ${problem}`);
    this.cwd = cwd;
  }
}

/**
 * The attempt was not ready within `readyTimeoutMs`: no line matched the ready indicator, or the
 * readiness probe never succeeded (the message then names its last failure). The process group
 * is stopped and the attempt fails with this as its `error` (retried by the restart policy).
 *
 * @example
 * ```ts
 * const outcome = await app.outcome('web');
 * if (outcome.error instanceof ReadyTimeoutError) console.error(`not ready after ${outcome.error.readyTimeoutMs}ms`);
 * ```
 */
export class ReadyTimeoutError extends StatevisorError {
  /** The configured `readyTimeoutMs`. */
  readonly readyTimeoutMs: number;
  /** The readiness probe's last failure, when it had one and never succeeded. */
  readonly lastProbeFailure: string | undefined;

  /**
   * @param readyTimeoutMs - the configured `readyTimeoutMs`
   * @param missing - what did not happen, e.g. `no line on stdout matched "listening"`
   * @param lastProbeFailure - the readiness probe's last failure, if it is what was missing
   */
  constructor(readyTimeoutMs: number, missing: string, lastProbeFailure?: string) {
    super('ERR_READY_TIMEOUT', `not ready within ${readyTimeoutMs}ms: ${missing}`);
    this.readyTimeoutMs = readyTimeoutMs;
    this.lastProbeFailure = lastProbeFailure;
  }
}

/**
 * A liveness probe failed `failureThreshold` times in a row, or the process group's resident
 * memory went above `maxMemoryBytes`. The group was stopped like a stop (killSignal, then SIGKILL
 * after the grace) and the attempt fails with this as its `error` (retried by the restart policy).
 *
 * @example
 * ```ts
 * const outcome = await app.outcome('web');
 * if (outcome.error instanceof HealthCheckError) console.error(outcome.error.probe, outcome.error.lastFailure);
 * // 'liveness' 'GET http://127.0.0.1:8080/health answered 503'
 * ```
 */
export class HealthCheckError extends StatevisorError {
  /** The code of this error. */
  static readonly CODE = 'ERR_HEALTH_CHECK';
  /** The probe that failed: `'liveness'` or `'memory'`. */
  readonly probe: RunnerProbe;
  /** How many checks in a row had failed. */
  readonly failures: number;
  /** The reason of the last failed check. */
  readonly lastFailure: string;

  /**
   * @param probe - the probe that failed
   * @param lastFailure - the reason of the last failed check
   * @param failures - how many checks in a row had failed
   */
  constructor(probe: RunnerProbe, lastFailure: string, failures: number) {
    super(
      HealthCheckError.CODE,
      probe === 'memory'
        ? `memory limit exceeded: ${lastFailure}`
        : `${probe} probe failed ${failures === 1 ? 'once' : `${failures} times in a row`}: ${lastFailure}`,
    );
    this.probe = probe;
    this.failures = failures;
    this.lastFailure = lastFailure;
  }
}

/**
 * Reading the process's stdout or stderr failed. The process group is stopped and the attempt
 * fails with this as its `error`.
 *
 * @example
 * ```ts
 * const outcome = await app.outcome('tool');
 * if (outcome.error instanceof OutputStreamError) console.error(outcome.error.stream);
 * ```
 */
export class OutputStreamError extends StatevisorError {
  /** The stream that failed. */
  readonly stream: 'stdout' | 'stderr';

  /**
   * @param stream - the stream that failed
   * @param cause - the stream's error
   */
  constructor(stream: 'stdout' | 'stderr', cause: unknown) {
    super('ERR_OUTPUT_STREAM', `reading ${stream} failed: ${describeThrown(cause)}`, {
      cause,
    });
    this.stream = stream;
  }
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOEXEC: 'exec format error',
  ENOTDIR: 'not a directory',
  EAGAIN: 'resource temporarily unavailable',
  ENOMEM: 'out of memory',
  E2BIG: 'argument list too long',
};

function describeErrno(errno: string): string {
  const text = ERRNO_TEXT[errno];
  return text === undefined ? '' : ` (${text})`;
}

/**
 * The errno of a thrown value (`error.code`, e.g. `'ENOENT'`), or `'UNKNOWN'` when it has none.
 * Never throws, even for a value whose properties cannot be read.
 *
 * @example
 * ```ts
 * errnoOf(Object.assign(new Error('spawn sh ENOENT'), { code: 'ENOENT' })); // 'ENOENT'
 * errnoOf('boom'); // 'UNKNOWN'
 * ```
 */
export function errnoOf(error: unknown): string {
  try {
    if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  } catch {
    // A value whose properties cannot be read has no errno.
  }
  return 'UNKNOWN';
}
