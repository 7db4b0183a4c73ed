/**
 * `statevisor export procfile`: `name: command` lines for foreman, overmind or a platform that
 * runs Procfiles (which run each line with `sh -c`). Groups are flattened: `jobs/mail` is
 * `jobs-mail`.
 *
 * @module
 */
import { quote } from 'shell-quote';
import { exportHeader } from './export-notes.ts';
import type { ExportPlan, PlannedProcess } from './export-plan.ts';
import type { ExportedFile } from './export-systemd.ts';

/**
 * The Procfile of `plan`.
 *
 * @param plan - the planned config
 * @returns `Procfile`, opening with what did not carry over
 *
 * @example
 * ```ts
 * process.stdout.write(exportProcfile(plan).text);
 * ```
 */
export function exportProcfile(plan: ExportPlan): ExportedFile {
  const dir = plan.file.slice(0, plan.file.lastIndexOf('/'));
  const lines = plan.processes.map((process) => `${procfileName(process.path)}: ${commandLine(process, dir)}`);
  return { name: 'Procfile', text: `${exportHeader(plan, 'procfile')}${lines.join('\n')}\n` };
}

/**
 * A process's Procfile name: its path joined by `-`, `.` made `_` (Procfile names are
 * letters, digits, `_` and `-`).
 *
 * @param path - the process's path
 * @returns the name
 *
 * @example
 * ```ts
 * procfileName(['jobs', 'mail.v2']); // 'jobs-mail_v2'
 * ```
 */
export function procfileName(path: readonly string[]): string {
  return path.join('-').replaceAll('.', '_');
}

function commandLine(process: PlannedProcess, dir: string): string {
  const command = process.entry.shell === true && typeof process.entry.command === 'string' ? process.entry.command : quote([...process.argv]);
  const env = Object.entries(process.env).map(([key, value]) => `${key}=${quote([value])}`);
  const run = env.length > 0 ? `env ${env.join(' ')} ${command}` : command;
  return process.cwd === dir ? run : `cd ${quote([process.cwd])} && ${run}`;
}
