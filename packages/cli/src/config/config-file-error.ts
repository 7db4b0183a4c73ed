/**
 * The errors of loading a config: a file with problems (every one listed, with its line where
 * the format allows it), and no config file at all.
 *
 * @module
 */
import { StatevisorError } from '@statevisor/core';

/**
 * One problem in a config file: where (line, field path) and what.
 *
 * @example
 * ```ts
 * const found: ConfigProblem = { line: 4, path: 'processes.web.readyIndicator', message: 'not a valid regular expression' };
 * ```
 */
export interface ConfigProblem {
  /** 1-based line of the field in a YAML or JSON file; absent for TS/JS modules. */
  readonly line?: number;
  /** The field's path, e.g. `processes.web.readyIndicator`; empty for the file as a whole. */
  readonly path: string;
  readonly message: string;
}

/**
 * A config file that cannot be used: every problem found, each as `file:line: path: message`.
 * Nothing has started when it is thrown; the CLI prints it and exits 2.
 *
 * @example
 * ```ts
 * try {
 *   await loadConfig({ cwd: process.cwd() });
 * } catch (error) {
 *   if (error instanceof ConfigFileError) for (const p of error.problems) console.error(p.line, p.path, p.message);
 * }
 * ```
 */
export class ConfigFileError extends StatevisorError {
  /** The config file's absolute path. */
  readonly file: string;
  /** Every problem, in the order of the file. */
  readonly problems: readonly ConfigProblem[];

  /**
   * @param file - the config file's path
   * @param problems - every problem found (at least one)
   */
  constructor(file: string, problems: readonly ConfigProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super('ERR_CONFIG_FILE', `${count} in ${file}:\n${problems.map((p) => `  ${formatProblem(file, p)}`).join('\n')}`);
    this.file = file;
    this.problems = problems;
  }
}

/**
 * One problem as a line: `file:line: path: message` (the line and the path when known).
 *
 * @param file - the config file's path
 * @param problem - the problem
 * @returns the line, without a newline
 *
 * @example
 * ```ts
 * formatProblem('/app/statevisor.config.yaml', { line: 4, path: 'processes.web.command', message: 'required' });
 * // '/app/statevisor.config.yaml:4: processes.web.command: required'
 * ```
 */
export function formatProblem(file: string, problem: ConfigProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}`;
  return problem.path === '' ? `${where}: ${problem.message}` : `${where}: ${problem.path}: ${problem.message}`;
}

/**
 * No config file was named and none of the known names is in the folder.
 *
 * @example
 * ```ts
 * await loadConfig({ cwd: '/tmp/empty' }).catch((error: unknown) => {
 *   if (error instanceof ConfigNotFoundError) console.error(error.dir, error.looked);
 * });
 * ```
 */
export class ConfigNotFoundError extends StatevisorError {
  /** The folder searched. */
  readonly dir: string;
  /** The file names looked for, in order. */
  readonly looked: readonly string[];

  /**
   * @param dir - the folder searched
   * @param looked - the file names looked for, in order
   */
  constructor(dir: string, looked: readonly string[]) {
    super('ERR_CONFIG_NOT_FOUND', `no config file in ${dir} (looked for ${looked.join(', ')}); name one: statevisor run <file>`);
    this.dir = dir;
    this.looked = looked;
  }
}
