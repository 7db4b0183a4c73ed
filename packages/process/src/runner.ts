/**
 * The process runner: core's `Runner` contract for a process task. Each attempt takes the
 * child's environment, checks the working directory and resolves the command's path (when either
 * needs I/O), then hands over to a {@link ProcessAttempt}, which spawns and runs it.
 *
 * Cost notes (perf-baselines §7.4): when the command's path is already known and there is no
 * cwd to check, the attempt spawns synchronously, without an await.
 *
 * @module
 */
import type { Runner, RunnerContext, RunnerExit } from '@statevisor/core';
import { ProcessAttempt } from './attempt/process-attempt.ts';
import { cwdProblem, invalidCwd } from './attempt/spawn.ts';
import { knownCommandPath, resolveCommandPath } from './command-path.ts';
import type { ResolvedProcessConfig } from './config.ts';

const NOT_SPAWNED: RunnerExit = { kind: 'failed', reason: 'stopped before the process was spawned' };

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
