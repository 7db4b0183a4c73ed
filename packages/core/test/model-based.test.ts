/**
 * Model-based tests of the task machine (DESIGN.md §3, §4, §7).
 *
 * An abstract model of one supervised function task's lifecycle, as its user sees it, is
 * written as a small XState machine whose transitions say which events the real supervisor must
 * publish. @xstate/graph enumerates the model's simple paths (bounded by an attempt budget), and
 * each path is replayed against the REAL supervisor on a SimulatedClock: the task's body is
 * driven by a controller the test owns (each attempt registers a deferred that the test
 * resolves, rejects or makes ready; the body never honours its abort signal, so stops need a
 * grace), and the clock is advanced for TIMEOUT, BACKOFF_ELAPSED and GRACE_ELAPSED, one tick
 * short first to prove nothing happens early. After every step the real task machine's state,
 * its attempt number, the outcome's settledness and the per-task events published so far must
 * be what the model predicts (an `always` re-run is also checked to wait for a macrotask); every
 * path ends in a final state (its outcome is checked) or is cut by the bound (the task must
 * still be live, and shutdown must then force-abort it).
 *
 * Paths: simple paths over (state, context) vertices, deduplicated so that no path is a prefix
 * of another: 331 for on-failure (maxRetries 1), about 1,900 for always (maxRetries 1, cut after
 * 3 attempts). Each replay takes a few ms.
 */
import { createTestModel } from '@xstate/graph';
import { and, assign, setup } from 'xstate';
import type { ActorRef, Snapshot } from 'xstate';
import { describe, expect, it } from 'vitest';
import { FatalError, task } from '../src/index.ts';
import type { SupervisorEvent, TaskContext, TaskOutcome } from '../src/index.ts';
import { flush, harness } from './support.ts';
import type { Harness } from './support.ts';

const TIMEOUT_MS = 1_000;
const GRACE_MS = 50;
const BACKOFF_MS = 100;
const FORCE_REASON = 'task did not stop within grace; force-aborted';
const TIMEOUT_REASON = `timed out after ${TIMEOUT_MS}ms`;
const FATAL_REASON = 'doomed';
const failReason = (attempt: number): string => `boom ${attempt}`;
const outputOf = (attempt: number): string => `out-${attempt}`;

// ---------------------------------------------------------------------------------------------
// The model

/** One event the model predicts: its kind and the fields that must match. */
interface Expected {
  readonly kind: SupervisorEvent['kind'];
  readonly [field: string]: unknown;
}

/** The outcome the model predicts (`error` is the expected error message, if any). */
interface ExpectedOutcome {
  readonly kind: TaskOutcome['kind'];
  readonly reason?: string;
  readonly output?: string;
  readonly error?: string;
}

interface ModelContext {
  /** Attempts started so far. */
  readonly attempt: number;
  /** Consecutive failures (reset by a success). */
  readonly streak: number;
  /** Why the current attempt is being stopped, while in `stopping`. */
  readonly stop: 'none' | 'timeout' | 'cancel';
  /** What the last successful attempt returned. */
  readonly output: string | undefined;
  /** The events the last transition must have published for this task, in order. */
  readonly emitted: readonly Expected[];
  /** The outcome, once final. */
  readonly outcome: ExpectedOutcome | undefined;
}

type ModelEvent =
  | { type: 'START' }
  | { type: 'READY' }
  | { type: 'SUCCEED' }
  | { type: 'FAIL' }
  | { type: 'FAIL_FATAL' }
  | { type: 'TIMEOUT' }
  | { type: 'CANCEL' }
  | { type: 'BACKOFF_ELAPSED' }
  | { type: 'GRACE_ELAPSED' };

interface ModelConfig {
  readonly restart: 'on-failure' | 'always';
  readonly maxRetries: number;
  /** Paths are cut once they start more attempts than this (the bound that keeps `always` finite). */
  readonly maxAttempts: number;
}

function withOutput(outcome: ExpectedOutcome, output: string | undefined): ExpectedOutcome {
  return output === undefined ? outcome : { ...outcome, output };
}

