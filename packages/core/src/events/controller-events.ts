/**
 * The controller group of DESIGN.md §4: submissions to the admission slots of `app.submit()`.
 *
 * @module
 */
import type { EventBase } from './event-base.ts';

/** A submission was admitted to a slot (started or queued). */
export interface ControllerSubmitted extends EventBase {
  readonly kind: 'ControllerSubmitted';
  readonly slot: string;
  readonly admission: 'queue' | 'replace' | 'drop-if-running';
  readonly depth: number;
}
/** A submission was refused. */
export interface ControllerRejected extends EventBase {
  readonly kind: 'ControllerRejected';
  readonly slot: string;
  readonly reason: string;
}
/** A slot changed state. */
export interface ControllerSlotTransition extends EventBase {
  readonly kind: 'ControllerSlotTransition';
  readonly slot: string;
  readonly from: string;
  readonly to: string;
}
