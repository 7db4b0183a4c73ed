/**
 * The TUI's terminal: the alternate screen, a hidden cursor and raw keys while it runs, and the
 * terminal given back however the process ends (a normal close, an `exit`, a crash).
 *
 * @module
 */
import { emitKeypressEvents } from 'node:readline';

/** ANSI: enter the alternate screen, hide the cursor, clear. */
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J';
/** ANSI: show the cursor, leave the alternate screen. */
const LEAVE = '\x1b[?25h\x1b[?1049l';

/**
 * A key press, as `readline.emitKeypressEvents` reports it.
 *
 * @example
 * ```ts
 * const key: Key = { name: 'up', ctrl: false, shift: false };
 * ```
 */
export interface Key {
  readonly name?: string;
  readonly sequence?: string;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
}

/**
 * The terminal while the TUI holds it.
 *
 * @example
 * ```ts
 * const terminal = holdTerminal(process.stdin, process.stdout, (text, key) => console.error(key.name));
 * terminal.draw(['hello']);
 * terminal.release();
 * ```
 */
export interface HeldTerminal {
  /** Columns and rows now. */
  size(): { columns: number; rows: number };
  /** Replaces the screen with these lines (each already cut to the width). */
  draw(lines: readonly string[]): void;
  /** Gives the terminal back (normal screen, cursor, cooked keys). Idempotent. */
  release(): void;
}

/**
 * Takes the terminal: alternate screen, hidden cursor, raw keys delivered to `onKey`. A process
 * `exit` handler gives it back should the TUI not be closed first (an uncaught error ends the
 * process through `exit` too).
 *
 * @param stdin - the keys' stream
 * @param stdout - the screen's stream
 * @param onKey - called per key press
 * @returns the held terminal
 *
 * @example
 * ```ts
 * const terminal = holdTerminal(process.stdin, process.stdout, (_text, key) => { if (key.name === 'q') terminal.release(); });
 * ```
 */
export function holdTerminal(
  stdin: NodeJS.ReadableStream,
  stdout: NodeJS.WritableStream,
  onKey: (text: string | undefined, key: Key) => void,
): HeldTerminal {
  const tty = stdin as NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  const screen = stdout as NodeJS.WritableStream & { columns?: number; rows?: number };
  const raw = tty.isTTY === true && typeof tty.setRawMode === 'function';
  const onKeypress = (text: string | undefined, key: Key | undefined): void => onKey(text, key ?? { sequence: text ?? '' });
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off('exit', release);
    stdin.off('keypress', onKeypress);
    if (raw) tty.setRawMode?.(false);
    stdin.pause();
    screen.write(LEAVE);
  };
  process.on('exit', release);
  emitKeypressEvents(stdin);
  if (raw) tty.setRawMode?.(true);
  stdin.on('keypress', onKeypress);
  stdin.resume();
  screen.write(ENTER);
  return {
    size: () => ({ columns: screen.columns ?? 80, rows: screen.rows ?? 24 }),
    draw(lines) {
      if (released) return;
      screen.write(`\x1b[H${lines.map((line) => `${line}\x1b[K`).join('\r\n')}\x1b[J`);
    },
    release,
  };
}
