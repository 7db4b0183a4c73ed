import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSupervisor, task, type SupervisorEvent } from '@statevisor/core';
import { processTask } from '@statevisor/process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { readRecording, readRecordingHeader, record, type RecordingLine } from '../src/index.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'statevisor-record-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** How many of this process's file descriptors are open on `file` (Linux's /proc). */
async function descriptorsOf(file: string): Promise<number> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map(async (fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target === file).length;
}

async function collect<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('record', () => {
  it('round trip: readRecording yields exactly the events a live events$ observer saw', async () => {
    const file = join(dir, 'run.jsonl');
    let runs = 0;
    const app = createSupervisor({
      name: 'app',
      children: [
        task('ok', async () => Promise.resolve('fine')),
        task('flaky', async () => (++runs < 3 ? Promise.reject(new Error('boom')) : Promise.resolve(runs)), {
          backoff: { firstMs: 1, maxMs: 2, factor: 1, jitter: 'none' },
        }),
      ],
    });
    const seen: SupervisorEvent[] = [];
    app.events$.subscribe((event) => seen.push(event));
    const recording = record(app, file, { inspect: true });
    await app.start();
    await app.outcome('flaky');
    await app.shutdown();
    await recording.stop();

    const events = await collect(readRecording(file));
    expect(events).toEqual(JSON.parse(JSON.stringify(seen)));
    expect(events.filter((event) => event.kind === 'TaskFailed')).toHaveLength(2);
    expect(recording.stats()).toMatchObject({ written: seen.length, dropped: 0, inspectDropped: 0 });
    expect(recording.stats().inspectWritten).toBeGreaterThan(0);
    const header = await readRecordingHeader(file);
    expect(header).toMatchObject({ format: 'statevisor-recording', version: 1, snapshot: { path: 'app' } });
    const lines = await collect(readRecording(file, { inspect: true }));
    expect(lines.filter((line) => 'inspect' in line)).toHaveLength(recording.stats().inspectWritten);
  });

  it('stops by itself after shutdown, with the file closed and complete', async () => {
    const file = join(dir, 'auto.jsonl');
    const app = createSupervisor({ name: 'app', children: [task('a', async () => Promise.resolve(1))] });
    const recording = record(app, file);
    await app.start();
    await app.shutdown();
    await recording.closed;
    expect(await descriptorsOf(file)).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n').at(-1)).toContain('AllStoppedWithinGrace');
  });

  it('under a burst with a tiny capacity, loses events only with SubscriberOverflow lines that add up', async () => {
    const file = join(dir, 'burst.jsonl');
    const children = Array.from({ length: 30 }, (_, i) => task(`t${String(i)}`, async () => Promise.resolve(i)));
    const app = createSupervisor({ name: 'app', subscriberDrainMs: 0, children });
    let published = 0;
    app.events$.subscribe((event) => {
      if (!(event.kind === 'SubscriberOverflow' && event.subscriber === 'tiny')) published++;
    });
    const recording = record(app, file, { capacity: 1, name: 'tiny' });
    await app.start();
    await Promise.all(children.map(async (_, i) => app.outcome(`t${String(i)}`)));
    await app.shutdown();
    await recording.stop();

    const events = await collect(readRecording(file));
    const reported = events.reduce((sum, event) => sum + (event.kind === 'SubscriberOverflow' && event.subscriber === 'tiny' ? event.dropped : 0), 0);
    const written = events.filter((event) => !(event.kind === 'SubscriberOverflow' && event.subscriber === 'tiny')).length;
    const stats = recording.stats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(reported).toBe(stats.dropped);
    expect(written).toBe(stats.written);
    expect(written + reported).toBe(published);
  });

  it('never records env values (a process task, an actor input) unless { secrets: true }', async () => {
    const service = createMachine({
      id: 'service',
      context: ({ input }: { input: { env: Record<string, string> } }) => ({ env: input.env, started: true }),
      initial: 'up',
      states: { up: { on: { stop: 'down' } }, down: { type: 'final' } },
    });
    const run = async (secrets: boolean): Promise<string> => {
      const file = join(dir, `env-${String(secrets)}.jsonl`);
      const app = createSupervisor({
        name: 'app',
        children: [
          processTask('sh', { command: 'sh', args: ['-c', 'echo "token is $TOKEN"'], env: { TOKEN: 'hunter2' }, readyIndicator: /token/ }),
          task('service', service, { input: { env: { TOKEN: 'hunter2' } } }),
        ],
      });
      const recording = record(app, file, { inspect: true, secrets });
      await app.start();
      await app.outcome('sh');
      await app.shutdown();
      await recording.stop();
      return readFile(file, 'utf8');
    };
    const redacted = await run(false);
    // The process printed it: an output line is the user's own text, recorded as is. Nothing else may hold it.
    const withoutOutput = redacted.split('\n').filter((line) => !line.includes('"TaskOutput"')).join('\n');
    expect(withoutOutput).toContain('"TOKEN":"[redacted]"');
    expect(withoutOutput).not.toContain('hunter2');
    expect(await run(true)).toContain('"env":{"TOKEN":"hunter2"}');
  });

  it('never records a task output unless { outputs: true }', async () => {
    const run = async (outputs: boolean): Promise<string> => {
      const file = join(dir, `out-${String(outputs)}.jsonl`);
      const app = createSupervisor({ name: 'app', children: [task('a', async () => Promise.resolve('marker-7f3a'))] });
      const recording = record(app, file, { inspect: true, outputs });
      await app.start();
      await app.outcome('a');
      await app.shutdown();
      await recording.stop();
      return readFile(file, 'utf8');
    };
    expect(await run(false)).not.toContain('marker-7f3a');
    expect(await run(true)).toContain('marker-7f3a');
  });

  it('stop() closes the file and removes the subscription: no handle is left, later events are not written', async () => {
    const file = join(dir, 'stop.jsonl');
    const app = createSupervisor({ name: 'app', children: [task('a', async () => Promise.resolve(1))] });
    const recording = record(app, file, { inspect: true });
    await recording.stop();
    await recording.stop();
    const size = (await readFile(file, 'utf8')).length;
    expect(await descriptorsOf(file)).toBe(0);
    await app.start();
    await app.outcome('a');
    await app.shutdown();
    expect((await readFile(file, 'utf8')).length).toBe(size);
    expect(recording.stats().written).toBe(0);
    const lines: RecordingLine[] = await collect(readRecording(file, { inspect: true }));
    expect(lines.every((line) => 'inspect' in line)).toBe(true);
  });

  it('refuses bad options with a ConfigError naming the field, before the file is opened', async () => {
    const app = createSupervisor({ name: 'app', children: [] });
    const file = join(dir, 'never.jsonl');
    const bad = (options: unknown, target: unknown = file) => () => record(app, target as string, options as never);
    expect(bad({ capacity: 1.5 })).toThrow(expect.objectContaining({ name: 'ConfigError', field: 'capacity' }) as Error);
    expect(bad({ secrets: 1 })).toThrow(expect.objectContaining({ field: 'secrets' }) as Error);
    expect(bad({ outputs: 'no' })).toThrow(expect.objectContaining({ field: 'outputs' }) as Error);
    expect(bad({ name: 3 })).toThrow(expect.objectContaining({ field: 'name' }) as Error);
    expect(bad({ inpsect: true })).toThrow(expect.objectContaining({ field: 'inpsect' }) as Error);
    expect(bad(undefined, '')).toThrow(expect.objectContaining({ field: 'file' }) as Error);
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await app.shutdown();
  });

  it('rejects stop() when the file cannot be written', async () => {
    const app = createSupervisor({ name: 'app', children: [] });
    const recording = record(app, join(dir, 'missing', 'dir', 'run.jsonl'));
    await expect(recording.closed).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(recording.stop()).rejects.toMatchObject({ code: 'ENOENT' });
    await app.shutdown();
  });
});
