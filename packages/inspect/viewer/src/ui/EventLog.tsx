/**
 * The event log, virtualised: only the rows in view are in the DOM. Events after the
 * scrubber's moment are dimmed; the log keeps the moment's event in view.
 *
 * @module
 */
import type { SupervisorEvent } from '@statevisor/core';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { elapsed, eventDetails, formatLine } from '../model/format-line.ts';

/**
 * Props of {@link EventLog}.
 *
 * @example
 * ```ts
 * const props: EventLogProps = { events, rows, position: 10, since: startedAt, onSeek };
 * ```
 */
export interface EventLogProps {
  readonly events: readonly SupervisorEvent[];
  /** The indexes of the events shown (filtered), ascending. */
  readonly rows: readonly number[];
  readonly position: number;
  readonly since: number;
  readonly onSeek: (position: number) => void;
}

const ROW = 18;
const SPARE = 8;

/** How many rows are at or before `position` (events 0..position-1). */
function rowsBefore(rows: readonly number[], position: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((rows[middle] ?? Infinity) < position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The log.
 *
 * @example
 * ```tsx
 * <EventLog events={model.events} rows={rows} position={position} since={startedAt} onSeek={seek} />
 * ```
 */
export function EventLog({ events, rows, position, since, onSeek }: EventLogProps) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  // Keep the last event at or before the moment in view.
  const current = rowsBefore(rows, position) - 1;
  useLayoutEffect(() => {
    const element = box.current;
    if (element === null || current < 0) return;
    const top = current * ROW;
    if (top < element.scrollTop || top + ROW > element.scrollTop + element.clientHeight) {
      element.scrollTop = Math.max(0, top - element.clientHeight + 3 * ROW);
      setScrollTop(element.scrollTop);
    }
  }, [current, rows]);
  const first = Math.max(0, Math.floor(scrollTop / ROW) - SPARE);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / ROW) + SPARE);
  const visible = [];
  for (let row = first; row < last; row += 1) {
    const index = rows[row];
    const event = index === undefined ? undefined : events[index];
    if (index === undefined || event === undefined) continue;
    const future = index >= position;
    visible.push(
      <div
        key={index}
        class={`log-row${future ? ' future' : ''}${row === current ? ' current' : ''} kind-${event.kind}`}
        data-testid="log-row"
        data-kind={event.kind}
        data-task={event.task}
        data-seq={event.seq}
        style={{ top: `${String(row * ROW)}px` }}
        title={formatLine(event, since)}
        onClick={() => onSeek(index + 1)}
      >
        <span class="t">{elapsed(event.at, since)}</span>
        <span class="seq">#{event.seq}</span>
        <span class="path">{event.task}</span>
        <span class="kind">{event.kind}</span>
        <span class="details">{eventDetails(event)}</span>
      </div>,
    );
  }
  return (
    <section class="log" aria-label="event log">
      <div class="log-rows" data-testid="log" data-count={rows.length} ref={box} onScroll={(event) => setScrollTop((event.currentTarget).scrollTop)}>
        <div style={{ height: `${String(rows.length * ROW)}px`, position: 'relative' }}>{visible}</div>
      </div>
    </section>
  );
}
