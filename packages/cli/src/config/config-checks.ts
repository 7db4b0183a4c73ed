/**
 * The checks of a config across fields, run on the raw input beside the schema (so they report
 * even when other fields have problems): names unique among siblings, `dependsOn` naming a
 * sibling and making no cycle, a `command` string that needs no shell unless `shell: true`.
 *
 * @module
 */
import { splitCommand } from './split-command.ts';

/**
 * A problem found by a check: the field's path (segments) and what is wrong.
 *
 * @example
 * ```ts
 * const found: CheckProblem = { path: ['processes', 'web', 'dependsOn', 0], message: '"db" is not a sibling' };
 * ```
 */
export interface CheckProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Raw = Record<string, unknown>;

/**
 * Checks `value` (a config, or a group) and every group under it.
 *
 * @param value - the parsed config, before or after the schema
 * @param at - the path of `value`
 * @returns every problem found, in the order of the input
 *
 * @example
 * ```ts
 * checkConfig({ processes: { web: { command: 'a | b' } } });
 * // [{ path: ['processes', 'web', 'command'], message: 'uses "|", which needs a shell: ...' }]
 * ```
 */
export function checkConfig(value: unknown, at: readonly (string | number)[] = []): CheckProblem[] {
  if (!isRecord(value)) return [];
  const problems: CheckProblem[] = [];
  const processes = isRecord(value['processes']) ? value['processes'] : {};
  const groups = isRecord(value['groups']) ? value['groups'] : {};
  for (const [name, entry] of Object.entries(processes)) {
    if (isRecord(entry)) problems.push(...checkCommand(entry, [...at, 'processes', name]));
  }
  for (const name of Object.keys(groups)) {
    if (Object.hasOwn(processes, name)) {
      problems.push({ path: [...at, 'groups', name], message: `"${name}" is also a process name: names are unique among siblings` });
    }
  }
  const names = [...new Set([...Object.keys(processes), ...Object.keys(groups)])];
  const edges = new Map<string, { kind: string; dependsOn: readonly string[] }>();
  for (const [kind, entries] of [['processes', processes], ['groups', groups]] as const) {
    for (const [name, entry] of Object.entries(entries)) {
      const given = isRecord(entry) ? entry['dependsOn'] : undefined;
      const dependsOn = Array.isArray(given) ? given.filter((d): d is string => typeof d === 'string') : [];
      if (!edges.has(name)) edges.set(name, { kind, dependsOn });
      dependsOn.forEach((dependency, i) => {
        const path = [...at, kind, name, 'dependsOn', i];
        if (dependency === name) problems.push({ path, message: `"${name}" cannot depend on itself` });
        else if (!names.includes(dependency)) {
          const others = names.filter((other) => other !== name);
          problems.push({ path, message: `"${dependency}" is not a sibling (siblings: ${others.join(', ') || 'none'})` });
        }
      });
    }
  }
  const cycle = findCycle(edges);
  const start = cycle?.[0];
  if (cycle !== undefined && start !== undefined) {
    problems.push({ path: [...at, edges.get(start)?.kind ?? 'processes', start, 'dependsOn'], message: `dependency cycle: ${cycle.join(' -> ')}` });
  }
  for (const [name, group] of Object.entries(groups)) problems.push(...checkConfig(group, [...at, 'groups', name]));
  return problems;
}

function checkCommand(entry: Raw, at: readonly (string | number)[]): CheckProblem[] {
  const command = entry['command'];
  if (Array.isArray(command) && entry['shell'] === true) {
    return [{ path: [...at, 'shell'], message: 'needs command as a string (the line sh -c runs)' }];
  }
  if (typeof command !== 'string' || command === '' || entry['shell'] === true) return [];
  const split = splitCommand(command);
  return 'problem' in split ? [{ path: [...at, 'command'], message: split.problem }] : [];
}

function findCycle(edges: ReadonlyMap<string, { readonly dependsOn: readonly string[] }>): readonly string[] | undefined {
  const done = new Set<string>();
  const visit = (node: string, trail: readonly string[]): readonly string[] | undefined => {
    if (trail.includes(node)) return [...trail.slice(trail.indexOf(node)), node];
    if (done.has(node)) return undefined;
    for (const next of edges.get(node)?.dependsOn ?? []) {
      if (next === node || !edges.has(next)) continue;
      const cycle = visit(next, [...trail, node]);
      if (cycle !== undefined) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node, []);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
