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

/** The Mermaid `stateDiagram-v2` source of a flat machine's top-level states. */
export function mermaidOf(machine: AnyStateMachine): string {
  const root = machine.root;
  const lines = ['stateDiagram-v2', `  [*] --> ${String(root.initial.target[0]?.key)}`];
  for (const [key, node] of Object.entries(root.states)) {
    const seen = new Set<string>();
    const edge = (target: string, text: string): void => {
      const line = `  ${key} --> ${target}: ${text}`;
      if (!seen.has(line)) lines.push(line);
      seen.add(line);
    };
    for (const [event, transitions] of node.transitions) {
      for (const transition of transitions) {
        const targets = transition.target ?? [];
        for (const target of targets) edge(target.key, label(event, transition.guard));
      }
    }
    for (const transition of node.always ?? []) {
      for (const target of transition.target ?? []) edge(target.key, label('always', transition.guard));
    }
    if (node.type === 'final') lines.push(`  ${key} --> [*]`);
  }
  return lines.join('\n');
}