function modelOf(config: ModelConfig) {
  const startAttempt = (context: ModelContext): Partial<ModelContext> => {
    const attempt = context.attempt + 1;
    return {
      attempt,
      stop: 'none',
      emitted: [
        { kind: 'TaskStarting', attempt },
        { kind: 'TaskStarted', attempt },
      ],
    };
  };

  /** The attempt failed (retryable), with `terminal` as its terminal event. */
  const failure = (context: ModelContext, terminal: Expected, reason: string, error: string | undefined): Partial<ModelContext> => {
    if (context.streak < config.maxRetries) {
      return {
        streak: context.streak + 1,
        stop: 'none',
        emitted: [
          terminal,
          { kind: 'BackoffScheduled', attempt: context.attempt, delayMs: BACKOFF_MS * 2 ** context.streak, backoffSource: 'failure', reason },
        ],
      };
    }
    const outcome: ExpectedOutcome = error === undefined ? { kind: 'failed', reason } : { kind: 'failed', reason, error };
    return {
      streak: context.streak + 1,
      stop: 'none',
      emitted: [terminal, { kind: 'ActorExhausted', outcome: 'failed', reason }, { kind: 'TaskRemoved' }],
      outcome: withOutput(outcome, context.output),
    };
  };

  const failedAttempt = (context: ModelContext): Partial<ModelContext> =>
    failure(context, { kind: 'TaskFailed', attempt: context.attempt, reason: failReason(context.attempt) }, failReason(context.attempt), failReason(context.attempt));

  const timedOutAttempt = (context: ModelContext): Partial<ModelContext> =>
    failure(context, { kind: 'TimeoutHit', attempt: context.attempt, timeoutMs: TIMEOUT_MS }, TIMEOUT_REASON, undefined);

  const cancelledAttempt = (context: ModelContext): Partial<ModelContext> => ({
    stop: 'none',
    emitted: [
      { kind: 'TaskStopped', attempt: context.attempt, stopReason: { terminated: 'user-requested' } },
      { kind: 'ActorExhausted', outcome: 'cancelled' },
      { kind: 'TaskRemoved' },
    ],
    outcome: withOutput({ kind: 'cancelled' }, context.output),
  });

  return setup({
    types: { context: {} as ModelContext, events: {} as ModelEvent },
    guards: {
      restartsAfterSuccess: () => config.restart === 'always',
      canRetry: ({ context }) => context.streak < config.maxRetries,
      stoppingForTimeout: ({ context }) => context.stop === 'timeout',
    },
    actions: {
      start: assign(({ context }) => {
        const next = startAttempt(context);
        return { ...next, emitted: [{ kind: 'TaskAddRequested' }, { kind: 'TaskAdded' }, ...(next.emitted ?? [])] };
      }),
      nextAttempt: assign(({ context }) => startAttempt(context)),
      ready: assign(({ context }) => ({ emitted: [{ kind: 'TaskReady', attempt: context.attempt }] })),
      rerunAfterSuccess: assign(({ context }) => {
        const next = startAttempt(context);
        return {
          ...next,
          streak: 0,
          output: outputOf(context.attempt),
          emitted: [
            { kind: 'TaskStopped', attempt: context.attempt, stopReason: 'finished' },
            { kind: 'BackoffScheduled', attempt: context.attempt, delayMs: 0, backoffSource: 'success' },
            ...(next.emitted ?? []),
          ],
        };
      }),
      complete: assign(({ context }) => ({
        streak: 0,
        output: outputOf(context.attempt),
        emitted: [
          { kind: 'TaskStopped', attempt: context.attempt, stopReason: 'finished' },
          { kind: 'ActorExhausted', outcome: 'completed' },
          { kind: 'TaskRemoved' },
        ],
        outcome: { kind: 'completed', output: outputOf(context.attempt) },
      })),
      fail: assign(({ context }) => failedAttempt(context)),
      failFatal: assign(({ context }) => ({
        emitted: [
          { kind: 'TaskFailed', attempt: context.attempt, reason: FATAL_REASON },
          { kind: 'ActorDead', outcome: 'fatal', reason: FATAL_REASON },
          { kind: 'TaskRemoved' },
        ],
        outcome: withOutput({ kind: 'fatal', reason: FATAL_REASON, error: FATAL_REASON }, context.output),
      })),
      timeOut: assign({ stop: 'timeout', emitted: [] }),
      requestCancel: assign({ stop: 'cancel', emitted: [{ kind: 'TaskRemoveRequested' }] }),
      cancelInBackoff: assign(({ context }) => ({
        emitted: [{ kind: 'TaskRemoveRequested' }, { kind: 'ActorExhausted', outcome: 'cancelled' }, { kind: 'TaskRemoved' }],
        outcome: withOutput({ kind: 'cancelled' }, context.output),
      })),
      timedOut: assign(({ context }) => timedOutAttempt(context)),
      cancelled: assign(({ context }) => cancelledAttempt(context)),
      forceAborted: assign(({ context }) => ({
        stop: 'none',
        emitted: [
          { kind: 'TaskStopped', attempt: context.attempt, stopReason: { terminated: 'user-requested' } },
          { kind: 'ActorDead', outcome: 'force-aborted', reason: FORCE_REASON },
          { kind: 'TaskRemoved' },
        ],
        outcome: withOutput({ kind: 'force-aborted', reason: FORCE_REASON }, context.output),
      })),
    },
  }).createMachine({
    id: `model-${config.restart}`,
    context: { attempt: 0, streak: 0, stop: 'none', output: undefined, emitted: [], outcome: undefined },
    initial: 'idle',
    states: {
      // Added but not started: no task actor exists yet.
      idle: { on: { START: { target: 'running', actions: 'start' } } },
      running: {
        on: {
          READY: { target: 'ready', actions: 'ready' },
          SUCCEED: [
            { guard: 'restartsAfterSuccess', target: 'running', reenter: true, actions: 'rerunAfterSuccess' },
            { target: 'exhausted', actions: 'complete' },
          ],
          FAIL: [
            { guard: 'canRetry', target: 'backoff', actions: 'fail' },
            { target: 'exhausted', actions: 'fail' },
          ],
          FAIL_FATAL: { target: 'dead', actions: 'failFatal' },
          TIMEOUT: { target: 'stopping', actions: 'timeOut' },
          CANCEL: { target: 'stopping', actions: 'requestCancel' },
        },
      },
      ready: {
        on: {
          SUCCEED: [
            { guard: 'restartsAfterSuccess', target: 'running', actions: 'rerunAfterSuccess' },
            { target: 'exhausted', actions: 'complete' },
          ],
          FAIL: [
            { guard: 'canRetry', target: 'backoff', actions: 'fail' },
            { target: 'exhausted', actions: 'fail' },
          ],
          FAIL_FATAL: { target: 'dead', actions: 'failFatal' },
          TIMEOUT: { target: 'stopping', actions: 'timeOut' },
          CANCEL: { target: 'stopping', actions: 'requestCancel' },
        },
      },
      // The attempt was aborted (timeout or cancel) and its body ignores the signal. Whatever it
      // settles with now, the result is decided by why it was aborted.
      stopping: {
        on: {
          SUCCEED: [
            { guard: and(['stoppingForTimeout', 'canRetry']), target: 'backoff', actions: 'timedOut' },
            { guard: 'stoppingForTimeout', target: 'exhausted', actions: 'timedOut' },
            { target: 'exhausted', actions: 'cancelled' },
          ],
          FAIL: [
            { guard: and(['stoppingForTimeout', 'canRetry']), target: 'backoff', actions: 'timedOut' },
            { guard: 'stoppingForTimeout', target: 'exhausted', actions: 'timedOut' },
            { target: 'exhausted', actions: 'cancelled' },
          ],
          FAIL_FATAL: [
            { guard: and(['stoppingForTimeout', 'canRetry']), target: 'backoff', actions: 'timedOut' },
            { guard: 'stoppingForTimeout', target: 'exhausted', actions: 'timedOut' },
            { target: 'exhausted', actions: 'cancelled' },
          ],
          GRACE_ELAPSED: [
            { guard: and(['stoppingForTimeout', 'canRetry']), target: 'backoff', actions: 'timedOut' },
            { guard: 'stoppingForTimeout', target: 'exhausted', actions: 'timedOut' },
            { target: 'dead', actions: 'forceAborted' },
          ],
          // A cancel during a timeout's grace turns it into a user stop, with a fresh grace.
          CANCEL: { guard: 'stoppingForTimeout', target: 'stopping', reenter: true, actions: 'requestCancel' },
        },
      },
      backoff: {
        on: {
          BACKOFF_ELAPSED: { target: 'running', actions: 'nextAttempt' },
          CANCEL: { target: 'exhausted', actions: 'cancelInBackoff' },
        },
      },
      exhausted: { type: 'final' },
      dead: { type: 'final' },
    },
  });
}


