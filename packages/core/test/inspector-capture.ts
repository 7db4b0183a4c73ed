/**
 * Capturing what the Stately inspector sends, for the inspection tests.
 *
 * The inspector is @statelyai/inspect's `createInspector` with a capturing adapter. It converts
 * XState's inspection events after a `setTimeout(cb, 0)` of its own (in Node), so
 * {@link drainInspector} waits one timer turn, queued after all of them, before reading what the
 * adapter captured: it waits for no time to pass, only for the inspector's queue to empty. The
 * inspector drops `@xstate.microstep` events, so the state walks also tee XState's raw events
 * (the same stream the inspector is given) into a plain observer.
 */
import { createInspector } from '@statelyai/inspect';
import type { StatelyActorEvent, StatelyInspectionEvent } from '@statelyai/inspect';
import type { InspectionEvent, Observer } from 'xstate';
import { expect } from 'vitest';
import type { ChildSpec, SupervisorOptions } from '../src/index.ts';
import { harness } from './support.ts';
import type { Harness } from './support.ts';

/** Waits until the Stately inspector has converted and sent everything queued so far. */
export function drainInspector(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export interface Captured {
  readonly h: Harness;
  /** What the Stately inspector sent to its adapter. */
  readonly sent: StatelyInspectionEvent[];
  /** XState's own inspection events, as the root actor emitted them. */
  readonly raw: InspectionEvent[];
  readonly adapter: { started: number; stopped: number };
  /** Lets the inspector catch up, then returns the registered actors. */
  actors(): Promise<StatelyActorEvent[]>;
}

/** A supervisor on a SimulatedClock whose `inspect` is a Stately inspector (teed to `raw`). */
export function inspected(children: ChildSpec[], options: SupervisorOptions = {}): Captured {
  const sent: StatelyInspectionEvent[] = [];
  const raw: InspectionEvent[] = [];
  const adapter = {
    started: 0,
    stopped: 0,
    start() {
      adapter.started += 1;
    },
    stop() {
      adapter.stopped += 1;
    },
    send(event: StatelyInspectionEvent) {
      sent.push(event);
    },
  };
  const inspector = createInspector(adapter);
  inspector.start();
  const tee: Observer<InspectionEvent> = {
    next(event) {
      raw.push(event);
      inspector.inspect.next?.(event);
    },
  };
  const h = harness({ ...options, children, inspect: tee });
  return {
    h,
    sent,
    raw,
    adapter,
    async actors() {
      await drainInspector();
      return sent.filter((event): event is StatelyActorEvent => event.type === '@xstate.actor');
    },
  };
}

/** The machine id in an actor registration's serialised definition. */
export function definitionId(event: StatelyActorEvent): unknown {
  return event.definition === undefined ? undefined : (JSON.parse(event.definition) as { id?: unknown }).id;
}

/** Whether an actor name is an attempt's (`<path>#<attempt>`). */
export function isAttempt(name: string): boolean {
  return /#\d+$/.test(name);
}

/** The one item of `items` (fails the test if there are none or several). */
export function only<T>(items: readonly T[], what: string): T {
  expect(items, what).toHaveLength(1);
  const [item] = items;
  if (item === undefined) throw new Error(`missing ${what}`);
  return item;
}

/**
 * The states the actor with `sessionId` (a task or supervisor machine) went through, from
 * XState's microstep and snapshot inspection events. XState reports no microstep for entering an
 * initial state, so the initial state is read from the state the first reported transition left.
 */
export function walkOf(raw: readonly InspectionEvent[], sessionId: string): string[] {
  const walk: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value !== 'string') throw new Error(`a task state must be a top-level string, got ${JSON.stringify(value)}`);
    if (walk.at(-1) !== value) walk.push(value);
  };
  for (const event of raw) {
    if (event.actorRef.sessionId !== sessionId) continue;
    if (event.type === '@xstate.microstep') {
      // Before anything was seen, the state the first transition leaves is the initial one
      // (a transition declared on the machine's root leaves no state).
      const source = event._transitions[0]?.source;
      if (walk.length === 0 && source?.parent !== undefined) visit(source.key);
      visit((event.snapshot as { value?: unknown }).value);
    } else if (event.type === '@xstate.snapshot') {
      visit((event.snapshot as { value?: unknown }).value);
    }
  }
  return walk;
}

/** The `@xstate.snapshot` values the Stately inspector sent for one actor. */
export function inspectorSnapshots(sent: readonly StatelyInspectionEvent[], sessionId: string): unknown[] {
  return sent.flatMap((event) =>
    event.type === '@xstate.snapshot' && event.sessionId === sessionId ? [(event.snapshot as { value?: unknown }).value] : [],
  );
}

/** What the inspector last showed of one actor. */
export interface Seen {
  readonly sessionId: string;
  readonly parentId: string | undefined;
  /** The machine state (undefined for an attempt actor that is not a machine). */
  readonly value: unknown;
  /** `active`, or `done` once a machine reached a final state. */
  readonly status: unknown;
  readonly context: Record<string, unknown>;
}

/**
 * What a person watching the inspector sees now: for each actor name, its newest registration
 * (a name comes back with a new incarnation) and the last snapshot the inspector sent for it.
 */
export function watcherView(sent: readonly StatelyInspectionEvent[]): Map<string, Seen> {
  const latest = new Map<string, { value: unknown; status: unknown; context: Record<string, unknown> }>();
  for (const event of sent) {
    if (event.type !== '@xstate.snapshot') continue;
    const snapshot = event.snapshot as { value?: unknown; status?: unknown; context?: Record<string, unknown> };
    latest.set(event.sessionId, { value: snapshot.value, status: snapshot.status, context: snapshot.context ?? {} });
  }
  const view = new Map<string, Seen>();
  for (const event of sent) {
    if (event.type !== '@xstate.actor') continue;
    const shown = latest.get(event.sessionId) ?? { value: undefined, status: undefined, context: {} };
    view.set(event.name, { sessionId: event.sessionId, parentId: event.parentId, ...shown });
  }
  return view;
}
