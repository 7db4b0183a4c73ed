/**
 * `statevisor restart|stop|start <name>`, and what every client command (`ps`, `logs` too)
 * shares: reading `--config`, finding and connecting to the run, and turning failures into exit
 * statuses.
 *
 * @module
 */
import { StatevisorError } from '@statevisor/core';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXIT, type Command, type CommandIo } from '../command-io.ts';
import type { ControlResult } from '../control/protocol.ts';
import type { ControlClient } from '../control/control-client.ts';
import { connectToRun, locateConfig } from '../control/connect-to-run.ts';

/**
 * Runs a client command: parses its options (`--config` and `--help` added), connects to the run
 * and calls `body`. Prints errors as `statevisor <name>: <message>` and returns 1 (2 for bad
 * arguments).
 *
 * @param name - the command's name, for messages
 * @param usage - its usage text (printed for `--help` and bad arguments)
 * @param io - the command's world
 * @param options - its own `parseArgs` options
 * @param check - says what is wrong with the arguments (before connecting), if anything
 * @param body - the work, with the parsed values, positionals and the connected client
 * @returns the exit status
 *
 * @example
 * ```ts
 * return clientCommand('ps', PS_USAGE, io, { json: { type: 'boolean' } }, () => undefined, async ({ client }) => { ... });
 * ```
 */
export async function clientCommand(
  name: string,
  usage: string,
  io: CommandIo,
  options: NonNullable<ParseArgsConfig['options']>,
  check: (values: Record<string, string | boolean | undefined>, positionals: readonly string[]) => string | undefined,
  body: (parsed: { values: Record<string, string | boolean | undefined>; positionals: string[]; client: ControlClient }) => Promise<number>,
): Promise<number> {
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...io.argv],
      options: { ...options, config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (error) {
    io.stderr.write(`statevisor ${name}: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return EXIT.usage;
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const [key, value] of Object.entries(parsed.values)) values[key] = Array.isArray(value) ? value.at(-1) : value;
  if (values['help'] === true) {
    io.stdout.write(usage);
    return EXIT.ok;
  }
  const problem = check(values, parsed.positionals);
  if (problem !== undefined) {
    io.stderr.write(`statevisor ${name}: ${problem}\n\n${usage}`);
    return EXIT.usage;
  }
  try {
    const given = values['config'];
    const client = await connectToRun(locateConfig(io.cwd, typeof given === 'string' ? given : undefined));
    try {
      return await body({ values, positionals: parsed.positionals, client });
    } finally {
      client.close();
    }
  } catch (error) {
    const message = error instanceof StatevisorError || error instanceof Error ? error.message : String(error);
    io.stderr.write(`statevisor ${name}: ${message}\n`);
    return EXIT.failed;
  }
}

/**
 * The control commands' usage.
 */
const controlUsage = (op: string): string => `usage: statevisor ${op} <name> [--config <file>]

  ${{ restart: 'restart a process or group of the running `statevisor run` (a stopped one is started)', stop: 'stop a top-level process or group; `ps` keeps listing it as stopped', start: 'start a stopped top-level process or group again' }[op] ?? ''}
  <name> is a path relative to the root: web, workers, workers/a
`;

/**
 * Makes `statevisor restart|stop|start <name>`.
 *
 * @param op - which one
 * @returns the command
 *
 * @example
 * ```ts
 * const COMMANDS = { restart: controlCommand('restart'), stop: controlCommand('stop'), start: controlCommand('start') };
 * ```
 */
export function controlCommand(op: 'restart' | 'stop' | 'start'): Command {
  const usage = controlUsage(op);
  return (io) =>
    clientCommand(op, usage, io, {}, (_values, positionals) => (positionals.length === 1 ? undefined : 'name one process or group'), async ({ positionals, client }) => {
      const name = positionals[0] ?? '';
      const result = (await client.request({ op, name })) as ControlResult;
      io.stdout.write(`${result.path}: ${result.done}\n`);
      return EXIT.ok;
    });
}
