import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessHelperError, processTask } from '../src/index.ts';
import { disposeAll, groupGone, tracked, waitFor } from './support.ts';

afterEach(disposeAll);

/** This process's live process helpers, read from /proc. */
function keepers(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || Number(ppid) !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('keeper-main')) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('the process helper', { timeout: 30_000 }, () => {
  it('spawns every group: one helper per host, the parent of every leader', async () => {
    const h = tracked({ children: [processTask('a', { command: 'sleep', args: ['30'] }), processTask('b', { command: 'sleep', args: ['30'] })] });
    await h.app.start();
    await h.until('a', 'TaskStarted');
    await h.until('b', 'TaskStarted');
    const [keeper, ...others] = keepers();
    expect(others).toEqual([]);
    for (const path of ['a', 'b']) {
      const pid = h.find(path, 'TaskStarted')?.pid ?? 0;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])).toBe(keeper);
    }
    expect(h.kinds('a')).not.toContain('ProcessHelperUnavailable');
  });

  it('dies under a running group: the host kills the group, the attempt fails naming the helper, and the next attempt runs through a new helper', async () => {
    const h = tracked({ children: [processTask('web', { command: 'sleep', args: ['30'] }, { restart: 'always', backoff: { firstMs: 0, maxMs: 0, jitter: 'none' } })] });
    await h.app.start();
    await h.until('web', 'TaskStarted');
    const first = h.find('web', 'TaskStarted')?.pid ?? 0;
    const [keeper] = keepers();
    expect(keeper).toBeGreaterThan(0);
    process.kill(keeper ?? 0, 'SIGKILL');
    await h.until('web', 'TaskFailed');
    expect(h.find('web', 'TaskFailed')).toMatchObject({ reason: 'the process helper was killed by SIGKILL', signal: 'SIGKILL' });
    await groupGone(first);
    await h.until('web', 'TaskStarted', 2);
    await waitFor(() => keepers().length === 1 && keepers()[0] !== keeper, 'a new helper');
    expect(h.kinds('web')).not.toContain('ProcessHelperUnavailable');
  });

  it('reports its error class for a lost group', () => {
    const error = new ProcessHelperError('the process helper was killed by SIGKILL');
    expect(error).toMatchObject({ code: 'ERR_PROCESS_HELPER', message: 'the process helper was killed by SIGKILL' });
  });
});
