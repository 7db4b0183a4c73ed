/**
 * An attempt's probes: the readiness probe (until its first success, for the {@link ReadyWatch}),
 * the liveness probe and the memory sampler of `maxMemoryBytes` (for as long as the attempt
 * runs). A liveness probe that fails `failureThreshold` times in a row, or one memory sample
 * above the limit, publishes its `HealthCheckFailed` and then fails the attempt with a
 * {@link HealthCheckError}. Probes hold while the group is paused, and stop when the attempt
 * stops or its leader exits.
 *
 * @module
 */
import type { RunnerContext, RunnerProbe } from '@statevisor/core';
import type { ResolvedProcessConfig } from '../config.ts';
import { HealthCheckError } from '../errors.ts';
import { checkFor } from '../probes/check-for.ts';
import type { ExecPlace } from '../probes/exec.ts';
import { MEMORY_SAMPLE_MS, memoryCheck } from '../probes/memory.ts';
import { ProbeLoop } from '../probes/scheduler.ts';
import type { ProbeCheck, ProbeObserver, ProbeSchedule } from '../probes/scheduler.ts';
import type { ReadyWatch } from './ready.ts';

/**
 * What an {@link AttemptProbes} asks of its attempt.
 *
 * @example
 * ```ts
 * const host: HealthHost = { fail: (error) => { attempt.fail(error); } };
 * ```
 */
export interface HealthHost {
  /** A probe gave up on the attempt: stop it (killSignal, grace) and end it as a failure with `error`. */
  fail(error: HealthCheckError): void;
}

/**
 * True when the configuration has a probe or a memory limit (else an attempt needs no
 * {@link AttemptProbes}).
 *
 * @example
 * ```ts
 * const probes = hasProbes(config) ? new AttemptProbes(config, ctx, ready, attempt) : undefined;
 * ```
 */
export function hasProbes(config: ResolvedProcessConfig): boolean {
  return config.readinessProbe !== undefined || config.livenessProbe !== undefined || config.maxMemoryBytes !== undefined;
}

/**
 * The probes of one attempt, started once its process group exists.
 *
 * @example
 * ```ts
 * const probes = new AttemptProbes(config, ctx, ready, attempt);
 * probes.start(pid, { cwd: config.cwd, env });
 * // when the attempt stops or ends:
 * probes.stop();
 * ```
 */
export class AttemptProbes {
  readonly #config: ResolvedProcessConfig;
  readonly #ctx: RunnerContext;
  readonly #ready: ReadyWatch | undefined;
  readonly #host: HealthHost;
  readonly #loops: ProbeLoop[] = [];
  #stopped = false;

  /** @param ready - the attempt's ready watch: the readiness probe reports to it */
  constructor(config: ResolvedProcessConfig, ctx: RunnerContext, ready: ReadyWatch | undefined, host: HealthHost) {
    this.#config = config;
    this.#ctx = ctx;
    this.#ready = ready;
    this.#host = host;
  }

  /** Starts every probe of the configuration, timed from now; `pgid` is the attempt's group. */
  start(pgid: number, place: ExecPlace): void {
    const config = this.#config;
    const readiness = config.readinessProbe;
    const ready = this.#ready;
    if (readiness !== undefined && ready !== undefined) {
      // Until its first success only: we route no traffic, so once ready is ready (decisions.md).
      const loop = this.#run(checkFor(readiness.target, place), readiness, {
        passed: () => {
          loop.stop();
          ready.probePassed();
        },
        failed: (reason) => {
          ready.probeFailed(reason);
        },
      });
    }
    const liveness = config.livenessProbe;
    if (liveness !== undefined) this.#watch('liveness', checkFor(liveness.target, place), liveness, liveness.failureThreshold);
    const maxBytes = config.maxMemoryBytes;
    if (maxBytes !== undefined) {
      const sampling = { initialDelayMs: MEMORY_SAMPLE_MS, periodMs: MEMORY_SAMPLE_MS, timeoutMs: Number.POSITIVE_INFINITY };
      // Like pm2's max_memory_restart: the first sample above the limit is enough (decisions.md).
      this.#watch('memory', memoryCheck(pgid, maxBytes), sampling, 1);
    }
  }

  /**
   * Holds every probe while the process group is paused: a stopped process cannot answer, and
   * the user asked for it. The next checks run `periodMs` after {@link AttemptProbes.release}.
   */
  hold(): void {
    for (const loop of this.#loops) loop.hold();
  }

  /** Resumes the probes after {@link AttemptProbes.hold}. */
  release(): void {
    for (const loop of this.#loops) loop.release();
  }

  /** Stops every probe (idempotent): nothing of them outlives the attempt. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const loop of this.#loops) loop.stop();
  }

  /** A probe that publishes each failure and fails the attempt at `threshold` in a row. */
  #watch(probe: RunnerProbe, check: ProbeCheck, schedule: ProbeSchedule, threshold: number): void {
    this.#run(check, schedule, {
      passed: noop,
      failed: (reason, failures) => {
        this.#ctx.healthCheckFailed(probe, reason, failures);
        if (failures >= threshold && !this.#stopped) this.#host.fail(new HealthCheckError(probe, reason, failures));
      },
    });
  }

  #run(check: ProbeCheck, schedule: ProbeSchedule, observer: ProbeObserver): ProbeLoop {
    const loop = new ProbeLoop(check, schedule, this.#ctx.clock, observer);
    this.#loops.push(loop);
    loop.start();
    return loop;
  }
}

function noop(): void {
  // A success of a liveness or memory probe only resets its count (the loop does that).
}
