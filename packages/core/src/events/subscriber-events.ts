/**
 * The subscribers group of DESIGN.md §4: what the bus reports about one subscriber to the others.
 *
 * @module
 */
import type { EventBase } from './event-base.ts';

/** A subscriber's buffer was full: `dropped` events were lost for it since its previous report. */
export interface SubscriberOverflow extends EventBase {
  readonly kind: 'SubscriberOverflow';
  readonly subscriber: string;
  readonly dropped: number;
}
/** A subscriber threw (or its async `next` rejected); it keeps receiving. */
export interface SubscriberPanicked extends EventBase {
  readonly kind: 'SubscriberPanicked';
  readonly subscriber: string;
  readonly reason: string;
}
