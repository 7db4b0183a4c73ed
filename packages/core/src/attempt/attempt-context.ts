/**
 * The context of one attempt: what a runner is handed (its signals and its reporting hooks),
 * what the attempt tells its task machine (`attempt.started`, `attempt.ready`), and the abort
 * reasons the framework gives its signals.
 *
 * Cost notes: one {@link AttemptContext} per attempt. The force-abort signal is made only when a
 * runner asks for it: a process runner is force-aborted through its control handle's `kill()`.
 */
import type { AnyActorRef } from 'xstate';
import type { Clock } from '../clock.ts';
import type { ControlAction, EventDraft, OutputStream, TerminateReason } from '../events.ts';
import type { Runner, RunnerControl, RunnerProbe } from '../runner.ts';
import type { NestedAttemptContext } from '../spec/task.ts';
import type { HeartbeatWatchdog } from './heartbeat-watchdog.ts';

/**
 * What an attempt's context reads and writes of its task's live handles (a `LiveAttempt`):
 * whether it is still the current attempt, and what it reports (pid, control, heartbeats).
 */
export interface AttemptState {
  /** The task's current attempt. */
  readonly attempt: number;
  /** True from the attempt's start until its end (or abandonment). */
  readonly active: boolean;
  pid: number | undefined;
  control: RunnerControl | undefined;
  readonly watchdog: HeartbeatWatchdog | undefined;
  readonly stopReason: TerminateReason | undefined;
}

/** The event an attempt's context sends its actor with the pid and command a runner reported as it started. */
export const ATTEMPT_INFO = 'attempt.info';

/** What an attempt needs besides its number: who it reports to and how. */
export interface AttemptSetup {
  readonly name: string;
  readonly path: string;
  /** The task machine's actor (receives `attempt.started` / `attempt.ready`). */
  readonly task: AnyActorRef;
  readonly live: AttemptState;
  readonly graceMs: number;
  readonly clock: Clock;
  readonly publish: (draft: EventDraft) => void;
  /** The runner, for runner work; undefined for nested work (which only uses the context). */
  readonly runner: Runner | undefined;
}

/** Events an attempt sends to its task machine. */
export type AttemptNotice =
  | {
      readonly type: 'attempt.started';
      readonly attempt: number;
      readonly pid: number | undefined;
      /** The work was ready as it started: one step publishes TaskStarted and TaskReady. */
      readonly ready: boolean;
    }
  | { readonly type: 'attempt.ready'; readonly attempt: number };

/**
 * The context of one attempt: the runner's context (also handed to nested attempts) and the
 * attempt's own abort handles. Hooks are methods, except `ready`, which a task function may
 * destructure.
 */
export class AttemptContext implements NestedAttemptContext {
  readonly attempt: number;
  readonly name: string;
  readonly path: string;
  readonly graceMs: number;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Reports readiness (once); bound, so it may be passed around on its own. */
  readonly ready: () => void;
  /** Feeds the heartbeat watchdog, if any; bound, so it may be passed around on its own. */
  readonly heartbeat: () => void;
  readonly runner: Runner | undefined;
  readonly #abort: AbortController;
  /** The task machine's actor (receives `attempt.started` / `attempt.ready`). */
  readonly #task: AnyActorRef;
  readonly #live: AttemptState;
  readonly #publish: (draft: EventDraft) => void;
  #force: AbortController | undefined = undefined;
  /** The attempt actor running this context (runner work only). */
  #actor: AnyActorRef | undefined = undefined;
  #forced = false;
  #startedSent = false;
  #readySent = false;

