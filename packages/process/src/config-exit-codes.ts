/**
 * Validation of `successExitCodes` and `fatalExitCodes`: two lists of exit codes (integers 0 to
 * 255, no duplicates) that share no code.
 *
 * @module
 */
import { expected, fail } from './config-fields.ts';

/**
 * The exit-code policy of a process task, validated and frozen.
 *
 * @example
 * ```ts
 * const codes: ExitCodePolicy = { successExitCodes: [0, 2], fatalExitCodes: [78] };
 * ```
 */
export interface ExitCodePolicy {
  /** Natural exits that count as success. */
  readonly successExitCodes: readonly number[];
  /** Natural exits that end the task for good (outcome `fatal`). */
  readonly fatalExitCodes: readonly number[];
}

/** The default policy: exit 0 is the only success, no exit is fatal. */
const DEFAULT_SUCCESS: readonly number[] = Object.freeze([0]);
const NO_CODES: readonly number[] = Object.freeze([]);

/**
 * Validates `successExitCodes` (default `[0]`) and `fatalExitCodes` (default `[]`); `field` is
 * the config's own path (`config`), so errors read `config.fatalExitCodes[1]`.
 *
 * @throws {@link ProcessConfigError} naming the bad list or entry
 *
 * @example
 * ```ts
 * validateExitCodes([0, 2], [78], 'config'); // { successExitCodes: [0, 2], fatalExitCodes: [78] }
 * validateExitCodes(undefined, [0], 'config'); // throws: config.fatalExitCodes[0] is also a success (the default [0])
 * ```
 */
export function validateExitCodes(success: unknown, fatal: unknown, field: string): ExitCodePolicy {
  const successExitCodes = success === undefined ? DEFAULT_SUCCESS : codeList(success, `${field}.successExitCodes`);
  const fatalExitCodes = fatal === undefined ? NO_CODES : codeList(fatal, `${field}.fatalExitCodes`);
  fatalExitCodes.forEach((code, index) => {
    if (!successExitCodes.includes(code)) return;
    const which = success === undefined ? 'the default successExitCodes [0]' : 'successExitCodes';
    fail(`${field}.fatalExitCodes[${index}]`, `exit code ${code} is also in ${which}: a code is either a success or fatal`);
  });
  return { successExitCodes, fatalExitCodes };
}

/** An array of distinct integers from 0 to 255, frozen. */
function codeList(value: unknown, field: string): readonly number[] {
  if (!Array.isArray(value)) expected(field, 'an array of exit codes (integers from 0 to 255)', value);
  const codes: number[] = [];
  value.forEach((code: unknown, index) => {
    const codeField = `${field}[${index}]`;
    if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 255) {
      expected(codeField, 'an exit code (an integer from 0 to 255)', code);
    }
    if (codes.includes(code)) fail(codeField, `exit code ${code} is listed twice`);
    codes.push(code);
  });
  return Object.freeze(codes);
}
