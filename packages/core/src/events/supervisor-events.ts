/**
 * The tree, management and shutdown groups of DESIGN.md §4: a supervisor applying its strategy
 * or giving up, dependencies, children added and removed, and shutdown's verdict.
 *
 * @module
 */
import type { EventBase, Strategy } from './event-base.ts';

/** A supervisor applies its strategy; `affected` are the paths it stops and restarts. */
export interface SupervisorRestarting extends EventBase {
  readonly kind: 'SupervisorRestarting';
  readonly strategy: Strategy;
  readonly affected: readonly string[];
}
/** A supervisor exceeded its restart intensity and gives up. */
export interface IntensityExceeded extends EventBase {
  readonly kind: 'IntensityExceeded';
  readonly restarts: number;
  readonly periodMs: number;
}
/** A child waits for its dependencies. */
export interface DependencyWaiting extends EventBase {
  readonly kind: 'DependencyWaiting';
  readonly waitingFor: readonly string[];
}
/** Every dependency of a child is ready. */
export interface DependencyReady extends EventBase {
  readonly kind: 'DependencyReady';
}
/** `add` (or a start) asked for a child. */
export interface TaskAddRequested extends EventBase {
  readonly kind: 'TaskAddRequested';
}
/** The child is registered; its first attempt may start. */
export interface TaskAdded extends EventBase {
  readonly kind: 'TaskAdded';
}
/** The child was not added. */
export interface TaskAddFailed extends EventBase {
  readonly kind: 'TaskAddFailed';
  readonly reason: string;
}
/** `remove` or `cancel` asked for a child to go. */
export interface TaskRemoveRequested extends EventBase {
  readonly kind: 'TaskRemoveRequested';
}
/** Last event of every child: it is gone and its name is free. */
export interface TaskRemoved extends EventBase {
  readonly kind: 'TaskRemoved';
}
/** Shutdown began. */
export interface ShutdownRequested extends EventBase {
  readonly kind: 'ShutdownRequested';
}
/** Shutdown verdict: every child stopped before the deadline. */
export interface AllStoppedWithinGrace extends EventBase {
  readonly kind: 'AllStoppedWithinGrace';
}
/** Shutdown verdict: some children were force-aborted. */
export interface GraceExceeded extends EventBase {
  readonly kind: 'GraceExceeded';
  readonly stuck: readonly string[];
}
