/**
 * The process runner: one attempt of a process task, implementing core's `Runner` contract.
 *
 * An attempt checks the working directory, spawns the command as the leader of its own process
 * group, splits its output into lines straight onto the bus, watches for the ready indicator,
 * and answers a stop (`ctx.signal`, or `stop()` of its control handle) with killSignal to the
 * group, SIGKILL after killGraceMs, and an immediate SIGKILL on a force-abort (`kill()` of
 * its control handle). It resolves once the leader has exited and both pipes have closed (or
 * drainTimeoutMs has passed), after killing whatever is left of the group. It never rejects.
 *
 * Cost notes (perf-baselines §7.4: the work right after a `spawn()` runs on a cold, freshly
 * forked heap): when the command's path is already known and there is no cwd to check, the
 * attempt spawns synchronously, without an await; line splitters (and their decoders) are made
 * at a pipe's first chunk, so a quiet process has none; the per-chunk line array is shared.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { describeThrown } from '@statevisor/core';
import type { Runner, RunnerContext, RunnerControl, RunnerExit, TimerHandle } from '@statevisor/core';
import { forgetCommandPath, knownCommandPath, resolveCommandPath } from './command-path.ts';
import type { ResolvedProcessConfig } from './config.ts';
import { OutputStreamError, ReadyTimeoutError, SpawnError, WorkingDirectoryError } from './errors.ts';
import { LineSplitter } from './line-splitter.ts';
import { signalGroup, spawnGroup, trackGroup, untrackGroup } from './process-group.ts';

type Stream = 'stdout' | 'stderr';

/** No pending timer (a clock's handle may be any value, so `undefined` cannot mean "none"). */
const NO_TIMER: unique symbol = Symbol('no timer');

/**
 * How many stderr lines a failure keeps (`stderrTail`).
 *
 * @example
 * ```ts
 * outcome.stderrTail?.length; // at most STDERR_TAIL_LINES
 * ```
 */
export const STDERR_TAIL_LINES = 20;

/** Why a working directory cannot be used, or undefined when it can. */
async function cwdProblem(cwd: string): Promise<string | undefined> {
  try {
    return (await stat(cwd)).isDirectory() ? undefined : 'is not a directory';
  } catch (error) {
    const code = errnoOf(error);
    return code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : `cannot be used (${code})`;
  }
}

function errnoOf(error: unknown): string {
  try {
    if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  } catch {
    // A value whose properties cannot be read has no errno.
  }
  return 'UNKNOWN';
}

function invalidCwd(cwd: string, problem: string): RunnerExit {
  const error = new WorkingDirectoryError(cwd, problem);
  return { kind: 'invalid', code: error.code, message: error.message };
}

const NOT_SPAWNED: RunnerExit = { kind: 'failed', reason: 'stopped before the process was spawned' };

/**
 * The line array lent to one chunk in 'lines' and 'none' modes (their lines are published, or
 * dropped, before the handler returns). A nested delivery (a subscriber that makes another pipe
 * deliver synchronously) finds it lent out and uses an array of its own.
 */
let spareLines: string[] | undefined = [];

function borrowLines(): string[] {
  const lines = spareLines ?? [];
  spareLines = undefined;
  return lines;
}

function returnLines(lines: string[]): void {
  lines.length = 0;
  spareLines = lines;
}

/**
 * Makes the {@link Runner} of a process task. The command's path is resolved through `PATH`
 * once per host process (per command and `PATH`) and shared by every task that runs it.
 *
 * @example
 * ```ts
 * const runner = processRunner(resolveProcessConfig({ command: 'sleep', args: ['1'] }));
 * const spec = runnerTask('nap', runner);
 * ```
 */
export function processRunner(config: ResolvedProcessConfig): Runner {
  return (ctx) => {
    if (ctx.signal.aborted) return Promise.resolve(NOT_SPAWNED);
    const env = environmentOf(config);
    const searchPath = env === undefined ? process.env['PATH'] : env['PATH'];
    if (config.cwd === undefined) {
      const file = knownCommandPath(config.command, searchPath);
      // Nothing to wait for: spawn now, in the same turn as the attempt's start.
      if (file !== undefined) return runAttempt(config, ctx, file, env, searchPath);
    }
    return prepareThenRun(config, ctx, env, searchPath);
  };
}

