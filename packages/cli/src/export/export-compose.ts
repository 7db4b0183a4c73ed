/**
 * `statevisor export compose`: a `compose.yaml` with one service per process. The image is a
 * placeholder the user must set: a config names commands, not images.
 *
 * @module
 */
import { stringify } from 'yaml';
import type { Probe } from '@statevisor/process';
import { exportHeader } from './export-notes.ts';
import type { ExportPlan, PlannedProcess } from './export-plan.ts';
import type { ExportedFile } from './export-systemd.ts';

/**
 * The image every service gets until the user sets one.
 *
 * @example
 * ```ts
 * exportCompose(plan).text.includes(IMAGE_PLACEHOLDER); // true
 * ```
 */
export const IMAGE_PLACEHOLDER = 'SET-AN-IMAGE-WITH-THE-COMMAND';

/**
 * The compose file of `plan`.
 *
 * @param plan - the planned config
 * @returns `compose.yaml`, opening with what did not carry over
 *
 * @example
 * ```ts
 * process.stdout.write(exportCompose(plan).text);
 * ```
 */
export function exportCompose(plan: ExportPlan): ExportedFile {
  const services: Record<string, unknown> = {};
  for (const process of plan.processes) services[serviceName(process.path)] = service(plan, process);
  const header = [
    exportHeader(plan, 'compose'),
    `# image: every service has the placeholder ${IMAGE_PLACEHOLDER}: set an image that has its command.\n`,
    '# working_dir and env_file are paths of this machine: mount them at the same path, or change them.\n',
  ].join('');
  const project = plan.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[_-]+/, '') || 'statevisor';
  return { name: 'compose.yaml', text: `${header}${stringify({ name: project, services }, { lineWidth: 0 })}` };
}

/**
 * A process's service name: its path joined by `-`.
 *
 * @param path - the process's path
 * @returns the service name
 *
 * @example
 * ```ts
 * serviceName(['jobs', 'mail']); // 'jobs-mail'
 * ```
 */
export function serviceName(path: readonly string[]): string {
  return path.join('-');
}

function service(plan: ExportPlan, process: PlannedProcess): Record<string, unknown> {
  const entry = process.entry;
  const healthcheck = entry.readinessProbe === undefined ? undefined : healthcheckOf(entry.readinessProbe);
  const dependsOn = Object.fromEntries(
    process.dependsOn.map((path) => {
      const dependency = plan.processes.find((p) => p.path.join('/') === path.join('/'));
      const healthy = dependency?.entry.readinessProbe !== undefined;
      return [serviceName(path), { condition: healthy ? 'service_healthy' : 'service_started' }];
    }),
  );
  const maxRetries = entry.maxRetries ?? plan.config.defaults?.maxRetries;
  return {
    image: IMAGE_PLACEHOLDER,
    command: process.argv.map(literal),
    working_dir: literal(process.cwd),
    ...(Object.keys(process.env).length > 0 ? { environment: Object.fromEntries(Object.entries(process.env).map(([key, value]) => [key, literal(value)])) } : {}),
    ...(process.envFiles.length > 0 ? { env_file: process.envFiles.map(literal) } : {}),
    restart: restartOf(process, maxRetries),
    ...(process.dependsOn.length > 0 ? { depends_on: dependsOn } : {}),
    ...(healthcheck === undefined ? {} : { healthcheck }),
    stop_signal: entry.killSignal ?? 'SIGTERM',
    stop_grace_period: `${process.stopGraceMs}ms`,
    ...(entry.maxMemoryBytes === undefined ? {} : { mem_limit: entry.maxMemoryBytes }),
  };
}

/** A value compose must not interpolate: `$` doubled. */
function literal(value: string): string {
  return value.replaceAll('$', '$$$$');
}

function restartOf(process: PlannedProcess, maxRetries: number | undefined): string {
  if (process.restart === 'never') return 'no';
  if (process.restart === 'on-failure') return maxRetries === undefined ? 'on-failure' : `on-failure:${maxRetries}`;
  return 'always';
}

function healthcheckOf(probe: Probe): Record<string, unknown> {
  const test = probe.exec !== undefined
    ? ['CMD', probe.exec.command, ...(probe.exec.args ?? [])]
    : probe.http !== undefined
      ? ['CMD-SHELL', `curl -fsS -o /dev/null http://${probe.http.host ?? '127.0.0.1'}:${probe.http.port}${probe.http.path ?? '/'} || exit 1`]
      : ['CMD-SHELL', `nc -z ${probe.tcp.host ?? '127.0.0.1'} ${probe.tcp.port} || exit 1`];
  return {
    test,
    interval: `${probe.periodMs ?? 1_000}ms`,
    timeout: `${probe.timeoutMs ?? 1_000}ms`,
    retries: probe.failureThreshold ?? 3,
    start_period: `${probe.initialDelayMs ?? 0}ms`,
  };
}
