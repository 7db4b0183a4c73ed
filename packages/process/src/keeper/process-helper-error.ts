/**
 * The error of an attempt whose group was lost with the process helper.
 *
 * @module
 */
import { StatevisorError } from '@statevisor/core';

/**
 * The process helper died while it held this attempt's process group (someone killed it, or it
 * crashed). The host then killed the group itself (SIGKILL): its exit status is unknown, and the
 * attempt fails with this as its `error` (retried by the restart policy, through a new helper).
 *
 * @example
 * ```ts
 * const outcome = await app.outcome('web');
 * if (outcome.error instanceof ProcessHelperError) console.error(outcome.error.message);
 * // 'the process helper was killed by SIGKILL'
 * ```
 */
export class ProcessHelperError extends StatevisorError {
  /** The code of this error. */
  static readonly CODE = 'ERR_PROCESS_HELPER';

  /** @param reason - what happened to the helper */
  constructor(reason: string) {
    super(ProcessHelperError.CODE, reason);
  }
}
