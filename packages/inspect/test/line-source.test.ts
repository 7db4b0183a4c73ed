import { createSupervisor, task, type SupervisorEvent } from '@statevisor/core';
import { describe, expect, it } from 'vitest';
import type { RecordingHeader, RecordingLine } from '../src/index.ts';
import { isInspectLine } from '../src/index.ts';
import { createLineSource } from '../src/record/line-source.ts';

type Entry = RecordingHeader | RecordingLine;

function collect(): { texts: string[]; values: Entry[]; consumer: (text: string, value: Entry) => void } {
  const texts: string[] = [];
  const values: Entry[] = [];
  return { texts, values, consumer: (text, value) => { texts.push(text); values.push(value); } };
}

function bodyEvents(values: Entry[]): SupervisorEvent[] {
  return values.slice(1).filter((line): line is SupervisorEvent => !isInspectLine(line as RecordingLine));
}

describe('createLineSource', () => {
  it('hands over the header, every event in seq order, and inspection messages with definitions', async () => {
    const app = createSupervisor({ name: 'app', children: [task('a', async () => Promise.resolve('done'))] });
    const seen: SupervisorEvent[] = [];
    app.events$.subscribe((event) => seen.push(event));
    const { texts, values, consumer } = collect();
    const source = createLineSource(app, { inspect: true }, consumer);
    await app.start();
    await app.outcome('a');
    await app.shutdown();
    await source.done;

    expect(values[0]).toMatchObject({ format: 'statevisor-recording', version: 1, snapshot: { path: 'app' } });
    expect(texts.map((text) => JSON.parse(text) as unknown)).toEqual(JSON.parse(JSON.stringify(values)));
    expect(bodyEvents(values)).toEqual(seen);
    const actors = values.flatMap((line) => ('inspect' in line && line.inspect.type === '@xstate.actor' ? [line.inspect] : []));
    const root = actors[0];
    expect(root?.parentId).toBeUndefined();
    expect(JSON.parse(root?.definition ?? 'null')).toMatchObject({ id: 'supervisor' });
    const taskActor = actors.find((actor) => actor.name === 'app/a');
    expect(taskActor?.parentId).toBe(root?.sessionId);
    expect(JSON.parse(taskActor?.definition ?? 'null')).toMatchObject({ id: 'task' });
    expect(actors.some((actor) => actor.name === 'app/a#1')).toBe(true);
    expect(source.stats()).toMatchObject({ written: seen.length, dropped: 0, inspectDropped: 0 });
  });

  it('keeps the order things happened in: a task machine\'s inspected state follows the event of that step', async () => {
    const app = createSupervisor({ name: 'app', children: [task('a', async ({ ready }) => { ready(); })] });
    const { values, consumer } = collect();
    const source = createLineSource(app, { inspect: true }, consumer);
    await app.start();
    await app.outcome('a');
    await app.shutdown();
    await source.done;

    const taskSession = values.flatMap((line) => ('inspect' in line && line.inspect.type === '@xstate.actor' && line.inspect.name === 'app/a' ? [line.inspect.sessionId] : []))[0];
    const order = values.slice(1).flatMap((line): string[] => {
      if (!('inspect' in line)) return 'kind' in line && line.task === 'app/a' ? [line.kind] : [];
      const message = line.inspect;
      return message.type === '@xstate.snapshot' && message.sessionId === taskSession ? [`=${String(message.snapshot.value)}`] : [];
    });
    const after = (kind: string, state: string): boolean => order.indexOf(kind) >= 0 && order.indexOf(kind) < order.indexOf(`=${state}`);
    expect(after('TaskStarting', 'starting'), order.join(' ')).toBe(true);
    expect(after('TaskStarted', 'running'), order.join(' ')).toBe(true);
    expect(after('TaskReady', 'ready'), order.join(' ')).toBe(true);
    expect(order.indexOf('=starting') < order.indexOf('TaskStarted'), order.join(' ')).toBe(true);
  });

  it('records no inspection lines without { inspect: true }', async () => {
    const app = createSupervisor({ name: 'app', children: [task('a', async () => Promise.resolve(1))] });
    const { values, consumer } = collect();
    const source = createLineSource(app, undefined, consumer);
    await app.start();
    await app.shutdown();
    await source.done;
    expect(values.slice(1).some((line) => 'inspect' in line)).toBe(false);
    expect(values.length).toBeGreaterThan(3);
  });

  it('under a burst with a stalled consumer, reports every drop in SubscriberOverflow lines that add up', async () => {
    const children = Array.from({ length: 20 }, (_, i) => task(`t${String(i)}`, async () => Promise.resolve(i)));
    const app = createSupervisor({ name: 'app', subscriberDrainMs: 0, children });
    let published = 0;
    app.events$.subscribe((event) => {
      if (!(event.kind === 'SubscriberOverflow' && event.subscriber.startsWith('tiny'))) published++;
    });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const values: Entry[] = [];
    const source = createLineSource(app, { inspect: true, capacity: 2, name: 'tiny' }, async (_text, value) => {
      values.push(value);
      await gate;
    });
    await app.start();
    await Promise.all(children.map(async (_, i) => app.outcome(`t${String(i)}`)));
    await app.shutdown();
    release();
    await source.done;

    const overflows = bodyEvents(values).flatMap((event) => (event.kind === 'SubscriberOverflow' ? [event] : []));
    const sum = (name: string): number =>
      overflows.reduce((total, event) => total + (event.subscriber === name ? event.dropped : 0), 0);
    const stats = source.stats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(sum('tiny')).toBe(stats.dropped);
    expect(stats.written + stats.dropped).toBe(published);
    expect(bodyEvents(values).filter((event) => event.kind !== 'SubscriberOverflow')).toHaveLength(stats.written);
    expect(stats.inspectDropped).toBeGreaterThan(0);
    expect(sum('tiny#inspect')).toBe(stats.inspectDropped);
    for (const event of overflows) expect(event).toMatchObject({ task: 'app', seq: expect.any(Number) as number });
  });

  it('stop() removes the subscription and the inspection observer and resolves once handed over', async () => {
    const app = createSupervisor({ name: 'app', children: [task('a', async () => Promise.resolve(1))] });
    const { values, consumer } = collect();
    const source = createLineSource(app, { inspect: true }, consumer);
    await source.stop();
    const count = values.length;
    await app.start();
    await app.outcome('a');
    await app.shutdown();
    expect(values.length).toBe(count);
    expect(source.stats().written).toBe(0);
  });

  it('ends at once, after the header, for an app already shut down', async () => {
    const app = createSupervisor({ name: 'app', children: [] });
    await app.start();
    await app.shutdown();
    const { values, consumer } = collect();
    await createLineSource(app, { inspect: true }, consumer).done;
    expect(values[0]).toMatchObject({ format: 'statevisor-recording' });
  });

  it('ends by itself when the consumer fails, rejecting done and stop() with its error', async () => {
    const app = createSupervisor({ name: 'app', children: [task('a', async () => Promise.resolve(1))] });
    let calls = 0;
    const source = createLineSource(app, { inspect: true }, () => {
      calls++;
      throw new Error('disk full');
    });
    await expect(source.done).rejects.toThrow('disk full');
    await app.start();
    await app.shutdown();
    expect(calls).toBe(1);
    await expect(source.stop()).rejects.toThrow('disk full');
  });

  it('refuses bad options with a ConfigError naming the field, before subscribing', () => {
    const app = createSupervisor({ name: 'app', children: [] });
    const call = (options: unknown) => () => createLineSource(app, options as never, () => undefined);
    expect(call({ capacity: 0 })).toThrow(expect.objectContaining({ field: 'capacity', code: 'ERR_INVALID_CONFIG' }) as Error);
    expect(call({ inspect: 'yes' })).toThrow(expect.objectContaining({ field: 'inspect' }) as Error);
    expect(call({ name: '' })).toThrow(expect.objectContaining({ field: 'name' }) as Error);
    expect(call({ colour: 1 })).toThrow(expect.objectContaining({ field: 'colour' }) as Error);
  });
});
