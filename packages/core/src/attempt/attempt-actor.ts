/**
 * One attempt of a runner-based task, as an XState actor, so every attempt appears in the
 * inspector as a child of its task machine. Output goes straight to the bus; only `started` and
 * `ready` go through the task machine.
 *
 * Cost notes: an attempt is one {@link AttemptContext} (the runner's context, also the actor's
 * input) and one actor of {@link attemptLogic}, a promise actor without the AbortController that
 * XState's `fromPromise` makes for each actor.
 */
import type { ActorLogic, ActorSystem, ActorSystemInfo, PromiseSnapshot } from 'xstate';
import type { RunnerExit } from '../runner.ts';
import type { AttemptContext } from './attempt-context.ts';
import { ATTEMPT_INFO } from './attempt-context.ts';
import { describeThrown, toError } from '../foreign.ts';

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

/** The events the attempt actor takes (it sends them to itself). */
type AttemptEvent =
  | { readonly type: typeof EXIT; readonly exit: RunnerExit }
  | { readonly type: typeof ATTEMPT_INFO; readonly pid: number | undefined; readonly command: string | undefined }
  | { readonly type: 'xstate.stop' };

/**
 * Runs a `Runner` for one attempt, as a promise actor: done with the runner's exit as its
 * output. Stopping the actor only stops listening: the attempt's own signals end the work.
 *
 * @example
 * ```ts
 * // In the task machine: setup({ actors: { attemptRunner: attemptLogic } }), then
 * enqueue.spawnChild('attemptRunner', { id: attemptIdOf(path, attempt), input: attemptContext });
 * ```
 */
export const attemptLogic: ActorLogic<AttemptSnapshot, AttemptEvent, AttemptContext, ActorSystem<ActorSystemInfo>> = {
  transition: (snapshot, event) => {
    if (snapshot.status !== 'active') return snapshot;
    switch (event.type) {
      case EXIT:
        return { status: 'done', output: event.exit, error: undefined, input: undefined, context: snapshot.context };
      case ATTEMPT_INFO:
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
