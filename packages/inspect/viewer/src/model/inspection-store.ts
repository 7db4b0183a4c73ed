/**
 * What the model keeps of the recorded XState inspection messages: each actor's name (by
 * session id), the machine definition per actor name, and each actor's snapshot value over
 * positions. Names are stable across restarts (DESIGN.md §3): a task machine's is its path, an
 * attempt's `<path>#<attempt>`, the root supervisor's its name (the root's path).
 *
 * Inspection lines are not in causal order with the event lines of a recording (the recorder
 * queues them apart; they often come before the events of the same step), so states are kept
 * by their `createdAt` time, not by their place in the file.
 *
 * @module
 */
import { readMachineDefinition, topLevelState } from './machine-definition.ts';
import type { MachineGraph } from './machine-definition.ts';
import { Step } from './step.ts';

type Json = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/**
 * The inspection messages, indexed by actor name.
 *
 * @example
 * ```ts
 * store.add(message);
 * store.graph('app/web');          // the task machine, as states and transitions
 * store.stateAt('app/web', event.at); // 'ready'
 * ```
 */
export class InspectionStore {
  /** Actor name by session id. */
  readonly names = new Map<string, string>();
  /** The latest recorded definition per actor name. */
  readonly definitions = new Map<string, string>();
  /** Each actor's top-level state over time (epoch ms, `createdAt`). */
  readonly states = new Map<string, Step<string>>();
  /** How many inspection messages were read. */
  count = 0;
  readonly #graphs = new Map<string, MachineGraph | undefined>();

  /** Adds one message. */
  add(message: unknown): void {
    if (!isObject(message) || typeof message['sessionId'] !== 'string') return;
    this.count += 1;
    const sessionId = message['sessionId'];
    if (message['type'] === '@xstate.actor') {
      const name = typeof message['name'] === 'string' ? message['name'] : sessionId;
      this.names.set(sessionId, name);
      if (typeof message['definition'] === 'string') this.definitions.set(name, message['definition']);
    }
    if (message['type'] === '@xstate.actor' || message['type'] === '@xstate.snapshot') {
      const name = this.names.get(sessionId);
      const snapshot = message['snapshot'];
      const state = isObject(snapshot) ? topLevelState(snapshot['value']) : undefined;
      if (name === undefined || state === undefined) return;
      let step = this.states.get(name);
      if (step === undefined) {
        step = new Step<string>();
        this.states.set(name, step);
      }
      // Times never go back within one actor's steps (a clock step back keeps the last time).
      const at = Number(message['createdAt']);
      const last = step.positions[step.positions.length - 1] ?? -Infinity;
      step.set(Number.isFinite(at) ? Math.max(at, last) : last, state);
    }
  }

  /** The machine of an actor name as a graph, or `undefined` without a recorded machine definition. */
  graph(name: string): MachineGraph | undefined {
    const definition = this.definitions.get(name);
    if (definition === undefined) return undefined;
    if (!this.#graphs.has(definition)) this.#graphs.set(definition, readMachineDefinition(definition));
    return this.#graphs.get(definition);
  }

  /** An actor's inspected top-level state at a time (epoch ms), when inspected. */
  stateAt(name: string, time: number): string | undefined {
    return this.states.get(name)?.at(time);
  }
}
