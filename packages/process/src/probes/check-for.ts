/**
 * The check of a probe's target: HTTP, TCP or exec.
 *
 * @module
 */
import type { ProbeTarget } from '../probe-config.ts';
import { execCheck } from './exec.ts';
import type { ExecPlace } from './exec.ts';
import { httpCheck } from './http.ts';
import type { ProbeCheck } from './scheduler.ts';
import { tcpCheck } from './tcp.ts';

/**
 * The {@link ProbeCheck} that checks `target`; an exec probe runs at `place`.
 *
 * @example
 * ```ts
 * const check = checkFor(config.livenessProbe.target, { cwd: config.cwd, env });
 * ```
 */
export function checkFor(target: ProbeTarget, place: ExecPlace): ProbeCheck {
  switch (target.kind) {
    case 'http':
      return httpCheck(target);
    case 'tcp':
      return tcpCheck(target);
    case 'exec':
      return execCheck(target, place);
  }
}
