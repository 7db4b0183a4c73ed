/**
 * `statevisor logs [name] [-f] [-n lines]`: the recent output lines of a running
 * `statevisor run`, then with `-f` the new ones until Ctrl-C (or the run ends).
 *
 * @module
 */
import { DEFAULT_LOG_LINES } from '../control/control-server.ts';
import { useColor } from '../output/color.ts';
import { createLineFormat, type LineFormat } from '../output/line-format.ts';
import type { LogLine } from '../logs/log-line.ts';
import { EXIT, type CommandIo } from '../command-io.ts';
import { clientCommand } from './control.ts';

const USAGE = `usage: statevisor logs [name] [-f|--follow] [-n|--lines <count>] [--timestamps] [--no-color] [--config <file>]

  the recent output lines of the running \`statevisor run\` (every process, or the process or
  group <name>; 100 unless -n), prefixed like run's output; -f keeps printing new lines until Ctrl-C
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
  const options = {
    follow: { type: 'boolean', short: 'f' },
    lines: { type: 'string', short: 'n' },
    timestamps: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  } as const;
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
    let format: LineFormat | undefined;
    const print = (line: LogLine): void => {
      format ??= createLineFormat({ root: '', paths: [], color: useColor(io.stdout, io.env, values['no-color'] === true), timestamps: values['timestamps'] === true });
      io.stdout.write(line.stream === 'notice' ? format.notice('statevisor', line.line, line.at, true) : format.output(line.path, line.line, line.at));
    };
    // Followed lines can come in the same chunk as the answer: they wait until the recent ones are printed.
    let early: LogLine[] | undefined = [];
    const onFollowed = (line: LogLine): void => {
      if (early === undefined) print(line);
      else early.push(line);
    };
    const answer = (await client.request({ op: 'logs', ...(name === undefined ? {} : { name }), follow, lines }, onFollowed)) as { lines: LogLine[] };
    // The paths of the recent lines fix the prefixes' width and colours, as run's known paths do.
    const paths = [...new Set(answer.lines.filter((line) => line.stream !== 'notice').map((line) => line.path))].sort();
    format = createLineFormat({ root: '', paths, color: useColor(io.stdout, io.env, values['no-color'] === true), timestamps: values['timestamps'] === true });
    for (const line of answer.lines) print(line);
    for (const line of early) print(line);
    early = undefined;
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
