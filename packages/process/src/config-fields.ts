/**
 * The field validators of process configuration: each takes a value and the field path it came
 * from, and returns the value checked (or throws a {@link ProcessConfigError} naming the field).
 *
 * @module
 */
import { constants } from 'node:os';
import { describeValue } from '@statevisor/core';
import { ProcessConfigError } from './errors.ts';

/**
 * A ready indicator, compiled.
 *
 * @example
 * ```ts
 * const matcher = resolveProcessConfig({ command: 'web', readyIndicator: /listening/ }).ready;
 * matcher?.test('listening on 3000'); // true
 * ```
 */
export interface ReadyMatcher {
  /** True when `line` matches. */
  readonly test: (line: string) => boolean;
  /** The indicator as text, for messages. */
  readonly text: string;
}

/**
 * The job-control signals, which stop or continue a process rather than end it: refused as
 * `killSignal`, and by `signal()` (pause() and resume() do that job).
 */
const JOB_CONTROL_SIGNALS: ReadonlySet<string> = new Set(['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGCONT']);

/**
 * Throws a {@link ProcessConfigError} for `field`.
 *
 * @example
 * ```ts
 * fail('config.command', 'the command is empty');
 * ```
 */
export function fail(field: string, message: string): never {
  throw new ProcessConfigError(field, message);
}

/**
 * Throws a {@link ProcessConfigError}: `field` expected `what` and got `value` (described, never quoted whole).
 *
 * @example
 * ```ts
 * expected('config.args', 'an array of strings', 3);
 * ```
 */
export function expected(field: string, what: string, value: unknown): never {
  fail(field, `expected ${what}, received ${describeValue(value)}`);
}

/**
 * Refuses a string with a NUL byte (no OS call can take it).
 *
 * @example
 * ```ts
 * noNul(arg, 'config.args[0]', 'the argument');
 * ```
 */
export function noNul(value: string, field: string, what: string): void {
  if (value.includes('\0')) fail(field, `${what} contains a NUL byte`);
}

/**
 * A string without NUL bytes.
 *
 * @example
 * ```ts
 * const cwd = text(raw['cwd'], 'config.cwd');
 * ```
 */
export function text(value: unknown, field: string): string {
  if (typeof value !== 'string') expected(field, 'a string', value);
  noNul(value, field, 'the string');
  return value;
}

/**
 * A delay: 0 to Number.MAX_SAFE_INTEGER ms (core's clock waits long ones in steps).
 *
 * @example
 * ```ts
 * duration(raw['killGraceMs'], 'config.killGraceMs');
 * ```
 */
export function duration(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= Number.MAX_SAFE_INTEGER)) {
    expected(field, 'a number of milliseconds from 0 to Number.MAX_SAFE_INTEGER', value);
  }
  return value;
}

/**
 * A boolean.
 *
 * @example
 * ```ts
 * flag(raw['stdin'], 'config.stdin');
 * ```
 */
export function flag(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') expected(field, 'a boolean', value);
  return value;
}

/**
 * One of `choices`.
 *
 * @example
 * ```ts
 * oneOf(raw['output'], 'config.output', ['lines', 'batches', 'none']);
 * ```
 */
export function oneOf<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    expected(field, `one of ${choices.map((choice) => `'${choice}'`).join(', ')}`, value);
  }
  return value as T;
}

/**
 * A command: non-empty, no NUL byte, no leading or trailing whitespace.
 *
 * @example
 * ```ts
 * validateCommand('node', 'config.command');
 * ```
 */
export function validateCommand(value: unknown, field: string): string {
  if (typeof value !== 'string') expected(field, 'a non-empty string', value);
  if (value.trim() === '') expected(field, 'a non-empty command', value);
  noNul(value, field, 'the command');
  if (value.trim() !== value) fail(field, `the command ${describeValue(value)} has leading or trailing whitespace`);
  return value;
}

