/**
 * Handles follow the incarnation, not the name (issue 9, defect 3; DESIGN.md §2 "Handles"), and
 * a paused attempt shows in the snapshot (defect 7). `child(p)` captures the child live at that
 * moment; restarts and new attempts are the same incarnation. Once it has ended, every method
 * returns false and does nothing, even when a new child has taken the name.
 */
import { describe, expect, it } from 'vitest';
import { UnknownTaskError, runnerTask, task } from '../src/index.ts';
import type { NodeSnapshot, Runner } from '../src/index.ts';
import { flush, harness, untilAborted } from './support.ts';

/** A runner whose control handle logs every call as `<tag>#<attempt>:<action>`. */
function controlled(tag: string, log: string[]): Runner {
  return async (ctx) => {
    const note = (action: string): void => {
      log.push(`${tag}#${ctx.attempt}:${action}`);
    };
    ctx.setControl({
      pause: () => note('pause'),
      resume: () => note('resume'),
      write: (data) => {
        note(`write ${typeof data === 'string' ? data : 'bytes'}`);
        return true;
      },
      closeStdin: () => note('closeStdin'),
    });
    ctx.started({ ready: true });
    await untilAborted(ctx.signal);
    return { kind: 'completed' };
  };
}

/** A started root `app` whose child `svc` runs `controlled(tag)`, with its log and its handle. */
async function service(tag = 'svc') {
  const log: string[] = [];
  const h = harness({ children: [runnerTask('svc', controlled(tag, log))] });
  await h.app.start();
  await flush();
  return { h, log, handle: h.app.child('svc') };
}

function stateOf(snapshot: NodeSnapshot, path: string): string | undefined {
  return snapshot.children?.find((node) => node.path === path)?.state;
}

describe('a handle follows its incarnation', () => {
  it('after the child has ended, every method returns false without throwing, and stop() resolves false', async () => {
    const { h, log, handle } = await service();
    expect(handle.path).toBe('app/svc');
    await expect(h.app.cancel('svc')).resolves.toBe(true);
    expect(handle.pause()).toBe(false);
    expect(handle.resume()).toBe(false);
    expect(handle.write('late')).toBe(false);
    expect(handle.closeStdin()).toBe(false);
    await expect(handle.stop()).resolves.toBe(false);
    expect(log).toEqual([]);
    expect(() => h.app.child('svc')).toThrow(UnknownTaskError);
    await h.app.shutdown();
  });

  it('a kept handle never writes to, pauses or stops a later child that reused the name', async () => {
    const { h, log, handle: old } = await service('old');
    await h.app.cancel('svc');
    await h.app.add(runnerTask('svc', controlled('new', log)));
    await flush();
    expect(old.write('to the old one')).toBe(false);
    expect(old.pause()).toBe(false);
    expect(old.closeStdin()).toBe(false);
    await expect(old.stop()).resolves.toBe(false);
    expect(log).toEqual([]);
    expect(h.kinds('svc').filter((kind) => kind === 'TaskRemoved')).toHaveLength(1);
    // The new child is untouched and has its own handle.
    const fresh = h.app.child('svc');
    expect(fresh.write('hello')).toBe(true);
    expect(log).toEqual(['new#1:write hello']);
    await expect(fresh.stop()).resolves.toBe(true);
    await h.app.shutdown();
  });

  it('restarts are the same incarnation: the handle acts on the current attempt', async () => {
    const { h, log, handle } = await service();
    expect(handle.write('one')).toBe(true);
    await h.app.restart('svc');
    await flush();
    expect(handle.write('two')).toBe(true);
    expect(log).toEqual(['svc#1:write one', 'svc#2:write two']);
    await expect(handle.stop()).resolves.toBe(true);
    await expect(h.app.outcome('svc')).resolves.toEqual({ kind: 'cancelled' });
    await h.app.shutdown();
  });

  it('between attempts (in backoff) the methods return false; the handle works again on the next attempt', async () => {
    const log: string[] = [];
    let attempt = 0;
    const runner: Runner = async (ctx) => {
      attempt++;
      if (attempt === 1) {
        ctx.started();
        return { kind: 'failed', reason: 'first attempt fails' };
      }
      return controlled('svc', log)(ctx);
    };
    const h = harness({ children: [runnerTask('svc', runner, { backoff: { firstMs: 1_000, maxMs: 1_000, factor: 1, jitter: 'none' } })] });
    await h.app.start();
    await flush();
    const handle = h.app.child('svc');
    expect(h.kinds('svc').at(-1)).toBe('BackoffScheduled');
    expect(handle.write('in backoff')).toBe(false);
    await h.advance(1_000);
    expect(handle.write('second')).toBe(true);
    expect(log).toEqual(['svc#2:write second']);
    await h.app.shutdown();
  });

  it('stop() claims once: a concurrent second stop resolves false after the same final events', async () => {
    const h = harness({ children: [task('svc', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    await flush();
    const handle = h.app.child('svc');
    const [first, second] = await Promise.all([handle.stop(), handle.stop()]);
    expect([first, second]).toEqual([true, false]);
    expect(h.kinds('svc').at(-1)).toBe('TaskRemoved');
    await h.app.shutdown();
  });

  it('a function task has no controls: false, and stop() still works', async () => {
    const h = harness({ children: [task('fn', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    await flush();
    const handle = h.app.child('fn');
    expect(handle.pause()).toBe(false);
    expect(handle.write('x')).toBe(false);
    await expect(handle.stop()).resolves.toBe(true);
    await h.app.shutdown();
  });
});

describe('a paused attempt in snapshot()', () => {
  it("shows 'paused' while paused, its machine state after resume", async () => {
    const { h, handle } = await service();
    expect(stateOf(h.app.snapshot(), 'app/svc')).toBe('ready');
    expect(handle.pause()).toBe(true);
    expect(stateOf(h.app.snapshot(), 'app/svc')).toBe('paused');
    expect(handle.resume()).toBe(true);
    expect(stateOf(h.app.snapshot(), 'app/svc')).toBe('ready');
    await h.app.shutdown();
  });

  it('the pause belongs to the attempt: a new attempt is not paused', async () => {
    const { h, handle } = await service();
    handle.pause();
    expect(stateOf(h.app.snapshot(), 'app/svc')).toBe('paused');
    await h.app.restart('svc');
    await flush();
    expect(h.app.snapshot().children?.find((node) => node.path === 'app/svc')).toMatchObject({ state: 'ready', attempt: 2 });
    await h.app.shutdown();
  });
});
