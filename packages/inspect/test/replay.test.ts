import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import { createSupervisor, task } from '@statevisor/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { record, replayToInspector } from '../src/index.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'statevisor-replay-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Adapter = Parameters<typeof createInspector>[0];

class CapturingAdapter implements Adapter {
  readonly sent: StatelyInspectionEvent[] = [];
  start(): void {}
  stop(): void {}
  send(event: StatelyInspectionEvent): void {
    this.sent.push(event);
  }
}

describe('replayToInspector', () => {
  it('sends every recorded inspection message, in order, to a real Stately inspector', async () => {
    const file = join(dir, 'run.jsonl');
    let runs = 0;
    const app = createSupervisor({
      name: 'app',
      children: [
        task('job', async () => (++runs < 2 ? Promise.reject(new Error('boom')) : Promise.resolve(runs)), {
          backoff: { firstMs: 1, maxMs: 1, factor: 1, jitter: 'none' },
        }),
      ],
    });
    const recording = record(app, file, { inspect: true });
    await app.start();
    await app.outcome('job');
    await app.shutdown();
    await recording.stop();

    const adapter = new CapturingAdapter();
    const inspector = createInspector(adapter);
    const sent = await replayToInspector(file, inspector);
    expect(sent).toBe(recording.stats().inspectWritten);
    expect(adapter.sent).toHaveLength(sent);
    const actors = adapter.sent.filter((message) => message.type === '@xstate.actor');
    const names = actors.map((message) => message.name);
    expect(names).toEqual(expect.arrayContaining(['app', 'app/job', 'app/job#1', 'app/job#2']));
    const definitionOf = (name: string): unknown => JSON.parse(actors.find((m) => m.name === name)?.definition ?? 'null');
    expect(definitionOf('app')).toMatchObject({ id: 'supervisor', states: { running: {}, restarting: {}, givingUp: {} } });
    expect(definitionOf('app/job')).toMatchObject({ id: 'task', states: { backoff: {}, exhausted: { type: 'final' } } });
    const jobSession = actors.find((m) => m.name === 'app/job')?.sessionId;
    const states = adapter.sent.flatMap((m) => (m.type === '@xstate.snapshot' && m.sessionId === jobSession ? [(m.snapshot as { value?: unknown }).value] : []));
    expect(states).toEqual(['starting', 'running', 'backoff', 'starting', 'running', 'exhausted']);
  });

  it('resolves with 0 for a recording made without inspect', async () => {
    const file = join(dir, 'plain.jsonl');
    const app = createSupervisor({ name: 'app', children: [task('a', async () => Promise.resolve(1))] });
    const recording = record(app, file);
    await app.start();
    await app.shutdown();
    await recording.closed;
    const adapter = new CapturingAdapter();
    expect(await replayToInspector(file, createInspector(adapter))).toBe(0);
    expect(adapter.sent).toEqual([]);
  });
});
