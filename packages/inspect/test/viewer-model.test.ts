import type { SupervisorEvent } from '@statevisor/core';
import { describe, expect, it } from 'vitest';
import { filterEvents, fullPath } from '../viewer/src/model/event-filter.ts';
import { formatLine } from '../viewer/src/model/format-line.ts';
import { LineSplitter } from '../viewer/src/model/lines.ts';
import { readMachineDefinition } from '../viewer/src/model/machine-definition.ts';
import { nodeMachines } from '../viewer/src/model/node-machines.ts';
import { RecordingModel } from '../viewer/src/model/recording-model.ts';
import { EVENTS, STARTED_AT, TASK_DEFINITION, fixtureLines, webSnapshotLine } from './viewer-fixture.ts';

function load(lines = fixtureLines()): RecordingModel {
  const model = new RecordingModel();
  for (const line of lines) model.append(line);
  return model;
}

const stateOf = (model: RecordingModel, path: string, position: number): string | undefined =>
  model.stateAt(position).find((node) => node.path === path)?.state;

describe('the viewer model', () => {
  it('reads the tree from the header and the states, attempts and pids from the events', () => {
    const model = load();
    const end = model.events.length;
    expect(model.events).toHaveLength(EVENTS.length);
    expect(model.stateAt(end).map((node) => [node.path, node.state, node.attempt, node.pid])).toEqual([
      ['app', 'running', undefined, undefined],
      ['app/web', 'ready', 2, 102],
      ['app/db', 'ready', 1, undefined],
    ]);
  });

  it('answers any earlier moment: states, attempt and pid as they were', () => {
    const model = load();
    expect(stateOf(model, 'app/web', 0)).toBe('idle');
    expect(stateOf(model, 'app/web', 1)).toBe('starting');
    expect(model.stateAt(2).find((node) => node.path === 'app/web')).toMatchObject({ state: 'running', attempt: 1, pid: 101 });
    expect(stateOf(model, 'app/web', 6)).toBe('failed');
    expect(stateOf(model, 'app/web', 7)).toBe('backoff');
    expect(model.stateAt(7).find((node) => node.path === 'app/web')?.pid).toBeUndefined();
    expect(stateOf(model, 'app/db', 4)).toBe('running');
  });

  it('follows the supervisor machine: restarting on a strategy restart, running when a child starts again', () => {
    const model = load();
    expect(stateOf(model, 'app', 7)).toBe('running');
    expect(stateOf(model, 'app', 8)).toBe('restarting');
    expect(stateOf(model, 'app', 9)).toBe('running');
    expect(model.nodes.get('app')?.decisions.map((d) => d.event.kind)).toEqual(['SupervisorRestarting']);
  });

  it('keeps the restart explanations per node', () => {
    const [backoff] = load().nodes.get('app/web')?.backoffs ?? [];
    expect(backoff?.position).toBe(7);
    expect(backoff?.event.explanation).toMatchObject({ strategy: 'one-for-one', restartsAfter: 1, allowed: true, delayMs: 100 });
  });

  it('totals the drops that SubscriberOverflow reports', () => {
    const model = load();
    expect(model.droppedTotal).toBe(5);
    expect(model.dropped.get('recorder')).toBe(5);
  });

  it('reads machine definitions and lights the inspected state at each moment', () => {
    const model = load();
    const at = (position: number) => nodeMachines(model, 'app/web', position)[0];
    expect(at(model.events.length)?.graph?.states).toContain('ready');
    expect(at(model.events.length)?.lit).toBe('ready');
    expect(at(2)?.lit).toBe('running');
    expect(at(7)?.lit).toBe('backoff');
    // db's machine was not recorded: no graph, the events' state is lit.
    expect(nodeMachines(model, 'app/db', 4)[0]).toMatchObject({ graph: undefined, lit: 'running' });
  });

  it('lights the inspected state, found by time, when the events tell a state the machine does not have', () => {
    const end = STARTED_AT + 1000;
    const model = load([
      ...fixtureLines(),
      webSnapshotLine(end, 'exhausted'),
      JSON.stringify({ kind: 'TaskStopped', task: 'app/web', attempt: 2, stopReason: 'finished', durationMs: 1, seq: 20, at: end }),
      JSON.stringify({ kind: 'ActorExhausted', task: 'app/web', outcome: 'completed', seq: 21, at: end }),
      JSON.stringify({ kind: 'TaskRemoved', task: 'app/web', seq: 22, at: end }),
    ]);
    const position = model.events.length;
    expect(stateOf(model, 'app/web', position)).toBe('removed');
    expect(nodeMachines(model, 'app/web', position)[0]?.lit).toBe('exhausted');
  });

  it('reads a definition as states and labelled transitions, with guards and final states', () => {
    const graph = readMachineDefinition(TASK_DEFINITION);
    expect(graph?.initial).toBe('idle');
    expect(graph?.finals).toEqual(new Set(['exhausted']));
    expect(graph?.transitions).toContainEqual({ from: 'running', to: 'failed', event: 'attempt.error', guard: undefined });
    expect(graph?.transitions).toContainEqual({ from: 'failed', to: 'backoff', event: 'always', guard: 'decidedRetry' });
    expect(readMachineDefinition('{"id":"promise"}')).toBeUndefined();
    expect(readMachineDefinition('not json')).toBeUndefined();
  });

  it('filters the log by kind and by path (the path or below, full or relative to the root)', () => {
    const model = load();
    const kinds = (rows: number[]) => rows.map((index) => model.events[index]?.kind);
    expect(kinds(filterEvents(model.events, { kinds: new Set(['TaskFailed', 'TaskReady']), path: '' }, 'app'))).toEqual(['TaskReady', 'TaskFailed', 'TaskReady']);
    const web = filterEvents(model.events, { kinds: undefined, path: 'web' }, 'app');
    expect(web.every((index) => model.events[index]?.task === 'app/web')).toBe(true);
    expect(web).toHaveLength(8);
    expect(filterEvents(model.events, { kinds: undefined, path: 'app' }, 'app')).toHaveLength(EVENTS.length);
    expect(fullPath('app/web', 'app')).toBe('app/web');
    expect(filterEvents([{ ...EVENTS[0], task: 'app/web2' } as SupervisorEvent], { kinds: undefined, path: 'app/web' }, 'app')).toEqual([]);
  });

  it('parses a stream cut anywhere, as the live socket and a streamed recording deliver it', () => {
    const text = `${fixtureLines().join('\n')}\n`;
    const model = new RecordingModel();
    const splitter = new LineSplitter();
    for (let offset = 0; offset < text.length; offset += 37) for (const line of splitter.push(text.slice(offset, offset + 37))) model.append(line);
    for (const line of splitter.end()) model.append(line);
    expect(model.events).toHaveLength(EVENTS.length);
    expect(model.problems).toEqual([]);
    expect(stateOf(model, 'app/web', model.events.length)).toBe('ready');
  });

  it('keeps unreadable lines as problems instead of failing', () => {
    const model = load([...fixtureLines(), '{not json', '42']);
    expect(model.problems.map((p) => p.message)).toEqual(['not JSON', 'not an object']);
  });

  it('formats log lines like formatEvent, with the time since the recording began', () => {
    const failed = EVENTS[5] as SupervisorEvent;
    expect(formatLine(failed, STARTED_AT)).toBe('+0.060s #6 app/web TaskFailed attempt 1 boom after 5 ms');
  });

  it('shows tasks added and removed during the run', () => {
    const model = load([
      ...fixtureLines(),
      JSON.stringify({ kind: 'TaskAdded', task: 'app/late', seq: 100, at: STARTED_AT + 500 }),
      JSON.stringify({ kind: 'TaskRemoved', task: 'app/late', seq: 101, at: STARTED_AT + 600 }),
    ]);
    const end = model.events.length;
    expect(stateOf(model, 'app/late', end - 2)).toBeUndefined();
    expect(stateOf(model, 'app/late', end - 1)).toBe('idle');
    expect(stateOf(model, 'app/late', end)).toBe('removed');
  });

  it('parses 100 000 events and answers stateAt at any position', () => {
    const model = load(fixtureLines().slice(0, 1));
    const tasks = 300;
    for (let seq = 1; seq <= 100_000; seq += 1) {
      const task = `app/t${String(seq % tasks)}`;
      const kinds = ['TaskStarting', 'TaskStarted', 'TaskReady', 'TaskOutput', 'TaskFailed', 'BackoffScheduled'] as const;
      const kind = kinds[Math.floor(seq / tasks) % kinds.length] ?? 'TaskOutput';
      model.append(JSON.stringify({ kind, task, seq, at: STARTED_AT + seq, attempt: 1, line: 'x', stream: 'stdout', reason: 'r', durationMs: 1, delayMs: 1, backoffSource: 'failure' }));
    }
    expect(model.events).toHaveLength(100_000);
    expect(model.stateAt(100_000)).toHaveLength(tasks + 3);
    expect(stateOf(model, 'app/t1', 1)).toBe('starting');
    expect(stateOf(model, 'app/t1', 50_000)).toBeDefined();
  });
});
