/**
 * The signals a config may name as `killSignal`: the POSIX ones a process can be sent on Linux
 * and macOS (the same list on every platform, so the JSON Schema does not depend on where it
 * was written).
 *
 * @module
 */

/**
 * The signal names allowed for `killSignal`.
 *
 * @example
 * ```ts
 * KILL_SIGNALS.includes('SIGINT'); // true
 * ```
 */
export const KILL_SIGNALS = [
  'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGABRT', 'SIGALRM',
  'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGPIPE', 'SIGTRAP', 'SIGIO', 'SIGPWR', 'SIGSYS', 'SIGTTIN', 'SIGTTOU',
  'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGSEGV',
] as const satisfies readonly NodeJS.Signals[];

/**
 * One of {@link KILL_SIGNALS}.
 *
 * @example
 * ```ts
 * const signal: KillSignal = 'SIGTERM';
 * ```
 */
export type KillSignal = (typeof KILL_SIGNALS)[number];
