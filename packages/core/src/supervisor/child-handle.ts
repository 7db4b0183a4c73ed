/**
 * `app.child(p)`: the control handle of one incarnation of a child. The handle holds the
 * incarnation it was made for (from its TaskAdded to its TaskRemoved), never the name, so a
 * kept handle can never reach a later child that reused the name.
 */
import type { EventObject, Snapshot } from 'xstate';
import type { RunnerControl } from '../runner.ts';
import type { LiveAttempt } from '../attempt/live-attempt.ts';
import { attemptIdOf } from '../task/attempt-id.ts';
import { expectObject, invalid } from '../validate.ts';

/**
 * Control of one incarnation of a child: the child as it lives from its `TaskAdded` to its
 * `TaskRemoved`. Restarts and new attempts belong to the same incarnation, and each method acts
 * on its current attempt. A method returns `false` when the current attempt has no such control
 * (a function task cannot be paused, only an XState actor child takes `send`) or no attempt is
 * running (in backoff, say). Once the incarnation has ended, every method returns `false` and
 * does nothing (`stop()` resolves `false`, `getSnapshot()` returns `undefined`), even when a new
 * child has taken the name: ask `app.child(name)` again for that one.
 *
 * Every handle has every method, whatever the child runs (`child()` cannot know the kind
 * statically): `send` and `getSnapshot` serve XState actor children, `pause`, `resume`, `write`
 * and `closeStdin` runners that offer them (processes).
 *
 * @example
 * ```ts
 * const web = app.child('web');
 * web.pause(); // app.snapshot() shows the attempt as 'paused'
 * web.resume();
 * await web.stop(); // true: this call stopped it
 * web.write('late'); // false: that incarnation has ended
 *
 * const counter = app.child('counter'); // task('counter', counterMachine, { input: { start: 0 } })
 * counter.send({ type: 'inc' }); // true: the current attempt's actor took it
 * counter.getSnapshot()?.status; // 'active'
 * ```
 */
export interface ChildHandle {
  /** The child's full path. */
  readonly path: string;
  /** Pauses the current attempt (processes: SIGSTOP to the group); false if it cannot. */
  pause(): boolean;
  /** Resumes a paused attempt (processes: SIGCONT to the group); false if it cannot. */
  resume(): boolean;
  /**
   * Stops this incarnation for good (user-requested) and resolves after its final events: true
   * if this call claimed it, false if it was already ending (or had ended) or shutdown had begun.
   */
  stop(): Promise<boolean>;
  /**
   * Sends the signal `name` (e.g. `'SIGHUP'` to make a server reload) to the current attempt
   * (processes: to the whole group, published as `ProcessControl { action: 'signal', signal }`);
   * false if it cannot. A process runner throws a `ConfigError` for a name that is no signal.
   */
  signal(name: string): boolean;
  /** Writes to the current attempt's stdin; false when it cannot take the write. */
  write(data: string | Uint8Array): boolean;
  /** Closes the current attempt's stdin; false if it has none. */
  closeStdin(): boolean;
  /**
   * Sends `event` to the current attempt's actor (an XState actor child): true when it was
   * delivered, false (and nothing is sent) when the child is not XState actor logic, no attempt
   * is running (between attempts, in backoff: the event is dropped, never queued for the next
   * attempt) or the incarnation has ended. What the actor does with the event is its own
   * business: an event it does not handle is ignored by XState, an action that throws fails the
   * attempt like any other error.
   *
   * @throws {@link ConfigError} (field `event`) when `event` is not an object with a string `type`
   */
  send(event: EventObject): boolean;
  /**
   * The current attempt's actor snapshot (an XState actor child; for a machine, with its
   * `value` and `context`), or `undefined` when the child is not XState actor logic, no attempt
   * is running, or the incarnation has ended. Narrow it to your logic's type with XState's
   * `SnapshotFrom<typeof logic>`.
   */
  getSnapshot(): Snapshot<unknown> | undefined;
}

/**
 * What a handle needs from the supervisor about the incarnation it follows.
 *
 * @example
 * ```ts
 * const incarnation: Incarnation = { path: entry.path, live: () => (isCurrent(entry) ? entry.live : undefined), stop, task: undefined };
 * ```
 */
export interface Incarnation {
  readonly path: string;
  /** The incarnation's attempt handles, or undefined once it has ended. */
  live(): LiveAttempt | undefined;
  /** Stops the incarnation for good; resolves after its TaskRemoved (false once it has ended). */
  stop(): Promise<boolean>;
  /**
   * The task machine's actor, for a child that runs XState actor logic (its current attempt's
   * actor is that actor's child `attempt`); undefined for any other child.
   */
  readonly task: TaskActorView | undefined;
}

/** What a handle uses of an attempt's actor. */
interface AttemptActorView {
  send(event: EventObject): void;
  getSnapshot(): Snapshot<unknown>;
}

/**
 * What a handle uses of a task machine's actor: its children (the current attempt's actor is
 * the child `<path>#<attempt>`).
 *
 * @example
 * ```ts
 * const view: TaskActorView = entry.actor; // an Actor<typeof taskMachine>
 * ```
 */
export interface TaskActorView {
  getSnapshot(): { readonly children: Readonly<Record<string, AttemptActorView | undefined>> };
}

/**
 * The actor of the current attempt of an XState actor child: the task machine's child
 * `<path>#<attempt>` while that attempt runs (live and active), else undefined.
 */
function attemptActor(incarnation: Incarnation): AttemptActorView | undefined {
  const { task } = incarnation;
  const live = incarnation.live();
  if (task === undefined || live?.active !== true) return undefined;
  const actor = task.getSnapshot().children[attemptIdOf(incarnation.path, live.attempt)];
  return actor?.getSnapshot().status === 'active' ? actor : undefined;
}

/** Checks the event of `send()`: an object with a string `type`. */
function expectEvent(event: unknown): EventObject {
  const object = expectObject(event, 'event');
  if (typeof object['type'] !== 'string') invalid('event.type', 'a string', object['type']);
  return object as EventObject;
}

/**
 * Makes the handle of `incarnation`.
 *
 * @example
 * ```ts
 * const handle = createChildHandle(incarnationOf(runtime, 'app/web'));
 * handle.pause();
 * ```
 */
export function createChildHandle(incarnation: Incarnation): ChildHandle {
  /** Runs `act` on the current attempt's control; false when the incarnation or the attempt is gone. */
  const apply = (act: (control: RunnerControl, live: LiveAttempt) => boolean): boolean => {
    const live = incarnation.live();
    const control = live?.active === true ? live.control : undefined;
    return live !== undefined && control !== undefined && act(control, live);
  };
  /** pause() or resume(): the control's own, then the attempt's paused flag (for the snapshot). */
  const setPaused = (paused: boolean) => (): boolean =>
    apply((control, live) => {
      const method = paused ? 'pause' : 'resume';
      if (control[method] === undefined) return false;
      control[method]();
      live.paused = paused;
      return true;
    });
  return {
    path: incarnation.path,
    pause: setPaused(true),
    resume: setPaused(false),
    signal: (name) => apply((control) => control.signal?.(name) === true),
    write: (data) => apply((control) => control.write?.(data) === true),
    closeStdin: () =>
      apply((control) => {
        if (control.closeStdin === undefined) return false;
        control.closeStdin();
        return true;
      }),
    stop: () => incarnation.stop(),
    send: (event) => {
      const valid = expectEvent(event);
      const actor = attemptActor(incarnation);
      if (actor === undefined) return false;
      actor.send(valid);
      return true;
    },
    getSnapshot: () => attemptActor(incarnation)?.getSnapshot(),
  };
}
