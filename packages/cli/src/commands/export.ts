/**
 * `statevisor export systemd|compose|procfile [config] [--out dir]`: the same processes for
 * another engine, printed, or written into a folder.
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StatevisorError } from '@statevisor/core';
import { loadConfig } from '../config/load-config.ts';
import { exportCompose } from '../export/export-compose.ts';
import type { ExportTarget } from '../export/export-notes.ts';
import { planExport, type ExportPlan } from '../export/export-plan.ts';
import { exportProcfile } from '../export/export-procfile.ts';
import { exportSystemd, type ExportedFile } from '../export/export-systemd.ts';
import { EXIT, type CommandIo } from '../command-io.ts';

const USAGE = `usage: statevisor export systemd|compose|procfile [config] [--out dir]

  systemd    one .service unit per process and a .target grouping them
  compose    a compose.yaml with one service per process (set each image)
  procfile   name: command lines

Prints to stdout, or writes the files into --out. Each output opens with a comment listing what
did not carry over.
`;

const WRITERS: Readonly<Record<ExportTarget, (plan: ExportPlan) => readonly ExportedFile[]>> = {
  systemd: exportSystemd,
  compose: (plan) => [exportCompose(plan)],
  procfile: (plan) => [exportProcfile(plan)],
};

/**
 * Runs `statevisor export`.
 *
 * @param io - arguments and streams
 * @returns 0, or 2 for bad arguments or a bad config
 *
 * @example
 * ```ts
 * const status = await exportCommand({ ...io, argv: ['systemd', '--out', 'units'] });
 * ```
 */
export async function exportCommand(io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...io.argv], allowPositionals: true, options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.stderr.write(`statevisor export: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.values.help === true) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const [target, file, ...extra] = parsed.positionals;
  if (target === undefined || !Object.hasOwn(WRITERS, target) || extra.length > 0) {
    io.stderr.write(`statevisor export: ${target === undefined ? 'which engine?' : extra.length > 0 ? `unexpected "${extra.join(' ')}"` : `unknown engine "${target}"`}\n\n${USAGE}`);
    return EXIT.usage;
  }
  let plan: ExportPlan;
  try {
    plan = planExport(await loadConfig(file === undefined ? { cwd: io.cwd } : { cwd: io.cwd, file }));
  } catch (error) {
    if (!(error instanceof StatevisorError)) throw error;
    io.stderr.write(`statevisor export: ${error.message}\n`);
    return EXIT.usage;
  }
  const files = WRITERS[target as ExportTarget](plan);
  const out = parsed.values.out;
  if (out === undefined) {
    io.stdout.write(files.length === 1 ? (files[0]?.text ?? '') : files.map((f) => `# ---- ${f.name} ----\n${f.text}`).join('\n'));
    return EXIT.ok;
  }
  const dir = resolve(io.cwd, out);
  await mkdir(dir, { recursive: true });
  for (const exported of files) {
    await writeFile(join(dir, exported.name), exported.text);
    io.stdout.write(`wrote ${join(dir, exported.name)}\n`);
  }
  return EXIT.ok;
}
