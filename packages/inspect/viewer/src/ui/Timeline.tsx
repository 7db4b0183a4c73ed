/**
 * The timeline: one row per node, its states as coloured bands over the recording (x is the
 * event position), drawn on a canvas (bands, not events, so 100 000 events stay cheap), with a
 * cursor at the scrubber's moment. Clicking moves the scrubber there.
 *
 * @module
 */
import { useEffect, useRef } from 'preact/hooks';
import type { NodeTrack } from '../model/node-track.ts';
import { stateColor } from '../model/task-states.ts';

/**
 * Props of {@link Timeline}.
 *
 * @example
 * ```ts
 * const props: TimelineProps = { tracks, total: 90, position: 42, version: 1, selected: undefined, onSeek };
 * ```
 */
export interface TimelineProps {
  readonly tracks: readonly NodeTrack[];
  readonly total: number;
  readonly position: number;
  readonly version: number;
  readonly selected: string | undefined;
  readonly onSeek: (position: number) => void;
}

const ROW = 16;
const WIDTH = 1000;

function draw(canvas: HTMLCanvasElement, tracks: readonly NodeTrack[], total: number, position: number): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const width = canvas.width;
  context.clearRect(0, 0, width, canvas.height);
  const scale = width / Math.max(total, 1);
  tracks.forEach((track, row) => {
    const steps = track.parent === undefined ? track.supervisorState : track.state;
    const { positions, values } = steps;
    const y = row * ROW + 2;
    for (let index = 0; index < positions.length; index += 1) {
      const from = (positions[index] ?? 0) * scale;
      const to = (positions[index + 1] ?? total) * scale;
      context.fillStyle = stateColor(values[index]);
      context.fillRect(from, y, Math.max(to - from, 1), ROW - 4);
    }
  });
  context.fillStyle = '#1f2933';
  context.fillRect(Math.min(position * scale, width - 2), 0, 2, canvas.height);
}

/**
 * The timeline.
 *
 * @example
 * ```tsx
 * <Timeline tracks={tracks} total={model.events.length} position={position} version={version} selected={path} onSeek={seek} />
 * ```
 */
export function Timeline({ tracks, total, position, version, selected, onSeek }: TimelineProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current !== null) draw(canvas.current, tracks, total, position);
  }, [tracks, total, position, version]);
  const seek = (event: MouseEvent): void => {
    const target = event.currentTarget as HTMLCanvasElement;
    const box = target.getBoundingClientRect();
    onSeek(Math.round(((event.clientX - box.left) / box.width) * total));
  };
  return (
    <section class="timeline" data-testid="timeline" data-rows={tracks.length} aria-label="timeline">
      <h2>Timeline</h2>
      <div class="timeline-body">
        <div class="timeline-labels">
          {tracks.map((track) => (
            <div
              key={track.path}
              class={track.path === selected ? 'timeline-row selected' : 'timeline-row'}
              data-testid={`timeline-row-${track.path}`}
              title={track.path}
              style={{ height: `${String(ROW)}px`, paddingLeft: `${String(4 + track.depth * 10)}px` }}
            >
              {track.name}
            </div>
          ))}
        </div>
        <canvas
          ref={canvas}
          class="timeline-canvas"
          data-testid="timeline-canvas"
          width={WIDTH}
          height={Math.max(tracks.length * ROW, 1)}
          style={{ height: `${String(tracks.length * ROW)}px` }}
          onClick={seek}
        />
      </div>
    </section>
  );
}
