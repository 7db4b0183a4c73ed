/**
 * Turns any JavaScript value into plain JSON data without ever throwing: what an inspection
 * message may carry (a machine's context, an event, a config) can hold cycles, BigInts,
 * functions, class instances, getters that throw.
 *
 * @module
 */

/** How deep {@link toPlain} follows objects by default. */
export const DEFAULT_DEPTH_LIMIT = 16;

/** What replaces an object met again inside itself. */
export const CIRCULAR = '[Circular]';

/** What replaces an object deeper than the depth limit. */
export const TOO_DEEP = '[…]';

/**
 * Plain JSON data (what `JSON.parse` can return).
 *
 * @example
 * ```ts
 * const data: PlainValue = { a: [1, 'two', null, true] };
 * ```
 */
export type PlainValue = null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue };

/**
 * Makes `value` plain JSON data. Functions, symbols and `undefined` are dropped (an array keeps
 * their place as `null`); a BigInt becomes its decimal string; a non-finite number `null`; an
 * object met again inside itself `"[Circular]"`; an object deeper than `depthLimit` `"[…]"`;
 * an `Error` `{ name, message }` (and `code` when it has one); a `Map` its entries as pairs, a
 * `Set` its values; an object with a `toJSON` method what that returns (an XState actor ref
 * becomes `{ xstate$$type, id }`); any other object its own enumerable properties (a getter
 * that throws is skipped). Never throws.
 *
 * @param value - anything
 * @param depthLimit - how many object levels to follow (default 16)
 * @returns the plain data, or `undefined` for a value JSON would drop
 *
 * @example
 * ```ts
 * const context: Record<string, unknown> = { n: 1n, run: () => 0 };
 * context['self'] = context;
 * toPlain(context); // { n: '1', self: '[Circular]' }
 * ```
 */
export function toPlain(value: unknown, depthLimit: number = DEFAULT_DEPTH_LIMIT): PlainValue | undefined {
  return plain(value, depthLimit, new Set());
}

function plain(value: unknown, depth: number, ancestors: Set<object>): PlainValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (ancestors.has(object)) return CIRCULAR;
  if (depth <= 0) return TOO_DEEP;
  ancestors.add(object);
  try {
    return plainObject(object, depth - 1, ancestors);
  } catch {
    // A proxy or an exotic object that refuses to be read: say so rather than fail.
    return '[unreadable]';
  } finally {
    ancestors.delete(object);
  }
}

function plainObject(object: object, depth: number, ancestors: Set<object>): PlainValue {
  if (Array.isArray(object)) return object.map((item: unknown) => plain(item, depth, ancestors) ?? null);
  if (object instanceof Error) return plainError(object);
  if (object instanceof Map) {
    return [...object.entries()].map(([key, item]: [unknown, unknown]) => [
      plain(key, depth, ancestors) ?? null,
      plain(item, depth, ancestors) ?? null,
    ]);
  }
  if (object instanceof Set) return [...object.values()].map((item: unknown) => plain(item, depth, ancestors) ?? null);
  if (ArrayBuffer.isView(object)) return `[${String(object.byteLength)} bytes]`;
  const toJSON = read(object, 'toJSON');
  if (typeof toJSON === 'function') {
    const json: unknown = toJSON.call(object);
    // A toJSON that returns its own object (or another one) is followed once more, cycles caught.
    return json === object ? ownProperties(object, depth, ancestors) : (plain(json, depth + 1, ancestors) ?? null);
  }
  return ownProperties(object, depth, ancestors);
}

function ownProperties(object: object, depth: number, ancestors: Set<object>): { [key: string]: PlainValue } {
  const out: { [key: string]: PlainValue } = {};
  for (const key of Object.keys(object)) {
    let item: unknown;
    try {
      item = (object as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    const converted = plain(item, depth, ancestors);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

function plainError(error: Error): PlainValue {
  const out: { [key: string]: PlainValue } = { name: safeString(error.name), message: safeString(error.message) };
  const code = read(error, 'code');
  if (typeof code === 'string' || typeof code === 'number') out['code'] = code;
  return out;
}

function safeString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Reads a property without letting a throwing getter escape. */
export function read(object: unknown, key: string): unknown {
  if ((typeof object !== 'object' && typeof object !== 'function') || object === null) return undefined;
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
