/**
 * One run of a loaded config: prints its output (or shows the TUI), records it, serves the
 * viewer and the control socket, starts it, waits for the reason to end (a signal, the root
 * giving up, every process done with `--exit-when-done`, the TUI's quit), shuts it down and
 * returns the exit status.
 *
 * @module
 */
import { join, resolve } from 'node:path';
import { ConfigError, type ChildSpec, type Supervisor } from '@statevisor/core';
import { record, serveViewer, type Recorder, type ViewerServer } from '@statevisor/inspect';
import { EXIT, type CommandIo } from '../command-io.ts';
import { useColor } from '../output/color.ts';
import { createLineFormat } from '../output/line-format.ts';
import { printOutput, type OutputPrinter } from '../output/print-output.ts';
import { configPaths } from './config-paths.ts';
import { deferred } from './deferred.ts';
import type { RunOptions } from './run-options.ts';
import { killAllGroups } from './force-kill.ts';
import { handleSignals } from './signals.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { startControlServer } from '../control/control-server.ts';
import { createLogBook } from '../logs/log-book.ts';
import { startTui } from '../tui/start-tui.ts';
import { whenDone } from './when-done.ts';

/** The name of the control socket, in the config's folder. */
export const SOCKET_NAME = '.statevisor.sock';

/** Why a run ends. */
type Ending = 'signal' | 'gave-up' | 'all-completed' | 'not-all-completed';

/** Everything a run opened, closed in reverse order at the end. */
type Closer = () => void | Promise<void>;

function say(io: CommandIo, text: string): void {
  io.stderr.write(`statevisor: ${text}\n`);
}

/**
 * Runs a loaded config's supervisor to its end.
 *
 * @param app - the supervisor built from `loaded` (with `handleSignals: false`), not started
 * @param loaded - the config it was built from
 * @param options - the command line's options
 * @param io - streams and environment
 * @returns the exit status: 0 clean, 1 gave up / stuck / not all completed, 2 bad options
 *
 * @example
 * ```ts
 * const status = await runApp(createSupervisor({ ...loaded.supervisor, handleSignals: false }), loaded, options, io);
 * ```
 */
export async function runApp(app: Supervisor, loaded: LoadedConfig, options: RunOptions, io: CommandIo): Promise<number> {
  const paths = configPaths(loaded.config);
  const eventsOver = new Promise<void>((resolve) => {
    app.events$.subscribe({ complete: resolve, error: () => resolve() });
  });
  const end = deferred<Ending>();
  const closers: Closer[] = [];
  let tui: { close(): void } | undefined;
  const signals = handleSignals({
    graceful(signal) {
      say(io, `${signal}: shutting down gracefully (press Ctrl-C again to force)`);
      end.resolve('signal');
    },
    force(signal) {
      say(io, `${signal} again: forcing the end, every process group is killed`);
      // SIGKILL now, rather than the helper's killSignal and grace once this process is gone.
      killAllGroups(app.snapshot());
      tui?.close(); // gives the terminal back
      process.exit(EXIT.failed);
    },
  });
  let printer: OutputPrinter | undefined;
  try {
    const logs = createLogBook(app);
    closers.push(() => logs.close());
    const specs = new Map((loaded.supervisor.children ?? []).map((spec: ChildSpec) => [spec.name, spec]));
    const specOf = (path: string): ChildSpec | undefined => specs.get(path);
    if (!options.tui) {
      const color = useColor(io.stdout, io.env, options.noColor);
      printer = printOutput(app, io.stdout, createLineFormat({ root: app.name, paths: paths.all, color, timestamps: options.timestamps }), {
        gated: paths.gated,
      });
    }
    if (options.record !== undefined) {
      const recorder: Recorder = record(app, resolve(io.cwd, options.record), { inspect: true });
      closers.push(() => recorder.stop());
    }
    if (options.ui !== undefined) {
      const viewer: ViewerServer = await serveViewer(app, { port: options.ui });
      closers.push(() => viewer.close());
      say(io, `viewer at ${viewer.url}`);
    }
    const control = await startControlServer(app, { socketPath: join(loaded.dir, SOCKET_NAME), logs, specOf });
    closers.push(() => control.close());
    if (options.tui) {
      // The TUI's q and Ctrl-C (raw mode: a key, not a signal) count as signals: a second one forces.
      const shown = startTui(app, { logs, stdin: process.stdin, stdout: io.stdout, specOf, onQuit: () => signals.trigger('quit') });
      tui = shown;
      closers.push(() => shown.close());
    }
  } catch (error) {
    say(io, `could not start: ${error instanceof Error ? error.message : String(error)}`);
    await app.shutdown();
    await closeAll(closers, printer, io);
    signals.remove();
    return error instanceof ConfigError ? EXIT.usage : EXIT.failed;
  }
  try {
    await app.start();
    void app.outcome().then((outcome) => {
      if (outcome.kind !== 'cancelled') {
        say(io, `${app.name} gave up${outcome.reason === undefined ? '' : `: ${outcome.reason}`}; shutting down the rest`);
        end.resolve('gave-up');
      }
    });
    if (options.exitWhenDone) {
      whenDone(app, paths.processes).then(
        (completed) => end.resolve(completed ? 'all-completed' : 'not-all-completed'),
        () => end.resolve('not-all-completed'),
      );
    }
    const ending = await end.promise;
    if (ending === 'all-completed' || ending === 'not-all-completed') {
      say(io, `every process has ended${ending === 'all-completed' ? ', all completed' : ', not all completed'}`);
    }
    const result = await app.shutdown();
    await Promise.race([eventsOver, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    if (result.stuck.length > 0) say(io, `still running after the grace and killed: ${result.stuck.join(', ')}`);
    const clean = result.withinGrace && result.stuck.length === 0;
    if (ending === 'gave-up' || ending === 'not-all-completed' || !clean) return EXIT.failed;
    return EXIT.ok;
  } finally {
    await closeAll(closers, printer, io);
    signals.remove();
  }
}

/** Closes what the run opened (reverse order), then the printer; a failure to close is said, not thrown. */
async function closeAll(closers: Closer[], printer: OutputPrinter | undefined, io: CommandIo): Promise<void> {
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch (error) {
      say(io, `while closing: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  await printer?.close();
}
