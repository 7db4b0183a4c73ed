/**
 * The run's signal handling: the first SIGINT, SIGTERM or SIGHUP asks for a graceful shutdown,
 * a second one forces the end. SIGHUP (the terminal went away) is taken like SIGTERM.
 *
 * @module
 */

/** The signals a run answers. */
export const RUN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Callbacks of {@link handleSignals}. */
export interface SignalHandlers {
  /** The first signal (its name, or what `trigger` was given): start the graceful shutdown. */
  readonly graceful: (cause: string) => void;
  /** Any later signal: force the end now. */
  readonly force: (cause: string) => void;
}

/** The installed handlers. */
export interface SignalHandling {
  /** Counts as a signal: the TUI's `q` and Ctrl-C (raw mode) come through here, e.g. as `'quit'`. */
  trigger(cause: string): void;
  /** Removes the handlers. */
  remove(): void;
}

/**
 * Installs the run's signal handlers on `proc`.
 *
 * @param handlers - what to do on the first and later signals
 * @param proc - the process (tests may pass an EventEmitter)
 * @returns the handling: `trigger` for a quit that is not a signal, and `remove`
 *
 * @example
 * ```ts
 * const signals = handleSignals({ graceful: () => void app.shutdown(), force: () => process.exit(1) });
 * signals.remove();
 * ```
 */
export function handleSignals(handlers: SignalHandlers, proc: Pick<NodeJS.Process, 'on' | 'off'> = process): SignalHandling {
  let received = 0;
  const onSignal = (cause: string): void => {
    received += 1;
    if (received === 1) handlers.graceful(cause);
    else handlers.force(cause);
  };
  for (const signal of RUN_SIGNALS) proc.on(signal, onSignal);
  return {
    trigger: onSignal,
    remove() {
      for (const signal of RUN_SIGNALS) proc.off(signal, onSignal);
    },
  };
}
