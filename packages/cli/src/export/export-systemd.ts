/**
 * `statevisor export systemd`: one `.service` unit per process and a `.target` that groups
 * them. Groups are flattened: `jobs/mail` under root `shop` is `shop-jobs-mail.service`.
 *
 * @module
 */
import { exportHeader } from './export-notes.ts';
import type { ExportPlan, PlannedProcess } from './export-plan.ts';

/**
 * One file to write: its name and text.
 *
 * @example
 * ```ts
 * const file: ExportedFile = { name: 'Procfile', text: 'web: node server.js\n' };
 * ```
 */
export interface ExportedFile {
  readonly name: string;
  readonly text: string;
}

/**
 * Quotes one word for `ExecStart=`: `%` and `$` escaped (systemd expands specifiers and
 * variables), and double quotes around a word with blanks, quotes or backslashes.
 *
 * @param word - one argv word
 * @param variables - escape `$` too (`ExecStart=` expands variables, `Environment=` does not)
 * @returns the word as systemd reads it back
 *
 * @example
 * ```ts
 * systemdQuote('my app.js'); // '"my app.js"'
 * systemdQuote('$HOME');     // '$$HOME'
 * ```
 */
export function systemdQuote(word: string, variables = true): string {
  const specifiers = word.replaceAll('%', '%%');
  const escaped = variables ? specifiers.replaceAll('$', '$$$$') : specifiers;
  if (escaped !== '' && !/[\s"'\\;]/.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/**
 * The unit name (without suffix) of a process: the root's name and its path, joined by `-`.
 *
 * @param plan - the planned config
 * @param path - the process's path
 * @returns the unit name
 *
 * @example
 * ```ts
 * unitName(plan, ['jobs', 'mail']); // 'shop-jobs-mail'
 * ```
 */
export function unitName(plan: ExportPlan, path: readonly string[]): string {
  return [plan.name, ...path].join('-');
}

/**
 * The units of `plan`: a `.service` per process, then `<root>.target`.
 *
 * @param plan - the planned config
 * @returns the files, each opening with what did not carry over
 *
 * @example
 * ```ts
 * for (const file of exportSystemd(plan)) writeFileSync(join(out, file.name), file.text);
 * ```
 */
export function exportSystemd(plan: ExportPlan): ExportedFile[] {
  const header = `${exportHeader(plan, 'systemd')}# ExecStart= names the command as written: systemd looks a bare name up in its own PATH, not yours.\n`;
  const target = `${plan.name}.target`;
  const services = plan.processes.map((process) => ({ name: `${unitName(plan, process.path)}.service`, text: header + service(plan, process, target) }));
  const targetText = [
    '[Unit]',
    `Description=${plan.name} (every process of the statevisor config)`,
    ...services.map((unit) => `Wants=${unit.name}`),
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
  return [...services, { name: target, text: header + targetText }];
}

function service(plan: ExportPlan, process: PlannedProcess, target: string): string {
  const entry = process.entry;
  const dependencies = process.dependsOn.map((path) => `${unitName(plan, path)}.service`);
  const successCodes = (entry.successExitCodes ?? []).filter((code) => code !== 0);
  const lines = [
    '[Unit]',
    `Description=${plan.name}/${process.path.join('/')}`,
    `PartOf=${target}`,
    ...dependencies.flatMap((unit) => [`After=${unit}`, `Requires=${unit}`]),
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${process.argv.map((word) => systemdQuote(word)).join(' ')}`,
    `WorkingDirectory=${process.cwd}`,
    ...Object.entries(process.env).map(([key, value]) => `Environment=${systemdQuote(`${key}=${value}`, false)}`),
    ...process.envFiles.map((file) => `EnvironmentFile=${file}`),
    `Restart=${restartOf(process)}`,
    `RestartSec=${process.restart !== 'never' && typeof process.restart === 'object' ? process.restart.always.intervalMs : process.restartDelayMs}ms`,
    ...(successCodes.length > 0 ? [`SuccessExitStatus=${successCodes.join(' ')}`] : []),
    ...(entry.fatalExitCodes !== undefined && entry.fatalExitCodes.length > 0 ? [`RestartPreventExitStatus=${entry.fatalExitCodes.join(' ')}`] : []),
    `KillSignal=${entry.killSignal ?? 'SIGTERM'}`,
    'KillMode=control-group',
    `TimeoutStopSec=${process.stopGraceMs}ms`,
    ...(entry.maxMemoryBytes === undefined ? [] : [`MemoryMax=${entry.maxMemoryBytes}`]),
    '',
    '[Install]',
    `WantedBy=${target}`,
    '',
  ];
  return lines.join('\n');
}

function restartOf(process: PlannedProcess): string {
  if (process.restart === 'never') return 'no';
  return process.restart === 'on-failure' ? 'on-failure' : 'always';
}
