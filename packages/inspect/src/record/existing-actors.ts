/**
 * The actors of a system that exist now, found from its root through snapshots' `children`.
 *
 * @module
 */
import type { AnyActorRef } from 'xstate';
import { read } from '../format/to-plain.ts';

/** The most actors {@link existingActors} lists (a guard against a runaway tree). */
const MAX_ACTORS = 10_000;

/**
 * Lists the root actor and its live descendants, parents before children. Never throws.
 *
 * @param root - the root actor
 * @returns the actors, root first
 *
 * @example
 * ```ts
 * for (const ref of existingActors(app.actor)) console.log(ref.id);
 * ```
 */
export function existingActors(root: AnyActorRef): AnyActorRef[] {
  const found: AnyActorRef[] = [root];
  const seen = new Set<unknown>(found);
  for (let i = 0; i < found.length && found.length < MAX_ACTORS; i++) {
    const children = read(snapshotOf(found[i]), 'children');
    if (typeof children !== 'object' || children === null) continue;
    for (const child of Object.values(children)) {
      if (seen.has(child) || typeof read(child, 'sessionId') !== 'string') continue;
      seen.add(child);
      found.push(child as AnyActorRef);
    }
  }
  return found;
}

function snapshotOf(ref: AnyActorRef | undefined): unknown {
  try {
    return ref?.getSnapshot();
  } catch {
    return undefined;
  }
}
