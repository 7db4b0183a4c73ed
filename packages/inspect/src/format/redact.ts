/**
 * The recording's redaction (DESIGN.md §6): env values and task outputs are not recorded unless
 * asked. They can only reach a recording inside inspection messages (snapshot contexts, a
 * snapshot's `output`, `xstate.done.actor.*` events, actor input), so the redaction is a pure
 * rewrite of plain data by key.
 *
 * @module
 */
import type { PlainValue } from './to-plain.ts';

/**
 * What an `env` value becomes in a recording made without `{ secrets: true }`.
 *
 * @example
 * ```ts
 * redact({ env: { TOKEN: 'hunter2' } }); // { env: { TOKEN: REDACTED } }
 * ```
 */
export const REDACTED = '[redacted]';

/**
 * What to keep. Both default to `false`: env values are redacted and outputs dropped.
 *
 * @example
 * ```ts
 * const keepAll: RedactOptions = { secrets: true, outputs: true };
 * ```
 */
export interface RedactOptions {
  /** Keep the values of `env` objects (default false: each becomes `"[redacted]"`). */
  readonly secrets?: boolean;
  /** Keep `output` fields (default false: they are dropped). */
  readonly outputs?: boolean;
}

/**
 * Returns a copy of plain data with, at any depth, every `env` object's values replaced by
 * `"[redacted]"` (its keys stay, so one still sees which variables were set; an `env` array or
 * string is redacted whole) unless `secrets`, and every `output` field (and the `data` of an
 * `xstate.promise.resolve` event, a promise actor's result) removed unless `outputs`. The input is not changed.
 *
 * @param value - plain JSON data (see `toPlain`)
 * @param options - what to keep
 * @returns the redacted copy (the same value when nothing is to be redacted)
 *
 * @example
 * ```ts
 * redact({ input: { env: { TOKEN: 'hunter2' } }, output: 42 });
 * // { input: { env: { TOKEN: '[redacted]' } } }
 * ```
 */
export function redact(value: PlainValue, options: RedactOptions = {}): PlainValue {
  const secrets = options.secrets === true;
  const outputs = options.outputs === true;
  if (secrets && outputs) return value;
  return walk(value, secrets, outputs);
}

function walk(value: PlainValue, secrets: boolean, outputs: boolean): PlainValue {
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets, outputs));
  if (typeof value !== 'object' || value === null) return value;
  const out: { [key: string]: PlainValue } = {};
  // A promise actor's result travels as the `data` of its `xstate.promise.resolve` event.
  const resolved = value['type'] === 'xstate.promise.resolve';
  for (const [key, item] of Object.entries(value)) {
    if ((key === 'output' || (resolved && key === 'data')) && !outputs) continue;
    if (key === 'env' && !secrets) {
      out[key] = redactEnv(item);
      continue;
    }
    out[key] = walk(item, secrets, outputs);
  }
  return out;
}

/** An env object keeps its keys; an env in another shape (`['K=V']`, a string) keeps nothing readable. */
function redactEnv(env: PlainValue): PlainValue {
  if (env === null || typeof env === 'boolean') return env;
  if (Array.isArray(env)) return env.map(() => REDACTED);
  if (typeof env === 'object') return Object.fromEntries(Object.keys(env).map((name) => [name, REDACTED]));
  return REDACTED;
}
