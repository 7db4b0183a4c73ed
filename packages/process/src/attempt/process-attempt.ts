/**
 * The lifecycle of one attempt of a process task, tying its parts together: it spawns the
 * command as the leader of its own process group ({@link spawnLeader}), reads its output
 * ({@link AttemptOutput}, {@link ReadyWatch}), hands core its control handle
 * ({@link AttemptControl}), and answers a stop (the abort of `ctx.signal`) with
 * killSignal to the group, SIGKILL after killGraceMs, and an immediate SIGKILL on a force-abort
 * (`kill()` of the handle). It resolves once the leader has exited and both pipes have closed
 * (or drainTimeoutMs has passed), after killing whatever is left of the group, with what
 * {@link attemptExit} makes of it. It never rejects.
 *
 * @module
 */
import type { RunnerContext, RunnerExit, TimerHandle } from '@statevisor/core';
import type { ResolvedProcessConfig } from '../config.ts';
import { ProcessHelperError } from '../keeper/process-helper-error.ts';
import type { SpawnTicket } from '../keeper/host-keeper.ts';
import type { SpawnedLeader } from '../keeper/keeper-client.ts';
import { signalGroup, trackGroup, untrackGroup } from '../process-group.ts';
import { AttemptControl, StdinAttemptControl } from './control.ts';
import type { ControlledAttempt } from './control.ts';
import { attemptExit } from './exit.ts';
import { AttemptProbes, hasProbes } from './health.ts';
import type { AttemptFailure, LeaderExit } from './exit.ts';
import { AttemptOutput } from './output.ts';
import type { OutputHost } from './output.ts';
import { ReadyWatch } from './ready.ts';
import type { ReadyHost } from './ready.ts';
import { reportSpawnFailure, spawnLeader } from './spawn.ts';
import { StdinPipe } from './stdin.ts';
import { NO_TIMER, cancelTimer } from '../timers.ts';

/**
 * One attempt: made, then started once with the resolved command path.
 *
 * @example
 * ```ts
 * const exit = await new Promise<RunnerExit>((resolve) => {
 *   new ProcessAttempt(config, ctx, process.env['PATH'], resolve).start('/usr/bin/sleep', undefined);
 * });
 * ```
 */
export class ProcessAttempt implements ControlledAttempt, OutputHost, ReadyHost {
  readonly #config: ResolvedProcessConfig;
  readonly #ctx: RunnerContext;
  /** The `PATH` the command was resolved with (forgotten there after a spawn error). */
  readonly #searchPath: string | undefined;
  readonly #resolve: (exit: RunnerExit) => void;
  /** Undefined without a ready indicator or a readiness probe: the attempt is then ready as it starts. */
  readonly #ready: ReadyWatch | undefined;
  readonly #output: AttemptOutput;
  /** Undefined without probes and memory limit. */
  readonly #probes: AttemptProbes | undefined;

  #leader: SpawnedLeader | undefined = undefined;
  #ticket: SpawnTicket | undefined = undefined;
  #pgid = 0;
  /** Only with `stdin: true`. */
  #stdin: StdinPipe | undefined = undefined;
  #paused = false;
  #terminating = false;
  #finished = false;
  #leaderExit: LeaderExit | undefined = undefined;
  /** A reason of our own to end the attempt as a failure (ready timeout, read error). */
  #failure: AttemptFailure | undefined = undefined;
  /** The signals sent with `signal()`, once there are any. */
  #sentSignals: Set<string> | undefined = undefined;
  #killTimer: TimerHandle = NO_TIMER;
  #drainTimer: TimerHandle = NO_TIMER;

