/**
 * How the facade's methods (`outcome`, `remove`, `cancel`, `restart`, `child`, `explain`) and
 * the slot controller read the node they are given: a root child's name, a full path
 * (`app/workers/a`) or a path relative to the root (`workers/a`).
 */
import { ConfigError } from '../errors.ts';
import { describeValue } from '../validate.ts';

/**
 * Checks a name-or-path argument: a non-empty string, else a {@link ConfigError} naming `field`
 * and quoting the value. Never throws anything else (the value may be hostile).
 *
 * @example
 * ```ts
 * expectNameOrPath('workers/a'); // 'workers/a'
 * expectNameOrPath(42); // throws ConfigError, field 'nameOrPath'
 * ```
 */
export function expectNameOrPath(value: unknown, field = 'nameOrPath'): string {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(field, `expected a child's name or path (a non-empty string), received ${describeValue(value)}`);
  }
  return value;
}

/**
 * The full path `nameOrPath` refers to under the root `root`: the root's own name is the root;
 * any other name (no `/`) is a root child; a path starting with `root/` is a full path; any
 * other path is relative to the root. (So under the root `app`, `app/x` is the root's child `x`;
 * a root child itself named `app` is written `app/app`, and its child `app/app/x`.)
 *
 * @example
 * ```ts
 * resolveNodePath('app', 'app'); // 'app': the root itself
 * resolveNodePath('app', 'web'); // 'app/web'
 * resolveNodePath('app', 'app/workers/a'); // 'app/workers/a'
 * resolveNodePath('app', 'workers/a'); // 'app/workers/a'
 * ```
 */
export function resolveNodePath(root: string, nameOrPath: string): string {
  return nameOrPath === root || nameOrPath.startsWith(`${root}/`) ? nameOrPath : `${root}/${nameOrPath}`;
}

/**
 * The name of the root child at `path`, or undefined when `path` is deeper (or the root).
 *
 * @example
 * ```ts
 * rootChildName('app', 'app/job'); // 'job'
 * rootChildName('app', 'app/workers/a'); // undefined
 * ```
 */
export function rootChildName(root: string, path: string): string | undefined {
  const name = path.slice(root.length + 1);
  return path.startsWith(`${root}/`) && name !== '' && !name.includes('/') ? name : undefined;
}
