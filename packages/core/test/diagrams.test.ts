import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSupervisorLogic } from '../src/supervisor/supervisor-machine.ts';
import type { SupervisorHost } from '../src/supervisor/supervisor-machine.ts';
import { taskMachine } from '../src/task/task-machine.ts';
import { mermaidOf } from './diagrams.ts';

const doc = fileURLToPath(new URL('../../../docs/machines.md', import.meta.url));
const BEGIN = (id: string): string => `<!-- diagram:${id}:begin -->`;
const END = (id: string): string => `<!-- diagram:${id}:end -->`;

function section(text: string, id: string): string | undefined {
  const start = text.indexOf(BEGIN(id));
  const end = text.indexOf(END(id));
  if (start < 0 || end < 0) return undefined;
  return text.slice(start + BEGIN(id).length, end).trim();
}

describe('machine diagrams in docs/machines.md', () => {
  // The definition does not depend on the host: a diagram never runs an action.
  const supervisorMachine = createSupervisorLogic({} as SupervisorHost);
  const machines = { task: taskMachine, supervisor: supervisorMachine } as const;

  it.each(Object.keys(machines) as (keyof typeof machines)[])('the %s diagram is generated from the machine definition', (id) => {
    const expected = ['```mermaid', mermaidOf(machines[id]), '```'].join('\n');
    let text = readFileSync(doc, 'utf8');
    if (process.env['UPDATE_DIAGRAMS'] === '1') {
      const start = text.indexOf(BEGIN(id));
      const end = text.indexOf(END(id));
      if (start >= 0 && end > start) {
        text = `${text.slice(0, start + BEGIN(id).length)}\n${expected}\n${text.slice(end)}`;
        writeFileSync(doc, text);
      }
    }
    expect(section(text, id), 'run UPDATE_DIAGRAMS=1 pnpm test to refresh docs/machines.md').toBe(expected);
  });

  it.each(Object.keys(machines) as (keyof typeof machines)[])('the %s diagram reaches every state of the machine', (id) => {
    const diagram = mermaidOf(machines[id]);
    const reached = new Set([...diagram.matchAll(/--> (\w+)/g)].map((match) => match[1]));
    expect(Object.keys(machines[id].root.states).filter((state) => !reached.has(state))).toEqual([]);
  });

  it('the task machine has exactly the documented top-level states', () => {
    expect(Object.keys(taskMachine.root.states)).toEqual([
      'idle', 'starting', 'running', 'ready', 'stopping', 'stopped', 'failed', 'backoff', 'exhausted', 'dead',
    ]);
    expect(Object.values(taskMachine.root.states).filter((node) => node.type === 'final').map((node) => node.key)).toEqual([
      'exhausted', 'dead',
    ]);
  });
});
