/**
 * The machines the node panel draws for a node, with the state lit at a position: a task's task
 * machine (actor name = its path); the root's supervisor machine (actor name = the root's
 * path); a nested supervisor's task machine (as its parent's child) and its supervisor machine
 * (the attempt actor `<path>#<attempt>`).
 *
 * @module
 */
import type { MachineGraph } from './machine-definition.ts';
import type { RecordingModel } from './recording-model.ts';

/**
 * One machine of a node.
 *
 * @example
 * ```ts
 * for (const machine of nodeMachines(model, 'app/web', 42)) console.log(machine.title, machine.lit);
 * ```
 */
export interface NodeMachine {
  readonly title: string;
  /** The inspected actor's name. */
  readonly actor: string;
  /** `undefined` when no definition was recorded (recorded without `{ inspect: true }`). */
  readonly graph: MachineGraph | undefined;
  /**
   * The state to light: the one the events tell (the tree's and the timeline's), or, when the
   * machine has no such state (`removed`, `paused`), the inspected one at that moment's time.
   */
  readonly lit: string | undefined;
}

/**
 * The machines of `path` at `position`.
 *
 * @example
 * ```ts
 * const [machine] = nodeMachines(model, 'app/web', 120);
 * machine?.lit; // 'ready'
 * ```
 */
export function nodeMachines(model: RecordingModel, path: string, position: number): NodeMachine[] {
  const track = model.nodes.get(path);
  if (track === undefined) return [];
  const { inspection } = model;
  const time = model.timeAt(position);
  const machine = (title: string, actor: string, fromEvents: string | undefined): NodeMachine => {
    const graph = inspection.graph(actor);
    const known = fromEvents !== undefined && graph !== undefined && graph.states.includes(fromEvents);
    return { title, actor, graph, lit: known ? fromEvents : (inspection.stateAt(actor, time) ?? fromEvents) };
  };
  if (track.parent === undefined) return [machine('supervisor machine', path, track.supervisorState.at(position))];
  const out = [machine('task machine', path, track.state.at(position))];
  if (track.kind === 'supervisor') {
    const attempt = track.attempt.at(position) ?? 1;
    out.push(machine(`supervisor machine (attempt ${String(attempt)})`, `${path}#${String(attempt)}`, track.supervisorState.at(position)));
  }
  return out;
}
