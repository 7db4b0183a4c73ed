/**
 * The stdin pipe of an attempt with `stdin: true`: writes, close, and EPIPE as an event (never a
 * crash of the host).
 *
 * @module
 */
import type { Writable } from 'node:stream';
import { describeThrown } from '@statevisor/core';
import type { RunnerContext } from '@statevisor/core';
import { errnoOf } from '../errors.ts';

/**
 * The child's stdin, while the attempt may write to it.
 *
 * @example
 * ```ts
 * const stdin = new StdinPipe(child.stdin, ctx);
 * stdin.write('hello\n'); // true
 * stdin.close();
 * stdin.write('more'); // false
 * ```
 */
export class StdinPipe {
  readonly #stdin: Writable;
  readonly #ctx: RunnerContext;
  #open = true;

  constructor(stdin: Writable, ctx: RunnerContext) {
    this.#stdin = stdin;
    this.#ctx = ctx;
    stdin.on('error', (error: unknown) => {
      this.#onError(error);
    });
  }

  /** Writes `data`; false once stdin is closed (by `close()`, the process, or the attempt's end). */
  write(data: string | Uint8Array): boolean {
    const stdin = this.#stdin;
    if (!this.#open || !stdin.writable) return false;
    try {
      stdin.write(data);
      return true;
    } catch {
      return false;
    }
  }

  /** Ends stdin (the process reads EOF). */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#stdin.end();
  }

  /** The attempt has ended: no more writes, and no `StdinClosed` for what the pipe does now. */
  release(): void {
    this.#open = false;
  }

  /**
   * EPIPE (the process closed its stdin) and any other error of the pipe: later writes return
   * false, and `StdinClosed` says so once, unless the attempt closed stdin itself or has ended.
   */
  #onError(error: unknown): void {
    if (!this.#open) return;
    this.#open = false;
    const code = errnoOf(error);
    const message = describeThrown(error);
    this.#ctx.stdinClosed({ code, message });
  }
}
