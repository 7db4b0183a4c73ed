/**
 * TEMPORARY stand-ins for CTL's `createLogBook`, `startControlServer` and `startTui` until
 * branch `ctl` lands. Deleted once `ctl` is merged.
 *
 * @module
 */
import type { Supervisor } from '@statevisor/core';

/** The interface of CTL's LogBook (stub: keeps nothing). */
export interface LogBook {
  close(): void;
}

/** Stub of CTL's `createLogBook`. @example `const logs = createLogBook(app);` */
export function createLogBook(_app: Supervisor, _options: { linesPerProcess?: number } = {}): LogBook {
  return { close: () => undefined };
}

/** Stub of CTL's `startControlServer`. @example `const control = await startControlServer(app, { socketPath, logs });` */
export function startControlServer(_app: Supervisor, _options: { socketPath: string; logs: LogBook }): Promise<{ close(): Promise<void> }> {
  return Promise.resolve({ close: () => Promise.resolve() });
}

/** Stub of CTL's `startTui`. @example `const tui = startTui(app, { logs, stdin, stdout, onQuit });` */
export function startTui(
  _app: Supervisor,
  _options: { logs: LogBook; stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; onQuit: () => void },
): { close(): void } {
  return { close: () => undefined };
}
