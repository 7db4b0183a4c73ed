/**
 * Statevisor core: XState task machines under OTP-style supervisors, with every event of the
 * tree on one bounded RxJS stream.
 *
 * @example
 * ```ts
 * import { createSupervisor, task } from '@statevisor/core';
 *
 * const app = createSupervisor({ name: 'app', children: [task('hello', async () => 'world')] });
 * app.events$.subscribe((event) => console.log(event.kind, event.task));
 * await app.start();
 * await app.shutdown();
 * ```
 *
 * @packageDocumentation
 */
export { createSupervisor } from './create-supervisor.ts';
export type { ChildHandle, NodeSnapshot, RestartDecisionRecord, ShutdownResult, Supervisor } from './supervisor-handle.ts';
export { supervisor } from './spec/supervisor-spec.ts';
export type { GivenDefaults, NestedSupervisorOptions, SupervisorChildOptions, SupervisorSpec } from './spec/supervisor-spec.ts';
export type {
  ChildDefaults,
  ChildSpec,
  InspectOption,
  Intensity,
  SupervisorOptions,
} from './spec/supervisor-options.ts';
export { runnerTask, task } from './spec/task.ts';
export type { ActorTaskOptions, ChildOptions, NestedAttemptContext, TaskSpec, TaskWork } from './spec/task.ts';
export { describeThrown, describeValue } from './foreign.ts';
export type { Runner, RunnerContext, RunnerControl, RunnerExit, RunnerProbe, TaskContext, TaskFn } from './runner.ts';
export type { TaskOutcome } from './outcome.ts';
export {
  ConfigError,
  FatalError,
  ShuttingDownError,
  StatevisorError,
  TaskAlreadyExistsError,
  UnknownTaskError,
} from './errors.ts';
export { ControllerRejectedError } from './errors.ts';
export type { SubmitOptions } from './supervisor-handle.ts';
export type * from './events.ts';
export type { EventSubscription, SubscribeOptions } from './bus/event-bus.ts';
export { ofKind, underPath } from './bus/operators.ts';
export { EVENT_KINDS, isEventKind } from './event-kinds.ts';
export type { EventOfKind } from './event-kinds.ts';
export { formatEvent } from './format-event.ts';
export type { FormatEventOptions } from './format-event.ts';
export { DEFAULT_BACKOFF, backoffDelay } from './policies/backoff.ts';
export type { BackoffPolicy, BackoffSample, Jitter } from './policies/backoff.ts';
export { decideRestart } from './policies/restart.ts';
export { admitRestart, restartsInWindow } from './policies/intensity.ts';
export type { IntensityAdmission } from './policies/intensity.ts';
export type { AttemptResult, RestartDecision, RestartInput, RestartPolicy } from './policies/restart.ts';
export type { Clock, RandomSource, TimerHandle } from './clock.ts';
