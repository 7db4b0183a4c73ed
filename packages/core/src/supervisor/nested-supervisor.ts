/**
 * What is particular to a child supervisor: it runs as the attempt of a task in its parent, so
 * each attempt creates a fresh runtime and machine (an empty window, its children added again),
 * reports its start, and follows its attempt's stop and force-abort signals.
 */
import type { AnyActorRef } from 'xstate';
import type { TerminateReason } from '../events.ts';
import type { ResolvedDefaults } from '../spec/supervisor-options.ts';
import type { NestedSupervisorOptions } from '../spec/supervisor-spec.ts';
import type { NestedAttemptContext, TaskWork } from '../spec/task.ts';
import type { ChildEntry } from './child-entry.ts';
import { nestedDefaults } from './child-policy.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { RuntimeDeps, TreeServices } from './runtime-types.ts';
import type { SupervisorHost } from './supervisor-machine.ts';
import { createSupervisorLogic } from './supervisor-machine.ts';

/** What a child supervisor's attempt does when its parent's signals arrive. */
export interface ParentSignals {
  /** The parent stops this incarnation (`shutdown`, or `cleanup` for any other stop). */
  stop(reason: TerminateReason): void;
  /** The parent force-aborted this incarnation. */
  force(): void;
  /** Start the children. */
  start(): void;
}

/**
 * Binds a child supervisor's machine to its attempt: its steps are flushed like its children's,
 * it reports the attempt started, and follows the attempt's signals.
 *
 * @example
 * ```ts
 * followParent(attempt, self, dispatcher, { stop: (reason) => stopAll(reason), force: forceAll, start });
 * ```
 */
export function followParent(attempt: NestedAttemptContext, self: AnyActorRef, dispatcher: Dispatcher, on: ParentSignals): void {
  self.subscribe({ next: dispatcher.flush, error: ignore });
  attempt.started();
  attempt.signal.addEventListener('abort', () => {
    on.stop(attempt.stopReason() === 'shutdown' ? 'shutdown' : 'cleanup');
    dispatcher.flush();
  });
  attempt.forceSignal.addEventListener('abort', () => {
    dispatcher.defer(() => {
      on.force();
    });
    dispatcher.flush();
  });
  // Start the children once the task machine has taken `attempt.started` (it is queued behind
  // the step that is spawning this supervisor), so TaskStarted comes before their events.
  queueMicrotask(() => {
    on.start();
  });
}

/**
 * The work of a child supervisor's task: each attempt makes a fresh runtime (with `create`) and
 * runs its supervisor machine. The runtime is put on `ref` (and on its entry once it exists).
 *
 * @example
 * ```ts
 * const work = nestedWork('app/group', spec.supervisor, defaults, tree, ref, (deps) => new SupervisorRuntime(deps));
 * ```
 */
export function nestedWork<R extends SupervisorHost>(
  path: string,
  options: NestedSupervisorOptions,
  parentDefaults: ResolvedDefaults,
  tree: TreeServices,
  ref: { entry: ChildEntry<R> | undefined; nested: R | undefined },
  create: (deps: RuntimeDeps) => R,
): TaskWork {
  return {
    kind: 'nested',
    create: (context) => {
      const runtime = create({
        path,
        options: {
          strategy: options.strategy,
          intensity: options.intensity,
          maxConcurrent: options.maxConcurrent,
          defaults: nestedDefaults(parentDefaults, options),
          children: options.children,
        },
        tree,
        attempt: context,
      });
      // XState resolves the first attempt while the task actor is being created, before the
      // entry exists: keep the runtime on the ref too.
      ref.nested = runtime;
      if (ref.entry !== undefined) ref.entry.nested = runtime;
      return { logic: createSupervisorLogic(runtime), input: undefined };
    },
  };
}

function ignore(): void {}
