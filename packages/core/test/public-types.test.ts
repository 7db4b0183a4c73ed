/**
 * Type tests of the public API. `pnpm typecheck` (tsc -b) compiles this file with the package's
 * tests, so a type that drifts fails the typecheck; vitest runs it too (the assertions are
 * no-ops at run time, the few runtime lines check that the typed calls really work).
 */
import { describe, it, expectTypeOf, expect } from 'vitest';
import { Subject, type Observable } from 'rxjs';
import { setup, type EventObject, type Snapshot } from 'xstate';
import {
  ConfigError,
  createSupervisor,
  task,
  type ActorTaskOptions,
  formatEvent,
  ofKind,
  underPath,
  type ChildHandle,
  type EventOfKind,
  type EventSubscription,
  type NodeSnapshot,
  type RestartDecisionRecord,
  type ShutdownResult,
  type SubscribeOptions,
  type Supervisor,
  type SupervisorEvent,
  type SupervisorEventKind,
  type TaskOutcome,
  type TaskOutcomeKind,
} from '../src/index.ts';

type TaskFailed = Extract<SupervisorEvent, { kind: 'TaskFailed' }>;
type ActorDead = Extract<SupervisorEvent, { kind: 'ActorDead' }>;

describe('public types', () => {
  it('SupervisorEvent narrows by kind', () => {
    const check = (event: SupervisorEvent): void => {
      if (event.kind === 'TaskFailed') {
        expectTypeOf(event).toEqualTypeOf<TaskFailed>();
        expectTypeOf(event.reason).toEqualTypeOf<string>();
        expectTypeOf(event.attempt).toEqualTypeOf<number>();
      }
      if (event.kind === 'TaskOutput') expectTypeOf(event.stream).toEqualTypeOf<'stdout' | 'stderr'>();
      if (event.kind === 'SubscriberOverflow') expectTypeOf(event.dropped).toEqualTypeOf<number>();
      expectTypeOf(event.seq).toEqualTypeOf<number>();
      expectTypeOf(event.task).toEqualTypeOf<string>();
    };
    expectTypeOf(check).parameter(0).toEqualTypeOf<SupervisorEvent>();
    expectTypeOf<EventOfKind<'TaskFailed' | 'ActorDead'>>().toEqualTypeOf<TaskFailed | ActorDead>();
    expectTypeOf<SupervisorEvent['kind']>().toEqualTypeOf<SupervisorEventKind>();
  });

  it('ofKind narrows to the kinds given; underPath keeps the type it is given', () => {
    const events$ = new Subject<SupervisorEvent>();
    expectTypeOf(events$.pipe(ofKind('TaskFailed'))).toEqualTypeOf<Observable<TaskFailed>>();
    expectTypeOf(events$.pipe(ofKind('TaskFailed', 'ActorDead'))).toEqualTypeOf<Observable<TaskFailed | ActorDead>>();
    expectTypeOf(events$.pipe(underPath('workers'))).toEqualTypeOf<Observable<SupervisorEvent>>();
    expectTypeOf(events$.pipe(underPath('workers'), ofKind('TaskFailed'))).toEqualTypeOf<Observable<TaskFailed>>();
    expectTypeOf(events$.pipe(ofKind('TaskFailed', 'ActorDead'), underPath('workers'))).toEqualTypeOf<Observable<TaskFailed | ActorDead>>();
    // @ts-expect-error -- not an event kind
    expect(() => ofKind('TaskFialed')).toThrow();
    // @ts-expect-error -- at least one kind
    expect(() => ofKind()).toThrow();
    // @ts-expect-error -- a path is a string
    expect(() => underPath(42)).toThrow();
  });

  it('TaskOutcome', () => {
    expectTypeOf<TaskOutcome['kind']>().toEqualTypeOf<TaskOutcomeKind>();
    expectTypeOf<TaskOutcomeKind>().toEqualTypeOf<'completed' | 'failed' | 'fatal' | 'cancelled' | 'force-aborted' | 'rejected'>();
    expectTypeOf<TaskOutcome['reason']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<TaskOutcome['exitCode']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<TaskOutcome['error']>().toEqualTypeOf<Error | undefined>();
    expectTypeOf<TaskOutcome['output']>().toEqualTypeOf<unknown>();
    expectTypeOf<TaskOutcome['cause']>().toEqualTypeOf<TaskOutcome | undefined>();
  });

  it("Supervisor methods' return types", () => {
    expectTypeOf<Supervisor['events$']>().toEqualTypeOf<Observable<SupervisorEvent>>();
    expectTypeOf<Supervisor['start']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<Supervisor['add']>().returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf<Supervisor['submit']>().returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf<Supervisor['remove']>().returns.toEqualTypeOf<Promise<boolean>>();
    expectTypeOf<Supervisor['cancel']>().returns.toEqualTypeOf<Promise<boolean>>();
    expectTypeOf<Supervisor['restart']>().returns.toEqualTypeOf<Promise<boolean>>();
    expectTypeOf<Supervisor['outcome']>().returns.toEqualTypeOf<Promise<TaskOutcome>>();
    expectTypeOf<Supervisor['child']>().returns.toEqualTypeOf<ChildHandle>();
    expectTypeOf<Supervisor['explain']>().returns.toEqualTypeOf<readonly RestartDecisionRecord[]>();
    expectTypeOf<Supervisor['snapshot']>().returns.toEqualTypeOf<NodeSnapshot>();
    expectTypeOf<Supervisor['shutdown']>().returns.toEqualTypeOf<Promise<ShutdownResult>>();
    expectTypeOf<ShutdownResult>().toEqualTypeOf<{ readonly withinGrace: boolean; readonly stuck: readonly string[] }>();
    expectTypeOf<Supervisor['subscribe']>().returns.toEqualTypeOf<EventSubscription>();
    expectTypeOf<EventSubscription['stats']>().returns.toEqualTypeOf<{ delivered: number; dropped: number }>();
  });

  it('ChildHandle', () => {
    expectTypeOf<ChildHandle['path']>().toEqualTypeOf<string>();
    expectTypeOf<ChildHandle['pause']>().returns.toEqualTypeOf<boolean>();
    expectTypeOf<ChildHandle['resume']>().returns.toEqualTypeOf<boolean>();
    expectTypeOf<ChildHandle['write']>().parameter(0).toEqualTypeOf<string | Uint8Array>();
    expectTypeOf<ChildHandle['write']>().returns.toEqualTypeOf<boolean>();
    expectTypeOf<ChildHandle['closeStdin']>().returns.toEqualTypeOf<boolean>();
    expectTypeOf<ChildHandle['stop']>().returns.toEqualTypeOf<Promise<boolean>>();
    // send/getSnapshot are on every handle: child() cannot know statically what a child runs.
    expectTypeOf<ChildHandle['send']>().parameter(0).toEqualTypeOf<EventObject>();
    expectTypeOf<ChildHandle['send']>().returns.toEqualTypeOf<boolean>();
    expectTypeOf<ChildHandle['getSnapshot']>().returns.toEqualTypeOf<Snapshot<unknown> | undefined>();
  });

  it('task(): input only for actor logic, typed by the logic', () => {
    const counter = setup({ types: { input: {} as { start: number } } }).createMachine({});
    expectTypeOf<ActorTaskOptions<typeof counter>['input']>().toEqualTypeOf<{ start: number } | undefined>();
    expect(task('counter', counter, { input: { start: 1 }, restart: 'always' }).type).toBe('task');
    // @ts-expect-error -- the input must fit the machine's input type
    expect(() => task('counter', counter, { input: { start: 'one' } })).not.toThrow();
    // @ts-expect-error -- a function task takes no input
    expect(() => task('fn', async () => 1, { input: 1 })).toThrow(ConfigError);
  });

  it('SubscribeOptions: kinds narrow next, and only kinds', async () => {
    expectTypeOf<SubscribeOptions['next']>().parameter(0).toEqualTypeOf<SupervisorEvent>();
    expectTypeOf<SubscribeOptions<'TaskFailed'>['next']>().parameter(0).toEqualTypeOf<TaskFailed>();
    expectTypeOf<SubscribeOptions['kinds']>().toEqualTypeOf<readonly SupervisorEventKind[] | undefined>();
    expectTypeOf<SubscribeOptions['path']>().toEqualTypeOf<string | undefined>();
    const app = createSupervisor({ name: 'app' });
    const seen: string[] = [];
    app.subscribe({
      kinds: ['TaskFailed', 'ActorDead'],
      next: (event) => {
        expectTypeOf(event).toEqualTypeOf<TaskFailed | ActorDead>();
        seen.push(event.reason);
      },
    });
    app.subscribe({
      next: (event) => {
        expectTypeOf(event).toEqualTypeOf<SupervisorEvent>();
      },
    });
    // @ts-expect-error -- without `kinds`, next must take every event: a narrower parameter is refused
    app.subscribe({ next: (event: TaskFailed) => void seen.push(event.reason) });
    // @ts-expect-error -- not an event kind
    expect(() => app.subscribe({ kinds: ['TaskFialed'], next: () => undefined })).toThrow();
    await app.shutdown();
    expect(formatEvent).toBeTypeOf('function');
    expectTypeOf(formatEvent).returns.toEqualTypeOf<string>();
  });
});
