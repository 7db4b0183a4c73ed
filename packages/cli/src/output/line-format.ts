/**
 * The shape of one printed line: `<path> | <output line>` for a process's output and
 * `<path> * <what happened>` for its lifecycle, the paths padded so the bars align (as docker
 * compose does), each path in its own colour, optionally preceded by an ISO time.
 *
 * @module
 */
import { alarm, dim, paletteColor, plain, type Paint } from './color.ts';

/** Options of {@link createLineFormat}. */
export interface LineFormatOptions {
  /** The root's name: event paths are shown relative to it. */
  readonly root: string;
  /** The paths known up front (relative to the root), in the config's order: they fix colours and width. */
  readonly paths: readonly string[];
  readonly color: boolean;
  readonly timestamps: boolean;
}

/** Formats lines; see {@link createLineFormat}. */
export interface LineFormat {
  /** The path relative to the root of an event's full path (the root itself keeps its name). */
  label(task: string): string;
  /** `<path> | <line>\n`. */
  output(task: string, line: string, at: number): string;
  /** `<path> * <text>\n` (in bold red when `failure` and colour is on). */
  notice(task: string, text: string, at: number, failure?: boolean): string;
}

/**
 * Makes the formatter of a run's lines.
 *
 * @param options - root name, known paths, colour and timestamps
 * @returns the formatter
 *
 * @example
 * ```ts
 * const format = createLineFormat({ root: 'shop', paths: ['web', 'workers/a'], color: false, timestamps: false });
 * format.output('shop/web', 'listening', Date.now()); // 'web       | listening\n'
 * ```
 */
export function createLineFormat(options: LineFormatOptions): LineFormat {
  const paints = new Map<string, Paint>();
  let width = 0;
  const know = (label: string): Paint => {
    let paint = paints.get(label);
    if (paint === undefined) {
      paint = options.color ? paletteColor(paints.size) : plain;
      paints.set(label, paint);
      width = Math.max(width, label.length);
    }
    return paint;
  };
  for (const path of options.paths) know(path);
  const rootPrefix = `${options.root}/`;
  const label = (task: string): string => (task.startsWith(rootPrefix) ? task.slice(rootPrefix.length) : task);
  const head = (task: string, at: number, bar: string): string => {
    const name = label(task);
    const paint = know(name);
    const time = options.timestamps ? `${new Date(at).toISOString()} ` : '';
    return `${time}${paint(`${name.padEnd(width)} ${bar}`)} `;
  };
  return {
    label,
    output: (task, line, at) => `${head(task, at, '|')}${line}\n`,
    notice(task, text, at, failure = false) {
      const body = options.color ? (failure ? alarm(text) : dim(text)) : text;
      return `${head(task, at, '*')}${body}\n`;
    },
  };
}
