/** Runs an async task function as a {@link Runner}: never rejects, maps throws to exits. */
import { FatalError } from '../errors.ts';
import type { Runner, RunnerExit, TaskFn } from '../runner.ts';
import { describeThrown, toError } from '../foreign.ts';

function failureOf(thrown: unknown): RunnerExit {
  const error = toError(thrown);
  const reason = describeThrown(error);
  if (error instanceof FatalError) {
    const { exitCode } = error;
    return typeof exitCode === 'number' ? { kind: 'fatal', reason, exitCode, error } : { kind: 'fatal', reason, error };
  }
  return { kind: 'failed', reason, error };
}

/** Wraps `fn` so that a synchronous throw, a rejection and a resolution all become a RunnerExit. */
export function functionRunner(fn: TaskFn): Runner {
  return async (ctx) => {
    ctx.started();
    try {
      const output: unknown = await fn({
        signal: ctx.signal,
        attempt: ctx.attempt,
        name: ctx.name,
        path: ctx.path,
        ready: ctx.ready,
        heartbeat: ctx.heartbeat,
      });
      return { kind: 'completed', output };
    } catch (thrown) {
      return failureOf(thrown);
    }
  };
}
