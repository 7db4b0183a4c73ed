/**
 * Memory stays bounded however many children a supervisor has seen (DESIGN.md §4 "no unbounded
 * memory anywhere"): a long-lived supervisor that runs uniquely named children (job ids, say)
 * must not keep anything per name beyond the documented 10,000 finished outcomes.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createSupervisor, task } from '../src/index.ts';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

describe('memory', () => {
  it('a supervisor that ran 40,000 uniquely named children holds no more than after the first 20,000', async () => {
    const app = createSupervisor({ name: 'app' });
    await app.start();
    const round = async (r: number): Promise<void> => {
      for (let i = 0; i < 20_000; i++) {
        const name = `job-${r}-${i}`;
        await app.add(task(name, () => i, { restart: 'never' }));
        await app.outcome(name);
      }
    };
    // The first round fills the bounded stores (the last 10,000 finished outcomes, names).
    await round(0);
    const filled = heapAfterGc();
    await round(1);
    const grown = heapAfterGc() - filled;
    // Before the fix, XState cached one transition lookup per child name: ~7.5 MB per 20,000.
    expect(grown).toBeLessThan(2_000_000);
    await app.shutdown();
  }, 60_000);
});
