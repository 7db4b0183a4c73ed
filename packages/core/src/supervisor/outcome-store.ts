/**
 * Outcomes by path, outside the lossy event path. The newest child at a path owns its record;
 * finished records are kept until the path is reused or evicted (the last `limit` finished).
 */
import { UnknownTaskError } from '../errors.ts';
import type { TaskOutcome } from '../outcome.ts';
import { RecentMap } from './recent-map.ts';

/** One path's outcome; the promise is made only when someone asks (most outcomes are never awaited). */
class OutcomeRecord {
  #outcome: TaskOutcome | undefined;
  #promise: Promise<TaskOutcome> | undefined;
  #resolve: ((outcome: TaskOutcome) => void) | undefined;

  get settled(): boolean {
    return this.#outcome !== undefined;
  }

  get promise(): Promise<TaskOutcome> {
    if (this.#promise === undefined) {
      if (this.#outcome !== undefined) {
        this.#promise = Promise.resolve(this.#outcome);
      } else {
        this.#promise = new Promise<TaskOutcome>((resolve) => {
          this.#resolve = resolve;
        });
      }
    }
    return this.#promise;
  }

  resolve(outcome: TaskOutcome): void {
    if (this.#outcome !== undefined) return;
    this.#outcome = outcome;
    this.#resolve?.(outcome);
    this.#resolve = undefined;
  }
}

function createRecord(): OutcomeRecord {
  return new OutcomeRecord();
}

/** Keeps one outcome promise per path. */
export class OutcomeStore {
  readonly #records = new Map<string, OutcomeRecord>();
  /** Finished paths, oldest first, for eviction. */
  readonly #finished: RecentMap<string, true>;

  /** @param limit - how many finished paths to keep */
  constructor(limit = 10_000) {
    this.#finished = new RecentMap(limit);
  }

  /** A new child lives at `path`: its outcome replaces the previous one. */
  open(path: string): void {
    this.#finished.delete(path);
    this.#records.set(path, createRecord());
  }

  /** The child at `path` ended with `outcome`. */
  settle(path: string, outcome: TaskOutcome): void {
    let record = this.#records.get(path);
    if (record === undefined) {
      record = createRecord();
      this.#records.set(path, record);
    }
    record.resolve(outcome);
    const evicted = this.#finished.set(path, true);
    if (evicted !== undefined) this.#records.delete(evicted);
  }

  /**
   * The outcome of the newest child at `path`; rejects with UnknownTaskError for a path never
   * seen (its message says how paths are written under `root`, when given).
   */
  get(path: string, root?: string): Promise<TaskOutcome> {
    const record = this.#records.get(path);
    return record === undefined ? Promise.reject(new UnknownTaskError(path, root)) : record.promise;
  }

  /** Whether `path` has a record. */
  has(path: string): boolean {
    return this.#records.has(path);
  }
}
