/**
 * `ps`'s table: the tree flattened into aligned rows (NAME STATE PID RESTARTS UPTIME LAST LINE),
 * for `statevisor ps` and the TUI.
 *
 * @module
 */
import { formatUptime } from './format-uptime.ts';
import type { PsNode } from './protocol.ts';

/** The header row. */
export const PS_HEADER = ['NAME', 'STATE', 'PID', 'RESTARTS', 'UPTIME', 'LAST LINE'];

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
  return [PS_HEADER, ...psNodeRows(root).map((row) => row.cells)];
}

/**
 * The nodes of a `ps` tree as rows (no header), each with its path.
 *
 * @param root - `ps`'s tree
 * @returns the rows, depth first
 *
 * @example
 * ```ts
 * psNodeRows(tree)[0]; // { path: 'web', cells: ['web', 'ready', '4242', '0', '5s', 'listening'] }
 * ```
 */
export function psNodeRows(root: PsNode): { path: string; cells: string[] }[] {
  const rows: { path: string; cells: string[] }[] = [];
  const walk = (node: PsNode, depth: number): void => {
    const name = node.path === '' ? '(root)' : `${'  '.repeat(Math.max(0, depth - 1))}${node.path.split('/').at(-1) ?? node.path}${node.kind === 'supervisor' ? '/' : ''}`;
    rows.push({ path: node.path, cells: [
      name,
      node.state,
      node.pid === undefined ? '-' : String(node.pid),
      String(node.restarts),
      node.uptimeMs === undefined ? '-' : formatUptime(node.uptimeMs),
      node.lastLine ?? '',
    ] });
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
