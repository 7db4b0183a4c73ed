/**
 * `statevisor run [config] [options]`: loads a config and runs it (DESIGN.md §9).
 *
 * @module
 */
import { createSupervisor, StatevisorError, type Supervisor } from '@statevisor/core';
import { runApp } from '../run/run-app.ts';
import { parseRunOptions, RUN_USAGE, UsageError, type RunOptions } from '../run/run-options.ts';
import { loadConfig, type LoadedConfig } from '../config/load-config.ts';
import { EXIT, type CommandIo } from '../command-io.ts';

/**
 * Runs `statevisor run`: a bad argument or config is reported on stderr with status 2 and
 * nothing started; otherwise the run goes on until a signal, the root giving up, or (with
 * `--exit-when-done`) every process ending.
 *
 * @param io - arguments and streams
 * @returns the exit status
 *
 * @example
 * ```ts
 * process.exitCode = await runCommand({ argv: ['statevisor.yaml', '--timestamps'], cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function runCommand(io: CommandIo): Promise<number> {
  let options: RunOptions;
  try {
    options = parseRunOptions(io.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`statevisor run: ${error.message}\n\n${RUN_USAGE}`);
    return EXIT.usage;
  }
  if (options.help) {
    io.stdout.write(RUN_USAGE);
    return EXIT.ok;
  }
  let loaded: LoadedConfig;
  let app: Supervisor;
  try {
    loaded = await loadConfig({ ...(options.config === undefined ? {} : { file: options.config }), cwd: io.cwd });
    app = createSupervisor({ ...loaded.supervisor, handleSignals: false });
  } catch (error) {
    // A config that cannot be read, parsed, validated or built: say why, start nothing.
    if (!(error instanceof StatevisorError) && !(error instanceof SyntaxError)) throw error;
    io.stderr.write(`statevisor run: ${error.message}\n`);
    return EXIT.usage;
  }
  return runApp(app, loaded, options, io);
}
