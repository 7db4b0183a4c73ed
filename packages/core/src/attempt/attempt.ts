/**
 * One attempt of a runner-based task, as an XState actor, so every attempt appears in the
 * inspector as a child of its task machine. Output goes straight to the bus; only `started` and
 * `ready` go through the task machine.
 *
 * Cost notes: an attempt is one {@link AttemptContext} (the runner's context, also the actor's
 * input) and one actor of {@link attemptLogic}, a promise actor without the AbortController that
 * XState's `fromPromise` makes for each actor. The force-abort signal is made only when a runner
 * asks for it: a process runner is force-aborted through its control handle's `kill()`.
 */
import type { ActorLogic, ActorSystem, ActorSystemInfo, AnyActorRef, PromiseSnapshot } from 'xstate';
import type { Clock } from '../clock.ts';
import type { EventDraft, OutputStream, TerminateReason } from '../events.ts';
import type { Runner, RunnerControl, RunnerExit } from '../runner.ts';
import type { NestedAttemptContext } from '../spec/task.ts';
import type { HeartbeatWatchdog } from './heartbeat-watchdog.ts';
import { describeThrown, toError } from '../foreign.ts';

/**
 * The mutable, non-serialisable handles of a task's current attempt. One per task, reused
 * across attempts; `attempt` says which attempt the handles belong to.
 */
export class LiveAttempt {
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

/** What an attempt needs besides its number: who it reports to and how. */
export interface AttemptSetup {
  readonly name: string;
  readonly path: string;
  /** The task machine's actor (receives `attempt.started` / `attempt.ready`). */
  readonly task: AnyActorRef;
  readonly live: LiveAttempt;
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
  readonly #live: LiveAttempt;
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
    if (pid !== undefined || command !== undefined) this.#actor?.send({ type: INFO, pid, command });
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

  control(action: 'pause' | 'resume' | 'stop'): void {
    if (this.#current()) this.#publish({ kind: 'ProcessControl', task: this.path, attempt: this.attempt, action });
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

/**
 * What the inspector shows of an attempt in its actor's snapshot context: its number and, once
 * the runner reported them, the pid and the command line it runs.
 */
export interface AttemptInfo {
  readonly attempt: number;
  readonly pid?: number;
  readonly command?: string;
}

/**
 * The attempt actor's snapshot: XState's promise snapshot (its output the runner's exit), with
 * the attempt's {@link AttemptInfo} as its context.
 */
export type AttemptSnapshot = PromiseSnapshot<RunnerExit, AttemptContext> & { readonly context: AttemptInfo };

/** The event the attempt actor sends itself when its runner has ended. */
const EXIT = 'attempt.exit';
/** The event that records the pid and command a runner reported as it started. */
const INFO = 'attempt.info';

/**
 * Runs the runner; resolves with its exit and never rejects. The runner starts one microtask
 * later, once the step that spawned the attempt has ended and its events are published: XState
 * starts the children of a machine's first step before that step's actions run, so a runner
 * that output at once would otherwise precede its attempt's TaskStarting.
 */
async function runAttempt(context: AttemptContext): Promise<RunnerExit> {
  await Promise.resolve();
  try {
    const { runner } = context;
    if (runner === undefined) return { kind: 'invalid', code: 'ERR_NO_RUNNER', message: 'no runner for this attempt' };
    return await runner(context);
  } catch (thrown) {
    return crashExit('runner threw', thrown);
  }
}

/** The exit of an attempt whose runner threw or rejected (`what` says which), never throwing. */
function crashExit(what: string, thrown: unknown): RunnerExit {
  return { kind: 'failed', reason: `${what}: ${describeThrown(thrown)}`, error: toError(thrown) };
}

/**
 * Runs a {@link Runner} for one attempt, as a promise actor: done with the runner's exit as its
 * output. Stopping the actor only stops listening: the attempt's own signals end the work.
 */
/** The events the attempt actor takes (it sends them to itself). */
type AttemptEvent =
  | { readonly type: typeof EXIT; readonly exit: RunnerExit }
  | { readonly type: typeof INFO; readonly pid: number | undefined; readonly command: string | undefined }
  | { readonly type: 'xstate.stop' };

export const attemptLogic: ActorLogic<AttemptSnapshot, AttemptEvent, AttemptContext, ActorSystem<ActorSystemInfo>> = {
  transition: (snapshot, event) => {
    if (snapshot.status !== 'active') return snapshot;
    switch (event.type) {
      case EXIT:
        return { status: 'done', output: event.exit, error: undefined, input: undefined, context: snapshot.context };
      case INFO:
        return { ...snapshot, context: infoOf(snapshot.context.attempt, event.pid, event.command) };
      case 'xstate.stop':
        return { status: 'stopped', output: undefined, error: undefined, input: undefined, context: snapshot.context };
      default:
        return snapshot;
    }
  },
  start: (snapshot, { self }) => {
    const context = snapshot.input;
    if (snapshot.status !== 'active' || context === undefined) return;
    context.bindActor(self);
    const report = (exit: RunnerExit): void => {
      if (self.getSnapshot().status === 'active') self.send({ type: EXIT, exit });
    };
    // runAttempt never rejects; the second handler keeps a bug from becoming an unhandled rejection.
    runAttempt(context).then(report, (thrown: unknown) => {
      report(crashExit('attempt crashed', thrown));
    });
  },
  getInitialSnapshot: (_scope, input) => ({
    status: 'active',
    output: undefined,
    error: undefined,
    input,
    context: { attempt: input.attempt },
  }),
  getPersistedSnapshot: (snapshot) => snapshot,
};

function infoOf(attempt: number, pid: number | undefined, command: string | undefined): AttemptInfo {
  const info: { attempt: number; pid?: number; command?: string } = { attempt };
  if (pid !== undefined) info.pid = pid;
  if (command !== undefined) info.command = command;
  return info;
}
