/**
 * What `ps` adds to `snapshot()`, gathered from the events: restarts per path, when the current
 * attempt started, the order children were first added in, and the children that left the tree
 * (with how they ended), so `ps` keeps listing them.
 *
 * @module
 */
import type { EventSubscription, Supervisor } from '@statevisor/core';
import { relativePath } from '../logs/log-line.ts';

/**
 * A child that is no longer in the tree: how it ended and when it was first added.
 *
 * @example
 * ```ts
 * const gone: GoneChild = { path: 'migrate', kind: 'task', ended: 'completed' };
 * ```
 */
export interface GoneChild {
  readonly path: string;
  readonly kind: 'supervisor' | 'task';
  /** `completed`, `failed`, `fatal`... from the child's last ActorExhausted/ActorDead; `exited` otherwise. */
  readonly ended: string;
}

/**
 * The run's statistics, kept from events (relative paths throughout).
 *
 * @example
 * ```ts
 * const stats = trackRunStats(app);
 * stats.restarts('web'); // 0 until web starts a second attempt
 * ```
 */
export interface RunStats {
  /** Attempts started at `path` beyond the first, over the whole run. */
  restarts(path: string): number;
  /** Epoch ms of the current attempt's TaskStarted, if one runs. */
  startedAt(path: string): number | undefined;
  /** The position `path` was first added in (for a stable listing). */
  order(path: string): number;
  /** The children that left the tree and were not added again. */
  gone(): readonly GoneChild[];
  /** Remembers whether a path is a supervisor or a task (from the snapshots `ps` reads), for the gone list. */
  noteKind(path: string, kind: 'supervisor' | 'task'): void;
  /** Stops listening. */
  close(): void;
}

/**
 * Starts keeping the run's statistics from `app`'s events (a bounded `subscribe()` whose
 * `next` is synchronous, so it never falls behind).
 *
 * @param app - the supervisor, before `start()` so the first events are seen
 * @returns the statistics
 *
 * @example
 * ```ts
 * const stats = trackRunStats(app);
 * await app.start();
 * ```
 */
export function trackRunStats(app: Supervisor): RunStats {
  const starts = new Map<string, number>();
  const started = new Map<string, number>();
  const order = new Map<string, number>();
  const kinds = new Map<string, 'supervisor' | 'task'>();
  const ended = new Map<string, string>();
  const gone = new Map<string, GoneChild>();
  const subscription: EventSubscription = app.subscribe({
    name: 'statevisor-control',
    kinds: ['TaskAdded', 'TaskStarting', 'TaskStarted', 'TaskStopped', 'TaskFailed', 'TimeoutHit', 'TaskError', 'ActorExhausted', 'ActorDead', 'TaskRemoved'],
    next: (event) => {
      const path = relativePath(app.name, event.task);
      switch (event.kind) {
        case 'TaskAdded':
          if (!order.has(path)) order.set(path, order.size);
          gone.delete(path);
          ended.delete(path);
          break;
        case 'TaskStarting':
          starts.set(path, (starts.get(path) ?? 0) + 1);
          break;
        case 'TaskStarted':
          started.set(path, event.at);
          break;
        case 'ActorExhausted':
        case 'ActorDead':
          ended.set(path, event.outcome);
          break;
        case 'TaskRemoved':
          started.delete(path);
          gone.set(path, { path, kind: kinds.get(path) ?? 'task', ended: ended.get(path) ?? 'exited' });
          break;
        default:
          started.delete(path);
      }
    },
  });
  return {
    restarts: (path) => Math.max(0, (starts.get(path) ?? 0) - 1),
    startedAt: (path) => started.get(path),
    order: (path) => order.get(path) ?? Number.MAX_SAFE_INTEGER,
    gone: () => [...gone.values()],
    noteKind: (path, kind) => void kinds.set(path, kind),
    close: () => subscription.unsubscribe(),
  };
}
