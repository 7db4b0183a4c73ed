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
  /** The first signal: start the graceful shutdown. */
  readonly graceful: (signal: NodeJS.Signals) => void;
  /** Any later signal: force the end now. */
  readonly force: (signal: NodeJS.Signals) => void;
}

/**
 * Installs the run's signal handlers on `proc`.
 *
 * @param handlers - what to do on the first and later signals
 * @param proc - the process (tests may pass an EventEmitter)
 * @returns a function that removes the handlers
 *
 * @example
 * ```ts
 * const remove = handleSignals({ graceful: () => void app.shutdown(), force: () => process.exit(1) });
 * ```
 */
export function handleSignals(handlers: SignalHandlers, proc: Pick<NodeJS.Process, 'on' | 'off'> = process): () => void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    received += 1;
    if (received === 1) handlers.graceful(signal);
    else handlers.force(signal);
  };
  for (const signal of RUN_SIGNALS) proc.on(signal, onSignal);
  return () => {
    for (const signal of RUN_SIGNALS) proc.off(signal, onSignal);
  };
}
