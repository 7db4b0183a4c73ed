/**
 * The `Runner` contract: something that runs one attempt. Core ships the runner for async
 * functions; `@statevisor/process` implements the same contract for OS processes.
 *
 * @module
 */
import type { Clock } from './clock.ts';
import type { ControlAction, HealthProbe, OutputStream } from './events.ts';
import type { TaskOutcome } from './outcome.ts';

/**
 * What a task function receives for each attempt.
 *
 * @example
 * ```ts
 * task('poll', async ({ signal, attempt, ready, heartbeat }: TaskContext) => {
 *   ready();
 *   while (!signal.aborted) {
 *     await pollOnce(attempt);
 *     heartbeat(); // with { heartbeatTimeoutMs }: a poll that hangs gets the attempt restarted
 *   }
 * }, { heartbeatTimeoutMs: 30_000 });
 * ```
 */
export interface TaskContext {
  /** Aborted when the attempt must stop: `AbortError` for a stop, `TimeoutError` for a timeout. */
  readonly signal: AbortSignal;
  /** The attempt number, from 1. */
  readonly attempt: number;
  /** The child's name. */
  readonly name: string;
  /** The child's path in the tree, e.g. `app/workers/fetch`. */
  readonly path: string;
  /** Reports readiness (once per attempt; later calls are ignored). Safe to destructure. */
  readonly ready: () => void;
  /**
   * Tells the child's heartbeat watchdog (`heartbeatTimeoutMs`) that the attempt is alive. Cheap
   * (no event); a no-op when the child has no watchdog or the attempt has ended. Safe to
   * destructure.
   */
  readonly heartbeat: () => void;
}

/**
 * A control handle a runner exposes for its running attempt (processes: pause, resume, kill,
 * stdin). Every method is optional; `app.child(name)` forwards to the live attempt's handle.
 *
 * @example
 * ```ts
 * const control: RunnerControl = { pause: () => proc.kill('SIGSTOP') };
 * ```
 */
export interface RunnerControl {
  pause?(): void;
  resume?(): void;
  /**
   * Ends the attempt at once (a process runner: SIGKILL to the group). The supervisor calls it
   * when it force-aborts the attempt, before it aborts `ctx.forceSignal`.
   */
  kill?(): void;
  /**
   * Sends the signal `name` (e.g. `SIGHUP`) to the work (a process runner: to the whole group);
   * false when it could not be sent. The runner publishes the `ProcessControl` itself.
   */
  signal?(name: string): boolean;
  write?(data: string | Uint8Array): boolean;
  closeStdin?(): void;
}

/**
 * The context a {@link Runner} gets: the task context plus the reporting hooks. The hooks are
 * methods: call them on the context (`ctx.output(...)`); only `ready` may be passed on alone.
 *
 * @example
 * ```ts
 * const runner: Runner = async (ctx: RunnerContext) => {
 *   ctx.started({ pid: 42 });
 *   ctx.output('hello', 'stdout');
 *   return { kind: 'completed' };
 * };
 * ```
 */