  constructor(setup: AttemptSetup, attempt: number) {
    this.#task = setup.task;
    this.#live = setup.live;
    this.#publish = setup.publish;
    this.#abort = new AbortController();
    this.signal = this.#abort.signal;
    this.attempt = attempt;
    this.name = setup.name;
    this.path = setup.path;
    this.graceMs = setup.graceMs;
    this.clock = setup.clock;
    this.runner = setup.runner;
    this.ready = () => {
      this.#reportReady();
    };
    this.heartbeat = () => {
      if (this.#current()) this.#live.watchdog?.beat();
    };
  }

  /** Made on first use: most runners never look at it (a process runner is killed via its control). */
  get forceSignal(): AbortSignal {
    if (this.#force === undefined) {
      this.#force = new AbortController();
      if (this.#forced) this.#force.abort(abortReason('forced'));
    }
    return this.#force.signal;
  }

  /** Whether this is still the task's current, active attempt. */
  #current(): boolean {
    const live = this.#live;
    return live.active && live.attempt === this.attempt;
  }

  started(info?: { readonly pid?: number; readonly ready?: boolean; readonly command?: string }): void {
    if (this.#startedSent || !this.#current()) return;
    this.#startedSent = true;
    const pid = info?.pid;
    const ready = info?.ready === true;
    if (ready) this.#readySent = true;
    this.#live.pid = pid;
    const command = info?.command;
    // The attempt actor's own snapshot shows what runs, for the inspector.
    if (pid !== undefined || command !== undefined) this.#actor?.send({ type: ATTEMPT_INFO, pid, command });
    this.#task.send({ type: 'attempt.started', attempt: this.attempt, pid, ready });
  }

  /** Binds the attempt actor that runs this context (when it starts). */
  bindActor(actor: AnyActorRef): void {
    this.#actor = actor;
  }

  #reportReady(): void {
    if (this.#readySent || !this.#current()) return;
    this.#readySent = true;
    this.#task.send({ type: 'attempt.ready', attempt: this.attempt });
  }

  output(line: string, stream: OutputStream): void {
    if (this.#current()) {
      // An output line is a heartbeat; without a watchdog this is one branch.
      this.#live.watchdog?.beat();
      this.#publish({ kind: 'TaskOutput', task: this.path, attempt: this.attempt, line, stream });
    }
  }

  outputBatch(lines: readonly string[], stream: OutputStream): void {
    if (this.#current() && lines.length > 0) {
      this.#live.watchdog?.beat();
      this.#publish({ kind: 'TaskOutputBatch', task: this.path, attempt: this.attempt, lines, stream });
    }
  }

  control(action: ControlAction, signal?: string): void {
    if (!this.#current()) return;
    if (signal === undefined) this.#publish({ kind: 'ProcessControl', task: this.path, attempt: this.attempt, action });
    else this.#publish({ kind: 'ProcessControl', task: this.path, attempt: this.attempt, action, signal });
  }

  healthCheckFailed(probe: RunnerProbe, reason: string, failures: number): void {
    if (this.#current()) this.#publish({ kind: 'HealthCheckFailed', task: this.path, attempt: this.attempt, probe, reason, failures });
  }

  helperUnavailable(reason: string): void {
    if (this.#current()) this.#publish({ kind: 'ProcessHelperUnavailable', task: this.path, attempt: this.attempt, reason });
  }

  stdinClosed(error: { readonly code: string; readonly message: string }): void {
    if (this.#current()) {
      this.#publish({ kind: 'StdinClosed', task: this.path, attempt: this.attempt, error: { code: error.code, message: error.message } });
    }
  }

  setControl(control: RunnerControl): void {
    if (this.#current()) this.#live.control = control;
  }

  stopReason(): TerminateReason | undefined {
    return this.#live.stopReason;
  }

  /** Aborts the attempt's signal (a stop or a timeout); no-op when already aborted. */
  abort(reason: DOMException): void {
    if (!this.signal.aborted) this.#abort.abort(reason);
  }

  /**
   * Force-aborts: the runner's `kill()`, then the force signal (if anyone made it). `control`
   * is the attempt's control handle as it was when the machine gave up on the attempt.
   */
  force(control: RunnerControl | undefined): void {
    if (this.#forced) return;
    this.#forced = true;
    control?.kill?.();
    this.#force?.abort(abortReason('forced'));
  }
}

/** Why the framework aborted an attempt's signal (or its force signal). */
export type AbortKind = 'stopped' | 'timeout' | 'heartbeat' | 'forced';

const ABORT_MESSAGES: Readonly<Record<AbortKind, readonly [string, 'AbortError' | 'TimeoutError']>> = {
  stopped: ['the attempt was stopped', 'AbortError'],
  timeout: ['the attempt timed out', 'TimeoutError'],
  heartbeat: ['the attempt missed its heartbeat', 'TimeoutError'],
  forced: ['the attempt was force-aborted', 'AbortError'],
};

const abortReasons = new Map<AbortKind, DOMException>();

/**
 * The abort reason for `kind`: one frozen DOMException per kind, made once and without a stack
 * trace (the stack would only show Statevisor's internals, and building a DOMException costs
 * more than the rest of a stop).
 */
export function abortReason(kind: AbortKind): DOMException {
  let reason = abortReasons.get(kind);
  if (reason === undefined) {
    const [message, name] = ABORT_MESSAGES[kind];
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      reason = Object.freeze(new DOMException(message, name));
    } finally {
      Error.stackTraceLimit = limit;
    }
    abortReasons.set(kind, reason);
  }
  return reason;
}
