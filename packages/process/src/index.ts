/**
 * Statevisor process tasks: OS processes supervised for real. Each attempt spawns the command in
 * its own process group; output lines go straight to the event bus; readiness, timeouts, stops,
 * pause/resume and stdin work on the whole group. Linux and macOS only.
 *
 * @example
 * ```ts
 * import { createSupervisor } from '@statevisor/core';
 * import { processTask } from '@statevisor/process';
 *
 * const app = createSupervisor({
 *   children: [processTask('web', { command: 'node', args: ['server.js'], readyIndicator: 'listening' })],
 * });
 * await app.start();
 * app.child('web').pause();
 * app.child('web').resume();
 * app.child('web').signal('SIGHUP'); // to the whole group, e.g. to reload
 * await app.shutdown(); // SIGTERM to the group, SIGKILL after the grace
 * ```
 *
 * @packageDocumentation
 */
export { processTask } from './process-task.ts';
export type { OutputMode, ProcessConfig, ReadySource } from './config.ts';
export type { ProcessExitDetails } from './errors.ts';
export type { ExecProbe, HttpProbe, Probe, ProbeTiming, TcpProbe } from './probe-config.ts';
export {
  HealthCheckError,
  OutputStreamError,
  ProcessConfigError,
  ProcessExitError,
  ReadyTimeoutError,
  SpawnError,
  UnsupportedPlatformError,
  WorkingDirectoryError,
} from './errors.ts';
export { ProcessHelperError } from './keeper/process-helper-error.ts';
