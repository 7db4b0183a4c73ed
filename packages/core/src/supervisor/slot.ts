/**
 * The data one admission slot holds: its state, its occupant and its queue of waiting
 * submissions, the plain view of it that snapshots and tests read, and why it refuses. The
 * rules that move them are the slot controller's (admission-slots.ts).
 *
 * @module
 */
import type { ControllerRejectedError } from '../errors.ts';
import type { TaskOutcome } from '../outcome.ts';
import type { ChildSpec } from '../spec/supervisor-options.ts';
import type { Admission } from './submit-options.ts';

/**
 * Why a slot refused a submission (see {@link ControllerRejectedError}).
 *
 * @example
 * ```ts
 * const reason: RejectReason = 'queue-full';
 * ```
 */
export type RejectReason = ControllerRejectedError['reason'];

/**
 * What a slot is doing. A slot with no occupant and nothing waiting is forgotten.
 *
 * @example
 * ```ts
 * const state: SlotState = 'terminating'; // a replace asked the occupant to go
 * ```
 */
export type SlotState = 'idle' | 'running' | 'terminating';

/**
 * One slot as plain data (for snapshots and tests).
 *
 * @example
 * ```ts
 * const view: SlotView = { slot: 'import', state: 'running', occupant: 'app/import-1', waiting: ['app/import-2'] };
 * ```
 */
export interface SlotView {
  readonly slot: string;
  readonly state: SlotState;
  /** Path of the occupant, while there is one. */
  readonly occupant: string | undefined;
  /** Paths of the waiting submissions, next first. */
  readonly waiting: readonly string[];
}

/**
 * A submission waiting in a slot.
 *
 * @example
 * ```ts
 * const waiting: Waiting = { spec, path: 'app/import-2', slot: 'import', admission: 'queue', order: 2, outcome: undefined };
 * ```
 */
export interface Waiting {
  readonly spec: ChildSpec;
  readonly path: string;
  readonly slot: string;
  readonly admission: Admission;
  /** Submission order across slots (newest = highest). */
  readonly order: number;
  /** Made only when someone asks for the outcome while it waits. */
  outcome: { readonly promise: Promise<TaskOutcome>; readonly resolve: (value: TaskOutcome | Promise<TaskOutcome>) => void } | undefined;
}

/**
 * The child occupying a slot.
 *
 * @example
 * ```ts
 * const occupant: Occupant = { name: 'import-1', path: 'app/import-1', admitting: false, terminateWhenAdmitted: false, gone: false };
 * ```
 */
export interface Occupant {
  readonly name: string;
  readonly path: string;
  /** Between the start of `host.add` and the idle→running transition. */
  admitting: boolean;
  /** A replace arrived while admitting: terminate right after the running transition. */
  terminateWhenAdmitted: boolean;
  /** Its TaskRemoved was seen: the slot frees on the next microtask. */
  gone: boolean;
}

/**
 * One slot: its state, its occupant and its waiting submissions (FIFO, next first).
 *
 * @example
 * ```ts
 * const slot: Slot = { key: 'import', state: 'idle', occupant: undefined, queue: [] };
 * ```
 */
export interface Slot {
  readonly key: string;
  state: SlotState;
  occupant: Occupant | undefined;
  /** Waiting submissions, next first. */
  queue: Waiting[];
}
