/**
 * `statevisor run`'s command line, parsed with `node:util`'s `parseArgs` (strict: an unknown
 * option is a usage error).
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { StatevisorError } from '@statevisor/core';

export const RUN_USAGE = `usage: statevisor run [config] [options]

  config, --config <file>   the config (default: statevisor.config.{ts,mjs,js,json,yaml,yml}
                            or a Procfile in the current folder)
  --timestamps              prefix every line with an ISO time
  --no-color                no colours (also with NO_COLOR set, or when stdout is not a terminal;
                            FORCE_COLOR turns them on)
  --tui                     a full-screen live tree instead of the lines
  --ui [port]               serve the live viewer (a free port if none given); its URL goes to stderr
  --record <file.jsonl>     record every event and machine state to a file (see \`statevisor view\`)
  --exit-when-done          end once every process has ended for good: 0 if all completed, else 1
  -h, --help                this help

The first Ctrl-C (SIGINT), SIGTERM or SIGHUP shuts down gracefully; a second one forces it.
Exit status: 0 clean shutdown, 1 gave up or stuck processes, 2 bad config or arguments.
`;

/** What `statevisor run` was asked for. */
export interface RunOptions {
  readonly config?: string;
  readonly timestamps: boolean;
  readonly noColor: boolean;
  readonly tui: boolean;
  /** The viewer's port (0: a free one), or undefined without `--ui`. */
  readonly ui?: number;
  readonly record?: string;
  readonly exitWhenDone: boolean;
  readonly help: boolean;
}

/** Bad arguments (exit status 2). */
export class UsageError extends StatevisorError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}

/**
 * `--ui` takes an optional port: `--ui 8080`, `--ui=8080`, or `--ui` alone. parseArgs has no
 * optional values, so a bare `--ui` is rewritten as `--ui=0` before parsing, unless a port
 * follows it.
 */
function withUiPort(argv: readonly string[]): string[] {
  return argv.map((arg, i) => (arg === '--ui' && !/^\d+$/.test(argv[i + 1] ?? '') ? '--ui=0' : arg));
}

function port(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65_535) throw new UsageError(`--ui: expected a port number (0 to 65535), got "${text}"`);
  return value;
}

/**
 * Parses `statevisor run`'s arguments.
 *
 * @param argv - the arguments after `run`
 * @returns the options
 * @throws UsageError for an unknown option, a missing value, two configs or a bad port
 *
 * @example
 * ```ts
 * parseRunOptions(['statevisor.yaml', '--timestamps', '--ui', '8080']);
 * // { config: 'statevisor.yaml', timestamps: true, ui: 8080, ... }
 * ```
 */
export function parseRunOptions(argv: readonly string[]): RunOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: withUiPort(argv),
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        timestamps: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        tui: { type: 'boolean' },
        ui: { type: 'string' },
        record: { type: 'string' },
        'exit-when-done': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`expected at most one config, got ${positionals.map((p) => `"${p}"`).join(', ')}`);
  const positional = positionals[0];
  if (positional !== undefined && values.config !== undefined) throw new UsageError('give the config either as an argument or with --config, not both');
  const config = positional ?? values.config;
  return {
    ...(config === undefined ? {} : { config }),
    timestamps: values.timestamps === true,
    noColor: values['no-color'] === true,
    tui: values.tui === true,
    ...(values.ui === undefined ? {} : { ui: port(values.ui) }),
    ...(values.record === undefined ? {} : { record: values.record }),
    exitWhenDone: values['exit-when-done'] === true,
    help: values.help === true,
  };
}
