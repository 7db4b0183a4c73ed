/**
 * The commands a user gives a child by its path, anywhere in the tree: remove, cancel, restart,
 * and the incarnation a `child()` handle follows. Each walks down from the supervisor it was
 * given to the one that owns the path, and acts through that supervisor's registry.
 */
import { UnknownTaskError } from '../errors.ts';
import type { TerminateReason } from '../events.ts';
import type { ChildEntry } from './child-entry.ts';
import { deferred } from './child-entry.ts';
import type { Incarnation } from './child-handle.ts';
import type { ChildRegistry } from './registry.ts';
import type { TreeServices } from './runtime-types.ts';

/** A supervisor, as these commands see it. */
export interface CommandTarget {
  readonly path: string;
  /** Admission is closed (shutdown, give-up, or the parent's stop). */
  readonly shuttingDown: boolean;
  readonly tree: TreeServices;
  readonly registry: ChildRegistry<CommandTarget>;
}

/** A live child and the supervisor that owns it. */
export interface FoundChild {
  readonly owner: CommandTarget;
  readonly entry: ChildEntry<CommandTarget>;
}

/**
 * The supervisor that owns `path` (`root` or one below it), walking down the tree.
 *
 * @example
 * ```ts
 * const owner = ownerOf(root, 'app/group/worker'); // the runtime of app/group
 * ```
 */
export function ownerOf(root: CommandTarget, path: string): CommandTarget | undefined {
  let owner = root;
  for (;;) {
    if (path === owner.path) return owner;
    const prefix = `${owner.path}/`;
    if (!path.startsWith(prefix)) return undefined;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) return owner;
    const nested = owner.registry.children.get(rest.slice(0, slash))?.nested;
    if (nested === undefined) return undefined;
    owner = nested;
  }
}

/** The live child at a full path below `root`. */
export function findChild(root: CommandTarget, path: string): FoundChild | undefined {
  const owner = ownerOf(root, path);
  if (owner === undefined || path === owner.path) return undefined;
  const entry = owner.registry.children.get(path.slice(owner.path.length + 1));
  return entry === undefined ? undefined : { owner, entry };
}

/** Claims a child for removal: true if this call claimed it. Cleanup continues in the background. */
export function removeChild(root: CommandTarget, path: string, reason: TerminateReason): boolean {
  const found = findChild(root, path);
  if (found === undefined) return false;
  const { owner, entry } = found;
  if (owner.shuttingDown || entry.removing) return false;
  // Published with the stop's own events.
  owner.tree.dispatcher.emit({ kind: 'TaskRemoveRequested', task: entry.path });
  owner.registry.stopForGood(entry, reason, entry.graceMs);
  return true;
}

/** Like {@link removeChild}, but resolves after the child's final events; false for non-claimers (who still wait). */
export async function cancelChild(root: CommandTarget, path: string): Promise<boolean> {
  const found = findChild(root, path);
  if (found === undefined || found.owner.shuttingDown) return false;
  const { entry } = found;
  entry.removal ??= deferred();
  const claimed = removeChild(root, path, 'user-requested');
  await entry.removal.promise;
  return claimed;
}

/** Stops the current attempt (user-requested) and starts a fresh one; not a failure. */
export function restartChild(root: CommandTarget, path: string): boolean {
  const found = findChild(root, path);
  if (found === undefined) return false;
  const { owner, entry } = found;
  if (owner.shuttingDown || entry.removing) return false;
  owner.registry.signal(entry, 'user-requested', entry.graceMs, 'restart');
  return true;
}

/**
 * The live incarnation at a full path, for `child()`: it follows that child entry, never the
 * name. Throws UnknownTaskError when no child is live there.
 */
export function incarnationOf(root: CommandTarget, path: string): Incarnation {
  const found = findChild(root, path);
  if (found === undefined) throw new UnknownTaskError(path, root.path);
  const { owner, entry } = found;
  return {
    path: entry.path,
    live: () => (owner.registry.children.get(entry.name) === entry ? entry.live : undefined),
    stop: () => stopIncarnation(found),
    task: entry.spec.type === 'task' && entry.spec.work.kind === 'actor' ? entry.task.actor : undefined,
  };
}

/** A handle's stop: stops the incarnation for good and resolves after its TaskRemoved. */
async function stopIncarnation({ owner, entry }: FoundChild): Promise<boolean> {
  if (owner.registry.children.get(entry.name) !== entry) return false;
  entry.removal ??= deferred();
  const removed = entry.removal.promise;
  const claimed = !owner.shuttingDown && !entry.removing;
  if (claimed) owner.registry.stopForGood(entry, 'user-requested', entry.graceMs);
  await removed;
  return claimed;
}
