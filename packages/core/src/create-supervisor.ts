/**
 * `createSupervisor`: the public facade over the supervisor machine, its runtime and the bus.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import { createActor } from 'xstate';
import type { AnyActorRef } from 'xstate';
import { nowOf } from './clock.ts';
import { EventBus } from './bus/event-bus.ts';
import { asPromise, describeThrown } from './foreign.ts';
import type { EventSubscription, SubscribeOptions } from './bus/event-bus.ts';
import type { SupervisorEvent, SupervisorEventKind } from './events.ts';
import type { TaskOutcome } from './outcome.ts';
import type { NodeSnapshot, ShutdownResult } from './supervisor/supervisor-runtime.ts';
import type { RestartDecisionRecord } from './supervisor/decision-log.ts';
import { DecisionLog } from './supervisor/decision-log.ts';
import { SupervisorRuntime } from './supervisor/supervisor-runtime.ts';
import { createSupervisorLogic } from './supervisor/supervisor-machine.ts';
import { Dispatcher } from './supervisor/dispatcher.ts';
import { OutcomeStore } from './supervisor/outcome-store.ts';
import { SlotController, validateSubmitOptions } from './supervisor/admission-slots.ts';
import type { SubmitOptions } from './supervisor/admission-slots.ts';
import type { ChildHandle } from './supervisor/child-handle.ts';
import { createChildHandle } from './supervisor/child-handle.ts';
import { expectNameOrPath, resolveNodePath, rootChildName } from './supervisor/node-path.ts';
import type { ChildSpec, SupervisorOptions } from './spec/supervisor-options.ts';
import { resolveSupervisorOptions, validateAddedSpec } from './spec/supervisor-options.ts';

export type { NodeSnapshot, ShutdownResult } from './supervisor/supervisor-runtime.ts';
export type { RestartDecisionRecord } from './supervisor/decision-log.ts';
export type { SubmitOptions } from './supervisor/admission-slots.ts';
export type { ChildHandle } from './supervisor/child-handle.ts';

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
  /**
   * Adds a child; resolves with its path once TaskAdded is published. Every refusal is a
   * rejection, never a synchronous throw: {@link TaskAlreadyExistsError} for a name a live
   * sibling has, {@link ConfigError} naming the field for an invalid spec (one not made by
   * `task()`, `runnerTask()`, `processTask()` or `supervisor()`, an unknown dependency),
   * {@link ShuttingDownError} once shutdown has begun.
   *
   * @example
   * ```ts
   * const path = await app.add(task('late', run)); // 'app/late'
   * ```
   */
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
   *
   * Like `cancel`, `restart`, `child`, `outcome` and `explain`, it takes a root child's name
   * (`'web'`), a full path (`'app/workers/a'`) or a path relative to the root (`'workers/a'`).
   * A name that is not a non-empty string rejects with {@link ConfigError} (field `nameOrPath`).
   */
  remove(nameOrPath: string): Promise<boolean>;
  /**
   * Removes a child and resolves after its final events; true if this call claimed it. A
   * submission still waiting in a slot (the newest of that name) is taken out of its queue instead.
   */
  cancel(nameOrPath: string): Promise<boolean>;
  /** Stops the current attempt (user-requested) and starts a fresh one now; not a failure. */
  restart(nameOrPath: string): Promise<boolean>;
  /**
   * The control handle of the child live at `nameOrPath` now. The handle follows that
   * incarnation, never the name: once it has ended, its methods return false and do nothing
   * (`getSnapshot()` returns undefined), even after a new child took the name. For an XState
   * actor child, `send(event)` and `getSnapshot()` reach the current attempt's actor. Throws {@link UnknownTaskError} when no child is live
   * there, and {@link ConfigError} for a name that is not a non-empty string.
   *
   * @example
   * ```ts
   * const web = app.child('web');
   * web.pause();
   * app.snapshot(); // web's node has state 'paused'
   * web.resume();
   * app.child('counter').send({ type: 'inc' }); // an XState actor child: true when delivered
   * ```
   */
  child(nameOrPath: string): ChildHandle;
  /**
   * The outcome of the newest child at a name or path, or of the supervisor itself when called
   * without one. Rejects with {@link UnknownTaskError} for a path never seen (its message says
   * how paths are written) and with {@link ConfigError} for a name that is not a non-empty string.
   */
  outcome(nameOrPath?: string): Promise<TaskOutcome>;
  /**
   * The tree as plain data: path, kind, state, attempt, pid, restarts in window, queue depth. A
   * task whose attempt was paused through its handle shows `state: 'paused'`. `queueDepth` (the
   * submissions waiting in the admission slots) is on the root only: slots are the root's.
   */
  snapshot(): NodeSnapshot;
  /**
   * The recent restart decisions about a node, with what decided them (strategy, window counts
   * before and after, the limit, the backoff delay and jitter sample). For a supervisor (or no
   * argument: the root), the decisions about its children, also once it has given up. Throws
   * {@link ConfigError} for a name that is not a non-empty string.
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
      remove: (name) => runtime.remove(childPath(name)),
      onRemoved(name, listener) {
        runtime.onRemoved(name, listener);
      },
      publish: dispatcher.publishNow,
      pathOf: childPath,
      outcome: (path) => runtime.outcome(path),
      reject(path, reason) {
        // A queued submission may share its name with the live occupant it waits behind.
        if (!runtime.isLive(path)) runtime.reject(path, reason);
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
      // Re-raise the signal however shutdown ends (it never rejects; the second handler is a guard).
      const reraise = (): void => {
        process.kill(process.pid, signal);
      };
      shutdown().then(reraise, reraise);
    };
    for (const signal of SIGNALS) process.once(signal, signalHandler);
  };
  const removeSignals = (): void => {
    if (signalHandler === undefined) return;
    for (const signal of SIGNALS) process.removeListener(signal, signalHandler);
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
      installSignals();
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
        return cancelQueued(path) || runtime.remove(path);
      }),
    cancel: (nameOrPath) =>
      asPromise(() => {
        const path = pathOf(nameOrPath);
        return cancelQueued(path) ? true : runtime.cancel(path);
      }),
    restart: (nameOrPath) => asPromise(() => runtime.restart(pathOf(nameOrPath))),
    child: (nameOrPath) => createChildHandle(runtime.incarnationOf(pathOf(nameOrPath))),
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
