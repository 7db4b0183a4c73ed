/**
 * `createSupervisor`: the public facade over the supervisor machine, its runtime and the bus.
 * It wires them together and returns the {@link Supervisor} handle (supervisor-handle.ts);
 * signal handling is in signals.ts.
 *
 * @module
 */
import { createActor } from 'xstate';
import { nowOf } from './clock.ts';
import { EventBus } from './bus/event-bus.ts';
import { asPromise, describeThrown } from './foreign.ts';
import { ShutdownOnSignals } from './signals.ts';
import type { Supervisor } from './supervisor-handle.ts';
import type { ShutdownResult } from './supervisor/supervisor-runtime.ts';
import { DecisionLog } from './supervisor/decision-log.ts';
import { cancelChild, findChild, incarnationOf, removeChild, restartChild } from './supervisor/child-commands.ts';
import { SupervisorRuntime } from './supervisor/supervisor-runtime.ts';
import { createSupervisorLogic } from './supervisor/supervisor-machine.ts';
import { Dispatcher } from './supervisor/dispatcher.ts';
import { OutcomeStore } from './supervisor/outcome-store.ts';
import { SlotController } from './supervisor/admission-slots.ts';
import { validateSubmitOptions } from './supervisor/submit-options.ts';
import { createChildHandle } from './supervisor/child-handle.ts';
import { expectNameOrPath, resolveNodePath, rootChildName } from './supervisor/node-path.ts';
import type { ChildSpec, SupervisorOptions } from './spec/supervisor-options.ts';
import { resolveSupervisorOptions, validateAddedSpec } from './spec/supervisor-options.ts';

