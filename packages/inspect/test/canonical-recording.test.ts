/**
 * The committed canonical recording (scripts/make-canonical-recording.ts) shows what the viewer
 * and its docs rely on: a crash, backoffs, a one-for-all restart, an escalation, a process task
 * with a ready line, a ready-gated dependency, a clean shutdown, and the machines' definitions.
 */
import type { SupervisorEvent } from '@statevisor/core';
import { describe, expect, it } from 'vitest';
import { CANONICAL_RECORDING } from '../scripts/make-canonical-recording.ts';
import { readRecording, readRecordingHeader, type ActorMessage, type RecordingLine } from '../src/index.ts';

async function lines(): Promise<RecordingLine[]> {
  const out: RecordingLine[] = [];
  for await (const line of readRecording(CANONICAL_RECORDING, { inspect: true, strict: true })) out.push(line);
  return out;
}

function events(all: RecordingLine[]): SupervisorEvent[] {
  return all.flatMap((line) => ('inspect' in line ? [] : [line]));
}

function has(all: SupervisorEvent[], kind: SupervisorEvent['kind'], task: string, extra: Record<string, unknown> = {}): void {
  expect(all, `${kind} of ${task}`).toContainEqual(expect.objectContaining({ kind, task, ...extra }));
}

describe('the canonical recording', () => {
  it('starts with a header of this format', async () => {
    expect(await readRecordingHeader(CANONICAL_RECORDING)).toMatchObject({ format: 'statevisor-recording', version: 1, snapshot: { path: 'app' } });
  });

  it('holds every event it is there to show, with strictly increasing seq', async () => {
    const all = events(await lines());
    const seqs = all.map((event) => event.seq);
    seqs.forEach((seq, i) => { if (i > 0) expect(seq).toBeGreaterThan(seqs[i - 1] ?? 0); });
    has(all, 'TaskFailed', 'app/workers/a', { reason: 'worker a crashed' });
    has(all, 'BackoffScheduled', 'app/workers/a', { backoffSource: 'failure' });
    has(all, 'SupervisorRestarting', 'app/workers', { strategy: 'one-for-all', affected: ['app/workers/a', 'app/workers/b'] });
    has(all, 'TaskStopped', 'app/workers/b', { stopReason: { terminated: 'cleanup' } });
    has(all, 'IntensityExceeded', 'app/fragile');
    has(all, 'TaskFailed', 'app/fragile');
    has(all, 'BackoffScheduled', 'app/fragile');
    has(all, 'TaskStarting', 'app/fragile', { attempt: 2 });
    has(all, 'TaskOutput', 'app/web', { line: 'web: listening on 8080' });
    has(all, 'TaskReady', 'app/web');
    has(all, 'DependencyWaiting', 'app/api', { waitingFor: ['web'] });
    has(all, 'DependencyReady', 'app/api');
    has(all, 'ShutdownRequested', 'app');
    expect(all.at(-1)).toMatchObject({ kind: 'AllStoppedWithinGrace', task: 'app' });
    const dependency = all.findIndex((e) => e.kind === 'TaskStarting' && e.task === 'app/api');
    expect(dependency).toBeGreaterThan(all.findIndex((e) => e.kind === 'TaskReady' && e.task === 'app/web'));
  });

  it('holds inspection messages with the task and supervisor machines and their definitions', async () => {
    const actors = (await lines()).flatMap((line) => ('inspect' in line && line.inspect.type === '@xstate.actor' ? [line.inspect] : []));
    const byName = (name: string): ActorMessage | undefined => actors.find((actor) => actor.name === name);
    expect(JSON.parse(byName('app')?.definition ?? 'null')).toMatchObject({ id: 'supervisor', states: { restarting: {}, givingUp: {} } });
    expect(JSON.parse(byName('app/workers/a')?.definition ?? 'null')).toMatchObject({ id: 'task', states: { backoff: {}, dead: {} } });
    expect(actors.some((actor) => actor.name === 'app/web#1')).toBe(true);
    expect(actors.filter((actor) => actor.name === 'app/fragile')).toHaveLength(1);
    expect(actors.filter((actor) => actor.name === 'app/fragile/unstable').length).toBeGreaterThanOrEqual(2);
  });
});
