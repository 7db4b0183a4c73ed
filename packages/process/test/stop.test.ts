import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { InspectionEvent } from 'xstate';
import { processTask } from '../src/index.ts';
import type { ProcessConfig } from '../src/index.ts';
import { aliveInGroup, disposeAll, groupGone, groupStopped, isAlive, sleep, tracked, waitFor } from './support.ts';

afterEach(disposeAll);

const sh = (script: string, extra: Partial<ProcessConfig> = {}): ProcessConfig => ({ command: 'sh', args: ['-c', script], ...extra });
const DAY = 86_400_000;
const IGNORES_TERM = 'trap "" TERM; echo armed; while :; do sleep 0.1; done';
const HANDLES_TERM = 'trap "echo got-term; exit 7" TERM; echo armed; while :; do sleep 0.1; done';

/** Records what `pick` takes from each inspected snapshot of the actor named `id`. */
function snapshotsOf(id: string): {
  inspect: (event: InspectionEvent) => void;
  values: (pick: (snapshot: { value?: unknown; context?: unknown }) => unknown) => unknown[];
} {
  const recorded: unknown[] = [];
  let take: (snapshot: { value?: unknown; context?: unknown }) => unknown = () => undefined;
  return {
    inspect: (event) => {
      const actor = event.actorRef as { id?: string };
      if (event.type === '@xstate.snapshot' && actor.id === id) recorded.push(take(event.snapshot as { value?: unknown; context?: unknown }));
    },
    values: (pick) => {
      take = pick;
      return recorded;
    },
  };
}

describe('timeouts', { timeout: 20_000 }, () => {
  it('a timeout stops the group and ends the attempt with TimeoutHit', async () => {
    const h = tracked({ children: [processTask('p', { command: 'sleep', args: ['30'] }, { timeoutMs: 1_000, restart: 'never' })] });
    await h.app.start();
    await h.until('p', 'TaskStarted');
    await h.advance(999);
    expect(h.kinds('p')).not.toContain('ProcessControl');
    await h.advance(1);
    const outcome = await h.app.outcome('p');
    expect(outcome.kind).toBe('failed');
    expect(h.kinds('p').slice(-5)).toEqual(['TaskReady', 'ProcessControl', 'TimeoutHit', 'ActorExhausted', 'TaskRemoved']);
    expect(h.find('p', 'TimeoutHit')).toMatchObject({ timeoutMs: 1_000 });
    await groupGone(h.pid('p'));
  });

  it('config.timeoutMs is the child option; a process ignoring SIGTERM gets SIGKILL after killGraceMs', async () => {
    const h = tracked({
      graceMs: 5_000,
      children: [processTask('p', sh(IGNORES_TERM, { timeoutMs: 300, killGraceMs: 500 }), { restart: 'never' })],
    });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const pid = h.pid('p');
    await h.advance(300);
    await h.until('p', 'ProcessControl');
    await sleep(50);
    expect(isAlive(pid)).toBe(true);
    await h.advance(499);
    expect(h.kinds('p')).not.toContain('TimeoutHit');
    expect(isAlive(pid)).toBe(true);
    await h.advance(1);
    await h.until('p', 'TimeoutHit');
    await expect(h.app.outcome('p')).resolves.toMatchObject({ kind: 'failed' });
    await groupGone(pid);
  });
});