type ModelState = 'idle' | 'running' | 'ready' | 'stopping' | 'backoff' | 'exhausted' | 'dead';

function pathsOf(config: ModelConfig) {
  // Vertices are (state, context) alone: no transition in the key, so a no-op event is a
  // self-loop. Traversal stops at the first state past the attempt bound.
  return createTestModel(modelOf(config), {
    serializeTransition: () => '',
    stopWhen: (state) => state.context.attempt > config.maxAttempts,
  }).getSimplePaths();
}

// ---------------------------------------------------------------------------------------------
// The system under test

interface AttemptControl {
  readonly attempt: number;
  readonly signal: AbortSignal;
  readonly startedAt: number;
  ready(): void;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** What the test reads from the task actor. */
type ActorRefLike = ActorRef<Snapshot<unknown> & { readonly value: unknown }, { type: string }>;

/** A supervisor with one task `w` whose every attempt is driven by the test. */
class Rig {
  readonly h: Harness;
  readonly attempts: AttemptControl[] = [];
  /** Clock time at which the current wait (backoff, grace) began. */
  waitStartedAt = 0;
  /** The task actor, kept once seen so its final state can be read after it leaves the system. */
  actor: ActorRefLike | undefined;
  settled = false;

  constructor(config: ModelConfig) {
    this.h = harness({
      graceMs: GRACE_MS,
      children: [
        task(
          'w',
          (ctx: TaskContext) =>
            new Promise<unknown>((resolve, reject) => {
              // The body ignores ctx.signal on purpose: stopping it needs the grace.
              this.attempts.push({ attempt: ctx.attempt, signal: ctx.signal, startedAt: this.h.clock.now(), ready: ctx.ready, resolve, reject });
            }),
          {
            restart: config.restart,
            maxRetries: config.maxRetries,
            timeoutMs: TIMEOUT_MS,
            backoff: { firstMs: BACKOFF_MS, maxMs: 10_000, factor: 2, jitter: 'none' },
          },
        ),
      ],
    });
  }