function stateName(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Validates the options and builds a supervisor. It publishes and runs nothing until
 * `start()`.
 *
 * @param options - see {@link SupervisorOptions}
 * @throws {@link ConfigError} naming the bad field, before anything starts
 *
 * @example
 * ```ts
 * import { createSupervisor, task, FatalError } from '@statevisor/core';
 *
 * const app = createSupervisor({
 *   name: 'app',
 *   maxConcurrent: 4,
 *   children: [
 *     task('flaky', async ({ attempt }) => {
 *       if (attempt < 3) throw new Error('not yet');
 *       return 'ok';
 *     }, { restart: 'on-failure', backoff: { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'full' } }),
 *   ],
 * });
 * app.events$.subscribe((event) => console.log(event.seq, event.kind, event.task));
 * await app.start();
 * await app.outcome('flaky');
 * await app.shutdown();
 * ```
 */
export function createSupervisor(options?: SupervisorOptions): Supervisor {
  const resolved = resolveSupervisorOptions(options);
  const { clock } = resolved;
  const bus = new EventBus({ clock, path: resolved.name });
  const dispatcher = new Dispatcher(
    (draft) => {
      bus.publish(draft);
    },
    (error: unknown) => {
      bus.publish({
        kind: 'ActorDead',
        task: resolved.name,
        outcome: 'fatal',
        reason: `internal error in the supervisor: ${describeThrown(error)}`,
      });
    },
  );
  const runtime = new SupervisorRuntime({
    path: resolved.name,
    options: resolved,
    tree: {
      dispatcher,
      outcomes: new OutcomeStore(),
      decisions: new DecisionLog(),
      clock,
      now: nowOf(clock),
      random: resolved.random,
    },
  });
  // The root's actor is named by its path, like every task machine below it (DESIGN §3).
  const actor = createActor(createSupervisorLogic(runtime), {
    id: resolved.name,
    systemId: resolved.name,
    clock,
    ...(resolved.inspect === undefined ? {} : { inspect: resolved.inspect }),
  });
  // An error observer keeps XState from reporting a root error to the host as unhandled.
  actor.subscribe({
    next: dispatcher.flush,
    error: (error: unknown) => {
      bus.publish({
        kind: 'ActorDead',
        task: resolved.name,
        outcome: 'fatal',
        reason: `internal error in the supervisor machine: ${describeThrown(error)}`,
      });
    },
  });
  const closeEvents = (): Promise<void> => bus.close(resolved.subscriberDrainMs);

  let actorStarted = false;
  const ensureActor = (): void => {
    if (actorStarted) return;
    actorStarted = true;
    actor.start();
  };

  /** The path of the root child `name` (slots hold root children only). */
  const childPath = (name: string): string => `${resolved.name}/${name}`;
  const controller = new SlotController(
    {
      add(spec) {
        ensureActor();
        return runtime.add(spec);
      },
      remove: (name) => removeChild(runtime, childPath(name), 'user-requested'),
      onRemoved(name, listener) {
        runtime.onRemoved(name, listener);
      },
      publish: dispatcher.publishNow,
      pathOf: childPath,
      outcome: (path) => runtime.outcome(path),
      reject(path, reason) {
        // A queued submission may share its name with the live occupant it waits behind.
        if (findChild(runtime, path) === undefined) runtime.reject(path, reason);
      },
    },
    resolved.maxSlotQueue,
  );
  /** A waiting submission (always a root child) named by `path` is taken out of its queue. */
  const cancelQueued = (path: string): boolean => {
    const name = rootChildName(resolved.name, path);
    return name !== undefined && controller.cancelQueued(name);
  };
  /** The full path of a name-or-path argument; ConfigError when it is not a non-empty string. */
  const pathOf = (nameOrPath: unknown): string => resolveNodePath(resolved.name, expectNameOrPath(nameOrPath));

  let started = false;
  const signals = new ShutdownOnSignals(() => shutdown());
  let shutdownPromise: Promise<ShutdownResult> | undefined;
  const shutdown = (): Promise<ShutdownResult> => {
    // The one memo of shutdown: concurrent and late callers get the very same promise.
    shutdownPromise ??= (async () => {
      ensureActor();
      started = true;
      try {
        // Waiting submissions never start once shutdown begins.
        controller.rejectAll();
        return await runtime.shutdown(closeEvents);
      } finally {
        signals.remove();
      }
    })();
    return shutdownPromise;
  };

  /** Validates a spec for `add` / `submit` against the live siblings; throws ConfigError naming the field. */
  const validateSpec = (spec: unknown): ChildSpec => validateAddedSpec(spec, resolved.defaults, (name) => runtime.hasChild(name));

  const supervisor: Supervisor = {
    name: resolved.name,
    events$: bus.events$,
    actor,
    start() {
      if (started || runtime.shuttingDown) return Promise.resolve();
      started = true;
      ensureActor();
      if (resolved.handleSignals) signals.install();
      runtime.start();
      return Promise.resolve();
    },
    subscribe: (subscribeOptions) => bus.subscribe(subscribeOptions),
    // Everything add() and submit() refuse is a rejection, never a synchronous throw.
    add: (spec) =>
      asPromise(() => {
        const valid = validateSpec(spec);
        ensureActor();
        return runtime.add(valid);
      }),
    submit: (spec, submitOptions) =>
      asPromise(() => {
        const options = validateSubmitOptions(submitOptions);
        const valid = validateSpec(spec);
        // Admission closed by another route (the root gave up): nothing waits any more.
        if (runtime.shuttingDown) controller.rejectAll();
        return controller.submit(valid, options);
      }),
    remove: (nameOrPath) =>
      asPromise(() => {
        const path = pathOf(nameOrPath);
        return cancelQueued(path) || removeChild(runtime, path, 'user-requested');
      }),
    cancel: (nameOrPath) =>
      asPromise(() => {
        const path = pathOf(nameOrPath);
        return cancelQueued(path) ? true : cancelChild(runtime, path);
      }),
    restart: (nameOrPath) => asPromise(() => restartChild(runtime, pathOf(nameOrPath))),
    child: (nameOrPath) => createChildHandle(incarnationOf(runtime, pathOf(nameOrPath))),
    outcome: (nameOrPath) =>
      asPromise(() => {
        if (nameOrPath === undefined) return runtime.outcome();
        const path = pathOf(nameOrPath);
        // A submission still waiting in a slot is the newest one at its path.
        return controller.outcomeOf(path) ?? runtime.outcome(path);
      }),
    explain: (nameOrPath) => runtime.explain(nameOrPath === undefined ? undefined : pathOf(nameOrPath)),
    // The one place queueDepth is computed: the slots (and so the queued submissions) are the root's.
    snapshot: () => ({
      ...runtime.snapshot(actorStarted ? stateName(actor.getSnapshot().value) : 'idle'),
      queueDepth: controller.totalDepth(),
    }),
    shutdown,
  };
  return supervisor;
}
