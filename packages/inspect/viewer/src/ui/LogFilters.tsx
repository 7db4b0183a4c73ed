/**
 * The log's filters: a checkbox per event kind present in the recording, and a path (the path
 * or below it, full or relative to the root).
 *
 * @module
 */

/**
 * Props of {@link LogFilters}.
 *
 * @example
 * ```ts
 * const props: LogFiltersProps = { kinds: model.kinds, shown: undefined, path: '', onKinds, onPath };
 * ```
 */
export interface LogFiltersProps {
  /** The kinds present, with their counts. */
  readonly kinds: ReadonlyMap<string, number>;
  /** The kinds shown, `undefined` for all. */
  readonly shown: ReadonlySet<string> | undefined;
  readonly path: string;
  readonly onKinds: (kinds: ReadonlySet<string> | undefined) => void;
  readonly onPath: (path: string) => void;
}

/**
 * The filters bar.
 *
 * @example
 * ```tsx
 * <LogFilters kinds={model.kinds} shown={kinds} path={path} onKinds={setKinds} onPath={setPath} />
 * ```
 */
export function LogFilters({ kinds, shown, path, onKinds, onPath }: LogFiltersProps) {
  const names = [...kinds.keys()].sort();
  const toggle = (kind: string): void => {
    const next = new Set(shown ?? names);
    if (next.has(kind)) next.delete(kind);
    else next.add(kind);
    onKinds(next.size === names.length ? undefined : next);
  };
  return (
    <div class="filters" data-testid="filters">
      <label class="path-filter">
        path{' '}
        <input
          type="search"
          data-testid="path-filter"
          placeholder="app/web (or below)"
          value={path}
          onInput={(event) => onPath((event.currentTarget).value)}
        />
      </label>
      <button type="button" data-testid="kind-all" onClick={() => onKinds(undefined)}>
        all kinds
      </button>
      <button type="button" data-testid="kind-none" onClick={() => onKinds(new Set())}>
        none
      </button>
      <div class="kinds" data-testid="kind-filter">
        {names.map((kind) => (
          <label key={kind} class="kind">
            <input type="checkbox" data-testid={`kind-${kind}`} checked={shown === undefined || shown.has(kind)} onChange={() => toggle(kind)} />
            {kind} <span class="count">{kinds.get(kind)}</span>
          </label>
        ))}
      </div>
    </div>
  );
}
