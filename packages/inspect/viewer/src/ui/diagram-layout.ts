/**
 * Lays out a machine graph with dagre: states as boxes, the transitions between two states
 * merged into one edge whose label lists their events (guards go to the edge's tooltip). A
 * small machine gets room for every label; a large one (the task machine has some 40 edges)
 * is laid out without, so it stays readable in the panel, and the page labels only the edges
 * leaving the lit state.
 *
 * @module
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { MachineGraph } from '../model/machine-definition.ts';

/**
 * A placed state.
 *
 * @example
 * ```ts
 * const ready = layoutMachine(graph).states.find((state) => state.name === 'ready');
 * ```
 */
export interface PlacedState {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly final: boolean;
  readonly initial: boolean;
}

/**
 * A placed edge: its polyline, its label and where the label goes.
 *
 * @example
 * ```ts
 * for (const edge of layoutMachine(graph).edges) console.log(edge.from, edge.to, edge.label);
 * ```
 */
export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** Every transition of the edge, with its guard. */
  readonly title: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly labelX: number;
  readonly labelY: number;
}

/**
 * A laid out diagram.
 *
 * @example
 * ```ts
 * const { width, height } = layoutMachine(graph);
 * ```
 */
export interface DiagramLayout {
  readonly width: number;
  readonly height: number;
  readonly states: readonly PlacedState[];
  readonly edges: readonly PlacedEdge[];
  /** Whether the layout made room for every edge's label. */
  readonly labelled: boolean;
}

/** Above this many edges, labels get no room in the layout. */
const LABELLED_EDGES = 14;

const CHAR = 6.2;
const LINE = 12;

interface EdgeLabel {
  width: number;
  height: number;
  labelpos: string;
  label: string;
  title: string;
  points?: { x: number; y: number }[];
  x?: number;
  y?: number;
}

interface NodeLabel {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

/**
 * Lays out `graph`.
 *
 * @example
 * ```ts
 * const placed = layoutMachine(graph);
 * placed.states.find((state) => state.name === 'ready')?.x;
 * ```
 */
export function layoutMachine(graph: MachineGraph): DiagramLayout {
  const g = new Graph();
  for (const state of graph.states) g.setNode(state, { width: Math.max(64, state.length * 7.5 + 20), height: 28 } satisfies NodeLabel);
  const merged = new Map<string, { from: string; to: string; events: string[]; titles: string[] }>();
  for (const t of graph.transitions) {
    const key = `${t.from}\u0000${t.to}`;
    let edge = merged.get(key);
    if (edge === undefined) {
      edge = { from: t.from, to: t.to, events: [], titles: [] };
      merged.set(key, edge);
    }
    if (!edge.events.includes(t.event)) edge.events.push(t.event);
    edge.titles.push(t.guard === undefined ? t.event : `${t.event} [${t.guard}]`);
  }
  const labelled = merged.size <= LABELLED_EDGES;
  g.setGraph(labelled ? { rankdir: 'TB', nodesep: 24, ranksep: 36, edgesep: 12, marginx: 8, marginy: 8 } : { rankdir: 'TB', nodesep: 18, ranksep: 44, edgesep: 8, marginx: 60, marginy: 8 });
  for (const edge of merged.values()) {
    const longest = Math.max(...edge.events.map((event) => event.length));
    const label: EdgeLabel = {
      width: labelled ? longest * CHAR : 0,
      height: labelled ? edge.events.length * LINE : 0,
      labelpos: 'c',
      label: edge.events.join('\n'),
      title: edge.titles.join('\n'),
    };
    g.setEdge(edge.from, edge.to, label);
  }
  layout(g);
  const states: PlacedState[] = graph.states.map((name) => {
    const node = g.node(name) as NodeLabel;
    return {
      name,
      x: node.x ?? 0,
      y: node.y ?? 0,
      width: node.width,
      height: node.height,
      final: graph.finals.has(name),
      initial: graph.initial === name,
    };
  });
  const edges: PlacedEdge[] = g.edges().map((e: { readonly v: string; readonly w: string }) => {
    const label = g.edge(e) as EdgeLabel;
    const points = label.points ?? [];
    const middle = points[Math.floor(points.length / 2)];
    // A self-loop's label goes above its state's box.
    const state = e.v === e.w ? (g.node(e.v) as NodeLabel) : undefined;
    const lines = label.label.split('\n').length;
    return {
      from: e.v,
      to: e.w,
      label: label.label,
      title: label.title,
      points,
      labelX: state?.x ?? label.x ?? middle?.x ?? 0,
      labelY: state === undefined ? (label.y ?? middle?.y ?? 0) : (state.y ?? 0) - state.height / 2 - 4 - (lines * LINE) / 2,
    };
  });
  const size = g.graph() as { width?: number; height?: number };
  return { width: size.width ?? 0, height: size.height ?? 0, states, edges, labelled };
}
