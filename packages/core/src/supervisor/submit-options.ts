/**
 * The options of `app.submit(spec, { slot, admission })` and their validation at the boundary
 * (DESIGN.md §2 "Validation"): a bad option is a ConfigError that names `options.<field>`.
 *
 * @module
 */
import type { ControllerSubmitted } from '../events.ts';
import { expectKnownKeys, expectObject, expectOneOf, invalid, readingAs } from '../validate.ts';

/**
 * How a submission treats a busy slot.
 *
 * @example
 * ```ts
 * const admission: Admission = 'replace'; // the newest report build wins
 * ```
 */
export type Admission = ControllerSubmitted['admission'];

/**
 * Options of `app.submit(spec, options)`.
 *
 * @example
 * ```ts
 * const options: SubmitOptions = { slot: 'import', admission: 'queue' };
 * await app.submit(task('import-1', run), options);
 * ```
 */
export interface SubmitOptions {
  /** The admission slot: any non-empty string. Submissions to one slot run one at a time. */
  readonly slot: string;
  /**
   * What to do when the slot is busy: `'queue'` waits (FIFO, at most `maxSlotQueue` waiting),
   * `'replace'` removes the occupant and runs next, `'drop-if-running'` is refused.
   */
  readonly admission: ControllerSubmitted['admission'];
}

const ADMISSIONS: readonly Admission[] = ['queue', 'replace', 'drop-if-running'];

/**
 * Validates the options of `submit`; throws ConfigError naming `options.slot`,
 * `options.admission` or an unknown `options.*` key.
 *
 * @example
 * ```ts
 * validateSubmitOptions({ slot: 'import', admission: 'queue' }); // { slot: 'import', admission: 'queue' }
 * validateSubmitOptions({ slot: '', admission: 'queue' }); // throws ConfigError (options.slot)
 * ```
 */
export function validateSubmitOptions(value: unknown): SubmitOptions {
  return readingAs('options', () => {
    const object = expectObject(value, 'options');
    expectKnownKeys(object, 'options', ['slot', 'admission']);
    const slot = object['slot'];
    if (typeof slot !== 'string' || slot.length === 0) invalid('options.slot', 'a non-empty string', slot);
    const admission = expectOneOf(object['admission'], 'options.admission', ADMISSIONS);
    return { slot, admission };
  });
}
