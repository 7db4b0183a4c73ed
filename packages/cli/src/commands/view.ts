/**
 * `statevisor view <recording.jsonl> [--port n]`: the offline viewer over a recording, served
 * until SIGINT, SIGTERM or SIGHUP.
 *
 * @module
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StatevisorError } from '@statevisor/core';
import { serveViewer } from '@statevisor/inspect';
import { RUN_SIGNALS } from '../run/signals.ts';
import { EXIT, type CommandIo } from '../command-io.ts';

/** The help of `statevisor view`. */
export const VIEW_USAGE = `usage: statevisor view <recording.jsonl> [--port n]

  Serves the offline viewer over a recording made with \`statevisor run --record\`, on 127.0.0.1,
  and prints its URL. Ctrl-C ends it.

  --port <n>   the port (default: a free one)
  -h, --help   this help
`;

function usage(io: CommandIo, message: string): number {
  io.stderr.write(`statevisor view: ${message}\n\n${VIEW_USAGE}`);
  return EXIT.usage;
}

/**
 * Runs `statevisor view`.
 *
 * @param io - arguments and streams
 * @returns the exit status: 0 after a signal, 2 for bad arguments or a bad recording
 *
 * @example
 * ```ts
 * process.exitCode = await viewCommand({ argv: ['run.jsonl'], cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function viewCommand(io: CommandIo): Promise<number> {
  let file: string | undefined;
  let port = 0;
  try {
    const { values, positionals } = parseArgs({
      args: [...io.argv],
      allowPositionals: true,
      strict: true,
      options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help === true) {
      io.stdout.write(VIEW_USAGE);
      return EXIT.ok;
    }
    if (positionals.length !== 1) return usage(io, positionals.length === 0 ? 'which recording? give its file' : 'give one recording');
    file = positionals[0];
    if (values.port !== undefined) {
      port = Number(values.port);
      if (!/^\d+$/.test(values.port) || port > 65_535) return usage(io, `--port: expected a port number (0 to 65535), got "${values.port}"`);
    }
  } catch (error) {
    return usage(io, error instanceof Error ? error.message : String(error));
  }
  if (file === undefined) return usage(io, 'which recording? give its file');
  let viewer;
  try {
    viewer = await serveViewer(resolve(io.cwd, file), { port });
  } catch (error) {
    if (!(error instanceof StatevisorError)) throw error;
    io.stderr.write(`statevisor view: ${error.message}\n`);
    return EXIT.usage;
  }
  io.stdout.write(`viewer at ${viewer.url}\n`);
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signal = await new Promise<NodeJS.Signals>((resolveSignal) => {
    onSignal = resolveSignal;
    for (const name of RUN_SIGNALS) process.on(name, onSignal);
  });
  for (const name of RUN_SIGNALS) process.off(name, onSignal);
  io.stderr.write(`statevisor view: ${signal}: closing\n`);
  await viewer.close();
  return EXIT.ok;
}
