/**
 * The bounded maps behind "the last 10,000 finished paths are kept" (DESIGN.md §2 "Outcomes"):
 * exact recency order, and an eviction that stays cheap however many came before it.
 */
import { describe, expect, it } from 'vitest';
import { RecentMap } from '../src/supervisor/recent-map.ts';

describe('RecentMap', () => {
  it('keeps the most recently set keys: setting again makes a key the newest; deleted keys are skipped', () => {
    const map = new RecentMap<string, number>(3);
    const evicted: (string | undefined)[] = [];
    for (const key of ['a', 'b', 'c', 'a', 'd', 'e', 'b', 'f']) evicted.push(map.set(key, 1));
    expect(evicted.filter((key) => key !== undefined)).toEqual(['b', 'c', 'a', 'd']);
    expect([...map.values()]).toHaveLength(3);
    expect(['e', 'b', 'f'].every((key) => map.has(key))).toBe(true);

    map.delete('e');
    expect(map.set('g', 2)).toBeUndefined();
    expect(map.set('h', 3)).toBe('b');
    expect(map.get('h')).toBe(3);
    expect(map.size).toBe(3);
  });

  it('evicts in O(1): 100,000 evictions at 10,000 keys cost about what they cost at 10 keys', () => {
    const timePerOp = (limit: number): number => {
      const map = new RecentMap<string, true>(limit);
      for (let i = 0; i < limit; i++) map.set(`warm-${i}`, true);
      const started = performance.now();
      for (let i = 0; i < 100_000; i++) map.set(`key-${i}`, true);
      return (performance.now() - started) / 100_000;
    };
    timePerOp(10);
    const small = Math.min(timePerOp(10), timePerOp(10));
    const large = Math.min(timePerOp(10_000), timePerOp(10_000));
    // A fresh `keys().next()` per eviction walks the deleted entries first: ~40x slower here.
    expect(large / small).toBeLessThan(6);
  });
});