describe('stop', { timeout: 20_000 }, () => {
  it('stop() sends SIGTERM to the group: TaskStopped with the signal, outcome cancelled', async () => {
    const h = tracked({ children: [processTask('p', { command: 'sleep', args: ['30'] })] });
    await h.app.start();
    await h.until('p', 'TaskStarted');
    await expect(h.app.child('p').stop()).resolves.toBe(true);
    await expect(h.app.outcome('p')).resolves.toMatchObject({ kind: 'cancelled' });
    const stopped = h.find('p', 'TaskStopped');
    expect(stopped).toMatchObject({ signal: 'SIGTERM', stopReason: { terminated: 'user-requested' } });
    expect(stopped).not.toHaveProperty('exitCode');
    expect(h.kinds('p').slice(-4)).toEqual(['ProcessControl', 'TaskStopped', 'ActorExhausted', 'TaskRemoved']);
    await groupGone(h.pid('p'));
  });

  it('a stop aborts the attempt in its own step: the process gets SIGTERM and the task walks ready → stopping → stopped', async () => {
    const seen = snapshotsOf('app/p');
    const states = seen.values((snapshot) => snapshot.value);
    const h = tracked({ inspect: seen.inspect, children: [processTask('p', { command: 'sleep', args: ['30'] })] });
    await h.app.start();
    await h.until('p', 'TaskReady');
    await expect(h.app.cancel('p')).resolves.toBe(true);
    expect(states).toEqual(['starting', 'ready', 'stopping', 'exhausted']);
    expect(h.kinds('p').slice(-5)).toEqual(['TaskRemoveRequested', 'ProcessControl', 'TaskStopped', 'ActorExhausted', 'TaskRemoved']);
    expect(h.find('p', 'TaskStopped')).toMatchObject({ signal: 'SIGTERM', stopReason: { terminated: 'user-requested' } });
    await expect(h.app.outcome('p')).resolves.toMatchObject({ kind: 'cancelled' });
    await groupGone(h.pid('p'));
  });

  it("a process attempt's actor shows its pid and command line in its snapshot context", async () => {
    const seen = snapshotsOf('app/p#1');
    const contexts = seen.values((snapshot) => snapshot.context);
    const h = tracked({ inspect: seen.inspect, children: [processTask('p', { command: 'sleep', args: ['30'] })] });
    await h.app.start();
    await h.until('p', 'TaskReady');
    expect(contexts.at(-1)).toEqual({ attempt: 1, pid: h.pid('p'), command: 'sleep 30' });
    await h.app.cancel('p');
    await groupGone(h.pid('p'));
  });

  it('a TERM handler runs and its exit code is reported', async () => {
    const h = tracked({ children: [processTask('p', sh(HANDLES_TERM))] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    await h.app.child('p').stop();
    expect(h.lines('p', 'stdout')).toEqual(['armed', 'got-term']);
    expect(h.find('p', 'TaskStopped')).toMatchObject({ exitCode: 7, stopReason: { terminated: 'user-requested' } });
  });

  it('a process that traps and ignores SIGTERM gets SIGKILL after killGraceMs', async () => {
    const h = tracked({ graceMs: 5_000, children: [processTask('p', sh(IGNORES_TERM, { killGraceMs: 500 }))] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const pid = h.pid('p');
    const stopping = h.app.child('p').stop();
    await h.until('p', 'ProcessControl');
    await sleep(100);
    expect(isAlive(pid)).toBe(true);
    await h.advance(499);
    await sleep(50);
    expect(isAlive(pid)).toBe(true);
    expect(h.kinds('p')).not.toContain('TaskStopped');
    await h.advance(1);
    await stopping;
    expect(h.find('p', 'TaskStopped')).toMatchObject({ signal: 'SIGKILL', stopReason: { terminated: 'user-requested' } });
    await expect(h.app.outcome('p')).resolves.toMatchObject({ kind: 'cancelled' });
    await groupGone(pid);
  });

  it('a killGraceMs beyond a Node timer (30 days) waits its time: no SIGKILL after 1 ms', async () => {
    // A simulated clock that clamps like Node: an unstepped 30-day timer would fire after 1 ms.
    const sim = new SimulatedClock();
    const clock = {
      setTimeout: (fn: () => void, ms: number) => sim.setTimeout(fn, ms > 2 ** 31 - 1 ? 1 : ms),
      clearTimeout: (handle: unknown) => {
        sim.clearTimeout(handle as number);
      },
      now: () => sim.now(),
    };
    const h = tracked({ clock, graceMs: 31 * DAY, children: [processTask('p', sh(IGNORES_TERM, { killGraceMs: 30 * DAY }))] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const pid = h.pid('p');
    const stopping = h.app.child('p').stop();
    await h.until('p', 'ProcessControl');
    for (let day = 1; day < 30; day++) sim.increment(DAY);
    await sleep(100);
    expect(isAlive(pid)).toBe(true);
    expect(h.kinds('p')).not.toContain('TaskStopped');
    sim.increment(DAY);
    await stopping;
    expect(h.find('p', 'TaskStopped')).toMatchObject({ signal: 'SIGKILL', stopReason: { terminated: 'user-requested' } });
    await groupGone(pid);
  });

  it('with killGraceMs equal to the supervisor grace (the default) a stuck process is force-aborted, and still killed', async () => {
    const h = tracked({ graceMs: 1_000, children: [processTask('p', sh(IGNORES_TERM))] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const pid = h.pid('p');
    const stopping = h.app.child('p').stop();
    await h.until('p', 'ProcessControl');
    // The machine's stop step waits 2 ms for the process to die of its SIGTERM (it does not);
    // the grace counts from the request all the same. A SimulatedClock fires a timer armed
    // inside advance() relative to the advance's end, hence the two advances.
    await h.advance(2);
    await h.advance(998);
    await stopping;
    await expect(h.app.outcome('p')).resolves.toMatchObject({ kind: 'force-aborted' });
    await groupGone(pid);
  });

  it('a second stop request does not postpone the SIGKILL: it comes killGraceMs after the first', async () => {
    // restart() then shutdown(): the supervisor's grace starts again at the second request, but
    // the kill grace (here the default, graceMs) still counts from the first.
    const h = tracked({ graceMs: 1_000, children: [processTask('p', sh(IGNORES_TERM))] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const pid = h.pid('p');
    await expect(h.app.restart('p')).resolves.toBe(true);
    await h.until('p', 'ProcessControl');
    await h.advance(600);
    const shutdown = h.app.shutdown();
    await sleep(50);
    expect(isAlive(pid)).toBe(true);
    await h.advance(400);
    await groupGone(pid);
    await expect(shutdown).resolves.toEqual({ withinGrace: true, stuck: [] });
    expect(h.find('p', 'TaskStopped')).toMatchObject({ signal: 'SIGKILL', stopReason: { terminated: 'shutdown' } });
    await expect(h.app.outcome('p')).resolves.toMatchObject({ kind: 'cancelled' });
  });

  it('kills every process of the group, grandchildren and double-forked ones included', async () => {
    const script = [
      'sleep 300 & echo $!',
      '(sleep 300 & echo $!)',
      '(trap "" TERM; exec sleep 300) & echo $!',
      'sleep 300 >/dev/null 2>&1 & echo $!',
      'echo armed',
      'wait',
    ].join('\n');
    const h = tracked({ graceMs: 5_000, children: [processTask('p', sh(script, { killGraceMs: 500 }))] });
    await h.app.start();
    await waitFor(() => h.lines('p').includes('armed'), 'armed');
    const leader = h.pid('p');
    const descendants = h.lines('p').filter((line) => /^\d+$/.test(line)).map(Number);
    expect(descendants).toHaveLength(4);
    expect(aliveInGroup(leader).sort()).toEqual([leader, ...descendants].sort());
    const stopping = h.app.child('p').stop();
    await h.until('p', 'ProcessControl');
    // The TERM-ignoring grandchild holds stdout: SIGKILL after killGraceMs ends it.
    await h.advance(500);
    await stopping;
    expect(h.find('p', 'TaskStopped')).toMatchObject({ stopReason: { terminated: 'user-requested' } });
    await groupGone(leader);
    for (const pid of descendants) expect(isAlive(pid)).toBe(false);
  });

  it('remove() and restart() stop the group too', async () => {
    const h = tracked({ children: [processTask('gone', { command: 'sleep', args: ['30'] }), processTask('again', { command: 'sleep', args: ['30'] })] });
    await h.app.start();
    await h.until('gone', 'TaskStarted');
    await h.until('again', 'TaskStarted');
    const gonePid = h.pid('gone');
    const firstPid = h.pid('again');
    await expect(h.app.cancel('gone')).resolves.toBe(true);
    expect(h.kinds('gone').slice(-5)).toEqual(['TaskRemoveRequested', 'ProcessControl', 'TaskStopped', 'ActorExhausted', 'TaskRemoved']);
    await groupGone(gonePid);
    await expect(h.app.restart('again')).resolves.toBe(true);
    await h.until('again', 'TaskStarted', 2);
    expect(h.pid('again')).not.toBe(firstPid);
    await groupGone(firstPid);
  });

  it('shutdown stops every process group within the grace', async () => {
    const script = 'sleep 300 & sleep 300 & echo up; wait';
    const h = tracked({
      children: [processTask('a', sh(script)), processTask('b', sh(script)), processTask('c', sh(IGNORES_TERM, { killGraceMs: 200 }))],
    });
    await h.app.start();
    for (const name of ['a', 'b', 'c']) await h.until(name, 'TaskOutput');
    const leaders = ['a', 'b', 'c'].map((name) => h.pid(name));
    const shutdown = h.app.shutdown();
    await h.until('c', 'ProcessControl');
    await h.advance(200);
    await expect(shutdown).resolves.toEqual({ withinGrace: true, stuck: [] });
    for (const name of ['a', 'b', 'c']) {
      expect(h.find(name, 'TaskStopped')).toMatchObject({ stopReason: { terminated: 'shutdown' } });
    }
    for (const leader of leaders) await groupGone(leader);
  });

  it('a natural exit racing the timeout always gives exactly one terminal event', async () => {
    for (let i = 0; i < 20; i++) {
      const h = tracked({ children: [processTask('p', { command: 'true' }, { timeoutMs: 10, restart: 'never' })] });
      await h.app.start();
      await h.until('p', 'TaskStarted');
      await h.advance(10);
      const outcome = await h.app.outcome('p');
      expect(['completed', 'failed']).toContain(outcome.kind);
      const terminals = h.kinds('p').filter((kind) => ['TaskStopped', 'TaskFailed', 'TimeoutHit', 'TaskError'].includes(kind));
      expect(terminals).toEqual([outcome.kind === 'completed' ? 'TaskStopped' : 'TimeoutHit']);
    }
  });

  it('a natural exit racing a stop always gives exactly one terminal event', async () => {
    for (let i = 0; i < 20; i++) {
      const h = tracked({ children: [processTask('p', { command: 'true' })] });
      await h.app.start();
      await h.until('p', 'TaskStarted');
      await h.app.cancel('p');
      const outcome = await h.app.outcome('p');
      expect(['completed', 'cancelled']).toContain(outcome.kind);
      const terminals = h.kinds('p').filter((kind) => ['TaskStopped', 'TaskFailed', 'TimeoutHit', 'TaskError'].includes(kind));
      expect(terminals).toEqual(['TaskStopped']);
    }
  });
});

describe('pause and resume', { timeout: 20_000 }, () => {
  it('SIGSTOP/SIGCONT to the group: no progress while paused, ProcessControl events', async () => {
    const h = tracked({ children: [processTask('p', sh('i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done'))] });
    await h.app.start();
    await waitFor(() => h.lines('p').length >= 3, 'three lines');
    const pid = h.pid('p');
    const handle = h.app.child('p');
    const state = (): string | undefined => h.app.snapshot().children?.find((node) => node.path === 'app/p')?.state;
    expect(state()).toBe('ready');
    expect(handle.pause()).toBe(true);
    expect(state()).toBe('paused');
    handle.pause(); // already paused: no second event
    await waitFor(() => groupStopped(pid), 'the group to be stopped');
    await sleep(100); // lines already in the pipe may still arrive
    const frozen = h.lines('p').length;
    await sleep(400);
    expect(h.lines('p')).toHaveLength(frozen);
    expect(handle.resume()).toBe(true);
    expect(state()).toBe('ready');
    await waitFor(() => h.lines('p').length >= frozen + 3, 'progress after resume');
    const lines = h.lines('p').map(Number);
    expect(lines).toEqual(lines.map((_, i) => i + 1));
    const controls = h.of('p').flatMap((event) => (event.kind === 'ProcessControl' ? [event.action] : []));
    expect(controls).toEqual(['pause', 'resume']);
  });

  it('stopping a paused process continues it, so its TERM handler runs at once', async () => {
    const h = tracked({ graceMs: 60_000, children: [processTask('p', sh(HANDLES_TERM))] });
    await h.app.start();
    await h.until('p', 'TaskOutput');
    const pid = h.pid('p');
    h.app.child('p').pause();
    await waitFor(() => groupStopped(pid), 'the group to be stopped');
    await h.app.child('p').stop();
    expect(h.lines('p', 'stdout')).toEqual(['armed', 'got-term']);
    expect(h.find('p', 'TaskStopped')).toMatchObject({ exitCode: 7 });
    const controls = h.of('p').flatMap((event) => (event.kind === 'ProcessControl' ? [event.action] : []));
    expect(controls).toEqual(['pause', 'stop']);
    await groupGone(pid);
  });

  it('the timeout keeps running while paused', async () => {
    const h = tracked({ children: [processTask('p', { command: 'sleep', args: ['30'] }, { timeoutMs: 500, restart: 'never' })] });
    await h.app.start();
    await h.until('p', 'TaskStarted');
    h.app.child('p').pause();
    await waitFor(() => groupStopped(h.pid('p')), 'the group to be stopped');
    await h.advance(500);
    await h.until('p', 'TimeoutHit');
    await groupGone(h.pid('p'));
  });
});
