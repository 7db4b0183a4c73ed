/**
 * The configuration of a process task and its validation. Everything here runs inside
 * `processTask()`, synchronously, before anything is spawned.
 *
 * @module
 */
import { duration, expected, fail, flag, oneOf, text, validateArgs, validateCommand, validateEnv, validateIndicator, validateSignal } from './config-fields.ts';
import type { ReadyMatcher } from './config-fields.ts';
import { validateExitCodes } from './config-exit-codes.ts';
import { resolveMaxMemory, resolveProbe } from './probe-config.ts';
import type { Probe, ResolvedProbe } from './probe-config.ts';

export type { ReadyMatcher } from './config-fields.ts';

/**
 * Where the ready indicator is looked for.
 *
 * @example
 * ```ts
 * const source: ReadySource = 'stderr';
 * ```
 */
export type ReadySource = 'stdout' | 'stderr' | 'any';

/**
 * How output reaches the event bus: one `TaskOutput` per line, one `TaskOutputBatch` per chunk
 * of complete lines, or not at all.
 *
 * @example
 * ```ts
 * const mode: OutputMode = 'batches';
 * ```
 */
export type OutputMode = 'lines' | 'batches' | 'none';

/**
 * The configuration of a process task (see `docs/process.md` for the full table).
 *
 * @example
 * ```ts
 * const config: ProcessConfig = {
 *   command: 'node',
 *   args: ['server.js'],
 *   cwd: '/srv/app',
 *   env: { PORT: '3000' },
 *   readyIndicator: /listening on \d+/,
 *   readyTimeoutMs: 10_000,
 *   killSignal: 'SIGINT',
 *   killGraceMs: 3_000,
 * };
 * ```
 */
export interface ProcessConfig {
  /** The program to run: a name looked up in `PATH`, or a path. No shell is involved. */
  readonly command: string;
  /** Its arguments (default none). */
  readonly args?: readonly string[];
  /** Its working directory (default the host's); checked when each attempt starts. */
  readonly cwd?: string;
  /** Environment variables, added on top of the host's unless `inheritEnv` is false. Never published. */
  readonly env?: Readonly<Record<string, string>>;
  /** Start from the host's environment (default true); false passes `env` alone. */
  readonly inheritEnv?: boolean;
  /** Per-attempt time limit in ms: the child option `timeoutMs` (give one or the other). */
  readonly timeoutMs?: number;
  /** The task is ready at the first complete line containing this text (or matching this RegExp). */
  readonly readyIndicator?: string | RegExp;
  /** Which stream the indicator is looked for on (default `'stdout'`). */
  readonly readySource?: ReadySource;
  /**
   * Fail the attempt when it is not ready within this many ms (default none): no line matched
   * `readyIndicator`, or `readinessProbe` has not succeeded. Needs one of the two.
   */
  readonly readyTimeoutMs?: number;
  /**
   * The attempt is ready at this probe's first success (and once `readyIndicator` matched, when
   * both are given). Its failures before that are expected and not published; after the first
   * success it stops.
   */
  readonly readinessProbe?: Probe;
  /**
   * Checked from its `initialDelayMs` after the attempt started, for as long as the attempt runs:
   * each failure publishes `HealthCheckFailed { probe: 'liveness' }`, and `failureThreshold`
   * failures in a row stop the attempt, which fails (retryable) with a `HealthCheckError`.
   */
  readonly livenessProbe?: Probe;
  /**
   * The most resident memory (RSS, in bytes) the whole process group may use, sampled from /proc
   * every second: the first sample above it publishes `HealthCheckFailed { probe: 'memory' }`,
   * stops the attempt, and fails it (retryable). Linux only: refused elsewhere.
   */
  readonly maxMemoryBytes?: number;
  /** Give the process a stdin pipe for `write()` and `closeStdin()` (default false: `/dev/null`). */
  readonly stdin?: boolean;
  /** The signal a stop sends to the process group (default `'SIGTERM'`). */
  readonly killSignal?: NodeJS.Signals;
  /**
   * How long after `killSignal` the group gets SIGKILL; `0`: SIGKILL at once, no `killSignal`.
   * Default: the child's grace (its `graceMs` option, else the supervisor's default).
   */
  readonly killGraceMs?: number;
  /** Lines longer than this many bytes are split into pieces (default 1 MiB). */
  readonly maxLineBytes?: number;
  /** How long to wait for the pipes to close once the leader has exited (default 2000 ms). */
  readonly drainTimeoutMs?: number;
  /** How output is published (default `'lines'`). */
  readonly output?: OutputMode;
  /**
   * Exit codes (0 to 255) of a natural exit that count as success (default `[0]`: the list
   * replaces the default, so give `[0, 2]` to add 2).
   */
  readonly successExitCodes?: readonly number[];
  /**
   * Exit codes of a natural exit that end the task for good: `TaskFailed`, then `ActorDead` with
   * outcome `fatal`, whatever the restart policy (default none). No code may be in both lists.
   */
  readonly fatalExitCodes?: readonly number[];
}

