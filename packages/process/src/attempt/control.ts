/**
 * The control handle of an attempt, which core's child handle (`app.child(name)`) forwards to:
 * pause, resume, signal and kill, and for a task with `stdin: true` write and closeStdin. A stop
 * is the abort of `ctx.signal`, which the attempt listens to itself.
 *
 * @module
 */
import type { RunnerControl } from '@statevisor/core';
import { fail, isJobControlSignal, validateSignalName } from '../config-fields.ts';

/**
 * What a control handle drives: the attempt itself.
 *
 * @example
 * ```ts
 * ctx.setControl(config.stdin ? new StdinAttemptControl(attempt) : new AttemptControl(attempt));
 * ```
 */
export interface ControlledAttempt {
  /** SIGSTOP to the group. */
  pause(): void;
  /** SIGCONT to the group. */
  resume(): void;
  /** The framework gave up waiting (force-abort): SIGKILL the group now. */
  kill(): void;
  /** Sends `name` to the group; false when the attempt is ending or the group is gone. */
  signal(name: NodeJS.Signals): boolean;
  /** Writes to the child's stdin; false when it is closed (or was never open). */
  write(data: string | Uint8Array): boolean;
  /** Ends the child's stdin. */
  closeStdin(): void;
}

/**
 * The control handle of an attempt: one field, the methods on the prototype.
 *
 * @example
 * ```ts
 * ctx.setControl(new AttemptControl(attempt));
 * ```
 */
export class AttemptControl implements RunnerControl {
  protected readonly attempt: ControlledAttempt;

  constructor(attempt: ControlledAttempt) {
    this.attempt = attempt;
  }

  pause(): void {
    this.attempt.pause();
  }

  resume(): void {
    this.attempt.resume();
  }

  kill(): void {
    this.attempt.kill();
  }

  /**
   * Sends the signal `name` to the whole group and publishes `ProcessControl { action: 'signal',
   * signal }`; false when the attempt is ending or has ended, or the group is gone.
   *
   * @throws {@link ProcessConfigError} (field `signal`) for a name that is not a signal of this
   *   platform, and for SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU and SIGCONT: pause() and resume() do
   *   that, and keep the paused state (and a stop's SIGCONT) right
   */
  signal(name: string): boolean {
    const valid = validateSignalName(name, 'signal');
    if (isJobControlSignal(valid)) {
      fail('signal', `${valid} stops or continues the process: use pause() and resume() instead`);
    }
    return this.attempt.signal(valid);
  }
}

/**
 * Only a task with `stdin: true` has write/closeStdin, so the child handle reports false otherwise.
 *
 * @example
 * ```ts
 * ctx.setControl(new StdinAttemptControl(attempt));
 * ```
 */
export class StdinAttemptControl extends AttemptControl {
  write(data: string | Uint8Array): boolean {
    return this.attempt.write(data);
  }

  closeStdin(): void {
    this.attempt.closeStdin();
  }
}
