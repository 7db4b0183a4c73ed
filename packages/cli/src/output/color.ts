/**
 * Whether the output is coloured, and the colours: one stable colour per process, by the order
 * of the paths in the config.
 *
 * @module
 */

/**
 * Decides whether to colour a stream. `--no-color` wins; then `FORCE_COLOR` (any value but
 * `0` or `false`) turns colour on; then `NO_COLOR` (any non-empty value, as no-color.org says)
 * turns it off; otherwise colour is on only for a terminal.
 *
 * @param stream - the stream written to
 * @param env - the environment
 * @param noColor - `--no-color` was given
 * @returns true to colour
 *
 * @example
 * ```ts
 * const color = useColor(process.stdout, process.env, false);
 * ```
 */
export function useColor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv, noColor: boolean): boolean {
  if (noColor) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return 'isTTY' in stream && stream.isTTY === true;
}

/** Foreground colours for process prefixes, in order (ANSI SGR codes: cyan, yellow, green, magenta, blue, and their bright forms). */
const PALETTE = [36, 33, 32, 35, 34, 96, 93, 92, 95, 94] as const;

/** A function that wraps text in a colour, or leaves it as it is when colour is off. */
export type Paint = (text: string) => string;

/** No colour. */
export const plain: Paint = (text) => text;

/**
 * The paint for the n-th process (palette colours repeat after ten).
 *
 * @param index - the process's index in the config's order
 * @returns the paint
 *
 * @example
 * ```ts
 * const cyan = paletteColor(0);
 * ```
 */
export function paletteColor(index: number): Paint {
  const code = PALETTE[index % PALETTE.length] ?? 36;
  return (text) => `\u001b[${String(code)}m${text}\u001b[39m`;
}

/** Dim text (lifecycle lines). */
export const dim: Paint = (text) => `\u001b[2m${text}\u001b[22m`;

/** Bold red text (failures). */
export const alarm: Paint = (text) => `\u001b[1;31m${text}\u001b[22;39m`;
