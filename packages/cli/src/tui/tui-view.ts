/**
 * What the TUI shows, as lines: the tree (NAME STATE PID RESTARTS UPTIME LAST LINE) with the
 * selected row in inverse video, or one process's log; a status line and the keys in a footer.
 *
 * @module
 */
import { alignRows, PS_HEADER, psNodeRows } from '../control/ps-table.ts';
import type { PsNode } from '../control/protocol.ts';
import { formatLogLine } from '../logs/format-log-line.ts';
import type { LogLine } from '../logs/log-line.ts';

/** The keys, shown in the tree's footer. */
export const TREE_KEYS = '↑↓/jk select  r restart  s stop  S start  l/Enter logs  q quit';
/** The keys, shown in the log pane's footer. */
export const LOG_KEYS = 'Esc back  q quit';

const INVERSE = '\x1b[7m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
const STATE_COLOURS: Readonly<Record<string, string>> = {
  ready: '\x1b[32m',
  running: '\x1b[32m',
  completed: '\x1b[32m',
  starting: '\x1b[33m',
  backoff: '\x1b[33m',
  stopping: '\x1b[33m',
  paused: '\x1b[33m',
  failed: '\x1b[31m',
  fatal: '\x1b[31m',
  dead: '\x1b[31m',
  stopped: DIM,
};

/**
 * What one frame shows.
 *
 * @example
 * ```ts
 * const view: TuiView = { title: 'app', tree, selected: 'web', logOf: undefined, logLines: [], status: '', columns: 120, rows: 30 };
 * ```
 */
export interface TuiView {
  readonly title: string;
  readonly tree: PsNode;
  /** The selected row's path. */
  readonly selected: string | undefined;
  /** The process whose log is shown, if the log pane is open. */
  readonly logOf: string | undefined;
  readonly logLines: readonly LogLine[];
  /** The last action's result, or an error. */
  readonly status: string;
  readonly columns: number;
  readonly rows: number;
}

/**
 * Cuts a line to `width` visible characters (the line holds no escapes yet).
 *
 * @param line - plain text
 * @param width - columns
 * @returns the text that fits
 *
 * @example
 * ```ts
 * fit('hello world', 5); // 'hell…'
 * ```
 */
export function fit(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * The paths of the tree's rows, in display order (for moving the selection).
 *
 * @param tree - `ps`'s tree
 * @returns the paths
 *
 * @example
 * ```ts
 * rowPaths(tree); // ['web', 'workers', 'workers/a']
 * ```
 */
export function rowPaths(tree: PsNode): string[] {
  return psNodeRows(tree).map((row) => row.path);
}

/**
 * Renders a frame.
 *
 * @param view - what to show
 * @returns the screen's lines
 *
 * @example
 * ```ts
 * terminal.draw(renderView(view));
 * ```
 */
export function renderView(view: TuiView): string[] {
  const { columns, rows } = view;
  const body = Math.max(1, rows - 3);
  const lines: string[] = [];
  if (view.logOf === undefined) {
    lines.push(`${BOLD}${fit(`statevisor · ${view.title}`, columns)}${RESET}`);
    const nodeRows = psNodeRows(view.tree);
    const aligned = alignRows([PS_HEADER, ...nodeRows.map((row) => row.cells)], columns);
    lines.push(`${DIM}${aligned[0] ?? ''}${RESET}`);
    const selectedIndex = Math.max(0, nodeRows.findIndex((row) => row.path === view.selected));
    const first = Math.max(0, Math.min(selectedIndex - body + 2, nodeRows.length - body + 1));
    nodeRows.slice(first, first + body - 1).forEach((row, i) => {
      const text = aligned[first + i + 1] ?? '';
      const state = row.cells[1] ?? '';
      if (row.path === view.selected) lines.push(`${INVERSE}${text.padEnd(columns)}${RESET}`);
      else {
        const colour = STATE_COLOURS[state];
        const at = text.indexOf(state, (row.cells[0] ?? '').length);
        lines.push(colour === undefined || at < 0 ? text : `${text.slice(0, at)}${colour}${state}${RESET}${text.slice(at + state.length)}`);
      }
    });
  } else {
    lines.push(`${BOLD}${fit(`statevisor · ${view.title} · logs of ${view.logOf}`, columns)}${RESET}`);
    const shown = view.logLines.slice(-body);
    const width = Math.max(0, ...shown.map((line) => line.path.length));
    for (const line of shown) lines.push(fit(formatLogLine(line, width), columns));
  }
  while (lines.length < rows - 2) lines.push('');
  lines.push(fit(view.status, columns));
  lines.push(`${DIM}${fit(view.logOf === undefined ? TREE_KEYS : LOG_KEYS, columns)}${RESET}`);
  return lines;
}
