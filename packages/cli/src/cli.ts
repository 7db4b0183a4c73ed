/**
 * The command line: picks the command from the first argument and runs it.
 *
 * @module
 */
import { EXIT, type Command, type CommandIo } from './command-io.ts';
import { controlCommand } from './commands/control.ts';
import { exportCommand } from './commands/export.ts';
import { logsCommand } from './commands/logs.ts';
import { psCommand } from './commands/ps.ts';
import { runCommand } from './commands/run.ts';
import { viewCommand } from './commands/view.ts';

export const USAGE = `usage: statevisor <command> [options]

  run [config]                    run a config (statevisor.config.{ts,mjs,js,json,yaml,yml} or a Procfile)
  ps                              the tree of a running \`run\`: states, pids, restarts, uptime
  restart|stop|start <name>       control one process or group of a running \`run\`
  logs [name] [-f] [-n lines]     recent output lines, then follow with -f
  view <recording.jsonl>          the offline viewer over a recording
  export systemd|compose|procfile [config] [--out dir]
                                  the same processes for another engine

Run \`statevisor <command> --help\` for a command's options.
`;

const COMMANDS: Readonly<Record<string, Command>> = {
  export: exportCommand,
  run: runCommand,
  view: viewCommand,
  ps: psCommand,
  restart: controlCommand('restart'),
  stop: controlCommand('stop'),
  start: controlCommand('start'),
  logs: logsCommand,
};

/**
 * Runs the command line `args` (without `node` and the script).
 *
 * @param args - the arguments, e.g. `['run', 'statevisor.yaml']`
 * @param io - the folder, environment and streams (argv is replaced by the command's own)
 * @returns the exit status
 *
 * @example
 * ```ts
 * process.exitCode = await cli(process.argv.slice(2), { argv: [], cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function cli(args: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr.write(`statevisor: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  return command({ ...io, argv: rest });
}
