/**
 * What does not carry over to another engine: listed in a comment at the top of every output,
 * so nobody believes the exported units behave exactly as the supervisor did.
 *
 * @module
 */
import { groupsOf, type ExportPlan } from './export-plan.ts';

/**
 * The engines `statevisor export` writes for.
 *
 * @example
 * ```ts
 * const target: ExportTarget = 'systemd';
 * ```
 */
export type ExportTarget = 'systemd' | 'compose' | 'procfile';

/**
 * The features of `plan` that `target` has no equivalent for, one sentence each.
 *
 * @param plan - the planned config
 * @param target - the engine
 * @returns the sentences (empty when everything carries over)
 *
 * @example
 * ```ts
 * lostInExport(plan, 'procfile'); // ['restart policies: foreman stops every process when one exits', ...]
 * ```
 */
export function lostInExport(plan: ExportPlan, target: ExportTarget): string[] {
  const lost: string[] = [];
  const add = (what: string, names: readonly string[], why: string): void => {
    if (names.length > 0) lost.push(`${what} (${names.join(', ')}): ${why}`);
  };
  const where = (path: readonly string[]): string => (path.length === 0 ? plan.name : path.join('/'));
  const groups = groupsOf(plan.config);
  const has = (test: (p: ExportPlan['processes'][number]) => boolean): string[] => plan.processes.filter(test).map((p) => p.path.join('/'));

  add('strategies', groups.filter(([, g]) => g.strategy !== undefined && g.strategy !== 'one-for-one').map(([path, g]) => `${where(path)}: ${g.strategy ?? ''}`),
    'each process is restarted on its own');
  add('intensity', groups.filter(([, g]) => g.intensity !== undefined).map(([path]) => where(path)), 'no escalation after too many restarts');
  add('groups', groups.slice(1).map(([path]) => where(path)), 'flattened, their names joined with "-"');
  add('group restart and timing options', groups.slice(1).filter(([, g]) => 'restart' in g || 'backoff' in g || 'maxRetries' in g).map(([path]) => where(path)),
    'a group is not a process of its own');
  add('readyIndicator', has((p) => p.entry.readyIndicator !== undefined),
    target === 'compose' ? 'no output matching: dependents wait only for the healthcheck made from a readinessProbe' : 'no output matching: dependents start once it has started');
  if (target === 'compose') {
    add('readinessProbe of type http or tcp', has((p) => p.entry.readinessProbe?.exec === undefined && p.entry.readinessProbe !== undefined),
      'written as a healthcheck that needs curl (http) or nc (tcp) in the image');
  } else {
    add('readinessProbe', has((p) => p.entry.readinessProbe !== undefined), 'no readiness check: dependents start once it has started');
  }
  add('livenessProbe', has((p) => p.entry.livenessProbe !== undefined), 'not checked');
  add('readyTimeoutMs', has((p) => p.entry.readyTimeoutMs !== undefined), 'not enforced');
  add('heartbeatTimeoutMs', has((p) => p.entry.heartbeatTimeoutMs !== undefined), 'no output watchdog');
  add('timeoutMs', has((p) => p.entry.timeoutMs !== undefined), 'not enforced');
  add('backoff growth (factor, maxMs, jitter, floorMs)', has((p) => hasGrowth(p.entry.backoff) || hasGrowth(plan.config.defaults?.backoff)),
    target === 'procfile' ? 'no restarts at all' : 'the delay before every restart is backoff.firstMs');
  add('resetAfterMs', has((p) => p.entry.resetAfterMs !== undefined || plan.config.defaults?.resetAfterMs !== undefined), 'not carried over');
  add('stdin, output, maxLineBytes, drainTimeoutMs', has((p) => ['stdin', 'output', 'maxLineBytes', 'drainTimeoutMs'].some((key) => key in p.entry)),
    "the engine's own output handling");
  add('inheritEnv: false', has((p) => p.entry.inheritEnv === false), target === 'procfile' ? 'the environment is inherited' : "the engine's own environment is used");
  add('maxConcurrent', plan.config.maxConcurrent === undefined ? [] : [plan.name], 'every process starts at once');
  if (target !== 'compose') add('maxMemoryBytes', target === 'procfile' ? has((p) => p.entry.maxMemoryBytes !== undefined) : [], 'not enforced');
  if (target === 'compose') {
    add('maxRetries', has((p) => (p.entry.maxRetries ?? plan.config.defaults?.maxRetries) !== undefined && p.restart === 'always'), 'compose limits retries only with restart: on-failure');
    add('maxMemoryBytes', has((p) => p.entry.maxMemoryBytes !== undefined), 'written as mem_limit: the container is killed (not restarted after a stop) above it');
  }
  if (target === 'systemd') {
    add('maxRetries', has((p) => (p.entry.maxRetries ?? plan.config.defaults?.maxRetries) !== undefined), "systemd's StartLimitBurst counts starts in a window, not a failure streak");
    add('successExitCodes without 0', has((p) => p.entry.successExitCodes !== undefined && !p.entry.successExitCodes.includes(0)), 'systemd always counts exit 0 as success');
  }
  if (target !== 'systemd') {
    add('successExitCodes, fatalExitCodes', has((p) => p.entry.successExitCodes !== undefined || p.entry.fatalExitCodes !== undefined), 'no equivalent');
  }
  if (target === 'procfile') {
    add('restart policies', has(() => true), 'foreman stops every process when one exits; overmind restarts only when asked to');
    add('dependsOn', has((p) => p.dependsOn.length > 0), 'every process starts at once');
    add('killSignal, killGraceMs', has((p) => p.entry.killSignal !== undefined || p.entry.killGraceMs !== undefined), "the runner's own signal and grace");
    add('envFile', has((p) => p.envFiles.length > 0), 'foreman and overmind read .env themselves; other files are not loaded');
  }
  return lost;
}

function hasGrowth(backoff: { readonly maxMs?: number; readonly factor?: number; readonly jitter?: string; readonly floorMs?: number } | undefined): boolean {
  return backoff !== undefined && (backoff.maxMs !== undefined || backoff.factor !== undefined || backoff.jitter !== undefined || backoff.floorMs !== undefined);
}

/**
 * The comment that opens an output: where it came from, and what did not carry over.
 *
 * @param plan - the planned config
 * @param target - the engine
 * @param prefix - the comment marker (`#` for all three formats)
 * @returns the comment lines, each ending with a newline
 *
 * @example
 * ```ts
 * process.stdout.write(exportHeader(plan, 'systemd'));
 * ```
 */
export function exportHeader(plan: ExportPlan, target: ExportTarget, prefix = '#'): string {
  const lost = lostInExport(plan, target);
  const lines = [`Written by \`statevisor export ${target}\` from ${plan.file}.`];
  if (lost.length === 0) lines.push('Everything in the config carried over.');
  else lines.push('Not carried over:', ...lost.map((item) => `  - ${item}`));
  return lines.map((line) => `${prefix} ${line}\n`).join('');
}
