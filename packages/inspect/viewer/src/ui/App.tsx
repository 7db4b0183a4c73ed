/**
 * The page: connects, feeds the model, and lays out the header bar, the tree, the timeline,
 * the log, the selected node's panel and the scrubber. Every part reads the model at one
 * position: the newest event while following, else the scrubber's.
 *
 * @module
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { connect } from '../connection.ts';
import type { Session } from '../connection.ts';
import { filterEvents } from '../model/event-filter.ts';
import type { NodeTrack } from '../model/node-track.ts';
import type { RecordingModel } from '../model/recording-model.ts';
import { EventLog } from './EventLog.tsx';
import { HeaderBar } from './HeaderBar.tsx';
import { LogFilters } from './LogFilters.tsx';
import { NodePanel } from './NodePanel.tsx';
import { Scrubber } from './Scrubber.tsx';
import { Timeline } from './Timeline.tsx';
import { TreeView } from './TreeView.tsx';

/**
 * The viewer.
 *
 * @example
 * ```tsx
 * render(<App model={new RecordingModel()} />, document.getElementById('app')!);
 * ```
 */
export function App({ model }: { readonly model: RecordingModel }) {
  const [session, setSession] = useState<Session | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [follow, setFollow] = useState(true);
  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [kinds, setKinds] = useState<ReadonlySet<string> | undefined>(undefined);
  const [pathFilter, setPathFilter] = useState('');
  const pending = useRef(false);
  const mode = useRef<Session['mode'] | undefined>(undefined);

  useEffect(() => {
    const redraw = (): void => {
      if (pending.current) return;
      pending.current = true;
      requestAnimationFrame(() => {
        pending.current = false;
        setVersion((v) => v + 1);
      });
    };
    void connect({
      session: (opened) => {
        mode.current = opened.mode;
        setSession(opened);
      },
      lines: (lines) => {
        for (const line of lines) model.append(line);
        // Live, the page is ready with the first lines and follows them; a recording is drawn
        // once read whole (drawing while it streams in would redo the views for every chunk).
        if (mode.current !== 'live') return;
        if (model.header !== undefined) setLoaded(true);
        redraw();
      },
      end: (error) => {
        setLoaded(true);
        if (error !== undefined) setProblem(error);
        redraw();
      },
    });
  }, [model]);

  const total = model.events.length;
  const position = follow ? total : Math.min(cursor, total);
  const live = session?.mode === 'live';
  const since = model.header?.startedAt ?? 0;

  // Ready once the data is in (a recording read whole, or the live stream's first lines) and drawn.
  useEffect(() => {
    if (document.body.dataset['ready'] === 'true') return;
    if (loaded && session !== undefined && (model.header !== undefined || problem !== undefined)) {
      // The time since navigation began, for scripts/measure-viewer.ts.
      document.body.dataset['readyMs'] = String(Math.round(performance.now()));
      document.body.dataset['ready'] = 'true';
    }
  }, [loaded, session, version, model, problem]);

  const seek = useCallback((to: number) => {
    setFollow(false);
    setCursor(to);
  }, []);
  const onFollow = useCallback((on: boolean) => {
    setFollow(on);
    if (!on) setCursor(model.events.length);
  }, [model]);

  // `version` changes whenever lines arrive: the derived views are recomputed then.
  const nodes = useMemo(() => model.stateAt(position), [model, position, version]);
  const tracks = useMemo(() => {
    const out: NodeTrack[] = [];
    for (const view of model.stateAt(total)) {
      const track = model.nodes.get(view.path);
      if (track !== undefined) out.push(track);
    }
    return out;
  }, [model, total, version]);
  const rows = useMemo(() => filterEvents(model.events, { kinds, path: pathFilter }, model.root), [model, kinds, pathFilter, version]);
  const problems = model.problems.length > 0 ? `${String(model.problems.length)} unreadable lines` : undefined;

  return (
    <div class="page">
      <HeaderBar
        mode={session?.mode ?? 'connecting'}
        name={session?.name ?? ''}
        events={total}
        dropped={model.dropped}
        droppedTotal={model.droppedTotal}
        problem={problem ?? problems}
      />
      <main class="main">
        <TreeView nodes={nodes} selected={selected} onSelect={setSelected} />
        <div class="center">
          <Timeline tracks={tracks} total={total} position={position} version={version} selected={selected} onSeek={seek} />
          <LogFilters kinds={model.kinds} shown={kinds} path={pathFilter} onKinds={setKinds} onPath={setPathFilter} />
          <EventLog events={model.events} rows={rows} position={position} since={since} onSeek={seek} />
        </div>
        <NodePanel model={model} path={selected} position={position} since={since} />
      </main>
      <Scrubber total={total} position={position} at={model.timeAt(position)} since={since} follow={follow} live={live} onSeek={seek} onFollow={onFollow} />
    </div>
  );
}
