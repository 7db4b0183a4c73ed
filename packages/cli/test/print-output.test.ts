import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createSupervisor } from '@statevisor/core';
import { processTask } from '@statevisor/process';
import { createLineFormat } from '../src/output/line-format.ts';
import { printOutput } from '../src/output/print-output.ts';

/** A stream that takes writes but says it is full until `drain()`. */
class SlowStream extends EventEmitter {
  readonly chunks: string[] = [];
  full = true;
  write(text: string): boolean {
    this.chunks.push(text);
    return !this.full;
  }
  drain(): void {
    this.full = false;
    this.emit('drain');
  }
}

describe('printOutput', () => {
  it('waits for the stream to drain, and prints how many events it had to drop', { timeout: 20_000 }, async () => {
    const app = createSupervisor({ name: 'app', children: [processTask('p', { command: 'seq', args: ['1', '200'] }, { restart: 'never' })] });
    const stream = new SlowStream();
    const format = createLineFormat({ root: 'app', paths: ['p'], color: false, timestamps: false });
    const printer = printOutput(app, stream as unknown as NodeJS.WritableStream, format, { capacity: 5 });
    try {
      await app.start();
      await app.outcome('p');
      // Only the first line was written: the printer waits for the drain.
      expect(stream.chunks).toHaveLength(1);
      expect(stream.chunks[0]).toMatch(/^p \* started \(pid \d+\)\n$/);
      stream.drain();
    } finally {
      await app.shutdown();
      await printer.close();
    }
    const lines = stream.chunks.join('').split('\n').filter((line) => line !== '');
    const dropped = printer.subscription.stats().dropped;
    expect(dropped).toBeGreaterThan(150);
    expect(lines).toContain(`app * ${String(dropped)} events dropped here: the output came faster than it could be written`);
    // What was delivered is printed, in order, each line whole.
    const numbers = lines.filter((line) => line.startsWith('p | ')).map((line) => Number(line.slice(4)));
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.length).toBeLessThanOrEqual(5);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(lines.every((line) => /^(p \||p \*|app \*) /.test(line))).toBe(true);
  });
});
