/**
 * `statevisor run --tui`: a full-screen view of the running tree (states, pids, restarts,
 * uptime, last line) with keys to restart, stop and start a process and to follow its log.
 *
 * Plain ANSI and `node:readline`'s keypress events: one table and one log pane need no widget
 * library, and the terminal is given back by our own `exit` handler however the run ends.
 *
 * @module
 */
import type { ChildSpec, Supervisor } from '@statevisor/core';
import { controlState } from '../control/control-state.ts';
import type { LogBook } from '../logs/log-book.ts';
import { holdTerminal, type Key } from './terminal.ts';
import { renderView, rowPaths } from './tui-view.ts';

/** The fastest the screen is redrawn. */
const FRAME_MS = 100;
/** Redrawn at least this often, for the uptimes. */
const IDLE_FRAME_MS = 1000;

/**
 * Options of {@link startTui}.
 *
 * @example
 * ```ts
 * const options: TuiOptions = { logs, stdin: process.stdin, stdout: process.stdout, onQuit: () => void shutdown() };
 * ```
 */
export interface TuiOptions {
  /** The run's log book (the log pane, the last lines). */
  readonly logs: LogBook;
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  /**
   * Called for `q` and for Ctrl-C (the terminal is in raw mode, so Ctrl-C comes as a key, not a
   * SIGINT): each press calls it again, so a second one can force the shutdown as a second
   * Ctrl-C does. The TUI stays up until `close()`.
   */
  readonly onQuit: () => void;
  /** The spec of a top-level process, for `S` (start); the control server's `specOf` serves too. */
  readonly specOf?: (path: string) => ChildSpec | undefined;
}

/**
 * Shows the TUI on `stdout` and reads keys from `stdin` until `close()`.
 *
 * @param app - the running supervisor
 * @param options - the log book, the streams and what `q` does
 * @returns a handle to close it (it gives the terminal back)
 *
 * @example
 * ```ts
 * const tui = startTui(app, { logs, stdin: process.stdin, stdout: process.stdout, onQuit: () => void shutdown() });
 * await app.outcome();
 * tui.close();
 * ```
 */
export function startTui(app: Supervisor, options: TuiOptions): { close(): void } {
  const state = controlState(app, { logs: options.logs, specOf: options.specOf });
  let selected: string | undefined;
  let logOf: string | undefined;
  let status = '';
  let dirty = true;
  let drawnAt = 0;
  let closed = false;

  const act = (op: 'restart' | 'stop' | 'start'): void => {
    const path = selected;
    if (path === undefined) return;
    status = `${op} ${path}…`;
    dirty = true;
    state.op(op, path).then(
      (result) => {
        status = `${result.path}: ${result.done}`;
        dirty = true;
      },
      (error: unknown) => {
        status = `${op} ${path}: ${error instanceof Error ? error.message : String(error)}`;
        dirty = true;
      },
    );
  };

  const move = (by: number): void => {
    const paths = rowPaths(state.tree());
    const index = selected === undefined ? -1 : paths.indexOf(selected);
    selected = paths[Math.min(paths.length - 1, Math.max(0, index + by))] ?? selected;
  };

  const onKey = (text: string | undefined, key: Key): void => {
    dirty = true;
    if ((key.ctrl === true && key.name === 'c') || (text === 'q' && key.ctrl !== true)) {
      status = 'shutting down…';
      options.onQuit();
      return;
    }
    if (logOf !== undefined) {
      if (key.name === 'escape' || key.name === 'backspace' || text === 'h') logOf = undefined;
      return;
    }
    if (key.name === 'up' || text === 'k') move(-1);
    else if (key.name === 'down' || text === 'j') move(1);
    else if (text === 'r') act('restart');
    else if (text === 's') act('stop');
    else if (text === 'S') act('start');
    else if ((text === 'l' || key.name === 'return' || key.name === 'enter') && selected !== undefined) logOf = selected;
  };

  const terminal = holdTerminal(options.stdin, options.stdout, onKey);
  const changes = app.subscribe({ name: 'statevisor-tui', next: () => void (dirty = true) });
  const onResize = (): void => void (dirty = true);
  options.stdout.on('resize', onResize);

  const draw = (): void => {
    const tree = state.tree();
    const paths = rowPaths(tree);
    if (selected === undefined || !paths.includes(selected)) selected = paths[0];
    const { columns, rows } = terminal.size();
    terminal.draw(
      renderView({
        title: app.name,
        tree,
        selected,
        logOf,
        logLines: logOf === undefined ? [] : options.logs.recent(logOf, rows),
        status,
        columns,
        rows,
      }),
    );
    dirty = false;
    drawnAt = Date.now();
  };
  const timer = setInterval(() => {
    if (dirty || Date.now() - drawnAt >= IDLE_FRAME_MS) draw();
  }, FRAME_MS);
  draw();

  return {
    close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      changes.unsubscribe();
      options.stdout.off('resize', onResize);
      terminal.release();
    },
  };
}
