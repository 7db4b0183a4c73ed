/**
 * The control handle of an attempt, which core's child handle (`app.child(name)`) forwards to:
 * pause, resume and kill, and for a task with `stdin: true` write and closeStdin. A stop is the
 * abort of `ctx.signal`, which the attempt listens to itself.
 *
 * @module
 */
import type { RunnerControl } from '@statevisor/core';

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
