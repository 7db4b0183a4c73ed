/**
 * `createSupervisor`: the public facade over the supervisor machine, its runtime and the bus.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { createActor } from 'xstate';
import type { AnyActorRef } from 'xstate';
import { nowOf, systemClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { EventBus } from './bus/event-bus.ts';
import type { EventSubscription, SubscribeOptions } from './bus/event-bus.ts';
import type { SupervisorEvent, SupervisorEventKind } from './events.ts';
import type { TaskOutcome } from './outcome.ts';
import type { RunnerControl } from './runner.ts';
import type { NodeSnapshot, RestartDecisionRecord, ShutdownResult } from './internal/supervisor-runtime.ts';
import { SupervisorRuntime } from './internal/supervisor-runtime.ts';
import { supervisorMachine } from './internal/supervisor-machine.ts';
import { Dispatcher } from './internal/dispatcher.ts';
import { OutcomeStore } from './internal/outcome-store.ts';
import { SlotController, validateSubmitOptions } from './internal/controller.ts';
import type { SubmitOptions } from './internal/controller.ts';
import type { ChildSpec, SupervisorOptions } from './supervisor-options.ts';
import { resolveSupervisorOptions, validateChildPolicies, validateChildren } from './supervisor-options.ts';

export type { NodeSnapshot, RestartDecisionRecord, ShutdownResult } from './internal/supervisor-runtime.ts';
export type { SubmitOptions } from './internal/controller.ts';

/**
 * Control of a live child's current attempt. Methods return false when the attempt has no such
 * control (a function task cannot be paused) or no attempt is live.
 *
 * @example
 * ```ts
 * const web = app.child('web');
 * web.pause();
 * web.resume();
 * await web.stop();
 * ```
 */
export interface ChildHandle {
  /** The child's path. */
  readonly path: string;
  /** Pauses the live attempt (processes: SIGSTOP to the group). */
  pause(): boolean;
  /** Resumes a paused attempt. */
  resume(): boolean;
  /** Stops the child for good (user-requested); resolves after its final events. */
  stop(): Promise<boolean>;
  /** Writes to the attempt's stdin. */
  write(data: string | Uint8Array): boolean;
  /** Closes the attempt's stdin. */
  closeStdin(): boolean;
}

/**
 * A running supervision tree. Create it with {@link createSupervisor}.
 *
 * @example
 * ```ts
 * const app = createSupervisor({ name: 'app', children: [task('tick', async () => 'tock')] });
 * await app.start();
 * console.log(await app.outcome('tick')); // { kind: 'completed', output: 'tock' }
 * await app.shutdown();
 * ```
 */
