/**
 * The event vocabulary of a supervision tree: one flat discriminated union keyed by `kind`.
 *
 * Every event carries `seq` (strictly increasing, unique per tree), `at` (epoch ms) and `task`
 * (the path of the node it concerns). Attempt events also carry `attempt` (from 1).
 *
 * This is the module every producer and consumer imports; the groups of DESIGN.md §4 live in
 * `events/`, one file each, and the unions over them in `events/event-union.ts`.
 *
 * @module
 */
export type * from './events/event-base.ts';
export type * from './events/attempt-events.ts';
export type * from './events/policy-events.ts';
export type * from './events/supervisor-events.ts';
export type * from './events/subscriber-events.ts';
export type * from './events/controller-events.ts';
export type * from './events/event-union.ts';
