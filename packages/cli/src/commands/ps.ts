/**
 * `statevisor ps`: the tree of a running `statevisor run`, as an aligned table or `--json`.
 *
 * @module
 */
import type { PsNode } from '../control/protocol.ts';
import { formatUptime } from '../control/format-uptime.ts';
import { EXIT, type CommandIo } from './command-io.ts';
import { clientCommand } from './control.ts';

const USAGE = `usage: statevisor ps [--json] [--config <file>]

  the tree of the running \`statevisor run\` of the config in this folder:
  NAME STATE PID RESTARTS UPTIME LAST LINE; --json prints the tree as JSON
`;

/**
 * The rows of `ps`'s table, the tree flattened depth first with names indented by depth.
 *
 * @param root - `ps`'s tree
 * @returns one row of cells per node, the header first
 *
 * @example
 * ```ts
 * psRows(tree); // [['NAME', 'STATE', ...], ['web', 'ready', '4242', '0', '5s', 'listening'], ...]
 * ```
 */
export function psRows(root: PsNode): string[][] {
  const rows = [['NAME', 'STATE', 'PID', 'RESTARTS', 'UPTIME', 'LAST LINE']];
  const walk = (node: PsNode, depth: number): void => {
    const name = node.path === '' ? '(root)' : `${'  '.repeat(Math.max(0, depth - 1))}${node.path.split('/').at(-1) ?? node.path}${node.kind === 'supervisor' ? '/' : ''}`;
    rows.push([
      name,
      node.state,
      node.pid === undefined ? '-' : String(node.pid),
      String(node.restarts),
      node.uptimeMs === undefined ? '-' : formatUptime(node.uptimeMs),
      node.lastLine ?? '',
    ]);
    for (const child of node.children) walk(child, depth + 1);
  };
  for (const child of root.children) walk(child, 1);
  return rows;
}

/**
 * Aligns rows into columns (two spaces apart); the last column is cut to `width` characters.
 *
 * @param rows - the cells
 * @param width - the widest a line may be
 * @returns the lines
 *
 * @example
 * ```ts
 * alignRows([['NAME', 'STATE'], ['web', 'ready']], 80); // ['NAME  STATE', 'web   ready']
 * ```
 */
export function alignRows(rows: readonly (readonly string[])[], width: number): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => {
    const line = row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
    return (line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line).trimEnd();
  });
}

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
