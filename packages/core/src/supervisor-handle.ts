/**
 * The `Supervisor` handle (DESIGN.md §2, §8): what `createSupervisor()` returns and a caller
 * holds, with the types its methods speak in. `create-supervisor.ts` builds it.
 *
 * @module
 */
import type { Observable } from 'rxjs';
import type { AnyActorRef } from 'xstate';
import type { EventSubscription, SubscribeOptions } from './bus/event-bus.ts';
import type { SupervisorEvent, SupervisorEventKind } from './events.ts';
import type { TaskOutcome } from './outcome.ts';
import type { ChildSpec } from './spec/supervisor-options.ts';
import type { ChildHandle } from './supervisor/child-handle.ts';
import type { RestartDecisionRecord } from './supervisor/decision-log.ts';
import type { SubmitOptions } from './supervisor/submit-options.ts';
import type { NodeSnapshot, ShutdownResult } from './supervisor/supervisor-runtime.ts';

export type { NodeSnapshot, ShutdownResult } from './supervisor/supervisor-runtime.ts';
export type { RestartDecisionRecord } from './supervisor/decision-log.ts';
export type { SubmitOptions } from './supervisor/submit-options.ts';
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