  get current(): AttemptControl {
    const current = this.attempts.at(-1);
    if (current === undefined) throw new Error('no attempt has started');
    return current;
  }

  liveActor(): ActorRefLike | undefined {
    const live = this.h.app.actor.system.get('app/w') as ActorRefLike | undefined;
    if (live !== undefined) this.actor = live;
    return live;
  }

  realState(): unknown {
    this.liveActor();
    return this.actor?.getSnapshot().value;
  }

  /** Advances to `deadline` one tick short first, checking that nothing happened early. */
  async advanceTo(deadline: number, before: ModelState): Promise<void> {
    const now = this.h.clock.now();
    expect(deadline, 'the deadline is in the future').toBeGreaterThan(now);
    const events = this.h.events.length;
    await this.h.advance(deadline - now - 1);
    expect(this.realState(), `still ${before} 1ms before the deadline`).toBe(before);
    expect(this.h.events.length, 'no event 1ms before the deadline').toBe(events);
    await this.h.advance(1);
  }

  async perform(event: ModelEvent, before: ModelState, after: ModelState): Promise<void> {
    switch (event.type) {
      case 'START':
        await this.h.app.start();
        void this.h.app.outcome('w').then(() => {
          this.settled = true;
        });
        break;
      case 'READY':
        this.current.ready();
        break;
      case 'SUCCEED':
        this.current.resolve(outputOf(this.current.attempt));
        if (before !== 'stopping' && after === 'running') {
          // `always` re-runs only after yielding a macrotask: promise jobs alone leave it in
          // backoff, with the zero-delay BackoffScheduled already published.
          for (let i = 0; i < 20; i++) await Promise.resolve();
          expect(this.realState(), 'a re-run waits for a macrotask').toBe('backoff');
          expect(this.h.of('w').at(-1)).toMatchObject({ kind: 'BackoffScheduled', delayMs: 0, backoffSource: 'success' });
        }
        break;
      case 'FAIL':
        this.current.reject(new Error(failReason(this.current.attempt)));
        break;
      case 'FAIL_FATAL':
        this.current.reject(new FatalError(FATAL_REASON));
        break;
      case 'TIMEOUT':
        await this.advanceTo(this.current.startedAt + TIMEOUT_MS, before);
        expect(this.current.signal.aborted).toBe(true);
        expect((this.current.signal.reason as DOMException).name).toBe('TimeoutError');
        break;
      case 'CANCEL': {
        const signal = before === 'backoff' ? undefined : this.current.signal;
        const wasAborted = signal?.aborted ?? false;
        void this.h.app.cancel('w');
        await flush();
        // A cancel aborts a live attempt with an AbortError (a timed-out one keeps its reason).
        if (signal !== undefined && !wasAborted) expect((signal.reason as DOMException).name).toBe('AbortError');
        break;
      }
      case 'BACKOFF_ELAPSED':
        await this.advanceTo(this.waitStartedAt + BACKOFF_MS, before);
        break;
      case 'GRACE_ELAPSED':
        await this.advanceTo(this.waitStartedAt + GRACE_MS, before);
        break;
    }
    await flush();
    this.waitStartedAt = this.h.clock.now();
  }
}

function describePath(events: readonly ModelEvent[]): string {
  return events.map((event) => event.type).join(' → ');
}

function checkOutcome(actual: TaskOutcome, expected: ExpectedOutcome): void {
  const { error, ...rest } = expected;
  const picked: Record<string, unknown> = { kind: actual.kind };
  if (actual.reason !== undefined) picked['reason'] = actual.reason;
  if (actual.output !== undefined) picked['output'] = actual.output;
  expect(picked, 'outcome').toEqual(rest);
  expect(actual.error?.message, 'outcome error').toBe(error);
}

async function replay(config: ModelConfig, steps: ReadonlyArray<{ event: ModelEvent | { type: 'xstate.init' }; state: { value: unknown; context: ModelContext; status: string } }>): Promise<void> {
  const rig = new Rig(config);
  const { h } = rig;
  const expected: Expected[] = [];
  let before: ModelState = 'idle';
  for (const [index, step] of steps.entries()) {
    const modelState = step.state.value as ModelState;
    const label = `step ${index} (${step.event.type} → ${modelState})`;
    if (step.event.type !== 'xstate.init') {
      await rig.perform(step.event, before, modelState);
      expected.push(...step.state.context.emitted);
    }

    // The per-task events so far: exactly the kinds the model predicts, with its fields.
    const actual = h.of('w');
    expect(actual.map((event) => event.kind), `${label}: event kinds`).toEqual(expected.map((event) => event.kind));
    actual.forEach((event, i) => expect(event, `${label}: event ${i}`).toMatchObject(expected[i] ?? {}));

    // The real task machine's state.
    const live = rig.liveActor();
    if (modelState === 'idle') {
      expect(live, `${label}: no task actor before start`).toBeUndefined();
      expect(h.app.snapshot().children, `${label}: snapshot`).toEqual([]);
      continue;
    }
    expect(rig.realState(), `${label}: task machine state`).toBe(modelState);
    const final = modelState === 'exhausted' || modelState === 'dead';
    expect(rig.settled, `${label}: outcome settled`).toBe(final);
    if (final) {
      expect(live, `${label}: a finished task leaves the system`).toBeUndefined();
      expect(rig.actor?.getSnapshot().status, `${label}: task actor status`).toBe('done');
      expect(h.app.snapshot().children, `${label}: snapshot`).toEqual([]);
    } else {
      expect(live, `${label}: task actor registered under its path`).toBeDefined();
      expect(h.app.snapshot().children, `${label}: snapshot`).toEqual([
        expect.objectContaining({ path: 'app/w', kind: 'task', state: modelState, attempt: step.state.context.attempt }),
      ]);
    }
    before = modelState;
  }

  const last = steps.at(-1);
  if (last === undefined) throw new Error('empty path');
  if (last.state.status === 'done') {
    const outcome = last.state.context.outcome;
    if (outcome === undefined) throw new Error('a final model state without an outcome');
    checkOutcome(await h.app.outcome('w'), outcome);
    expect(h.kinds('w').at(-1)).toBe('TaskRemoved');
    expect(await h.app.shutdown()).toEqual({ withinGrace: true, stuck: [] });
  } else {
    // Cut by the bound, with an attempt live: the task keeps running until shutdown, which
    // force-aborts it after the grace (its body ignores the signal) and reports it stuck.
    expect(last.state.value).toBe('running');
    expect(rig.settled).toBe(false);
    const attempt = last.state.context.attempt;
    const result = h.app.shutdown();
    await h.advance(GRACE_MS - 1);
    expect(rig.settled, 'not force-aborted before the grace').toBe(false);
    await h.advance(1);
    expect(await result).toEqual({ withinGrace: false, stuck: ['app/w'] });
    checkOutcome(await h.app.outcome('w'), withOutput({ kind: 'force-aborted', reason: FORCE_REASON }, last.state.context.output));
    const tail = h.of('w').slice(expected.length);
    expect(tail.map((event) => event.kind)).toEqual(['TaskStopped', 'ActorDead', 'TaskRemoved']);
    expect(tail[0]).toMatchObject({ attempt, stopReason: { terminated: 'shutdown' } });
    expect(tail[1]).toMatchObject({ outcome: 'force-aborted', reason: FORCE_REASON });
  }
}

// ---------------------------------------------------------------------------------------------

const CONFIGS: readonly ModelConfig[] = [
  { restart: 'on-failure', maxRetries: 1, maxAttempts: 2 },
  { restart: 'always', maxRetries: 1, maxAttempts: 3 },
];

for (const config of CONFIGS) {
  describe(`task machine against the model: restart ${config.restart}, maxRetries ${config.maxRetries}`, () => {
    const paths = pathsOf(config);

    it('the model is bounded and every path ends in a final state or at the bound', () => {
      expect(paths.length).toBeGreaterThan(20);
      const finals = new Set<string>();
      let cut = 0;
      for (const path of paths) {
        const last = path.steps.at(-1);
        expect(last).toBeDefined();
        if (last === undefined) continue;
        const name = describePath(path.steps.slice(1).map((step) => step.event));
        if (last.state.status === 'done') {
          expect(last.state.context.attempt, name).toBeLessThanOrEqual(config.maxAttempts);
          finals.add(`${last.state.value}:${last.state.context.outcome?.kind ?? 'none'}`);
        } else {
          expect(last.state.context.attempt, name).toBe(config.maxAttempts + 1);
          cut += 1;
        }
      }
      // Only `always` runs into the bound: `on-failure` ends by itself.
      if (config.restart === 'always') expect(cut).toBeGreaterThan(0);
      else expect(cut).toBe(0);
      // Every outcome a function task can reach is covered.
      expect([...finals].sort()).toEqual(
        ['dead:fatal', 'dead:force-aborted', 'exhausted:cancelled', 'exhausted:completed', 'exhausted:failed'].filter(
          (final) => config.restart !== 'always' || final !== 'exhausted:completed',
        ),
      );
    });

    for (const path of paths) {
      const events = path.steps.slice(1).map((step) => step.event);
      it(describePath(events), async () => {
        await replay(config, path.steps);
      });
    }
  });
}


