/**
 * A machine drawn as SVG from its recorded definition, with the state at the scrubber's moment
 * lit and the transitions that leave it drawn darker (and labelled, in a large machine). Every
 * edge's events and guards are in its tooltip.
 *
 * @module
 */
import { useMemo } from 'preact/hooks';
import type { MachineGraph } from '../model/machine-definition.ts';
import { stateColor } from '../model/task-states.ts';
import { layoutMachine } from './diagram-layout.ts';

/**
 * Props of {@link MachineDiagram}.
 *
 * @example
 * ```ts
 * const props: MachineDiagramProps = { graph, lit: 'ready' };
 * ```
 */
export interface MachineDiagramProps {
  readonly graph: MachineGraph;
  readonly lit: string | undefined;
}

const pathOf = (points: readonly { readonly x: number; readonly y: number }[]): string =>
  points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ');

/**
 * The diagram.
 *
 * @example
 * ```tsx
 * <MachineDiagram graph={graph} lit="ready" />
 * ```
 */
export function MachineDiagram({ graph, lit }: MachineDiagramProps) {
  const placed = useMemo(() => layoutMachine(graph), [graph]);
  return (
    <svg
      class="diagram"
      data-testid="diagram"
      data-machine={graph.id}
      viewBox={`0 0 ${String(placed.width)} ${String(placed.height)}`}
      width={placed.width}
      height={placed.height}
      role="img"
      aria-label={`machine ${graph.id}`}
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" fill="#78828c" />
        </marker>
      </defs>
      {placed.edges.map((edge) => {
        const next = edge.from === lit;
        return (
          <g class={next ? 'edge next' : 'edge'} key={`${edge.from}->${edge.to}`}>
            <title>{`${edge.from} → ${edge.to}\n${edge.title}`}</title>
            <path d={pathOf(edge.points)} fill="none" stroke={next ? '#1f2933' : '#9aa5b1'} stroke-width={next ? 1.5 : 1} marker-end="url(#arrow)" />
          </g>
        );
      })}
      {placed.states.map((state) => {
        const isLit = state.name === lit;
        return (
          <g
            key={state.name}
            class={isLit ? 'state lit' : 'state'}
            data-testid={isLit ? 'lit-state' : `diagram-state-${state.name}`}
            data-state={state.name}
          >
            <rect
              x={state.x - state.width / 2}
              y={state.y - state.height / 2}
              width={state.width}
              height={state.height}
              rx={state.final ? 2 : 8}
              fill={isLit ? stateColor(state.name) : '#ffffff'}
              stroke={isLit ? '#1f2933' : state.initial ? '#3b4752' : '#9aa5b1'}
              stroke-width={isLit ? 2.5 : state.final ? 2 : 1}
            />
            <text x={state.x} y={state.y + 4} text-anchor="middle" class="state-label">
              {state.name}
            </text>
          </g>
        );
      })}
      {placed.edges
        .filter((edge) => placed.labelled || edge.from === lit)
        .map((edge) => (
          <g class={edge.from === lit ? 'edge-labels next' : 'edge-labels'} key={`${edge.from}->${edge.to}:label`}>
            {edge.label.split('\n').map((line, index, all) => (
              <text class="edge-label" x={edge.labelX} y={edge.labelY + (index - (all.length - 1) / 2) * 12 + 4} text-anchor="middle">
                {line}
              </text>
            ))}
          </g>
        ))}
    </svg>
  );
}