/** Checks the working directory and resolves the command (both need I/O), then spawns. */
async function prepareThenRun(
  config: ResolvedProcessConfig,
  ctx: RunnerContext,
  env: NodeJS.ProcessEnv | undefined,
  searchPath: string | undefined,
): Promise<RunnerExit> {
  if (config.cwd !== undefined) {
    const problem = await cwdProblem(config.cwd);
    if (problem !== undefined) return invalidCwd(config.cwd, problem);
  }
  const file = await resolveCommandPath(config.command, searchPath);
  // The awaits above leave room for a stop: spawn nothing then.
  if (isAborted(ctx.signal)) return NOT_SPAWNED;
  return runAttempt(config, ctx, file, env, searchPath);
}

function runAttempt(
  config: ResolvedProcessConfig,
  ctx: RunnerContext,
  file: string,
  env: NodeJS.ProcessEnv | undefined,
  searchPath: string | undefined,
): Promise<RunnerExit> {
  return new Promise<RunnerExit>((resolve) => {
    new ProcessAttempt(config, ctx, searchPath, resolve).start(file, env);
  });
}

function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** The child's environment: undefined means "the host's own", unchanged. */
function environmentOf(config: ResolvedProcessConfig): NodeJS.ProcessEnv | undefined {
  if (!config.inheritEnv) return { ...config.env };
  return config.env === undefined ? undefined : { ...process.env, ...config.env };
}

/**
 * The control handle of an attempt (`app.child(name)` forwards to it): one field, the methods
 * on the prototype.
 */
class AttemptControl implements RunnerControl {
  protected readonly attempt: ProcessAttempt;

  constructor(attempt: ProcessAttempt) {
    this.attempt = attempt;
  }

  pause(): void {
    this.attempt.pause();
  }

  resume(): void {
    this.attempt.resume();
  }

  stop(): void {
    this.attempt.stop();
  }

  kill(): void {
    this.attempt.kill();
  }
}

/** Only a task with `stdin: true` has write/closeStdin, so the child handle reports false otherwise. */
class StdinAttemptControl extends AttemptControl {
  write(data: string | Uint8Array): boolean {
    return this.attempt.write(data);
  }

  closeStdin(): void {
    this.attempt.closeStdin();
  }
}

/** The state of one spawned attempt. */
class ProcessAttempt {
  readonly #config: ResolvedProcessConfig;
  readonly #ctx: RunnerContext;
  /** The `PATH` the command was resolved with (forgotten there after a spawn error). */
  readonly #searchPath: string | undefined;
  readonly #resolve: (exit: RunnerExit) => void;

  #child: ChildProcess | undefined = undefined;
  #pgid = 0;
  #stdinOpen = false;
  #paused = false;
  #terminating = false;
  #finished = false;
  #readyDone = false;
  #stdoutOpen = false;
  #stderrOpen = false;
  #leaderExit: { readonly code: number | null; readonly signal: NodeJS.Signals | null } | undefined = undefined;
  /** A reason of our own to end the attempt as a failure (ready timeout, read error). */
  #failure: { readonly reason: string; readonly error: Error } | undefined = undefined;
  /** Made at a pipe's first chunk; dropped once the pipe is done. */
  #stdoutSplitter: LineSplitter | undefined = undefined;
  #stderrSplitter: LineSplitter | undefined = undefined;
  /** The last stderr lines, once there are any. */
  #stderrTail: string[] | undefined = undefined;
  #killTimer: TimerHandle = NO_TIMER;
  #drainTimer: TimerHandle = NO_TIMER;
  #readyTimer: TimerHandle = NO_TIMER;

  constructor(
    config: ResolvedProcessConfig,
    ctx: RunnerContext,
    searchPath: string | undefined,
    resolve: (exit: RunnerExit) => void,
  ) {
    this.#config = config;
    this.#ctx = ctx;
    this.#searchPath = searchPath;
    this.#resolve = resolve;
  }

