/**
 * The process runner: one attempt of a process task, implementing core's `Runner` contract.
 *
 * An attempt checks the working directory, spawns the command as the leader of its own process
 * group, splits its output into lines straight onto the bus, watches for the ready indicator,
 * and answers a stop (`ctx.signal`) with killSignal to the group, SIGKILL after killGraceMs,
 * and an immediate SIGKILL on a force-abort (`ctx.forceSignal`). It resolves once the leader has
 * exited and both pipes have closed (or drainTimeoutMs has passed), after killing whatever is
 * left of the group. It never rejects.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { Runner, RunnerContext, RunnerControl, RunnerExit, TimerHandle } from '@statevisor/core';
import { CommandResolver } from './command-path.ts';
import type { ResolvedProcessConfig } from './config.ts';
import { OutputStreamError, ReadyTimeoutError, SpawnError, WorkingDirectoryError } from './errors.ts';
import { LineSplitter } from './line-splitter.ts';
import { signalGroup, spawnGroup, trackGroup, untrackGroup } from './process-group.ts';

type Stream = 'stdout' | 'stderr';

/** A pending timer of the injected clock. */
interface Timer {
  readonly handle: TimerHandle;
}

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
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return 'UNKNOWN';
}

function invalidCwd(cwd: string, problem: string): RunnerExit {
  const error = new WorkingDirectoryError(cwd, problem);
  return { kind: 'invalid', code: error.code, message: error.message };
}

const NOT_SPAWNED: RunnerExit = { kind: 'failed', reason: 'stopped before the process was spawned' };

/**
 * Makes the {@link Runner} of a process task. One resolver per task remembers the command's path.
 *
 * @example
 * ```ts
 * const runner = processRunner(resolveProcessConfig({ command: 'sleep', args: ['1'] }));
 * const spec = runnerTask('nap', runner);
 * ```
 */
export function processRunner(config: ResolvedProcessConfig): Runner {
  const resolver = new CommandResolver(config.command);
  return async (ctx) => {
    if (ctx.signal.aborted) return NOT_SPAWNED;
    if (config.cwd !== undefined) {
      const problem = await cwdProblem(config.cwd);
      if (problem !== undefined) return invalidCwd(config.cwd, problem);
    }
    const env = environmentOf(config);
    const file = await resolver.resolve(env === undefined ? process.env['PATH'] : env['PATH']);
    // The awaits above leave room for a stop: spawn nothing then.
    if (isAborted(ctx.signal)) return NOT_SPAWNED;
    return new Promise<RunnerExit>((resolve) => {
      new ProcessAttempt(config, ctx, resolver, resolve).start(file, env);
    });
  };
}

function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** The child's environment: undefined means "the host's own", unchanged. */
function environmentOf(config: ResolvedProcessConfig): NodeJS.ProcessEnv | undefined {
  if (!config.inheritEnv) return { ...config.env };
  return config.env === undefined ? undefined : { ...process.env, ...config.env };
}

/** The state of one spawned attempt. */
class ProcessAttempt {
  readonly #config: ResolvedProcessConfig;
  readonly #ctx: RunnerContext;
  readonly #resolver: CommandResolver;
  readonly #resolve: (exit: RunnerExit) => void;

