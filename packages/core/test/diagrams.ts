/**
 * Renders XState machine definitions as Mermaid state diagrams, so the docs draw the machines
 * from their real definitions (diagrams.test.ts keeps docs/machines.md in sync).
 */
import type { AnyStateMachine } from 'xstate';

interface GuardLike {
  readonly type?: unknown;
  readonly guards?: readonly unknown[];
}

function guardName(guard: unknown): string | undefined {
  if (guard === undefined) return undefined;
  if (typeof guard === 'string') return guard;
  const g = guard as GuardLike;
  if (typeof g.type === 'string') return g.type;
  if (Array.isArray(g.guards)) {
    const names = g.guards.map((inner) => guardName(inner) ?? '?');
    const combinator = typeof guard === 'function' ? guard.name : 'and';
    if (combinator === 'not') return `!${names.join('')}`;
    return names.join(combinator === 'or' ? ' || ' : ' && ');
  }
  return 'guard';
}

function label(event: string, guard: unknown): string {
  const name = guardName(guard);
  const shown = event.startsWith('xstate.after.') ? `after ${event.split('.')[2] ?? ''}` : event;
  return name === undefined ? shown : `${shown} [${name}]`;
}

type StateNodeLike = AnyStateMachine['root'];

/** The `[target, label]` edges leaving one state node (its own transitions, not its ancestors'). */
function edgesOf(node: StateNodeLike): [target: string, text: string][] {
  const edges: [string, string][] = [];
  for (const [event, transitions] of node.transitions) {
    for (const transition of transitions) {
      for (const target of transition.target ?? []) edges.push([target.key, label(event, transition.guard)]);
    }
  }
  for (const transition of node.always ?? []) {
    for (const target of transition.target ?? []) edges.push([target.key, label('always', transition.guard)]);
  }
  return edges;
}

/**
 * The Mermaid `stateDiagram-v2` source of a flat machine's top-level states. A transition of the
 * machine itself (the root's `on`) is taken from every state that is not final, as XState does:
 * it is drawn once from each of them.
 */
export function mermaidOf(machine: AnyStateMachine): string {
  const root = machine.root;
  const lines = ['stateDiagram-v2', `  [*] --> ${String(root.initial.target[0]?.key)}`];
  const inherited = edgesOf(root);
  for (const [key, node] of Object.entries(root.states)) {
    const final = node.type === 'final';
    const seen = new Set<string>();
    for (const [target, text] of [...edgesOf(node), ...(final ? [] : inherited)]) {
      const line = `  ${key} --> ${target}: ${text}`;
      if (!seen.has(line)) lines.push(line);
      seen.add(line);
    }
    if (final) lines.push(`  ${key} --> [*]`);
  }
  return lines.join('\n');
}
