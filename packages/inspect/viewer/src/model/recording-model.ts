/**
 * The viewer's model of a recording (or of a live stream: the same lines), built incrementally
 * as lines arrive: the tree, every node's states over time, the decisions, the recorded machine
 * definitions and inspected snapshots. A position `p` is the moment after the first `p` events;
 * `stateAt(p)` answers every node with a binary search each, never by replaying events.
 *
 * @module
 */
import type { NodeSnapshot, SupervisorEvent } from '@statevisor/core';
import { applyEvent } from './apply-event.ts';
import { InspectionStore } from './inspection-store.ts';
import { NodeTrack, viewOf } from './node-track.ts';
import type { NodeView } from './node-track.ts';

/**
 * The recording's first line, as the page reads it.
 *
 * @example
 * ```ts
 * const header = JSON.parse(firstLine) as ViewerHeader;
 * ```
 */
export interface ViewerHeader {
  readonly format: 'statevisor-recording';
  readonly version: number;
  readonly startedAt: number;
  readonly snapshot: NodeSnapshot;
}

/**
 * A line the model could not read, kept for the page to show.
 *
 * @example
 * ```ts
 * for (const problem of model.problems) console.warn(`line ${String(problem.line)}: ${problem.message}`);
 * ```
 */
export interface LineProblem {
  readonly line: number;
  readonly message: string;
}

/**
 * The model. Feed it lines with `append`; read it at any position.
 *
 * @example
 * ```ts
 * const model = new RecordingModel();
 * for (const line of text.split('\n')) model.append(line);
 * model.stateAt(model.events.length).find((node) => node.path === 'app/web')?.state; // 'ready'
 * ```
 */
export class RecordingModel {
  header: ViewerHeader | undefined;
  readonly events: SupervisorEvent[] = [];
  readonly nodes = new Map<string, NodeTrack>();
  readonly inspection = new InspectionStore();
  /** Events per kind. */
  readonly kinds = new Map<string, number>();
  /** Dropped events reported by `SubscriberOverflow`, per subscriber. */
  readonly dropped = new Map<string, number>();
  readonly problems: LineProblem[] = [];
  #lines = 0;

  /** The root's path (the header's), or `''` before the header. */
  get root(): string {
    return this.header?.snapshot.path ?? '';
  }

  /** The total of every `SubscriberOverflow.dropped`. */
  get droppedTotal(): number {
    let total = 0;
    for (const count of this.dropped.values()) total += count;
    return total;
  }

  /** Adds one JSONL line (the header first). Lines that cannot be read are kept in `problems`. */
  append(line: string): void {
    this.#lines += 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.problems.push({ line: this.#lines, message: 'not JSON' });
      return;
    }
    if (typeof value !== 'object' || value === null) {
      this.problems.push({ line: this.#lines, message: 'not an object' });
      return;
    }
    if ('format' in value) {
      this.#readHeader(value);
    } else if ('inspect' in value) {
      this.inspection.add(value.inspect);
    } else if ('kind' in value && 'task' in value) {
      const event = value as SupervisorEvent;
      this.events.push(event);
      this.kinds.set(event.kind, (this.kinds.get(event.kind) ?? 0) + 1);
      if (event.kind === 'SubscriberOverflow') this.dropped.set(event.subscriber, (this.dropped.get(event.subscriber) ?? 0) + event.dropped);
      applyEvent(this, event, this.events.length);
    } else {
      this.problems.push({ line: this.#lines, message: 'neither an event nor an inspection line' });
    }
  }

  /** The node of a path, made (with its ancestors) when first seen at `position`. */
  node(path: string, position: number): NodeTrack {
    const known = this.nodes.get(path);
    if (known !== undefined) return known;
    const track = new NodeTrack(path, 'task', position);
    if (track.parent !== undefined) {
      const parent = this.node(track.parent, position);
      if (parent.kind === 'task') {
        parent.kind = 'supervisor';
        parent.supervisorState.set(position, 'running');
      }
      parent.children.push(path);
    } else {
      track.kind = 'supervisor';
    }
    this.nodes.set(path, track);
    return track;
  }

  /**
   * Every node known at `position`, in tree order (parents before children, children in the
   * order they became known).
   */
  stateAt(position: number): NodeView[] {
    const out: NodeView[] = [];
    const visit = (path: string): void => {
      const track = this.nodes.get(path);
      if (track === undefined || track.since > position) return;
      out.push(viewOf(track, position));
      for (const child of track.children) visit(child);
    };
    for (const track of this.nodes.values()) if (track.parent === undefined) visit(track.path);
    return out;
  }

  /** The `at` of the event a position follows (the header's time at 0). */
  timeAt(position: number): number {
    const event = this.events[Math.min(position, this.events.length) - 1];
    return event?.at ?? this.header?.startedAt ?? 0;
  }

  #readHeader(value: { readonly format: unknown }): void {
    const fields = value as Partial<Record<keyof ViewerHeader, unknown>>;
    if (fields.format !== 'statevisor-recording' || typeof fields.snapshot !== 'object' || fields.snapshot === null) {
      this.problems.push({ line: this.#lines, message: 'not a statevisor recording header' });
      return;
    }
    const header = value as ViewerHeader;
    // A second header (a live stream that reconnected) only adds what the first did not know.
    this.header ??= header;
    const position = this.events.length;
    const visit = (snapshot: NodeSnapshot): void => {
      const fresh = !this.nodes.has(snapshot.path);
      const track = this.node(snapshot.path, position);
      if (snapshot.kind === 'supervisor') track.kind = 'supervisor';
      if (fresh) {
        if (track.parent === undefined) {
          track.supervisorState.set(position, snapshot.state);
        } else {
          track.state.set(position, snapshot.state);
          if (track.kind === 'supervisor') track.supervisorState.set(position, 'running');
        }
        if (snapshot.attempt !== undefined) track.attempt.set(position, snapshot.attempt);
        if (snapshot.pid !== undefined) track.pid.set(position, snapshot.pid);
      }
      for (const child of snapshot.children ?? []) visit(child);
    };
    visit(header.snapshot);
  }
}
