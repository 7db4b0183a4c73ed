/**
 * Output streaming of an attempt: stdout and stderr split into lines straight onto the bus (one
 * event a line, a batch a chunk, or heartbeats only, by `output`), the ready line found on the
 * way, and the last stderr lines kept for a failure's `stderrTail`.
 *
 * Cost notes (perf-baselines §7.4): line splitters (and their decoders) are made at a pipe's
 * first chunk, so a quiet process has none; the per-chunk line array is shared.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import type { RunnerContext } from '@statevisor/core';
import type { ResolvedProcessConfig } from '../config.ts';
import { OutputStreamError } from '../errors.ts';
import { LineSplitter } from '../line-splitter.ts';
import type { ReadyWatch } from './ready.ts';

type Stream = 'stdout' | 'stderr';

/**
 * How many stderr lines a failure keeps (`stderrTail`).
 *
 * @example
 * ```ts
 * outcome.stderrTail?.length; // at most STDERR_TAIL_LINES
 * ```
 */
export const STDERR_TAIL_LINES = 20;

/**
 * The line array lent to one chunk in 'lines' and 'none' modes (their lines are published, or
 * dropped, before the handler returns). A nested delivery (a subscriber that makes another pipe
 * deliver synchronously) finds it lent out and uses an array of its own.
 */
let spareLines: string[] | undefined = [];

function borrowLines(): string[] {
  const lines = spareLines ?? [];
  spareLines = undefined;
  return lines;
}

function returnLines(lines: string[]): void {
  lines.length = 0;
  spareLines = lines;
}

/**
 * What an {@link AttemptOutput} tells its attempt.
 *
 * @example
 * ```ts
 * const host: OutputHost = { fail: terminateWith, noteFailure: remember, pipesClosed: finishIfExited };
 * ```
 */
export interface OutputHost {
  /** A pipe failed, or reading a chunk threw: end the attempt as a failure (the group is stopped). */
  fail(error: Error): void;
  /** Reading a pipe's last line threw: the attempt fails with it, but the pipe is done already. */
  noteFailure(error: Error): void;
  /** Both pipes are done (EOF, or closed). */
  pipesClosed(): void;
}

/**
 * The output pipes of one attempt.
 *
 * @example
 * ```ts
 * const output = new AttemptOutput(config, ctx, ready, host);
 * output.wire('stdout', child.stdout);
 * output.wire('stderr', child.stderr);
 * // ... once the attempt ends:
 * output.close();
 * ```
 */
export class AttemptOutput {
  readonly #config: ResolvedProcessConfig;
  readonly #ctx: RunnerContext;
  /** Undefined without a ready indicator. */
  readonly #ready: ReadyWatch | undefined;
  readonly #host: OutputHost;
  #stdoutOpen = false;
  #stderrOpen = false;
  /** Made at a pipe's first chunk; dropped once the pipe is done. */
  #stdoutSplitter: LineSplitter | undefined = undefined;
  #stderrSplitter: LineSplitter | undefined = undefined;
  /** The last stderr lines, once there are any. */
  #stderrTail: string[] | undefined = undefined;

  constructor(config: ResolvedProcessConfig, ctx: RunnerContext, ready: ReadyWatch | undefined, host: OutputHost) {
    this.#config = config;
    this.#ctx = ctx;
    this.#ready = ready;
    this.#host = host;
  }

  /** No pipe is open (both are done, or none was wired). */
  get closed(): boolean {
    return !this.#stdoutOpen && !this.#stderrOpen;
  }

  /** The last stderr lines (at most {@link STDERR_TAIL_LINES}), undefined when there were none. */
  get stderrTail(): readonly string[] | undefined {
    return this.#stderrTail;
  }

  /** Reads `readable` (the child's `stream`) from now on. */
  wire(stream: Stream, readable: Readable | null): void {
    if (readable === null) return;
    if (stream === 'stdout') this.#stdoutOpen = true;
    else this.#stderrOpen = true;
    const config = this.#config;
    const watchesReady = this.#ready !== undefined && this.#ready.watches(stream);
    // In 'none' mode stdout is only split when it may carry the ready line; stderr always is (stderrTail).
    if (config.output !== 'none' || stream === 'stderr' || watchesReady) {
      readable.on('data', (chunk: Buffer) => {
        this.#onData(stream, chunk);
      });
    } else {
      // Unread output still proves the process alive: a heartbeat per chunk.
      const { heartbeat } = this.#ctx;
      readable.on('data', () => {
        heartbeat();
      });
    }
    // One listener for the pipe's end: 'end' (EOF) and 'close' (closed, with or without an EOF:
    // the first one counts) carry no argument or a boolean, 'error' carries the error.
    const ended = (error?: unknown): void => {
      if (error === undefined || typeof error === 'boolean') this.#streamDone(stream);
      else this.#host.fail(new OutputStreamError(stream, error));
    };
    readable.on('end', ended);
    readable.on('close', ended);
    readable.on('error', ended);
    // A pipe passed over from the process helper may have ended before it was wired: one that
    // saw EOF with nothing buffered emits 'end' at once, listener or not.
    if (readable.readableEnded || readable.closed) ended();
  }

