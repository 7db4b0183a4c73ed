/**
 * A recorded machine definition (the XState config an `@xstate.actor` inspection message
 * carries as a JSON string) read as a graph of top-level states and labelled transitions, for
 * the diagram. Nested states are drawn as their top-level state.
 *
 * @module
 */

/**
 * One transition of the diagram.
 *
 * @example
 * ```ts
 * const t: MachineTransition = { from: 'running', to: 'ready', event: 'attempt.ready', guard: 'isCurrentAttempt' };
 * ```
 */
export interface MachineTransition {
  readonly from: string;
  readonly to: string;
  /** The event (`always` for an eventless transition, `after <delay>` for a delayed one). */
  readonly event: string;
  /** The guard's name, when the config names one. */
  readonly guard: string | undefined;
}

/**
 * A machine as states and transitions.
 *
 * @example
 * ```ts
 * const graph: MachineGraph | undefined = readMachineDefinition(message.definition);
 * ```
 */
export interface MachineGraph {
  readonly id: string;
  readonly initial: string | undefined;
  readonly states: readonly string[];
  readonly finals: ReadonlySet<string>;
  readonly transitions: readonly MachineTransition[];
}

type Json = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** The top-level state a target names (`'failed'`, `'#task.failed'`, `'.a'`, `'a.b'`). */
function topLevel(target: string, id: string, from: string): string {
  let path = target;
  if (path.startsWith('#')) {
    const dot = path.indexOf('.');
    if (dot < 0) return from;
    path = path.slice(dot + 1);
    if (path.startsWith(`${id}.`)) path = path.slice(id.length + 1);
  }
  if (path.startsWith('.')) return from;
  return path.split('.')[0] ?? from;
}

function guardName(guard: unknown): string | undefined {
  if (typeof guard === 'string') return guard;
  if (isObject(guard) && typeof guard['type'] === 'string') return guard['type'];
  return undefined;
}

/** The transitions one config entry (`on.x`, `always`, ...) holds. */
function transitionsOf(from: string, event: string, config: unknown, id: string): MachineTransition[] {
  const out: MachineTransition[] = [];
  for (const entry of list(config)) {
    if (typeof entry === 'string') {
      out.push({ from, to: topLevel(entry, id, from), event, guard: undefined });
    } else if (isObject(entry)) {
      const guard = guardName(entry['guard'] ?? entry['cond']);
      const targets = list(entry['target']).filter((target): target is string => typeof target === 'string');
      if (targets.length === 0) out.push({ from, to: from, event, guard });
      for (const target of targets) out.push({ from, to: topLevel(target, id, from), event, guard });
    }
  }
  return out;
}

/**
 * Reads a recorded definition, or `undefined` when it is not a state machine config (a
 * promise or callback actor's definition is just `{ id }`).
 *
 * @example
 * ```ts
 * const graph = readMachineDefinition('{"id":"t","initial":"a","states":{"a":{"on":{"go":"b"}},"b":{}}}');
 * graph?.transitions; // [{ from: 'a', to: 'b', event: 'go', guard: undefined }]
 * ```
 */
export function readMachineDefinition(definition: string): MachineGraph | undefined {
  let config: unknown;
  try {
    config = JSON.parse(definition);
  } catch {
    return undefined;
  }
  if (!isObject(config) || !isObject(config['states'])) return undefined;
  const id = typeof config['id'] === 'string' ? config['id'] : '(machine)';
  const states = Object.keys(config['states']);
  if (states.length === 0) return undefined;
  const finals = new Set<string>();
  const transitions: MachineTransition[] = [];
  for (const [name, node] of Object.entries(config['states'])) {
    if (!isObject(node)) continue;
    if (node['type'] === 'final') finals.add(name);
    if (isObject(node['on'])) {
      for (const [event, entry] of Object.entries(node['on'])) transitions.push(...transitionsOf(name, event, entry, id));
    }
    transitions.push(...transitionsOf(name, 'always', node['always'], id));
    if (isObject(node['after'])) {
      for (const [delay, entry] of Object.entries(node['after'])) transitions.push(...transitionsOf(name, `after ${delay}`, entry, id));
    }
    for (const invoke of list(node['invoke'])) {
      if (!isObject(invoke)) continue;
      transitions.push(...transitionsOf(name, 'done', invoke['onDone'], id), ...transitionsOf(name, 'error', invoke['onError'], id));
    }
  }
  const known = new Set(states);
  const initial = typeof config['initial'] === 'string' ? config['initial'] : undefined;
  return { id, initial, states, finals, transitions: transitions.filter((t) => known.has(t.to)) };
}

/**
 * The top-level state of an inspected snapshot value (`'running'`, or `{ running: 'x' }`).
 *
 * @example
 * ```ts
 * topLevelState({ ready: 'idle' }); // 'ready'
 * ```
 */
export function topLevelState(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value)) return Object.keys(value)[0];
  return undefined;
}
