/**
 * `handleSignals: true` (DESIGN.md §2): SIGINT and SIGTERM start the root supervisor's shutdown,
 * and the signal is raised again once shutdown has ended, so the host process ends as it would
 * have without the handler.
 *
 * @module
 */

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Shutdown on SIGINT/SIGTERM for one root supervisor. `install()` listens once: a second call,
 * or one after `remove()`, does nothing. The first signal removes the listeners, runs
 * `shutdown` and re-raises that signal however shutdown ends.
 *
 * @example
 * ```ts
 * const signals = new ShutdownOnSignals(() => app.shutdown());
 * signals.install(); // when the supervisor starts
 * signals.remove(); // when shutdown ends by another route
 * ```
 */
export class ShutdownOnSignals {
  readonly #shutdown: () => Promise<unknown>;
  #handler: ((signal: NodeJS.Signals) => void) | undefined;

  /** @param shutdown - starts (or joins) the supervisor's shutdown; never rejects */
  constructor(shutdown: () => Promise<unknown>) {
    this.#shutdown = shutdown;
  }

  /** Listens for SIGINT and SIGTERM, once per supervisor. */
  install(): void {
    if (this.#handler !== undefined) return;
    const handler = (signal: NodeJS.Signals): void => {
      this.remove();
      // Re-raise the signal however shutdown ends (it never rejects; the second handler is a guard).
      const reraise = (): void => {
        process.kill(process.pid, signal);
      };
      this.#shutdown().then(reraise, reraise);
    };
    this.#handler = handler;
    for (const signal of SIGNALS) process.once(signal, handler);
  }

  /** Stops listening; nothing happens when `install()` never ran. */
  remove(): void {
    const handler = this.#handler;
    if (handler === undefined) return;
    for (const signal of SIGNALS) process.removeListener(signal, handler);
  }
}
