/**
 * The task's live handles of its current attempt: what runs, its timers and its slot. They are
 * mutable and not serialisable, so they live beside the task machine's plain context, in one
 * object per task reused across attempts.
 */
import type { RunnerControl } from '../runner.ts';
import type { TerminateReason } from '../events.ts';
import type { HeartbeatWatchdog } from './heartbeat-watchdog.ts';
import type { AttemptContext, AttemptState } from './attempt-context.ts';

/**
 * The mutable, non-serialisable handles of a task's current attempt. One per task, reused
 * across attempts; `attempt` says which attempt the handles belong to.
 */
export class LiveAttempt implements AttemptState {
  /** The attempt these handles belong to (0 before the first). */
  attempt = 0;
  /** True from the attempt's start until its terminal event (or abandonment). */
  active = false;
  /** The current attempt's context: its signals and its reporting hooks. */
  context: AttemptContext | undefined = undefined;
  control: RunnerControl | undefined = undefined;
  releaseSlot: (() => void) | undefined = undefined;
  cancelSlotWait: (() => void) | undefined = undefined;
  immediate: ReturnType<typeof setImmediate> | undefined = undefined;
  /** Timers on the supervisor's clock: the attempt's timeout, the stop grace, the backoff. */
  timeoutTimer: unknown = undefined;
  graceTimer: unknown = undefined;
  backoffTimer: unknown = undefined;
  pid: number | undefined = undefined;
  /** The supervisor clock's time of the attempt's `TaskStarted` (undefined before it). */
  startedAt: number | undefined = undefined;
  /** The attempt's heartbeat watchdog, from its `TaskStarted` to its end (child option `heartbeatTimeoutMs`). */
  watchdog: HeartbeatWatchdog | undefined = undefined;
  /** Why the current attempt is being stopped (undefined for a timeout). */
  stopReason: TerminateReason | undefined = undefined;
  /** The current attempt was paused through a handle (and not resumed since). */
  paused = false;

  /** Ends the attempt's reporting: later output, ready or started calls are ignored. */
  deactivate(): void {
    this.watchdog?.stop();
    this.watchdog = undefined;
    this.startedAt = undefined;
    this.active = false;
    this.paused = false;
    this.stopReason = undefined;
    this.control = undefined;
    this.pid = undefined;
    this.context = undefined;
  }
}
