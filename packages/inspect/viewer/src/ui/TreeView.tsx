/**
 * The supervision tree at the scrubber's moment: each node's name, state (a coloured badge),
 * attempt and pid. Clicking a node selects it.
 *
 * @module
 */
import type { NodeView } from '../model/node-track.ts';
import { stateColor } from '../model/task-states.ts';

/**
 * Props of {@link TreeView}.
 *
 * @example
 * ```ts
 * const props: TreeViewProps = { nodes: model.stateAt(42), selected: 'app/web', onSelect };
 * ```
 */
export interface TreeViewProps {
  readonly nodes: readonly NodeView[];
  readonly selected: string | undefined;
  readonly onSelect: (path: string) => void;
}

/**
 * A state as a coloured badge.
 *
 * @example
 * ```tsx
 * <StateBadge state="ready" testid="state-app/web" />
 * ```
 */
export function StateBadge({ state, testid, supervisor = false }: { readonly state: string | undefined; readonly testid?: string; readonly supervisor?: boolean }) {
  return (
    <span
      class={supervisor ? 'badge sup' : 'badge'}
      data-testid={testid}
      data-state={state ?? 'unknown'}
      title={supervisor ? 'its supervisor machine' : 'its task machine'}
      style={{ background: stateColor(state), borderColor: stateColor(state) }}
    >
      {supervisor ? `sup: ${state ?? '?'}` : (state ?? '?')}
    </span>
  );
}

/**
 * The tree.
 *
 * @example
 * ```tsx
 * <TreeView nodes={model.stateAt(position)} selected={path} onSelect={setPath} />
 * ```
 */
export function TreeView({ nodes, selected, onSelect }: TreeViewProps) {
  return (
    <section class="tree" data-testid="tree" aria-label="supervision tree">
      <h2>Tree</h2>
      <ul>
        {nodes.map((node) => (
          <li
            key={node.path}
            class={`node${node.path === selected ? ' selected' : ''}${node.state === 'removed' ? ' gone' : ''}`}
            data-testid={`node-${node.path}`}
            data-selected={node.path === selected ? 'true' : 'false'}
            style={{ paddingLeft: `${String(8 + node.depth * 14)}px` }}
            title={node.path}
            onClick={() => onSelect(node.path)}
          >
            <span class="node-name">
              {node.kind === 'supervisor' ? '▾ ' : ''}
              {node.name}
            </span>
            <StateBadge state={node.state} testid={`state-${node.path}`} />
            {node.supervisorState !== undefined && node.depth > 0 ? <StateBadge state={node.supervisorState} testid={`supervisor-state-${node.path}`} supervisor /> : null}
            <span class="node-meta" data-testid={`attempt-${node.path}`}>
              {node.attempt === undefined ? '' : `#${String(node.attempt)}`}
            </span>
            <span class="node-meta" data-testid={`pid-${node.path}`}>
              {node.pid === undefined ? '' : `pid ${String(node.pid)}`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
