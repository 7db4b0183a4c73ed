/** A child's partial backoff runs merged with its supervisor's defaults (one merge, one check). */
import { describe, expect, it } from 'vitest';
import { task } from '../src/index.ts';
import type { BackoffPolicy, BackoffScheduled, SupervisorEvent } from '../src/index.ts';
import { configError, harness } from './support.ts';
import { DEFAULT_BACKOFF, validateBackoff } from '../src/policies/backoff.ts';

const failOnce = (): (() => Promise<void>) => {
  let calls = 0;
  return async () => {
    calls += 1;
    if (calls === 1) throw new Error('first attempt fails');
  };
};

const delaysOf = (events: readonly SupervisorEvent[]): number[] =>
  events.filter((event): event is BackoffScheduled => event.kind === 'BackoffScheduled').map((event) => event.delayMs);

describe("a child's backoff merged with its supervisor's defaults", () => {
  const defaults = { backoff: { firstMs: 1_000, maxMs: 60_000, factor: 2, jitter: 'none' as const } };

  it('keys the child gives override the defaults, the others come from the defaults', async () => {
    const h = harness({ defaults, children: [task('a', failOnce(), { backoff: { factor: 3 } })] });
    await h.app.start();
    await h.advance(1_000);
    expect(delaysOf(h.of('a'))).toEqual([1_000]);
    await h.app.shutdown();
  });

  it('a key the child sets to undefined comes from the defaults, not from the built-in backoff', async () => {
    // What an untyped (JavaScript) caller can pass; the types reject an explicit undefined.
    const backoff = { firstMs: undefined, factor: 3 } as unknown as Partial<BackoffPolicy>;
    const h = harness({ defaults, children: [task('a', failOnce(), { backoff })] });
    await h.app.start();
    await h.advance(1_000);
    expect(delaysOf(h.of('a'))).toEqual([1_000]);
    await h.app.shutdown();
  });

  it('validateBackoff takes missing and undefined keys from the defaults it is given', () => {
    const base = { ...DEFAULT_BACKOFF, firstMs: 10, floorMs: 5 };
    expect(validateBackoff({ maxMs: 100, firstMs: undefined }, 'backoff', base)).toEqual({ ...base, maxMs: 100 });
    const error = configError(() => validateBackoff({ maxMs: 5 }, 'children[0].options.backoff', { firstMs: 50, maxMs: 30_000, factor: 2, jitter: 'equal' }));
    expect(error.field).toBe('children[0].options.backoff.firstMs');
    expect(error.message).toMatch(/default firstMs 50 exceeds maxMs 5/);
  });
});
