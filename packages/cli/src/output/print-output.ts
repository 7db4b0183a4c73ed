/**
 * Prints a run's output: every output line and the lifecycle lines, through one bounded
 * `subscribe()` whose `next` waits for the stream to drain (backpressure), each line written
 * whole. What the buffer could not hold is printed as a visible line saying how many events
 * were dropped.
 *
 * @module
 */
import type { EventSubscription, Supervisor, SupervisorEvent } from '@statevisor/core';
import { describeEvent } from './lifecycle.ts';
import type { LineFormat } from './line-format.ts';

/** Events the printer may hold while the stream is busy. */
export const OUTPUT_CAPACITY = 100_000;

/** A running printer. */
export interface OutputPrinter {
  /** The subscription (its `stats()` counts what was printed and dropped). */
  readonly subscription: EventSubscription;
  /**
   * Prints a line about drops not yet reported, then stops printing. Call it once the app's
   * events are over (after shutdown).
   */
  close(): Promise<void>;
}

/** Writes text whole and resolves once the stream can take more. */
function writer(stream: NodeJS.WritableStream): (text: string) => void | Promise<void> {
  let broken = false;
  // A closed pipe (EPIPE) or terminal (EIO) must not crash the run: output just stops.
  stream.on('error', () => {
    broken = true;
  });
  return (text) => {
    if (broken) return;
    if (stream.write(text)) return;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        stream.off('drain', done);
        stream.off('error', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('error', done);
    });
  };
}

/**
 * Starts printing `app`'s output and lifecycle lines to `stream`. Call it before `app.start()`
 * so that nothing is missed.
 *
 * @param app - the supervisor
 * @param stream - where to print (stdout)
 * @param format - the line formatter
 * @param gated - the paths (relative to the root) whose `ready` is printed: those with a
 *   readiness gate; for the others it comes with the start and says nothing
 * @returns the printer
 *
 * @example
 * ```ts
 * const printer = printOutput(app, process.stdout, createLineFormat({ root: app.name, paths: ['web'], color: false, timestamps: false }));
 * await app.start();
 * // ...
 * await app.shutdown();
 * await printer.close();
 * ```
 */
export function printOutput(app: Supervisor, stream: NodeJS.WritableStream, format: LineFormat, gated: readonly string[] = []): OutputPrinter {
  const shownReady = new Set(gated);
  const write = writer(stream);
  let reported = 0;
  const dropNotice = (at: number): string => {
    const dropped = subscription.stats().dropped;
    if (dropped === reported) return '';
    const text = `${String(dropped - reported)} events dropped here: the output came faster than it could be written`;
    reported = dropped;
    return format.notice(app.name, text, at, true);
  };
  const render = (event: SupervisorEvent): string => {
    switch (event.kind) {
      case 'TaskOutput':
        return format.output(event.task, event.line, event.at);
      case 'TaskOutputBatch':
        return event.lines.map((line) => format.output(event.task, line, event.at)).join('');
      case 'TaskReady':
        return shownReady.has(format.label(event.task)) ? format.notice(event.task, 'ready', event.at) : '';
      default: {
        const notice = describeEvent(event);
        return notice === undefined ? '' : format.notice(event.task, notice.text, event.at, notice.failure);
      }
    }
  };
  const subscription: EventSubscription = app.subscribe({
    name: 'statevisor-output',
    capacity: OUTPUT_CAPACITY,
    next(event) {
      const text = dropNotice(event.at) + render(event);
      return text === '' ? undefined : write(text);
    },
  });
  return {
    subscription,
    async close() {
      const text = dropNotice(Date.now());
      subscription.unsubscribe();
      if (text !== '') await write(text);
    },
  };
}
