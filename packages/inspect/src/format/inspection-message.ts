/**
 * An XState inspection event, made plain JSON so it can be written to a file and sent over a
 * socket. The shape is that of @statelyai/inspect's `StatelyInspectionEvent`, so a recorded
 * message can be handed to any Stately inspector's adapter as it is.
 *
 * @module
 */

/** What an inspection message shows of an actor's snapshot. */
export interface InspectedSnapshot {
  readonly status?: 'active' | 'done' | 'error' | 'stopped';
  /** The machine's state value (`'running'`, or an object for nested states). */
  readonly value?: unknown;
  /** The actor's context, with secrets redacted unless asked (see `record`'s options). */
  readonly context?: unknown;
  /** The actor's output, recorded only when asked. */
  readonly output?: unknown;
}

/** Fields every inspection message has. */
interface InspectionBase {
  /** The actor's session id, unique within one run (e.g. `x:12`). */
  readonly sessionId: string;
  /** The session id of the root actor of the actor's system. */
  readonly rootId: string | undefined;
  /** Wall-clock time the message was made, epoch milliseconds as a string (Stately's shape). */
  readonly createdAt: string;
  /** A message id (may be empty). */
  readonly id: string | null;
  /** The @statelyai/inspect protocol version this shape follows. */
  readonly _version: string;
}

/**
 * An actor was created. `name` is its id: a task machine's is its path, an attempt's is
 * `<path>#<attempt>` (DESIGN.md §3). `definition` is the machine's config as a JSON string.
 *
 * @example
 * ```ts
 * if (message.type === '@xstate.actor') console.log(message.name, message.parentId);
 * ```
 */
export interface ActorMessage extends InspectionBase {
  readonly type: '@xstate.actor';
  readonly name: string;
  readonly parentId: string | undefined;
  readonly definition: string | undefined;
  readonly snapshot: InspectedSnapshot;
}

/**
 * An event was sent to an actor (`sessionId`), from `sourceId` when known.
 *
 * @example
 * ```ts
 * if (message.type === '@xstate.event') console.log(message.event.type);
 * ```
 */
export interface EventMessage extends InspectionBase {
  readonly type: '@xstate.event';
  readonly sourceId: string | undefined;
  readonly event: { readonly type: string; readonly [key: string]: unknown };
}

/**
 * An actor's snapshot after a step, with the event that caused it.
 *
 * @example
 * ```ts
 * if (message.type === '@xstate.snapshot') console.log(message.snapshot.value);
 * ```
 */
export interface SnapshotMessage extends InspectionBase {
  readonly type: '@xstate.snapshot';
  readonly event: { readonly type: string; readonly [key: string]: unknown };
  readonly snapshot: InspectedSnapshot;
}

/**
 * One recorded inspection message.
 *
 * @example
 * ```ts
 * const names = messages.filter((m) => m.type === '@xstate.actor').map((m) => m.name);
 * ```
 */
export type InspectionMessage = ActorMessage | EventMessage | SnapshotMessage;
