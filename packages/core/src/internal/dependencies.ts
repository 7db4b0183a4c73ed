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
  field: string,
  isLiveSibling: (name: string) => boolean = () => false,
): void {
  if (!specs.some((spec) => spec.options.dependsOn !== undefined && spec.options.dependsOn.length > 0)) return;
  const only = specs.length === 1 ? specs[0] : undefined;
  if (only !== undefined) {
    // A runtime add: one spec, checked against the live siblings (no cycle is possible).
    const deps = only.options.dependsOn ?? [];
    for (let j = 0; j < deps.length; j++) {
      const dep = deps[j] as string;
      if (dep === only.name) throw new ConfigError(`${field}[0].options.dependsOn[${j}]`, `"${dep}" depends on itself`);
      if (!isLiveSibling(dep)) {
        throw new ConfigError(`${field}[0].options.dependsOn[${j}]`, `unknown dependency "${dep}" (no sibling has that name)`);
      }
    }
    return;
  }
  const byName = new Map(specs.map((spec, i) => [spec.name, i] as const));
  specs.forEach((spec, i) => {
    (spec.options.dependsOn ?? []).forEach((dep, j) => {
      if (!byName.has(dep) && !isLiveSibling(dep)) {
        throw new ConfigError(`${field}[${i}].options.dependsOn[${j}]`, `unknown dependency "${dep}" (no sibling has that name)`);
      }
      if (dep === spec.name) throw new ConfigError(`${field}[${i}].options.dependsOn[${j}]`, `"${dep}" depends on itself`);
    });
  });
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    const mark = state.get(name);
    if (mark === 'done') return;
    if (mark === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name].join(' -> ');
      throw new ConfigError(`${field}[${byName.get(name) ?? 0}].options.dependsOn`, `dependency cycle: ${cycle}`);
    }
    state.set(name, 'visiting');
    const spec = specs[byName.get(name) ?? -1];
    for (const dep of spec?.options.dependsOn ?? []) visit(dep, [...trail, name]);
    state.set(name, 'done');
  };
  for (const spec of specs) visit(spec.name, []);
}