export interface RunnerContext extends TaskContext {
  /**
   * Aborted when the framework gives up on the attempt (force-abort after the grace): the
   * runner must then end its work at once (a process runner sends SIGKILL to the group).
   */
  readonly forceSignal: AbortSignal;
  /**
   * The child's grace (ms) between a stop request and the force-abort: its own `graceMs`, else
   * the supervisor's default. `0`: a stop force-aborts at once.
   */
  readonly graceMs: number;
  /** The supervisor's clock: use it for every delay, so tests stay exact. */
  readonly clock: Clock;
  /**
   * Reports that the work has begun (publishes `TaskStarted`); call once, first. With
   * `ready: true` the work is ready as it starts: `TaskReady` follows in the same step, and a
   * later `ready()` is ignored. `pid` and `command` (the command line the attempt runs) show
   * in the attempt actor's snapshot context, where an inspector reads them.
   */
  started(info?: { readonly pid?: number; readonly ready?: boolean; readonly command?: string }): void;
  /**
   * Publishes one line of output (straight to the bus, never through a machine). A line is also
   * a heartbeat, when the child has a heartbeat watchdog.
   */
  output(line: string, stream: OutputStream): void;
  /** Publishes a chunk of complete lines as one `TaskOutputBatch` (also a heartbeat). */
  outputBatch(lines: readonly string[], stream: OutputStream): void;
  /**
   * Publishes a `ProcessControl` event for this attempt; `signal` names the signal of an
   * `action: 'signal'`.
   */
  control(action: ControlAction, signal?: string): void;
  /**
   * Publishes `HealthCheckFailed` for this attempt: a probe of the runner's own failed
   * (`failures`: in a row, in this attempt). Ending the attempt is the runner's business.
   */
  healthCheckFailed(probe: RunnerProbe, reason: string, failures: number): void;
  /**
   * Publishes `ProcessHelperUnavailable` for this attempt: its process group is not held by the
   * process helper (`reason` says why), so it would outlive a host killed by SIGKILL.
   */
  helperUnavailable(reason: string): void;
  /** Publishes `StdinClosed` for this attempt: its stdin no longer takes writes (`code`, e.g. `EPIPE`). */
  stdinClosed(error: { readonly code: string; readonly message: string }): void;
  /** Exposes the control handle of this attempt to `app.child(name)`. */
  setControl(control: RunnerControl): void;
}

/**
 * The probes a runner may report failing with {@link RunnerContext.healthCheckFailed}:
 * `'heartbeat'` belongs to core's own watchdog.
 *
 * @example
 * ```ts
 * ctx.healthCheckFailed('liveness', 'GET http://127.0.0.1:8080/ answered 503', 1);
 * ```
 */
export type RunnerProbe = Exclude<HealthProbe, 'heartbeat'>;

/**
 * How one attempt ended, as a runner reports it. A runner never rejects: it returns one of these.
 *
 * @example
 * ```ts
 * const exit: RunnerExit = { kind: 'failed', reason: 'exited with code 3', exitCode: 3 };
 * ```
 */
export type RunnerExit =
  | { readonly kind: 'completed'; readonly output?: unknown; readonly exitCode?: number }
  | {
      readonly kind: 'failed';
      readonly reason: string;
      readonly exitCode?: number;
      readonly signal?: string;
      readonly error?: Error;
      readonly stderrTail?: readonly string[];
      /** For a child supervisor that gave up: the outcome of the child whose failure started it. */
      readonly cause?: TaskOutcome;
    }
  | {
      readonly kind: 'fatal';
      readonly reason: string;
      readonly exitCode?: number;
      readonly error?: Error;
      /** A process's last stderr lines (an exit code in `fatalExitCodes`). */
      readonly stderrTail?: readonly string[];
    }
  | { readonly kind: 'invalid'; readonly code: string; readonly message: string };

/**
 * Runs one attempt. It resolves when the work has ended (for a process: the leader exited
 * and its pipes closed) and must never reject.
 *
 * @example
 * ```ts
 * const sleepRunner: Runner = (ctx) =>
 *   new Promise((resolve) => {
 *     ctx.started();
 *     const timer = setTimeout(() => resolve({ kind: 'completed' }), 100);
 *     ctx.signal.addEventListener('abort', () => {
 *       clearTimeout(timer);
 *       resolve({ kind: 'failed', reason: 'aborted' });
 *     });
 *   });
 * ```
 */
export type Runner = (ctx: RunnerContext) => Promise<RunnerExit>;

/**
 * A task function: receives the attempt's context, resolves with its output on success,
 * rejects (or throws) to fail; `throw new FatalError(...)` fails for good.
 *
 * @example
 * ```ts
 * const fetchJob: TaskFn<string> = async ({ signal }) => (await fetch(url, { signal })).text();
 * ```
 */
export type TaskFn<TOutput = unknown> = (context: TaskContext) => Promise<TOutput> | TOutput;
