/**
 * What every command gets: its arguments (after the command's name), the folder it runs in,
 * the environment and the two output streams. Commands return their exit status.
 *
 * @module
 */

/**
 * The world a command runs in, so tests can run a command in-process.
 *
 * @example
 * ```ts
 * const io: CommandIo = { argv: ['web'], cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };
 * ```
 */
export interface CommandIo {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream | NodeJS.WritableStream;
}

/** A command: runs, and resolves with the process's exit status. */
export type Command = (io: CommandIo) => Promise<number>;

/** Exit statuses (DESIGN.md §9). */
export const EXIT = {
  /** A clean shutdown, or every process completed (`--exit-when-done`). */
  ok: 0,
  /** The root gave up, or the shutdown left stuck children; a control command that failed. */
  failed: 1,
  /** A bad config or bad arguments. */
  usage: 2,
} as const;
