/** `maxConcurrent` as a {@link SlotLimiter} over p-queue: a slot is held from TaskStarting to the terminal. */
import PQueue from 'p-queue';
import type { SlotLimiter } from './task-machine.ts';

/** Creates a limiter that grants at most `concurrency` slots at once, FIFO. */
export function createSlotLimiter(concurrency: number): SlotLimiter {
  const queue = new PQueue({ concurrency });
  return {
    acquire(granted) {
      const controller = new AbortController();
      let started = false;
      queue
        .add(
          () =>
            new Promise<void>((resolve) => {
              started = true;
              let released = false;
              granted(() => {
                if (released) return;
                released = true;
                resolve();
              });
            }),
          { signal: controller.signal },
        )
        .catch(() => {
          // Withdrawn while waiting: p-queue rejects with the abort reason; nothing to do.
        });
      return () => {
        if (!started) controller.abort();
      };
    },
  };
}
