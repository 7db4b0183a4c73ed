import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { processTask } from '../src/index.ts';
import { disposeAll, groupGone, tracked } from './support.ts';

// A helper that cannot start: a real process that exits at once, before it says it is ready.
vi.mock('../src/keeper/launch.ts', () => ({
  launchKeeper: () => spawn('sh', ['-c', 'exit 7'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] }),
}));

afterEach(disposeAll);

describe('a process helper that cannot start', { timeout: 30_000 }, () => {
  it('says so in an event on every attempt, and the host spawns the groups itself', async () => {
    const h = tracked({ children: [processTask('job', { command: 'sh', args: ['-c', 'echo hello; echo oops >&2'] }, { restart: 'never' })] });
    await h.app.start();
    await h.until('job', 'TaskRemoved');
    expect(h.kinds('job')).toEqual([
      'TaskAddRequested',
      'TaskAdded',
      'TaskStarting',
      'TaskStarted',
      'TaskReady',
      'ProcessHelperUnavailable',
      'TaskOutput',
      'TaskOutput',
      'TaskStopped',
      'ActorExhausted',
      'TaskRemoved',
    ]);
    expect(h.find('job', 'ProcessHelperUnavailable')).toMatchObject({ attempt: 1 });
    expect(h.find('job', 'ProcessHelperUnavailable')?.reason).toMatch(/^the process helper could not start/);
    expect(h.lines('job')).toEqual(['hello', 'oops']);
  });

  it('the next attempts spawn directly at once, and a stop still ends the whole group', async () => {
    const h = tracked({ children: [processTask('nap', { command: 'sh', args: ['-c', 'sleep 30 & wait'] })] });
    await h.app.start();
    await h.until('nap', 'TaskStarted');
    expect(h.find('nap', 'ProcessHelperUnavailable')?.reason).toContain('could not start');
    const leader = h.find('nap', 'TaskStarted')?.pid ?? 0;
    await expect(h.app.cancel('nap')).resolves.toBe(true);
    await groupGone(leader);
  });
});