export interface Supervisor {
  /** The root path segment. */
  readonly name: string;
  /** Hot stream of every event of the tree, delivered synchronously; completes after shutdown. */
  readonly events$: Observable<SupervisorEvent>;
  /**
   * The root XState actor (machine id `supervisor`), for inspection only: never stop it
   * directly. `actor.system.get(path)` finds a live child's task actor by its path.
   */
  readonly actor: AnyActorRef;
  /** Publishes TaskAddRequested/TaskAdded for the initial children and starts them. Idempotent. */
  start(): Promise<void>;
  /**
   * Subscribes with a bounded buffer; an async `next` is awaited before the next event.
   * `kinds` and `path` filter before the buffer (and narrow `next`'s event type to `kinds`).
   */
  subscribe<K extends SupervisorEventKind = SupervisorEventKind>(options: SubscribeOptions<K>): EventSubscription;
  /** Adds a child; resolves with its path once TaskAdded is published. */
  add(spec: ChildSpec): Promise<string>;
  /**
   * Submits a child to an admission slot; a slot runs one submission at a time. Resolves with
   * the child's path once it is admitted: started at once when the slot is idle, queued
   * otherwise. When the slot is busy:
   *
   * - `'queue'` waits, FIFO; with `maxSlotQueue` already waiting it is refused (`queue-full`);
   * - `'replace'` removes the occupant and runs next; a submission waiting at the head of the
   *   queue (such as an earlier replacement) is superseded, the rest keep their places;
   * - `'drop-if-running'` is refused (`slot-busy`).
   *
   * The next submission starts only after the occupant's `TaskRemoved`. A refusal rejects with
   * {@link ControllerRejectedError} and publishes `ControllerRejected`; a name clash with a live
   * child rejects with {@link TaskAlreadyExistsError}; after shutdown has begun the call rejects
   * with {@link ShuttingDownError}; bad options reject with {@link ConfigError} (`options.slot`,
   * `options.admission`). A queued submission that never starts (removed from the queue,
   * superseded, shut down) settles `outcome(path)` with `{ kind: 'rejected', reason }`.
   *
   * @example
   * ```ts
   * // Imports run one at a time, in order; a new report build replaces the one in progress.
   * const path = await app.submit(task('import-42', runImport), { slot: 'import', admission: 'queue' });
   * await app.submit(task('report', buildReport), { slot: 'report', admission: 'replace' });
   * const result = await app.outcome(path); // completed, failed, ... or rejected if it never ran
   * ```
   */
  submit(spec: ChildSpec, options: SubmitOptions): Promise<string>;
  /**
   * Claims a child for removal; true if this call claimed it. Cleanup continues. A submission
   * still waiting in a slot (the newest of that name) is taken out of its queue instead.
   */
  remove(nameOrPath: string): Promise<boolean>;
  /**
   * Removes a child and resolves after its final events; true if this call claimed it. A
   * submission still waiting in a slot (the newest of that name) is taken out of its queue instead.
   */
  cancel(nameOrPath: string): Promise<boolean>;
  /** Stops the current attempt (user-requested) and starts a fresh one now; not a failure. */
  restart(nameOrPath: string): Promise<boolean>;
  /** The control handle of a live child. Throws UnknownTaskError when no live child has that name. */
  child(nameOrPath: string): ChildHandle;
  /** The outcome of the newest child at a path, or of the supervisor itself when called without one. */
  outcome(nameOrPath?: string): Promise<TaskOutcome>;
  /** The tree as plain data: path, kind, state, attempt, pid, restarts in window, queue depth. */
  snapshot(): NodeSnapshot;
  /**
   * The recent restart decisions about a node, with what decided them (strategy, window counts
   * before and after, the limit, the backoff delay and jitter sample). For a supervisor (or no
   * argument: the root), the decisions about its children.
   */
  explain(nameOrPath?: string): readonly RestartDecisionRecord[];
  /** Stops everything against one grace deadline; memoised, shared by concurrent callers. */
  shutdown(): Promise<ShutdownResult>;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

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
  const clock: Clock = resolved.clock ?? systemClock;
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
        reason: `internal error in the supervisor: ${error instanceof Error ? error.message : String(error)}`,
      });
    },
  );
  const runtime = new SupervisorRuntime({
    path: resolved.name,
    options: resolved,
    tree: { dispatcher, outcomes: new OutcomeStore(), clock, now: nowOf(clock), random: resolved.random },
  });
  const actor = createActor(supervisorMachine, {
    id: 'supervisor',
    systemId: resolved.name,
    input: { host: runtime },
    ...(resolved.clock === undefined ? {} : { clock: resolved.clock }),
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
        reason: `internal error in the supervisor machine: ${error instanceof Error ? error.message : String(error)}`,
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

  const isLive = (nameOrPath: string): boolean => {
    try {
      runtime.controlOf(nameOrPath);
      return true;
    } catch {
      return false;
    }
  };
  const controller = new SlotController(
    {
      add(spec) {
        ensureActor();
        return runtime.add(spec);
      },
      remove: (name) => runtime.remove(name),
      onRemoved(name, listener) {
        runtime.onRemoved(name, listener);
      },
      publish: dispatcher.publishNow,
      pathOf: (name) => runtime.resolvePath(name),
      outcome: (path) => runtime.outcome(path),
      reject(path, reason) {
        // A queued submission may share its name with the live occupant it waits behind.
        if (!isLive(path)) runtime.reject(path, reason);
      },
    },
    resolved.maxSlotQueue,
  );
  /** A waiting submission named by a name or a root child's path is taken out of its queue. */
  const cancelQueued = (nameOrPath: string): boolean => {
    const prefix = `${resolved.name}/`;
    const name = nameOrPath.startsWith(prefix) ? nameOrPath.slice(prefix.length) : nameOrPath;
    return !name.includes('/') && controller.cancelQueued(name);
  };

  let started = false;
  let shutdownPromise: Promise<ShutdownResult> | undefined;
  const shutdown = (): Promise<ShutdownResult> => {
    // Memoised here too, so concurrent and late callers get the very same promise.
    shutdownPromise ??= (async () => {
      ensureActor();
      started = true;
      try {
        // Waiting submissions never start once shutdown begins.
        controller.rejectAll();
        return await runtime.shutdown(closeEvents);
      } finally {
        removeSignals();
      }
    })();
    return shutdownPromise;
  };

  let signalHandler: ((signal: NodeJS.Signals) => void) | undefined;
  const installSignals = (): void => {
    if (!resolved.handleSignals || signalHandler !== undefined) return;
    signalHandler = (signal) => {
      removeSignals();
      void shutdown().then(() => {
        process.kill(process.pid, signal);
      });
    };
    for (const signal of SIGNALS) process.once(signal, signalHandler);
  };
  const removeSignals = (): void => {
    if (signalHandler === undefined) return;
    for (const signal of SIGNALS) process.removeListener(signal, signalHandler);
  };

  /** Validates a spec for `add` / `submit` against the live siblings; throws ConfigError naming the field. */
  const validateSpec = (spec: ChildSpec): ChildSpec => {
    const [valid] = validateChildren([spec], 'spec', (name) => runtime.hasChild(name));
    if (valid === undefined) throw new TypeError('spec: missing');
    validateChildPolicies([valid], resolved.defaults, () => 'spec');
    return valid;
  };

  const supervisor: Supervisor = {
    name: resolved.name,
    events$: bus.events$,
    actor,
    start() {
      if (started || runtime.shuttingDown) return Promise.resolve();
      started = true;
      ensureActor();
      installSignals();
      runtime.start();
      return Promise.resolve();
    },
    subscribe: (subscribeOptions) => bus.subscribe(subscribeOptions),
    add(spec) {
      try {
        const valid = validateSpec(spec);
        ensureActor();
        return Promise.resolve(runtime.add(valid));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    submit(spec, submitOptions) {
      try {
        const options = validateSubmitOptions(submitOptions);
        const valid = validateSpec(spec);
        // Admission closed by another route (the root gave up): nothing waits any more.
        if (runtime.shuttingDown) controller.rejectAll();
        return controller.submit(valid, options);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    remove: (nameOrPath) => Promise.resolve(cancelQueued(nameOrPath) || runtime.remove(nameOrPath)),
    cancel: (nameOrPath) => (cancelQueued(nameOrPath) ? Promise.resolve(true) : runtime.cancel(nameOrPath)),
    restart: (nameOrPath) => Promise.resolve(runtime.restart(nameOrPath)),
    child(nameOrPath) {
      const path = runtime.resolvePath(nameOrPath);
      runtime.controlOf(nameOrPath); // throws UnknownTaskError for no live child
      const apply = (act: (control: RunnerControl) => boolean | undefined): boolean => {
        const control = runtime.controlOf(nameOrPath);
        return control === undefined ? false : act(control) === true;
      };
      return {
        path,
        pause: () => apply((c) => (c.pause === undefined ? false : (c.pause(), true))),
        resume: () => apply((c) => (c.resume === undefined ? false : (c.resume(), true))),
        write: (data) => apply((c) => (c.write === undefined ? false : c.write(data))),
        closeStdin: () => apply((c) => (c.closeStdin === undefined ? false : (c.closeStdin(), true))),
        stop: async () => {
          const claimed = runtime.stopChild(nameOrPath);
          await runtime.outcome(nameOrPath).catch(() => undefined);
          return claimed;
        },
      };
    },
    outcome(nameOrPath) {
      // A submission still waiting in a slot is the newest one at its path.
      const waiting = nameOrPath === undefined ? undefined : controller.outcomeOf(runtime.resolvePath(nameOrPath));
      return waiting ?? runtime.outcome(nameOrPath);
    },
    explain: (nameOrPath) => runtime.explain(nameOrPath),
    snapshot: () => ({
      ...runtime.snapshot(actorStarted ? stateName(actor.getSnapshot().value) : 'idle'),
      queueDepth: controller.totalDepth(),
    }),
    shutdown,
  };
  return supervisor;
}
