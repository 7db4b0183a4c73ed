/**
 * `--exit-when-done`: waits until every process has ended for good.
 *
 * @module
 */
import { filter, firstValueFrom } from 'rxjs';
import type { Supervisor, TaskOutcome } from '@statevisor/core';

/**
 * The outcome of the process at `path`, waiting for it to be added first when it is not yet
 * known (the processes of a nested group are added once the group has started).
 */
async function outcomeOf(app: Supervisor, path: string): Promise<TaskOutcome> {
  const full = `${app.name}/${path}`;
  const added = firstValueFrom(app.events$.pipe(filter((event) => event.kind === 'TaskAdded' && event.task === full)), { defaultValue: undefined });
  try {
    return await app.outcome(path);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ERR_UNKNOWN_TASK')) throw error;
    await added;
    return app.outcome(path);
  }
}

/**
 * Resolves once every process in `paths` has ended for good, with true when all of them
 * completed.
 *
 * @param app - the started supervisor
 * @param paths - the processes, relative to the root
 * @returns whether every one completed
 *
 * @example
 * ```ts
 * const allCompleted = await whenDone(app, ['build', 'workers/a']);
 * ```
 */
export async function whenDone(app: Supervisor, paths: readonly string[]): Promise<boolean> {
  const outcomes = await Promise.all(paths.map((path) => outcomeOf(app, path)));
  return outcomes.every((outcome) => outcome.kind === 'completed');
}