/**
 * An array of strings without NUL bytes, frozen.
 *
 * @example
 * ```ts
 * validateArgs(['-e', '1'], 'config.args');
 * ```
 */
export function validateArgs(value: unknown, field: string): readonly string[] {
  if (!Array.isArray(value)) expected(field, 'an array of strings', value);
  return Object.freeze(
    value.map((arg: unknown, index) => {
      const argField = `${field}[${index}]`;
      if (typeof arg !== 'string') expected(argField, 'a string', arg);
      noNul(arg, argField, 'the argument');
      return arg;
    }),
  );
}

/**
 * Validates `env`; messages name keys but never quote values.
 *
 * @example
 * ```ts
 * validateEnv({ PORT: '3000' }, 'config.env');
 * ```
 */
export function validateEnv(value: unknown, field: string): Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) expected(field, 'an object of strings', value);
  const env: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    const keyField = `${field}[${JSON.stringify(key)}]`;
    if (key === '') fail(field, 'an environment variable name is empty');
    if (key.includes('=')) fail(keyField, `the environment variable name ${JSON.stringify(key)} contains "="`);
    if (key.includes('\0')) fail(keyField, 'the environment variable name contains a NUL byte');
    if (typeof entry !== 'string') fail(keyField, `expected a string value, received ${entry === null ? 'null' : typeof entry}`);
    if (entry.includes('\0')) fail(keyField, 'the value contains a NUL byte (the value is not shown)');
    env[key] = entry;
  }
  return Object.freeze(env);
}

/**
 * A ready indicator (a string, or a RegExp used without its `g`/`y` state) as a matcher.
 *
 * @example
 * ```ts
 * validateIndicator(/listening on \d+/, 'config.readyIndicator').test('listening on 80'); // true
 * ```
 */
export function validateIndicator(value: unknown, field: string): ReadyMatcher {
  if (value instanceof RegExp) {
    // A global or sticky RegExp keeps state in lastIndex between tests: match with a plain copy.
    const pattern = value.global || value.sticky ? new RegExp(value.source, value.flags.replace(/[gy]/g, '')) : value;
    return Object.freeze({ test: (line: string) => pattern.test(line), text: String(value) });
  }
  if (typeof value !== 'string') expected(field, 'a non-empty string or a RegExp', value);
  if (value === '') expected(field, 'a non-empty string or a RegExp', value);
  noNul(value, field, 'the indicator');
  if (value.includes('\n')) fail(field, 'the indicator contains "\\n", so no line could ever match it');
  return Object.freeze({ test: (line: string) => line.includes(value), text: JSON.stringify(value) });
}

/**
 * A signal name this platform knows (`os.constants.signals`), e.g. `'SIGHUP'`.
 *
 * @example
 * ```ts
 * validateSignalName('SIGHUP', 'signal'); // 'SIGHUP'
 * validateSignalName('HUP', 'signal');    // throws ProcessConfigError, field 'signal'
 * ```
 */
export function validateSignalName(value: unknown, field: string): NodeJS.Signals {
  if (typeof value !== 'string' || !Object.hasOwn(constants.signals, value)) {
    expected(field, "a signal name such as 'SIGTERM'", value);
  }
  return value as NodeJS.Signals;
}

/**
 * True for a signal that stops or continues a process (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU,
 * SIGCONT) instead of ending it.
 *
 * @example
 * ```ts
 * isJobControlSignal('SIGCONT'); // true
 * isJobControlSignal('SIGHUP');  // false
 * ```
 */
export function isJobControlSignal(name: string): boolean {
  return JOB_CONTROL_SIGNALS.has(name);
}

/**
 * A signal name that can end a process (SIGSTOP, SIGCONT and the like are refused).
 *
 * @example
 * ```ts
 * validateSignal('SIGINT', 'config.killSignal');
 * ```
 */
export function validateSignal(value: unknown, field: string): NodeJS.Signals {
  const name = validateSignalName(value, field);
  if (isJobControlSignal(name)) fail(field, `${name} cannot end a process`);
  return name;
}
