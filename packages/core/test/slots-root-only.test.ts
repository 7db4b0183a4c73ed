/** Admission slots are the root's: its queueDepth counts queued submissions, a child supervisor has none. */
import { describe, expect, it } from 'vitest';
import { supervisor, task } from '../src/index.ts';
import type { SupervisorChildOptions } from '../src/index.ts';
import { configError, gate, harness, untilAborted } from './support.ts';

describe('queueDepth', () => {
  it('the root shows its queued submissions; a child supervisor has no queueDepth at all', async () => {
    const h = harness({ children: [supervisor('workers', { children: [task('fetch', ({ signal }) => untilAborted(signal))] })] });
    await h.app.start();
    const done = gate();
    await h.app.submit(task('owner', () => done.promise), { slot: 's', admission: 'queue' });
    await h.app.submit(task('p1', async () => 1), { slot: 's', admission: 'queue' });
    await h.app.submit(task('p2', async () => 2), { slot: 's', admission: 'queue' });
    const snapshot = h.app.snapshot();
    expect(snapshot.queueDepth).toBe(2);
    const workers = snapshot.children?.find((child) => child.path === 'app/workers');
    expect(workers).toMatchObject({ kind: 'supervisor', restartsInWindow: 0 });
    expect(workers).not.toHaveProperty('queueDepth');
    done.open();
    await h.app.outcome('p2');
    expect(h.app.snapshot().queueDepth).toBe(0);
    await h.app.shutdown();
  });
});

describe("a child supervisor's maxSlotQueue", () => {
  it('is refused with a ConfigError naming options.maxSlotQueue and saying why', () => {
    const options = { maxSlotQueue: 5 } as unknown as SupervisorChildOptions; // an untyped caller
    const error = configError(() => supervisor('workers', options));
    expect(error.field).toBe('options.maxSlotQueue');
    expect(error.message).toMatch(/child supervisor has no admission slots/);
    expect(error.message).toMatch(/maxSlotQueue 5 would be ignored; set it on createSupervisor\(\)/);
  });
});