  /** Spawns the leader; everything after `spawn()` up to the first event is kept small. */
  start(file: string, env: NodeJS.ProcessEnv | undefined): void {
    const config = this.#config;
    let child: ChildProcess;
    try {
      child = spawnGroup(file, config.args, { argv0: config.command, cwd: config.cwd, env, stdin: config.stdin });
    } catch (error) {
      this.#spawnFailed(error);
      return;
    }
    this.#child = child;
    const pid = child.pid;
    if (pid === undefined) {
      // ENOENT, EACCES, EAGAIN...: Node reports them as an 'error' event on the next tick.
      child.once('error', (error) => {
        this.#spawnFailed(error);
      });
      child.stdout?.on('error', ignore);
      child.stderr?.on('error', ignore);
      child.stdin?.on('error', ignore);
      return;
    }
    this.#pgid = pid;
    trackGroup(pid);
    child.on('exit', (code, signal) => {
      this.#onLeaderExit(code, signal);
    });
    // Errors after the spawn (a failed kill, ...) must never reach the host as 'error'.
    child.on('error', ignore);
    this.#wire('stdout', child.stdout);
    this.#wire('stderr', child.stderr);
    if (config.stdin && child.stdin !== null) {
      this.#stdinOpen = true;
      child.stdin.on('error', (error: unknown) => {
        this.#onStdinError(error);
      });
    }
    const ctx = this.#ctx;
    ctx.signal.addEventListener('abort', this.#onAbort, { once: true });
    // Control first: a subscriber that sees TaskStarted may pause or write at once. A
    // force-abort comes through the control's kill().
    ctx.setControl(config.stdin ? new StdinAttemptControl(this) : new AttemptControl(this));
    // Without a ready indicator the process is ready as it starts: one step reports both.
    const readyNow = config.ready === undefined;
    if (readyNow) this.#readyDone = true;
    ctx.started({ pid, ready: readyNow });
    if (!readyNow && config.readyTimeoutMs > 0) {
      this.#readyTimer = ctx.clock.setTimeout(() => {
        this.#onReadyTimeout();
      }, config.readyTimeoutMs);
    }
    if (ctx.signal.aborted) this.#terminate();
  }

  // spawn failures -----------------------------------------------------------------------------

  #spawnFailed(thrown: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    forgetCommandPath(this.#config.command, this.#searchPath);
    const errno = errnoOf(thrown);
    const cwd = this.#config.cwd;
    // A cwd removed between the check and the spawn also shows up as ENOENT: report it as such.
    if (errno === 'ENOENT' && cwd !== undefined) {
      void cwdProblem(cwd).then(
        (problem) => {
          this.#resolve(problem === undefined ? this.#spawnExit(errno, thrown) : invalidCwd(cwd, problem));
        },
        () => {
          this.#resolve(this.#spawnExit(errno, thrown));
        },
      );
      return;
    }
    this.#resolve(this.#spawnExit(errno, thrown));
  }

  #spawnExit(errno: string, thrown: unknown): RunnerExit {
    const error = new SpawnError(this.#config.command, errno, thrown);
    return { kind: 'failed', reason: error.message, error };
  }

  // output ------------------------------------------------------------------------------------

  #wire(stream: Stream, readable: Readable | null): void {
    if (readable === null) return;
    if (stream === 'stdout') this.#stdoutOpen = true;
    else this.#stderrOpen = true;
    const config = this.#config;
    const watchesReady = config.ready !== undefined && (config.readySource === 'any' || config.readySource === stream);
    // In 'none' mode stdout is only split when it may carry the ready line; stderr always is (stderrTail).
    if (config.output !== 'none' || stream === 'stderr' || watchesReady) {
      readable.on('data', (chunk: Buffer) => {
        this.#onData(stream, chunk);
      });
    } else {
      // Unread output still proves the process alive: a heartbeat per chunk.
      const { heartbeat } = this.#ctx;
      readable.on('data', () => {
        heartbeat();
      });
    }
    // One listener for the pipe's end: 'end' (EOF) and 'close' (closed, with or without an EOF:
    // the first one counts) carry no argument or a boolean, 'error' carries the error.
    const ended = (error?: unknown): void => {
      if (error === undefined || typeof error === 'boolean') this.#streamDone(stream);
      else this.#fail(new OutputStreamError(stream, error));
    };
    readable.on('end', ended);
    readable.on('close', ended);
    readable.on('error', ended);
  }

  #onData(stream: Stream, chunk: Buffer): void {
    if (!this.#isOpen(stream)) return;
    const batches = this.#config.output === 'batches';
    // Batches hand their array to the bus; the other modes are done with theirs on return.
    const lines = batches ? [] : borrowLines();
    try {
      this.#splitterOf(stream).push(chunk, lines);
      this.#deliver(stream, lines);
    } catch (error) {
      // Never let a throw escape a stream handler into the host: end the attempt instead.
      this.#fail(new OutputStreamError(stream, error));
    } finally {
      if (!batches) returnLines(lines);
    }
  }

  #isOpen(stream: Stream): boolean {
    return stream === 'stdout' ? this.#stdoutOpen : this.#stderrOpen;
  }

  #splitterOf(stream: Stream): LineSplitter {
    if (stream === 'stdout') return (this.#stdoutSplitter ??= new LineSplitter(this.#config.maxLineBytes));
    return (this.#stderrSplitter ??= new LineSplitter(this.#config.maxLineBytes));
  }

  /** Ends the attempt as a failure of our own: the group is stopped, the exit reports `error`. */
  #fail(error: Error): void {
    if (this.#finished) return;
    this.#failure ??= { reason: error.message, error };
    this.#terminate();
  }

  /** Publishes complete lines; a matching ready line is published before `ready()`. */
  #deliver(stream: Stream, lines: string[]): void {
    const count = lines.length;
    if (count === 0) return;
    if (stream === 'stderr') this.#keepTail(lines);
    const ctx = this.#ctx;
    const config = this.#config;
    let readyAt = -1;
    const matcher = config.ready;
    if (!this.#readyDone && matcher !== undefined && (config.readySource === 'any' || config.readySource === stream)) {
      for (let i = 0; i < count; i++) {
        if (matcher.test(lines[i] as string)) {
          readyAt = i;
          break;
        }
      }
    }
    switch (config.output) {
      case 'lines': {
        for (let i = 0; i < count; i++) {
          ctx.output(lines[i] as string, stream);
          if (i === readyAt) this.#markReady();
        }
        break;
      }
      case 'batches': {
        if (readyAt < 0) ctx.outputBatch(lines, stream);
        else {
          ctx.outputBatch(readyAt === count - 1 ? lines : lines.slice(0, readyAt + 1), stream);
          this.#markReady();
          if (readyAt < count - 1) ctx.outputBatch(lines.slice(readyAt + 1), stream);
        }
        break;
      }
      case 'none': {
        // Nothing is published, but the lines are still heartbeats.
        ctx.heartbeat();
        if (readyAt >= 0) this.#markReady();
        break;
      }
    }
  }

  #keepTail(lines: readonly string[]): void {
    if (lines.length >= STDERR_TAIL_LINES) {
      this.#stderrTail = lines.slice(lines.length - STDERR_TAIL_LINES);
      return;
    }
    const tail = (this.#stderrTail ??= []);
    for (const line of lines) tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.splice(0, tail.length - STDERR_TAIL_LINES);
  }

  #markReady(): void {
    if (this.#readyDone) return;
    this.#readyDone = true;
    this.#readyTimer = this.#cancelTimer(this.#readyTimer);
    this.#ctx.ready();
  }

  /** End of one pipe (EOF, or closed): publish its final partial line. */
  #streamDone(stream: Stream): void {
    if (!this.#isOpen(stream)) return;
    if (stream === 'stdout') this.#stdoutOpen = false;
    else this.#stderrOpen = false;
    this.#flush(stream);
    if (this.#leaderExit !== undefined && !this.#stdoutOpen && !this.#stderrOpen) this.#finish();
  }

  #flush(stream: Stream): void {
    const splitter = stream === 'stdout' ? this.#stdoutSplitter : this.#stderrSplitter;
    // No splitter: the pipe never delivered a byte, so nothing is buffered.
    if (splitter === undefined) return;
    if (stream === 'stdout') this.#stdoutSplitter = undefined;
    else this.#stderrSplitter = undefined;
    const batches = this.#config.output === 'batches';
    const lines = batches ? [] : borrowLines();
    try {
      splitter.end(lines);
      this.#deliver(stream, lines);
    } catch (error) {
      const failure = new OutputStreamError(stream, error);
      this.#failure ??= { reason: failure.message, error: failure };
    } finally {
      if (!batches) returnLines(lines);
    }
  }

  // control (through AttemptControl) ---------------------------------------------------------

  pause(): void {
    if (this.#paused || this.#terminating || this.#leaderExit !== undefined || this.#finished) return;
    if (!signalGroup(this.#pgid, 'SIGSTOP')) return;
    this.#paused = true;
    this.#ctx.control('pause');
  }

  resume(): void {
    if (!this.#paused || this.#finished) return;
    this.#paused = false;
    signalGroup(this.#pgid, 'SIGCONT');
    this.#ctx.control('resume');
  }

  /**
   * What the abort of `ctx.signal` does, asked for through the control handle (so that the
   * framework can signal the process before it has updated its own state): killSignal to the
   * group, SIGKILL after killGraceMs (default `ctx.graceMs`). Idempotent, and a no-op once a
   * stop (of either kind) has begun or the attempt has ended.
   */
  stop(): void {
    this.#terminate();
  }

  /** The framework gave up waiting (force-abort): SIGKILL the group now. */
  kill(): void {
    if (this.#finished) return;
    this.#terminating = true;
    this.#killTimer = this.#cancelTimer(this.#killTimer);
    signalGroup(this.#pgid, 'SIGKILL');
  }

  write(data: string | Uint8Array): boolean {
    const stdin = this.#child?.stdin;
    if (!this.#stdinOpen || stdin === null || stdin === undefined || !stdin.writable) return false;
    try {
      stdin.write(data);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * EPIPE (the process closed its stdin) and any other error of the pipe: later writes return
   * false, and `StdinClosed` says so once, unless the attempt closed stdin itself or has ended.
   */
  #onStdinError(error: unknown): void {
    if (!this.#stdinOpen) return;
    this.#stdinOpen = false;
    if (this.#finished) return;
    const code = errnoOf(error);
    const message = describeThrown(error);
    this.#ctx.stdinClosed({ code, message });
  }

  closeStdin(): void {
    const stdin = this.#child?.stdin;
    if (!this.#stdinOpen || stdin === null || stdin === undefined) return;
    this.#stdinOpen = false;
    stdin.end();
  }

  // stopping ----------------------------------------------------------------------------------

  /** The listener of `ctx.signal`: the framework asked the attempt to stop (stop, remove, shutdown, strategy, timeout). */
  readonly #onAbort = (): void => {
    this.#terminate();
  };

  #onReadyTimeout(): void {
    this.#readyTimer = NO_TIMER;
    if (this.#readyDone || this.#finished || this.#terminating) return;
    const config = this.#config;
    this.#fail(new ReadyTimeoutError(config.readyTimeoutMs, config.ready?.text ?? '', config.readySource));
  }

  /**
   * killSignal to the group (SIGCONT first when paused), then SIGKILL after killGraceMs. A
   * killGraceMs of 0 (given, or the child's `graceMs: 0`) is SIGKILL at once, with no killSignal.
   *
   * The SIGKILL timer is armed for a stop through `ctx.signal` too, although the framework then
   * force-aborts the attempt (SIGKILL, `kill()`) after its own grace: a
   * second stop request re-arms the framework's grace from that moment, so only this timer keeps
   * the SIGKILL at killGraceMs after the first one (a restart followed by a shutdown, say).
   */
  #terminate(): void {
    if (this.#terminating || this.#finished) return;
    this.#terminating = true;
    const pgid = this.#pgid;
    const ctx = this.#ctx;
    const graceMs = this.#config.killGraceMs ?? ctx.graceMs;
    // The signals before the event: the process starts dying while subscribers run.
    if (graceMs <= 0) {
      signalGroup(pgid, 'SIGKILL');
      this.#paused = false;
      ctx.control('stop');
      return;
    }
    if (this.#paused) {
      this.#paused = false;
      signalGroup(pgid, 'SIGCONT');
    }
    signalGroup(pgid, this.#config.killSignal);
    ctx.control('stop');
    this.#killTimer = ctx.clock.setTimeout(() => {
      this.#killTimer = NO_TIMER;
      if (!this.#finished) signalGroup(pgid, 'SIGKILL');
    }, graceMs);
  }

  #onLeaderExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#leaderExit !== undefined) return;
    this.#leaderExit = { code, signal };
    this.#paused = false;
    if (!this.#stdoutOpen && !this.#stderrOpen) {
      this.#finish();
      return;
    }
    // A grandchild may still hold a pipe: wait for it, but not for ever.
    const drainMs = this.#config.drainTimeoutMs;
    if (drainMs <= 0) this.#finish();
    else {
      this.#drainTimer = this.#ctx.clock.setTimeout(() => {
        this.#drainTimer = NO_TIMER;
        this.#finish();
      }, drainMs);
    }
  }

  /** Clears `handle` (when it is a pending timer); returns {@link NO_TIMER} to store. */
  #cancelTimer(handle: TimerHandle): typeof NO_TIMER {
    if (handle !== NO_TIMER) this.#ctx.clock.clearTimeout(handle);
    return NO_TIMER;
  }

  /** The leader has exited and the pipes are closed (or the drain timed out): clean up and report. */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#killTimer = this.#cancelTimer(this.#killTimer);
    this.#drainTimer = this.#cancelTimer(this.#drainTimer);
    this.#readyTimer = this.#cancelTimer(this.#readyTimer);
    // The abort listeners stay: they do nothing once finished, they go with the attempt's
    // signals, and removing them costs more than the rest of this method.
    // Whatever is left of the group (background children, a grandchild holding a pipe) dies now.
    // Usually nothing is (ESRCH): signalGroup makes that cheap.
    signalGroup(this.#pgid, 'SIGKILL');
    untrackGroup(this.#pgid);
    this.#stdinOpen = false;
    // Publish what a still-open pipe had buffered, then let go of the pipes.
    if (this.#stdoutOpen) {
      this.#stdoutOpen = false;
      this.#flush('stdout');
    }
    if (this.#stderrOpen) {
      this.#stderrOpen = false;
      this.#flush('stderr');
    }
    const child = this.#child;
    child?.stdout?.destroy();
    child?.stderr?.destroy();
    child?.stdin?.destroy();
    this.#resolve(this.#exit());
  }

  #exit(): RunnerExit {
    const leader = this.#leaderExit ?? { code: null, signal: null };
    const stderrTail = this.#stderrTail === undefined ? [] : [...this.#stderrTail];
    const how: { exitCode?: number; signal?: string } = {};
    if (leader.code !== null) how.exitCode = leader.code;
    if (leader.signal !== null) how.signal = leader.signal;
    const failure = this.#failure;
    if (failure !== undefined) {
      return { kind: 'failed', reason: failure.reason, error: failure.error, stderrTail, ...how };
    }
    if (leader.code === 0) return { kind: 'completed', exitCode: 0 };
    if (leader.code !== null) {
      return { kind: 'failed', reason: `${this.#config.command} exited with code ${leader.code}`, stderrTail, ...how };
    }
    const by = leader.signal ?? 'an unknown signal';
    const reason = this.#terminating
      ? `${this.#config.command} was stopped by ${by}`
      : `${this.#config.command} was killed by ${by}, which nobody asked for`;
    return { kind: 'failed', reason, stderrTail, ...how };
  }
}

function ignore(): void {
  // Deliberately nothing: the error is handled (or irrelevant) elsewhere.
}
