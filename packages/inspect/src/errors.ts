/**
 * Errors of @statevisor/inspect. Each extends core's `StatevisorError`: `name` is the class
 * name and `code` is stable. Bad options are core's `ConfigError`, naming the field.
 *
 * @module
 */
import { StatevisorError } from '@statevisor/core';

/**
 * A file is not a recording this version can read: no header, another format, a newer
 * version, or a line that is not JSON. `line` is the 1-based line number.
 *
 * @example
 * ```ts
 * try {
 *   for await (const event of readRecording('notes.txt')) console.log(event.kind);
 * } catch (error) {
 *   if (error instanceof RecordingFormatError) console.error(error.line, error.message);
 * }
 * ```
 */
export class RecordingFormatError extends StatevisorError {
  /** The file that was read. */
  readonly file: string;
  /** The 1-based line the problem is on. */
  readonly line: number;

  /**
   * @param file - the file that was read
   * @param line - the 1-based line number
   * @param message - what is wrong with it
   */
  constructor(file: string, line: number, message: string) {
    super('ERR_RECORDING_FORMAT', `${file}:${String(line)}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

/**
 * The viewer page was not built: `dist/viewer/index.html` is missing from the package (a
 * checkout that has not run `pnpm build`).
 *
 * @example
 * ```ts
 * try {
 *   await serveViewer('run.jsonl');
 * } catch (error) {
 *   if (error instanceof ViewerNotBuiltError) console.error(error.message); // says to run pnpm build
 * }
 * ```
 */
export class ViewerNotBuiltError extends StatevisorError {
  /** Where the page was looked for. */
  readonly page: string;

  /** @param page - the path of the missing page */
  constructor(page: string) {
    super('ERR_VIEWER_NOT_BUILT', `the viewer page is missing (${page}): run \`pnpm build\` in the repository first`);
    this.page = page;
  }
}

/**
 * A recording to serve or read does not exist (or is not a file).
 *
 * @example
 * ```ts
 * try {
 *   await serveViewer('missing.jsonl');
 * } catch (error) {
 *   if (error instanceof RecordingNotFoundError) console.error(`no such recording: ${error.file}`);
 * }
 * ```
 */
export class RecordingNotFoundError extends StatevisorError {
  /** The file that was asked for. */
  readonly file: string;

  /** @param file - the path that was asked for */
  constructor(file: string) {
    super('ERR_RECORDING_NOT_FOUND', `no recording at ${file}: the file does not exist`);
    this.file = file;
  }
}
