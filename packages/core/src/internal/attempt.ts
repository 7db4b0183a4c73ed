/**
 * One attempt of a runner-based task, as an XState actor (`fromPromise`), so every attempt
 * appears in the inspector as a child of its task machine. Output goes straight to the bus;
 * only `started` and `ready` go through the task machine.
 */
import { fromPromise } from 'xstate';
import type { AnyActorRef } from 'xstate';
import type { Clock } from '../clock.ts';
import type { EventDraft, OutputStream, TerminateReason } from '../events.ts';
import type { Runner, RunnerControl, RunnerExit } from '../runner.ts';
import type { NestedAttemptContext } from '../task.ts';
import { toError } from '../runner.ts';

/**
 * The mutable, non-serialisable handles of a task's current attempt. One per task, reused
 * across attempts; `attempt` says which attempt the handles belong to.
 */
export class LiveAttempt {
  /** The attempt these handles belong to (0 before the first). */
  attempt = 0;
  /** True from the attempt's start until its terminal event (or abandonment). */
  active = false;
  controller: AbortController | undefined = undefined;
  /** Aborted when the attempt is force-aborted (abandoned after the grace). */
  forceController: AbortController | undefined = undefined;
  control: RunnerControl | undefined = undefined;
  releaseSlot: (() => void) | undefined = undefined;
  cancelSlotWait: (() => void) | undefined = undefined;
  immediate: ReturnType<typeof setImmediate> | undefined = undefined;
  /** Timers on the supervisor's clock: the attempt's timeout, the stop grace, the backoff. */
  timeoutTimer: unknown = undefined;
  graceTimer: unknown = undefined;
  backoffTimer: unknown = undefined;
  pid: number | undefined = undefined;
  /** Why the current attempt is being stopped (undefined for a timeout). */
  stopReason: TerminateReason | undefined = undefined;

  /** Ends the attempt's reporting: later output, ready or started calls are ignored. */
  deactivate(): void {
    this.active = false;
    this.stopReason = undefined;
    this.control = undefined;
    this.pid = undefined;
  }
}

/** Input of the attempt actor. */
export interface AttemptInput {
  readonly runner: Runner | undefined;
  readonly attempt: number;
  readonly name: string;
  readonly path: string;
  readonly task: AnyActorRef;
  readonly live: LiveAttempt;
  readonly signal: AbortSignal;
  readonly forceSignal: AbortSignal;
  readonly graceMs: number;
  readonly clock: Clock;
  readonly publish: (draft: EventDraft) => void;
}

/** Events an attempt sends to its task machine. */
export type AttemptNotice =
  | { readonly type: 'attempt.started'; readonly attempt: number; readonly pid: number | undefined }
  | { readonly type: 'attempt.ready'; readonly attempt: number };

/** The runner context of one attempt (also handed to nested attempts). */
export function runnerContext(input: AttemptInput): NestedAttemptContext {
  const { attempt, live, task, path, publish } = input;
  const current = (): boolean => live.active && live.attempt === attempt;
  let startedSent = false;
  let readySent = false;
  return {
    signal: input.signal,
    forceSignal: input.forceSignal,
    graceMs: input.graceMs,
    clock: input.clock,
    attempt,
    name: input.name,
    path,
    started(info) {
      if (startedSent || !current()) return;
      startedSent = true;
      live.pid = info?.pid;
      task.send({ type: 'attempt.started', attempt, pid: info?.pid });
    },
    ready() {
      if (readySent || !current()) return;
      readySent = true;
      task.send({ type: 'attempt.ready', attempt });
    },
    output(line: string, stream: OutputStream) {
      if (current()) publish({ kind: 'TaskOutput', task: path, attempt, line, stream });
    },
    outputBatch(lines: readonly string[], stream: OutputStream) {
      if (current() && lines.length > 0) publish({ kind: 'TaskOutputBatch', task: path, attempt, lines, stream });
    },
    control(action) {
      if (current()) publish({ kind: 'ProcessControl', task: path, attempt, action });
    },
    setControl(control: RunnerControl) {
      if (current()) live.control = control;
    },
    stopReason: () => live.stopReason,
  };
}

/** Runs a {@link Runner} for one attempt; resolves with its exit and never rejects. */
export const attemptLogic = fromPromise<RunnerExit, AttemptInput>(async ({ input }) => {
  try {
    if (input.runner === undefined) return { kind: 'invalid', code: 'ERR_NO_RUNNER', message: 'no runner for this attempt' };
    return await input.runner(runnerContext(input));
  } catch (thrown) {
    const error = toError(thrown);
    return { kind: 'failed', reason: `runner threw: ${error.message}`, error };
  }
});