  /** The attempt ends: publishes what a still-open pipe had buffered, and reads no more. */
  close(): void {
    if (this.#stdoutOpen) {
      this.#stdoutOpen = false;
      this.#flush('stdout');
    }
    if (this.#stderrOpen) {
      this.#stderrOpen = false;
      this.#flush('stderr');
    }
  }

  #onData(stream: Stream, chunk: Buffer): void {
    if (!this.#isOpen(stream)) return;
    const batches = this.#config.output === 'batches';
    // Batches hand their array to the bus; the other modes are done with theirs on return.
    const lines = batches ? [] : borrowLines();
    try {
      this.#splitterOf(stream).push(chunk, lines);
      this.#deliver(stream, lines);
    } catch (error) {
      // Never let a throw escape a stream handler into the host: end the attempt instead.
      this.#host.fail(new OutputStreamError(stream, error));
    } finally {
      if (!batches) returnLines(lines);
    }
  }

  #isOpen(stream: Stream): boolean {
    return stream === 'stdout' ? this.#stdoutOpen : this.#stderrOpen;
  }

  #splitterOf(stream: Stream): LineSplitter {
    if (stream === 'stdout') return (this.#stdoutSplitter ??= new LineSplitter(this.#config.maxLineBytes));
    return (this.#stderrSplitter ??= new LineSplitter(this.#config.maxLineBytes));
  }

  /** Publishes complete lines; a matching ready line is published before `ready()`. */
  #deliver(stream: Stream, lines: string[]): void {
    const count = lines.length;
    if (count === 0) return;
    if (stream === 'stderr') this.#keepTail(lines);
    const ctx = this.#ctx;
    const ready = this.#ready;
    const readyAt = ready === undefined ? -1 : ready.find(stream, lines, count);
    switch (this.#config.output) {
      case 'lines': {
        for (let i = 0; i < count; i++) {
          ctx.output(lines[i] as string, stream);
          if (i === readyAt) ready?.mark();
        }
        break;
      }
      case 'batches': {
        if (readyAt < 0) ctx.outputBatch(lines, stream);
        else {
          ctx.outputBatch(readyAt === count - 1 ? lines : lines.slice(0, readyAt + 1), stream);
          ready?.mark();
          if (readyAt < count - 1) ctx.outputBatch(lines.slice(readyAt + 1), stream);
        }
        break;
      }
      case 'none': {
        // Nothing is published, but the lines are still heartbeats.
        ctx.heartbeat();
        if (readyAt >= 0) ready?.mark();
        break;
      }
    }
  }

  #keepTail(lines: readonly string[]): void {
    if (lines.length >= STDERR_TAIL_LINES) {
      this.#stderrTail = lines.slice(lines.length - STDERR_TAIL_LINES);
      return;
    }
    const tail = (this.#stderrTail ??= []);
    for (const line of lines) tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.splice(0, tail.length - STDERR_TAIL_LINES);
  }

  /** End of one pipe (EOF, or closed): publish its final partial line. */
  #streamDone(stream: Stream): void {
    if (!this.#isOpen(stream)) return;
    if (stream === 'stdout') this.#stdoutOpen = false;
    else this.#stderrOpen = false;
    this.#flush(stream);
    if (!this.#stdoutOpen && !this.#stderrOpen) this.#host.pipesClosed();
  }

  #flush(stream: Stream): void {
    const splitter = stream === 'stdout' ? this.#stdoutSplitter : this.#stderrSplitter;
    // No splitter: the pipe never delivered a byte, so nothing is buffered.
    if (splitter === undefined) return;
    if (stream === 'stdout') this.#stdoutSplitter = undefined;
    else this.#stderrSplitter = undefined;
    const batches = this.#config.output === 'batches';
    const lines = batches ? [] : borrowLines();
    try {
      splitter.end(lines);
      this.#deliver(stream, lines);
    } catch (error) {
      this.#host.noteFailure(new OutputStreamError(stream, error));
    } finally {
      if (!batches) returnLines(lines);
    }
  }
}
