/**
 * `app.child(p)`: the control handle of one incarnation of a child. The handle holds the
 * incarnation it was made for (from its TaskAdded to its TaskRemoved), never the name, so a
 * kept handle can never reach a later child that reused the name.
 */
import type { RunnerControl } from '../runner.ts';
import type { LiveAttempt } from './attempt.ts';

/**
 * Control of one incarnation of a child: the child as it lives from its `TaskAdded` to its
 * `TaskRemoved`. Restarts and new attempts belong to the same incarnation, and each method acts
 * on its current attempt. A method returns `false` when the current attempt has no such control
 * (a function task cannot be paused) or no attempt is running (in backoff, say). Once the
 * incarnation has ended, every method returns `false` and does nothing (`stop()` resolves
 * `false`), even when a new child has taken the name: ask `app.child(name)` again for that one.
 *
 * @example
 * ```ts
 * const web = app.child('web');
 * web.pause(); // app.snapshot() shows the attempt as 'paused'
 * web.resume();
 * await web.stop(); // true: this call stopped it
 * web.write('late'); // false: that incarnation has ended
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
  /** Writes to the current attempt's stdin; false when it cannot take the write. */
  write(data: string | Uint8Array): boolean;
  /** Closes the current attempt's stdin; false if it has none. */
  closeStdin(): boolean;
}

/**
 * What a handle needs from the supervisor about the incarnation it follows.
 *
 * @example
 * ```ts
 * const incarnation: Incarnation = { path: entry.path, live: () => (isCurrent(entry) ? entry.live : undefined), stop };
 * ```
 */
export interface Incarnation {
  readonly path: string;
  /** The incarnation's attempt handles, or undefined once it has ended. */
  live(): LiveAttempt | undefined;
  /** Stops the incarnation for good; resolves after its TaskRemoved (false once it has ended). */
  stop(): Promise<boolean>;
}

/**
 * Makes the handle of `incarnation`.
 *
 * @example
 * ```ts
 * const handle = createChildHandle(runtime.incarnationOf('app/web'));
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
    write: (data) => apply((control) => control.write?.(data) === true),
    closeStdin: () =>
      apply((control) => {
        if (control.closeStdin === undefined) return false;
        control.closeStdin();
        return true;
      }),
    stop: () => incarnation.stop(),
  };
}