  #child: ChildProcess | undefined = undefined;
  #pgid = 0;
  #stdin: Writable | null = null;
  #stdinOpen = false;
  #paused = false;
  #terminating = false;
  #finished = false;
  #readyDone = false;
  #leaderExit: { readonly code: number | null; readonly signal: NodeJS.Signals | null } | undefined = undefined;
  /** A reason of our own to end the attempt as a failure (ready timeout, read error). */
  #failure: { readonly reason: string; readonly error: Error } | undefined = undefined;
  readonly #open = { stdout: false, stderr: false };
  readonly #splitters: { stdout: LineSplitter | undefined; stderr: LineSplitter | undefined } = {
    stdout: undefined,
    stderr: undefined,
  };
  #stderrTail: string[] = [];
  /** Reused for each chunk in 'lines' and 'none' modes (batches hand their array to the bus). */
  readonly #scratch: string[] = [];
  #killTimer: Timer | undefined = undefined;
  #drainTimer: Timer | undefined = undefined;
  #readyTimer: Timer | undefined = undefined;

  constructor(
    config: ResolvedProcessConfig,
    ctx: RunnerContext,
    resolver: CommandResolver,
    resolve: (exit: RunnerExit) => void,
  ) {
    this.#config = config;
    this.#ctx = ctx;
    this.#resolver = resolver;
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
      this.#stdin = child.stdin;
      this.#stdinOpen = true;
      child.stdin.on('error', () => {
        // EPIPE (the child closed its stdin) and friends: later writes return false.
        this.#stdinOpen = false;
      });
    }
    const ctx = this.#ctx;
    ctx.signal.addEventListener('abort', this.#onAbort, { once: true });
    ctx.forceSignal.addEventListener('abort', this.#onForce, { once: true });
    // Control first: a subscriber that sees TaskStarted may pause or write at once.
    ctx.setControl(this.#control());
    ctx.started({ pid });
    if (config.ready === undefined) {
      this.#readyDone = true;
      ctx.ready();
    } else if (config.readyTimeoutMs > 0) {
      this.#readyTimer = { handle: ctx.clock.setTimeout(this.#onReadyTimeout, config.readyTimeoutMs) };
    }
    if (ctx.forceSignal.aborted) this.#onForce();
    else if (ctx.signal.aborted) this.#onAbort();
  }

  // spawn failures -----------------------------------------------------------------------------

  #spawnFailed(thrown: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#resolver.forget();
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
    this.#open[stream] = true;
    const config = this.#config;
    const watchesReady = config.ready !== undefined && (config.readySource === 'any' || config.readySource === stream);
    // In 'none' mode stdout is only split when it may carry the ready line; stderr always is (stderrTail).
    if (config.output !== 'none' || stream === 'stderr' || watchesReady) {
      const splitter = new LineSplitter(config.maxLineBytes);
      this.#splitters[stream] = splitter;
      readable.on('data', (chunk: Buffer) => {
        const lines = config.output === 'batches' ? [] : this.#scratch;
        try {
          splitter.push(chunk, lines);
          this.#deliver(stream, lines);
        } catch (error) {
          // Never let a throw escape a stream handler into the host: end the attempt instead.
          lines.length = 0;
          this.#fail(new OutputStreamError(stream, error));
        }
      });
    } else {
      readable.on('data', ignore);
    }
    readable.on('end', () => {
      this.#streamDone(stream);
    });
    readable.on('close', () => {
      this.#streamDone(stream);
    });
    readable.on('error', (error: Error) => {
      this.#fail(new OutputStreamError(stream, error));
    });
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
        lines.length = 0;
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
        if (readyAt >= 0) this.#markReady();
        lines.length = 0;
        break;
      }
    }
  }

  #keepTail(lines: readonly string[]): void {
    if (lines.length >= STDERR_TAIL_LINES) {
      this.#stderrTail = lines.slice(lines.length - STDERR_TAIL_LINES);
      return;
    }
    const tail = this.#stderrTail;
    for (const line of lines) tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.splice(0, tail.length - STDERR_TAIL_LINES);
  }

  #markReady(): void {
    if (this.#readyDone) return;
    this.#readyDone = true;
    this.#clearTimer('ready');
    this.#ctx.ready();
  }

  /** End of one pipe (EOF, or closed): publish its final partial line. */
  #streamDone(stream: Stream): void {
    if (!this.#open[stream]) return;
    this.#open[stream] = false;
    this.#flush(stream);
    if (this.#leaderExit !== undefined && !this.#open.stdout && !this.#open.stderr) this.#finish();
  }

  #flush(stream: Stream): void {
    const splitter = this.#splitters[stream];
    if (splitter === undefined) return;
    this.#splitters[stream] = undefined;
    const lines = this.#config.output === 'batches' ? [] : this.#scratch;
    try {
      splitter.end(lines);
      this.#deliver(stream, lines);
    } catch (error) {
      lines.length = 0;
      const failure = new OutputStreamError(stream, error);
      this.#failure ??= { reason: failure.message, error: failure };
    }
  }

  // control -----------------------------------------------------------------------------------

  #control(): RunnerControl {
    const control: RunnerControl = {
      pause: () => {
        if (this.#paused || this.#terminating || this.#leaderExit !== undefined || this.#finished) return;
        if (!signalGroup(this.#pgid, 'SIGSTOP')) return;
        this.#paused = true;
        this.#ctx.control('pause');
      },
      resume: () => {
        if (!this.#paused || this.#finished) return;
        this.#paused = false;
        signalGroup(this.#pgid, 'SIGCONT');
        this.#ctx.control('resume');
      },
    };
    if (!this.#config.stdin) return control;
    // Only a task with `stdin: true` has write/closeStdin, so the child handle reports false otherwise.
    return {
      ...control,
      write: (data) => {
        const stdin = this.#stdin;
        if (!this.#stdinOpen || stdin === null || !stdin.writable) return false;
        try {
          stdin.write(data);
          return true;
        } catch {
          return false;
        }
      },
      closeStdin: () => {
        const stdin = this.#stdin;
        if (!this.#stdinOpen || stdin === null) return;
        this.#stdinOpen = false;
        stdin.end();
      },
    };
  }

  // stopping ----------------------------------------------------------------------------------

  /** The framework asked the attempt to stop (stop, remove, shutdown, strategy, timeout). */
  readonly #onAbort = (): void => {
    this.#terminate();
  };

  /** The framework gave up waiting: SIGKILL the group now. */
  readonly #onForce = (): void => {
    if (this.#finished) return;
    this.#terminating = true;
    this.#clearTimer('kill');
    signalGroup(this.#pgid, 'SIGKILL');
  };

  readonly #onReadyTimeout = (): void => {
    this.#readyTimer = undefined;
    if (this.#readyDone || this.#finished || this.#terminating) return;
    const config = this.#config;
    this.#fail(new ReadyTimeoutError(config.readyTimeoutMs, config.ready?.text ?? '', config.readySource));
  };

  /** killSignal to the group (SIGCONT first when paused), then SIGKILL after killGraceMs. */
  #terminate(): void {
    if (this.#terminating || this.#finished) return;
    this.#terminating = true;
    const pgid = this.#pgid;
    this.#ctx.control('stop');
    if (this.#paused) {
      this.#paused = false;
      signalGroup(pgid, 'SIGCONT');
    }
    signalGroup(pgid, this.#config.killSignal);
    const graceMs = this.#config.killGraceMs ?? this.#ctx.graceMs;
    if (graceMs <= 0) signalGroup(pgid, 'SIGKILL');
    else {
      this.#killTimer = {
        handle: this.#ctx.clock.setTimeout(() => {
          this.#killTimer = undefined;
          if (!this.#finished) signalGroup(pgid, 'SIGKILL');
        }, graceMs),
      };
    }
  }

  #onLeaderExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#leaderExit !== undefined) return;
    this.#leaderExit = { code, signal };
    this.#paused = false;
    if (!this.#open.stdout && !this.#open.stderr) {
      this.#finish();
      return;
    }
    // A grandchild may still hold a pipe: wait for it, but not for ever.
    const drainMs = this.#config.drainTimeoutMs;
    if (drainMs <= 0) this.#finish();
    else {
      this.#drainTimer = {
        handle: this.#ctx.clock.setTimeout(() => {
          this.#drainTimer = undefined;
          this.#finish();
        }, drainMs),
      };
    }
  }

  #clearTimer(which: 'kill' | 'drain' | 'ready'): void {
    const timer = which === 'kill' ? this.#killTimer : which === 'drain' ? this.#drainTimer : this.#readyTimer;
    if (timer === undefined) return;
    this.#ctx.clock.clearTimeout(timer.handle);
    if (which === 'kill') this.#killTimer = undefined;
    else if (which === 'drain') this.#drainTimer = undefined;
    else this.#readyTimer = undefined;
  }

  /** The leader has exited and the pipes are closed (or the drain timed out): clean up and report. */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#clearTimer('kill');
    this.#clearTimer('drain');
    this.#clearTimer('ready');
    const ctx = this.#ctx;
    ctx.signal.removeEventListener('abort', this.#onAbort);
    ctx.forceSignal.removeEventListener('abort', this.#onForce);
    // Whatever is left of the group (background children, a grandchild holding a pipe) dies now.
    signalGroup(this.#pgid, 'SIGKILL');
    untrackGroup(this.#pgid);
    this.#stdinOpen = false;
    // Publish what a still-open pipe had buffered, then let go of the pipes.
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.#open[stream]) {
        this.#open[stream] = false;
        this.#flush(stream);
      }
    }
    const child = this.#child;
    child?.stdout?.destroy();
    child?.stderr?.destroy();
    child?.stdin?.destroy();
    this.#resolve(this.#exit());
  }

  #exit(): RunnerExit {
    const leader = this.#leaderExit ?? { code: null, signal: null };
    const stderrTail = [...this.#stderrTail];
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
