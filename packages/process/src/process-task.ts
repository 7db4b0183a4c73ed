/**
 * `processTask()`: the child specification of an OS process supervised like any other task.
 *
 * @module
 */
import { runnerTask } from '@statevisor/core';
import type { ChildOptions, TaskSpec } from '@statevisor/core';
import type { ProcessConfig } from './config.ts';
import { resolveProcessConfig } from './config.ts';
import { ProcessConfigError, UnsupportedPlatformError } from './errors.ts';
import { processRunner } from './runner.ts';

/**
 * Makes a child that runs an OS process: every attempt spawns `config.command` in its own
 * process group, publishes its output lines, reports it ready (at spawn, or at the first line
 * matching `readyIndicator`), and ends when the process exits. An exit code in
 * `successExitCodes` (default `[0]`) is success; one in `fatalExitCodes` ends the task for good
 * (outcome `fatal`); any other exit, or death by a signal, is a failure retried by the restart
 * policy, whose reason names the command line, how it ended and the last stderr line. A
 * stop sends `killSignal` to the whole group, then SIGKILL after `killGraceMs` (by default the
 * child's grace; a child `graceMs` of 0 is SIGKILL at once). Every output line is a heartbeat
 * for the child option `heartbeatTimeoutMs`. A `readinessProbe` makes it ready at the probe's first
 * success; a `livenessProbe` that fails `failureThreshold` times in a row, or the group's memory
 * above `maxMemoryBytes`, publishes `HealthCheckFailed` and restarts the attempt.
 *
 * The supervisor's restart policies, backoff, timeouts, intensity and dependencies apply
 * unchanged; `app.child(name)` gives `pause()`, `resume()`, `stop()`, `signal()`, `write()` and
 * `closeStdin()`.
 *
 * @param name - unique among its siblings; no `/`
 * @param config - what to run and how (see {@link ProcessConfig})
 * @param options - restart policy, backoff, retries, uptime reset, timeout, grace, heartbeat, dependencies
 * @throws {@link ProcessConfigError} naming the bad field, before anything is spawned
 * @throws {@link UnsupportedPlatformError} on Windows
 *
 * @example
 * ```ts
 * import { createSupervisor } from '@statevisor/core';
 * import { processTask } from '@statevisor/process';
 *
 * const app = createSupervisor({
 *   name: 'app',
 *   children: [
 *     processTask('web', {
 *       command: 'node',
 *       args: ['server.js'],
 *       readyIndicator: /listening/,
 *       livenessProbe: { http: { port: 8080, path: '/health' }, initialDelayMs: 5_000 },
 *     }),
 *     processTask('worker', { command: 'node', args: ['worker.js'] }, { dependsOn: ['web'], restart: 'always' }),
 *   ],
 * });
 * app.events$.subscribe((event) => {
 *   if (event.kind === 'TaskOutput') console.log(`[${event.task}] ${event.line}`);
 * });
 * await app.start();
 * ```
 */
export function processTask(name: string, config: ProcessConfig, options?: ChildOptions): TaskSpec {
  if (process.platform === 'win32') throw new UnsupportedPlatformError(process.platform);
  const resolved = resolveProcessConfig(config, 'config');
  let childOptions = options;
  if (resolved.timeoutMs !== undefined) {
    const given: unknown =
      typeof options === 'object' && (options as unknown) !== null ? (options as { timeoutMs?: unknown }).timeoutMs : undefined;
    if (given !== undefined) {
      throw new ProcessConfigError(
        'config.timeoutMs',
        'is also given as the child option options.timeoutMs: give it in one place only',
      );
    }
    childOptions = { ...options, timeoutMs: resolved.timeoutMs };
  }
  return runnerTask(name, processRunner(resolved), childOptions);
}
