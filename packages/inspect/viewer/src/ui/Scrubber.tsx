/**
 * The scrubber: a range over the recording's events, the moment's time, step and play buttons,
 * and the follow-live toggle.
 *
 * @module
 */
import { useEffect, useState } from 'preact/hooks';
import { elapsed } from '../model/format-line.ts';

/**
 * Props of {@link Scrubber}.
 *
 * @example
 * ```ts
 * const props: ScrubberProps = { total: 90, position: 42, at, since, follow: false, live: false, onSeek, onFollow };
 * ```
 */
export interface ScrubberProps {
  readonly total: number;
  readonly position: number;
  /** The time of the moment, epoch ms. */
  readonly at: number;
  readonly since: number;
  readonly follow: boolean;
  readonly live: boolean;
  readonly onSeek: (position: number) => void;
  readonly onFollow: (follow: boolean) => void;
}

/**
 * The scrubber.
 *
 * @example
 * ```tsx
 * <Scrubber total={n} position={p} at={model.timeAt(p)} since={startedAt} follow={follow} live onSeek={seek} onFollow={setFollow} />
 * ```
 */
export function Scrubber({ total, position, at, since, follow, live, onSeek, onFollow }: ScrubberProps) {
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    if (!playing) return undefined;
    const stride = Math.max(1, Math.round(total / 400));
    const timer = setInterval(() => {
      if (position >= total) setPlaying(false);
      else onSeek(Math.min(total, position + stride));
    }, 40);
    return () => clearInterval(timer);
  }, [playing, position, total, onSeek]);
  return (
    <footer class="scrubber">
      <button type="button" data-testid="step-back" title="previous event" onClick={() => onSeek(Math.max(0, position - 1))}>
        ◀
      </button>
      <button
        type="button"
        data-testid="play"
        title="play"
        onClick={() => {
          if (!playing && position >= total) onSeek(0);
          setPlaying(!playing);
        }}
      >
        {playing ? '❚❚' : '▶'}
      </button>
      <button type="button" data-testid="step-forward" title="next event" onClick={() => onSeek(Math.min(total, position + 1))}>
        ▶|
      </button>
      <input
        type="range"
        data-testid="scrubber"
        aria-label="moment"
        min={0}
        max={total}
        step={1}
        value={position}
        onInput={(event) => onSeek(Number((event.currentTarget).value))}
      />
      <span class="moment" data-testid="scrubber-time" data-position={position}>
        {elapsed(at, since)} · event {position} / {total}
      </span>
      <label class="follow" title={live ? 'follow the newest event' : 'stay at the end'}>
        <input type="checkbox" data-testid="follow" checked={follow} onChange={(event) => onFollow((event.currentTarget).checked)} />
        {live ? 'follow live' : 'at end'}
      </label>
    </footer>
  );
}
