/** Shared test helpers: a supervisor on a SimulatedClock with a lossless event log. */
import { expect } from 'vitest';
import { SimulatedClock } from 'xstate';
import { ConfigError, createSupervisor } from '../src/index.ts';
import type { Supervisor, SupervisorEvent, SupervisorOptions } from '../src/index.ts';

/** Lets promises, microtasks and one round of macrotasks (setImmediate) run. */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export interface Harness {
  readonly app: Supervisor;
  readonly clock: SimulatedClock;
  readonly events: SupervisorEvent[];
  /** The events whose `task` is `path` (a name is taken relative to the root). */
  of(path: string): SupervisorEvent[];
  /** The kinds of `of(path)`. */
  kinds(path: string): string[];
  /** Advances the simulated clock by `ms` in steps, flushing promises between them. */
  advance(ms: number, step?: number): Promise<void>;
}

/** Creates a supervisor named `app` on a SimulatedClock, logging every event synchronously. */
export function harness(options: SupervisorOptions = {}): Harness {
  const clock = new SimulatedClock();
  const app = createSupervisor({ name: 'app', clock, random: () => 0.5, ...options });
  const events: SupervisorEvent[] = [];
  app.events$.subscribe((event) => events.push(event));
  const resolve = (path: string): string => (path.includes('/') ? path : `app/${path}`);
  const of = (path: string): SupervisorEvent[] => events.filter((event) => event.task === resolve(path));
  return {
    app,
    clock,
    events,
    of,
    kinds: (path) => of(path).map((event) => event.kind),
    async advance(ms, step = ms) {
      await flush();
      for (let done = 0; done < ms; done += step) {
        clock.increment(Math.min(step, ms - done));
        await flush();
      }
    },
  };
}

/** A promise you settle by hand. */
export function gate<T = void>(): { promise: Promise<T>; open(value: T): void; fail(error: Error): void } {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/** Resolves when `signal` aborts (a cooperative task body). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Calls `fn`, expects a ConfigError and returns it (fails the test if none is thrown). */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  return expect.fail('expected a ConfigError to be thrown');
}

/** The reason `promise` rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.fail('expected a rejection');
}

/** Tracks whether a promise has settled, without awaiting it. */
export function track<T>(promise: Promise<T>): { readonly settled: boolean; readonly value: T | undefined } {
  const state: { settled: boolean; value: T | undefined } = { settled: false, value: undefined };
  void promise.then((value) => {
    state.settled = true;
    state.value = value;
  });
  return state;
}
