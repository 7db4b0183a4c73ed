/**
 * `statevisor ps`: the tree of a running `statevisor run`, as an aligned table or `--json`.
 *
 * @module
 */
import type { PsNode } from '../control/protocol.ts';
import { alignRows, psRows } from '../control/ps-table.ts';
import { EXIT, type CommandIo } from '../command-io.ts';
import { clientCommand } from './control.ts';

const USAGE = `usage: statevisor ps [--json] [--config <file>]

  the tree of the running \`statevisor run\` of the config in this folder:
  NAME STATE PID RESTARTS UPTIME LAST LINE; --json prints the tree as JSON
`;

/**
 * Runs `statevisor ps`.
 *
 * @param io - arguments and streams
 * @returns the exit status
 *
 * @example
 * ```ts
 * process.exitCode = await psCommand({ ...io, argv: ['--json'] });
 * ```
 */
export function psCommand(io: CommandIo): Promise<number> {
  return clientCommand('ps', USAGE, io, { json: { type: 'boolean' } }, (_values, positionals) => (positionals.length === 0 ? undefined : 'ps takes no name'), async ({ values, client }) => {
    const tree = (await client.request({ op: 'ps' })) as PsNode;
    if (values['json'] === true) {
      io.stdout.write(`${JSON.stringify(tree, null, 2)}\n`);
      return EXIT.ok;
    }
    const columns = 'columns' in io.stdout && typeof io.stdout.columns === 'number' ? io.stdout.columns : 120;
    io.stdout.write(`${alignRows(psRows(tree), columns).join('\n')}\n`);
    return EXIT.ok;
  });
}
