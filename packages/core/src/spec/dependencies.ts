/** Dependency validation among siblings: known names, no self-dependency, no cycle. */
import { ConfigError } from '../errors.ts';

/** What the check needs of a child spec. */
interface Dependent {
  readonly name: string;
  readonly options: { readonly dependsOn?: readonly string[] };
}

/**
 * Every `dependsOn` names a sibling (one of `specs`, or a live sibling for a runtime `add`), and
 * the dependency graph has no cycle. A live sibling cannot close a cycle: its own dependencies
 * were all live before the new child existed.
 */
export function validateDependencies(
  specs: readonly Dependent[],
  fieldOf: (index: number) => string,
  isLiveSibling: (name: string) => boolean = () => false,
): void {
  if (!specs.some((spec) => spec.options.dependsOn !== undefined && spec.options.dependsOn.length > 0)) return;
  // A runtime add is one spec checked against the live siblings: no name map, no cycle search.
  const byName = specs.length > 1 ? new Map(specs.map((spec, i) => [spec.name, i] as const)) : undefined;
  specs.forEach((spec, i) => {
    (spec.options.dependsOn ?? []).forEach((dep, j) => {
      if (dep === spec.name) throw new ConfigError(`${fieldOf(i)}.options.dependsOn[${j}]`, `"${dep}" depends on itself`);
      if (byName?.has(dep) !== true && !isLiveSibling(dep)) {
        throw new ConfigError(`${fieldOf(i)}.options.dependsOn[${j}]`, `unknown dependency "${dep}" (no sibling has that name)`);
      }
    });
  });
  // One spec alone cannot close a cycle: its self-dependency is checked above, and the live
  // siblings it names were all validated before it existed.
  if (byName === undefined) return;
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    const mark = state.get(name);
    if (mark === 'done') return;
    if (mark === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name].join(' -> ');
      throw new ConfigError(`${fieldOf(byName.get(name) ?? 0)}.options.dependsOn`, `dependency cycle: ${cycle}`);
    }
    state.set(name, 'visiting');
    const spec = specs[byName.get(name) ?? -1];
    for (const dep of spec?.options.dependsOn ?? []) visit(dep, [...trail, name]);
    state.set(name, 'done');
  };
  for (const spec of specs) visit(spec.name, []);
}

