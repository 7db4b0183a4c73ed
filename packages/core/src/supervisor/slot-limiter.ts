/** `maxConcurrent` as a {@link SlotLimiter} over p-queue: a slot is held from TaskStarting to the terminal. */
import PQueue from 'p-queue';
import type { SlotLimiter } from '../task/task-types.ts';

/** Creates a limiter that grants at most `concurrency` slots at once, FIFO. */
export function createSlotLimiter(concurrency: number): SlotLimiter {
  const queue = new PQueue({ concurrency });
  return {
    acquire(granted) {
      // A withdrawn request stays in the queue and gives its turn back at once when it comes
      // up (no AbortController per request: most requests are never withdrawn).
      let withdrawn = false;
      let started = false;
      // The job never rejects (it only resolves); the handler keeps a bug from becoming an
      // unhandled rejection of the host.
      queue.add(
        () =>
          new Promise<void>((resolve) => {
            started = true;
            if (withdrawn) {
              resolve();
              return;
            }
            let released = false;
            granted(() => {
              if (released) return;
              released = true;
              resolve();
            });
          }),
      ).catch(() => {
        // A rejected job has given its slot back already.
      });
      return () => {
        if (!started) withdrawn = true;
      };
    },
  };
}
