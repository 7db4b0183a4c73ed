/**
 * The port between the admission slots and their supervisor: what the slot controller
 * needs from the supervisor, and no more, so it knows no machine and can be tested against a
 * fake host.
 *
 * @module
 */
import type { EventDraft } from '../events.ts';
import type { TaskOutcome } from '../outcome.ts';
import type { ChildSpec } from '../spec/supervisor-options.ts';

/**
 * What the controller needs from its supervisor.
 *
 * @example
 * ```ts
 * // The facade's host: root children only, named by `<root>/<name>`.
 * const host: ControllerHost = {
 *   add: (spec) => runtime.add(spec),
 *   remove: (name) => removeChild(runtime, `app/${name}`, 'user-requested'),
 *   onRemoved: (name, listener) => runtime.onRemoved(name, listener),
 *   publish: dispatcher.publishNow,
 *   pathOf: (name) => `app/${name}`,
 *   outcome: (path) => runtime.outcome(path),
 *   reject: (path, reason) => runtime.reject(path, reason),
 * };
 * ```
 */
export interface ControllerHost {
  /** Registers and starts the child; returns its path; throws TaskAlreadyExistsError / ShuttingDownError. */
  add(spec: ChildSpec): string;
  /** Claims the live child `name` for removal (publishes TaskRemoveRequested); false if unknown or already removing. */
  remove(name: string): boolean;
  /**
   * Calls `listener` once, after the TaskRemoved of the child currently named `name` (at once,
   * or soon, when no child has that name). It may be called synchronously from inside the
   * publication of TaskRemoved: the controller defers its own work to a microtask.
   */
  onRemoved(name: string, listener: () => void): void;
  /** Publishes an event on the supervisor's bus. */
  publish(draft: EventDraft): void;
  /** The path a child named `name` has under this supervisor. */
  pathOf(name: string): string;
  /** The outcome of the child now at `path` (the one the controller just added there). */
  outcome(path: string): Promise<TaskOutcome>;
  /**
   * Settles the outcome record of a path that never started (rejected submissions) with
   * `{ kind: 'rejected', reason }`. Ignored while a live child has that path: the live one is
   * the newest child there.
   */
  reject(path: string, reason: string): void;
}