/**
 * A validated, frozen process configuration with its defaults applied.
 *
 * @example
 * ```ts
 * const resolved: ResolvedProcessConfig = resolveProcessConfig({ command: 'sleep', args: ['1'] });
 * resolved.killSignal; // 'SIGTERM'
 * ```
 */
export interface ResolvedProcessConfig {
  readonly command: string;
  readonly args: readonly string[];
  /** The command and its arguments as one line, for the inspector and for messages. */
  readonly commandLine: string;
  readonly cwd: string | undefined;
  readonly env: Readonly<Record<string, string>> | undefined;
  readonly inheritEnv: boolean;
  readonly timeoutMs: number | undefined;
  readonly ready: ReadyMatcher | undefined;
  readonly readySource: ReadySource;
  readonly readyTimeoutMs: number;
  readonly readinessProbe: ResolvedProbe | undefined;
  readonly livenessProbe: ResolvedProbe | undefined;
  readonly maxMemoryBytes: number | undefined;
  readonly stdin: boolean;
  readonly killSignal: NodeJS.Signals;
  readonly killGraceMs: number | undefined;
  readonly maxLineBytes: number;
  readonly drainTimeoutMs: number;
  readonly output: OutputMode;
  readonly successExitCodes: readonly number[];
  readonly fatalExitCodes: readonly number[];
}


/**
 * Default `maxLineBytes`: 1 MiB.
 *
 * @example
 * ```ts
 * resolveProcessConfig({ command: 'cat' }).maxLineBytes === DEFAULT_MAX_LINE_BYTES; // true
 * ```
 */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
/**
 * Default `drainTimeoutMs`.
 *
 * @example
 * ```ts
 * resolveProcessConfig({ command: 'cat' }).drainTimeoutMs === DEFAULT_DRAIN_TIMEOUT_MS; // true
 * ```
 */
export const DEFAULT_DRAIN_TIMEOUT_MS = 2_000;

const KNOWN_KEYS: readonly string[] = [
  'command',
  'args',
  'cwd',
  'env',
  'inheritEnv',
  'timeoutMs',
  'readyIndicator',
  'readySource',
  'readyTimeoutMs',
  'readinessProbe',
  'livenessProbe',
  'maxMemoryBytes',
  'stdin',
  'killSignal',
  'killGraceMs',
  'maxLineBytes',
  'drainTimeoutMs',
  'output',
  'successExitCodes',
  'fatalExitCodes',
];

/**
 * Validates a process configuration and applies its defaults. `field` prefixes every error's
 * field path (`config` gives `config.command`, ...).
 *
 * @throws {@link ProcessConfigError} naming the bad field
 *
 * @example
 * ```ts
 * resolveProcessConfig({ command: 'node', args: ['server.js'], env: { PORT: '3000' } });
 * resolveProcessConfig({ command: '' }); // throws ProcessConfigError, field 'config.command'
 * ```
 */
