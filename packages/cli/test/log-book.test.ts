import { createSupervisor, supervisor, type ChildSpec, type Supervisor } from '@statevisor/core';
import { processTask } from '@statevisor/process';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogBook, type LogBook } from '../src/logs/log-book.ts';
import type { LogLine } from '../src/logs/log-line.ts';
import { RingBuffer } from '../src/logs/ring-buffer.ts';
import { until } from './control-fixture.ts';

/** A process that prints `<name> <i>` for i = 0..count-1 on stdout (on stderr with `stream: 'stderr'`). */
const printer = (name: string, count: number, stream: 'stdout' | 'stderr' = 'stdout'): ChildSpec =>
  processTask(
    name,
    { command: process.execPath, args: ['-e', `for (let i = 0; i < ${String(count)}; i++) console.${stream === 'stdout' ? 'log' : 'error'}('${name} ' + i)`] },
    { restart: 'never' },
  );

const open: { app: Supervisor; logs: LogBook }[] = [];
afterEach(async () => {
  for (const { app, logs } of open.splice(0)) {
    await app.shutdown();
    logs.close();
  }
});

async function run(children: ChildSpec[], linesPerProcess: number): Promise<{ app: Supervisor; logs: LogBook }> {
  const app = createSupervisor({ name: 'app', children });
  const logs = createLogBook(app, { linesPerProcess });
  open.push({ app, logs });
  await app.start();
  return { app, logs };
}

describe('the log book', () => {
  it('keeps the last lines per process, with stream and relative path, merged in order', async () => {
    const { app, logs } = await run([printer('web', 30), printer('err', 2, 'stderr'), supervisor('workers', { restart: 'never', children: [printer('a', 5)] })], 10);
    await Promise.all([app.outcome('web'), app.outcome('err'), app.outcome('workers/a')]);
    const web = logs.recent('web');
    expect(web.map((line) => line.line)).toEqual(Array.from({ length: 10 }, (_, i) => `web ${String(i + 20)}`));
    expect(web[1]).toMatchObject({ path: 'web', stream: 'stdout', line: 'web 21' });
    expect(logs.recent('err')).toMatchObject([{ path: 'err', stream: 'stderr', line: 'err 0' }, { stream: 'stderr', line: 'err 1' }]);
    expect(logs.recent('workers').map((line) => line.path)).toEqual(['workers/a', 'workers/a', 'workers/a', 'workers/a', 'workers/a']);
    expect(logs.recent('app/workers/a')).toHaveLength(5);
    const all = logs.recent();
    expect(all).toHaveLength(17);
    expect(all.map((line) => line.seq)).toEqual([...all.map((line) => line.seq)].sort((x, y) => x - y));
    expect(logs.recent(undefined, 3)).toEqual(all.slice(-3));
    expect(logs.last('web')?.line).toBe('web 29');
    expect(logs.recent('nope')).toEqual([]);
  });

  it('follows the new lines of one process until unsubscribed', async () => {
    const app = createSupervisor({ name: 'app', children: [] });
    const logs = createLogBook(app);
    open.push({ app, logs });
    await app.start();
    const seen: LogLine[] = [];
    const stop = logs.follow('b', (line) => seen.push(line));
    await app.add(printer('a', 3));
    await app.add(printer('b', 3));
    await until('b\'s lines', () => (seen.length === 3 ? true : undefined));
    expect(seen.map((line) => line.line)).toEqual(['b 0', 'b 1', 'b 2']);
    stop();
    await app.add(printer('c', 1));
    await app.outcome('c');
    await until('c\'s line kept', () => logs.last('c'));
    expect(seen).toHaveLength(3);
  });

  it('refuses a linesPerProcess that is not a positive integer, naming it', () => {
    const app = createSupervisor({ name: 'app', children: [] });
    expect(() => createLogBook(app, { linesPerProcess: 0 })).toThrow('linesPerProcess must be a positive integer, got 0');
  });
});

describe('the ring buffer', () => {
  it('keeps the newest items, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.last()).toBeUndefined();
    for (let i = 0; i < 7; i++) ring.push(i);
    expect(ring.toArray()).toEqual([4, 5, 6]);
    expect(ring.size).toBe(3);
    expect(ring.last()).toBe(6);
  });
});
