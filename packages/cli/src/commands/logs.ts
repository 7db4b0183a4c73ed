/**
 * `statevisor logs [name] [-f] [-n lines]`: the recent output lines of a running
 * `statevisor run`, then with `-f` the new ones until Ctrl-C (or the run ends).
 *
 * @module
 */
import { DEFAULT_LOG_LINES } from '../control/control-server.ts';
import { formatLogLine } from '../logs/format-log-line.ts';
import type { LogLine } from '../logs/log-line.ts';
import { EXIT, type CommandIo } from './command-io.ts';
import { clientCommand } from './control.ts';

const USAGE = `usage: statevisor logs [name] [-f|--follow] [-n|--lines <count>] [--config <file>]

  the recent output lines of the running \`statevisor run\` (every process, or the process or
  group <name>), prefixed like run's output; -f keeps printing new lines until Ctrl-C
`;

/**
 * Runs `statevisor logs`.
 *
 * @param io - arguments and streams
 * @returns the exit status
 *
 * @example
 * ```ts
 * process.exitCode = await logsCommand({ ...io, argv: ['web', '-n', '20'] });
 * ```
 */
export function logsCommand(io: CommandIo): Promise<number> {
  const options = { follow: { type: 'boolean', short: 'f' }, lines: { type: 'string', short: 'n' } } as const;
  const linesOf = (text: string | boolean | undefined): number => (typeof text === 'string' ? Number(text) : DEFAULT_LOG_LINES);
  const check = (values: Record<string, string | boolean | undefined>, positionals: readonly string[]): string | undefined => {
    if (positionals.length > 1) return 'name at most one process or group';
    const lines = linesOf(values['lines']);
    return Number.isInteger(lines) && lines >= 0 ? undefined : `--lines: must be a whole number, got "${String(values['lines'])}"`;
  };
  return clientCommand('logs', USAGE, io, options, check, async ({ values, positionals, client }) => {
    const name = positionals[0];
    const lines = linesOf(values['lines']);
    const follow = values['follow'] === true;
    let width = name?.length ?? 0;
    const print = (line: LogLine): void => {
      width = Math.max(width, line.stream === 'notice' ? 10 : line.path.length);
      io.stdout.write(`${formatLogLine(line, width)}\n`);
    };
    const answer = (await client.request({ op: 'logs', ...(name === undefined ? {} : { name }), follow, lines }, print)) as { lines: LogLine[] };
    for (const line of answer.lines) width = Math.max(width, line.stream === 'notice' ? 10 : line.path.length);
    for (const line of answer.lines) print(line);
    if (!follow) return EXIT.ok;
    const stop = (): void => client.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await client.closed;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    return EXIT.ok;
  });
}