export function resolveProcessConfig(value: unknown, field = 'config'): ResolvedProcessConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) expected(field, 'an object', value);
  const raw = value as Record<string, unknown>;
  const at = (key: string): string => `${field}.${key}`;
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.includes(key)) fail(at(key), `unknown option (known: ${KNOWN_KEYS.join(', ')})`);
  }
  const has = (key: string): boolean => raw[key] !== undefined;

  const command = validateCommand(raw['command'], at('command'));
  const ready = has('readyIndicator') ? validateIndicator(raw['readyIndicator'], at('readyIndicator')) : undefined;
  const readinessProbe = has('readinessProbe') ? resolveProbe(raw['readinessProbe'], at('readinessProbe')) : undefined;
  const readyTimeoutMs = has('readyTimeoutMs') ? duration(raw['readyTimeoutMs'], at('readyTimeoutMs')) : 0;
  if (readyTimeoutMs > 0 && ready === undefined && readinessProbe === undefined) {
    fail(
      at('readyTimeoutMs'),
      'needs a readyIndicator or a readinessProbe: without either the task is ready as soon as it is spawned',
    );
  }
  const maxLineBytes = raw['maxLineBytes'] ?? DEFAULT_MAX_LINE_BYTES;
  if (typeof maxLineBytes !== 'number' || !Number.isInteger(maxLineBytes) || maxLineBytes < 4) {
    expected(at('maxLineBytes'), 'an integer >= 4 (one UTF-8 character must fit)', maxLineBytes);
  }

  const args = has('args') ? validateArgs(raw['args'], at('args')) : Object.freeze([]);
  return Object.freeze({
    command,
    args,
    commandLine: commandLineOf(command, args),
    cwd: has('cwd') ? nonEmpty(text(raw['cwd'], at('cwd')), at('cwd')) : undefined,
    env: has('env') ? validateEnv(raw['env'], at('env')) : undefined,
    inheritEnv: has('inheritEnv') ? flag(raw['inheritEnv'], at('inheritEnv')) : true,
    timeoutMs: has('timeoutMs') ? duration(raw['timeoutMs'], at('timeoutMs')) : undefined,
    ready,
    readySource: has('readySource') ? oneOf(raw['readySource'], at('readySource'), ['stdout', 'stderr', 'any']) : 'stdout',
    readyTimeoutMs,
    readinessProbe,
    livenessProbe: has('livenessProbe') ? resolveProbe(raw['livenessProbe'], at('livenessProbe')) : undefined,
    maxMemoryBytes: has('maxMemoryBytes') ? resolveMaxMemory(raw['maxMemoryBytes'], at('maxMemoryBytes')) : undefined,
    stdin: has('stdin') ? flag(raw['stdin'], at('stdin')) : false,
    killSignal: has('killSignal') ? validateSignal(raw['killSignal'], at('killSignal')) : 'SIGTERM',
    killGraceMs: has('killGraceMs') ? duration(raw['killGraceMs'], at('killGraceMs')) : undefined,
    maxLineBytes,
    drainTimeoutMs: has('drainTimeoutMs') ? duration(raw['drainTimeoutMs'], at('drainTimeoutMs')) : DEFAULT_DRAIN_TIMEOUT_MS,
    output: has('output') ? oneOf(raw['output'], at('output'), ['lines', 'batches', 'none']) : 'lines',
    ...validateExitCodes(raw['successExitCodes'], raw['fatalExitCodes'], field),
  });
}

/** `command` and `args` as one line; a word that is empty or holds a space or a quote is quoted. */
function commandLineOf(command: string, args: readonly string[]): string {
  return [command, ...args].map((word) => (word === '' || /[\s"'\\]/.test(word) ? JSON.stringify(word) : word)).join(' ');
}

function nonEmpty(value: string, field: string): string {
  if (value === '') expected(field, 'a non-empty path', value);
  return value;
}