  /** @param searchPath - the `PATH` the command was resolved with */
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
    // Made before the spawn: the work right after it runs on a cold, freshly forked heap.
    this.#ready = config.ready === undefined && config.readinessProbe === undefined ? undefined : new ReadyWatch(config, ctx);
    this.#output = new AttemptOutput(config, ctx, this.#ready, this);
    this.#probes = hasProbes(config) ? new AttemptProbes(config, ctx, this.#ready, this) : undefined;
  }

  /** Spawns the leader (through the process helper, when there is one). */
  start(file: string, env: NodeJS.ProcessEnv | undefined): void {
    this.#ticket = spawnLeader(file, this.#config, env, this.#config.killGraceMs ?? this.#ctx.graceMs, {
      spawned: (leader) => {
        this.#onSpawned(leader, env);
      },
      failed: (error) => {
        this.#spawnFailed(error);
      },
      exited: (code, signal) => {
        this.#onLeaderExit(code, signal);
      },
      lost: (reason) => {
        this.noteFailure(new ProcessHelperError(reason));
        this.#onLeaderExit(null, 'SIGKILL');
      },
    });
  }

  /** The leader runs: everything from here up to the first event is kept small. */
  #onSpawned(leader: SpawnedLeader, env: NodeJS.ProcessEnv | undefined): void {
    const config = this.#config;
    const pid = leader.pid;
    this.#leader = leader;
    this.#pgid = pid;
    trackGroup(pid);
    const output = this.#output;
    output.wire('stdout', leader.stdout);
    output.wire('stderr', leader.stderr);
    if (config.stdin && leader.stdin !== null) this.#stdin = new StdinPipe(leader.stdin, this.#ctx);
    const ctx = this.#ctx;
    ctx.signal.addEventListener('abort', this.#onAbort, { once: true });
    // Control first: a subscriber that sees TaskStarted may pause or write at once. A
    // force-abort comes through the control's kill().
    ctx.setControl(config.stdin ? new StdinAttemptControl(this) : new AttemptControl(this));
    // Without a ready indicator the process is ready as it starts: one step reports both.
    const ready = this.#ready;
    ctx.started({ pid, ready: ready === undefined, command: config.commandLine });
    if (leader.unguarded !== undefined) ctx.helperUnavailable(leader.unguarded);
    ready?.arm(this);
    this.#probes?.start(pid, { cwd: config.cwd, env });
    if (ctx.signal.aborted) this.#terminate();
  }

  #spawnFailed(thrown: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    reportSpawnFailure(this.#config, this.#searchPath, thrown, this.#resolve);
  }

  // failures (from the output and the ready watch) ---------------------------------------------

  /** Ends the attempt as a failure of our own: the group is stopped, the exit reports `error`. */
  fail(error: Error): void {
    if (this.#finished) return;
    this.noteFailure(error);
    this.#terminate();
  }

  /** The attempt fails with `error` (the first such error wins), however it ends. */
  noteFailure(error: Error): void {
    this.#failure ??= { reason: error.message, error };
  }

  readyTimedOut(error: Error): void {
    if (this.#finished || this.#terminating) return;
    this.fail(error);
  }

  pipesClosed(): void {
    if (this.#leaderExit !== undefined) this.#finish();
  }

  // control (through AttemptControl) ---------------------------------------------------------

  pause(): void {
    if (this.#paused || this.#terminating || this.#leaderExit !== undefined || this.#finished) return;
    if (!signalGroup(this.#pgid, 'SIGSTOP')) return;
    this.#paused = true;
    this.#probes?.hold();
    this.#ctx.control('pause');
  }

  resume(): void {
    if (!this.#paused || this.#finished) return;
    this.#paused = false;
    signalGroup(this.#pgid, 'SIGCONT');
    this.#probes?.release();
    this.#ctx.control('resume');
  }

  /** The framework gave up waiting (force-abort): SIGKILL the group now. */
  kill(): void {
    if (this.#finished) return;
    this.#terminating = true;
    this.#killTimer = cancelTimer(this.#ctx.clock, this.#killTimer);
    signalGroup(this.#pgid, 'SIGKILL');
  }

  /** `signal(name)` of the handle: `name` to the group, while the attempt is neither ending nor ended. */
  signal(name: NodeJS.Signals): boolean {
    if (this.#terminating || this.#leaderExit !== undefined || this.#finished) return false;
    if (!signalGroup(this.#pgid, name)) return false;
    (this.#sentSignals ??= new Set()).add(name);
    this.#ctx.control('signal', name);
    return true;
  }

  write(data: string | Uint8Array): boolean {
    return this.#stdin?.write(data) ?? false;
  }

  closeStdin(): void {
    this.#stdin?.close();
  }

  // stopping ----------------------------------------------------------------------------------

  /** The listener of `ctx.signal`: the framework asked the attempt to stop (stop, remove, shutdown, strategy, timeout). */
  readonly #onAbort = (): void => {
    this.#terminate();
  };

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
    this.#probes?.stop();
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
    // The leader's exit decides the attempt: a probe failing while the pipes drain must not.
    this.#probes?.stop();
    if (this.#output.closed) {
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

  /** The leader has exited and the pipes are closed (or the drain timed out): clean up and report. */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const clock = this.#ctx.clock;
    this.#killTimer = cancelTimer(clock, this.#killTimer);
    this.#drainTimer = cancelTimer(clock, this.#drainTimer);
    this.#ready?.cancel();
    this.#probes?.stop();
    // The abort listeners stay: they do nothing once finished, they go with the attempt's
    // signals, and removing them costs more than the rest of this method.
    // Whatever is left of the group (background children, a grandchild holding a pipe) dies now.
    // Usually nothing is (ESRCH): signalGroup makes that cheap.
    signalGroup(this.#pgid, 'SIGKILL');
    untrackGroup(this.#pgid);
    this.#ticket?.release();
    this.#stdin?.release();
    // Publish what a still-open pipe had buffered, then let go of the pipes.
    this.#output.close();
    const leader = this.#leader;
    leader?.stdout?.destroy();
    leader?.stderr?.destroy();
    leader?.stdin?.destroy();
    this.#resolve(
      attemptExit(this.#config, {
        leaderExit: this.#leaderExit,
        failure: this.#failure,
        stopped: this.#terminating,
        sentSignals: this.#sentSignals,
        stderrTail: this.#output.stderrTail,
      }),
    );
  }
}
