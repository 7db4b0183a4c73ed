import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configError } from './support.ts';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  validateBackoff,
  type BackoffPolicy,
  type Jitter,
} from '../src/policies/backoff.ts';

const RUNS = { numRuns: 1000 };
const JITTERS: readonly Jitter[] = ['none', 'full', 'equal', 'decorrelated'];

/** A random source that always returns `r`, counting its calls. */
function fixed(r: number): (() => number) & { calls: number } {
  const source = Object.assign(() => {
    source.calls += 1;
    return r;
  }, { calls: 0 });
  return source;
}

/** A random source that must not be called. */
const noRandom = (): number => {
  throw new Error('random() must not be called');
};

function delays(policy: BackoffPolicy, ns: readonly number[], random: () => number = noRandom): number[] {
  return ns.map((n) => backoffDelay(policy, n, random).delayMs);
}

const HUGE_NS = [1_000, 1e9, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Infinity];

describe('backoffDelay without jitter: exact values', () => {
  it('grows exponentially and caps at maxMs', () => {
    const policy: BackoffPolicy = { firstMs: 100, maxMs: 1000, factor: 2, jitter: 'none' };
    expect(delays(policy, [0, 1, 2, 3, 4, 5])).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(policy, 3, noRandom)).toEqual({ delayMs: 800, baseMs: 800, jitterSample: undefined });
  });

  it('caps at maxMs for huge and infinite n without NaN', () => {
    const policy: BackoffPolicy = { firstMs: 100, maxMs: 30_000, factor: 2, jitter: 'none' };
    expect(delays(policy, [20, ...HUGE_NS])).toEqual(Array(HUGE_NS.length + 1).fill(30_000));
    expect(backoffDelay(policy, Infinity, noRandom).baseMs).toBe(30_000);
    const slow: BackoffPolicy = { firstMs: 1, maxMs: 1e12, factor: 1.000001, jitter: 'none' };
    expect(delays(slow, HUGE_NS.slice(1))).toEqual(Array(HUGE_NS.length - 1).fill(1e12));
    expect(delays(slow, [0, 1_000_000])).toEqual([1, Math.round(1.000001 ** 1_000_000)]);
    // factor^n overflows to Infinity while firstMs * factor^n is still tiny: no premature cap.
    const tiny: BackoffPolicy = { firstMs: 5e-324, maxMs: 1, factor: 715, jitter: 'none' };
    const sample = backoffDelay(tiny, 108, noRandom);
    expect(sample.baseMs).toBeGreaterThan(0);
    expect(sample.baseMs).toBeLessThan(1e-10);
    expect(sample.delayMs).toBe(0);
    expect(backoffDelay(tiny, 200, noRandom).baseMs).toBe(1);
  });

  it('is constant with factor 1, for every n', () => {
    const policy: BackoffPolicy = { firstMs: 500, maxMs: 30_000, factor: 1, jitter: 'none' };
    expect(delays(policy, [0, 1, 2, 50, ...HUGE_NS])).toEqual(Array(HUGE_NS.length + 4).fill(500));
  });

  it('is always 0 with firstMs 0', () => {
    const policy: BackoffPolicy = { firstMs: 0, maxMs: 1000, factor: 2, jitter: 'none' };
    expect(delays(policy, [0, 1, 10, ...HUGE_NS])).toEqual(Array(HUGE_NS.length + 3).fill(0));
    for (const jitter of JITTERS) {
      expect(delays({ ...policy, jitter }, [0, 5, Infinity], () => 0.999999)).toEqual([0, 0, 0]);
    }
  });

  it('gives maxMs when firstMs equals maxMs', () => {
    const policy: BackoffPolicy = { firstMs: 5000, maxMs: 5000, factor: 3, jitter: 'none' };
    expect(delays(policy, [0, 1, Infinity])).toEqual([5000, 5000, 5000]);
  });

  it('raises small delays to floorMs, capped by maxMs', () => {
    const policy: BackoffPolicy = { firstMs: 10, maxMs: 1000, factor: 2, jitter: 'none', floorMs: 50 };
    expect(delays(policy, [0, 1, 2, 3, 4, 10])).toEqual([50, 50, 50, 80, 160, 1000]);
    const zero: BackoffPolicy = { firstMs: 0, maxMs: 1000, factor: 2, jitter: 'none', floorMs: 30 };
    expect(delays(zero, [0, 7])).toEqual([30, 30]);
    // An unvalidated floor above maxMs still never exceeds maxMs.
    const high: BackoffPolicy = { firstMs: 10, maxMs: 100, factor: 2, jitter: 'none', floorMs: 999 };
    expect(delays(high, [0, 3])).toEqual([100, 100]);
    const full: BackoffPolicy = { firstMs: 100, maxMs: 30_000, factor: 2, jitter: 'full', floorMs: 100 };
    expect(backoffDelay(full, 0, () => 0).delayMs).toBe(100);
  });

  it('treats a negative, NaN or fractional n as max(0, floor(n))', () => {
    const policy: BackoffPolicy = { firstMs: 100, maxMs: 1000, factor: 2, jitter: 'none' };
    expect(delays(policy, [-1, -Infinity, Number.NaN, 1.9, 2.5])).toEqual([100, 100, 100, 200, 400]);
  });

  it('rounds to whole ms and never above a fractional maxMs', () => {
    expect(delays({ firstMs: 0.4, maxMs: 10, factor: 1, jitter: 'none' }, [0])).toEqual([0]);
    expect(delays({ firstMs: 0.5, maxMs: 10, factor: 1, jitter: 'none' }, [0])).toEqual([1]);
    expect(delays({ firstMs: 1.5, maxMs: 10, factor: 3, jitter: 'none' }, [0, 1, 2])).toEqual([2, 5, 10]);
    expect(delays({ firstMs: 100.5, maxMs: 100.5, factor: 2, jitter: 'none' }, [0, 9])).toEqual([100, 100]);
  });
});

describe('backoffDelay with jitter: exact values', () => {
  const policy = (jitter: Jitter): BackoffPolicy => ({ firstMs: 100, maxMs: 30_000, factor: 2, jitter });

  it('full is U[0, base]', () => {
    expect(backoffDelay(policy('full'), 3, fixed(0))).toEqual({ delayMs: 0, baseMs: 800, jitterSample: 0 });
    expect(backoffDelay(policy('full'), 3, fixed(0.5)).delayMs).toBe(400);
    expect(backoffDelay(policy('full'), 3, fixed(0.999999)).delayMs).toBe(800);
  });

  it('equal is U[base/2, base]', () => {
    expect(backoffDelay(policy('equal'), 3, fixed(0)).delayMs).toBe(400);
    expect(backoffDelay(policy('equal'), 3, fixed(0.5)).delayMs).toBe(600);
    expect(backoffDelay(policy('equal'), 3, fixed(0.999999)).delayMs).toBe(800);
  });

  it('decorrelated is U[firstMs, min(3 * base, maxMs)] and can exceed the base', () => {
    expect(backoffDelay(policy('decorrelated'), 3, fixed(0)).delayMs).toBe(100);
    expect(backoffDelay(policy('decorrelated'), 3, fixed(0.5)).delayMs).toBe(1250);
    expect(backoffDelay(policy('decorrelated'), 3, fixed(0.999999)).delayMs).toBe(2400);
    expect(backoffDelay(policy('decorrelated'), 20, fixed(0.999999)).delayMs).toBe(30_000);
    expect(backoffDelay(policy('decorrelated'), 7, fixed(0.5)).delayMs).toBe(15_050);
  });

  it('calls random exactly once with jitter and reports the sample', () => {
    for (const jitter of ['full', 'equal', 'decorrelated'] as const) {
      const random = fixed(0.25);
      expect(backoffDelay(policy(jitter), 2, random).jitterSample).toBe(0.25);
      expect(random.calls).toBe(1);
    }
    const random = fixed(0.25);
    expect(backoffDelay(policy('none'), 2, random).jitterSample).toBeUndefined();
    expect(random.calls).toBe(0);
  });

  it('clamps an out-of-range random source', () => {
    const p = policy('full');
    expect(backoffDelay(p, 3, fixed(Number.NaN))).toEqual({ delayMs: 0, baseMs: 800, jitterSample: 0 });
    expect(backoffDelay(p, 3, fixed(-5))).toEqual({ delayMs: 0, baseMs: 800, jitterSample: 0 });
    expect(backoffDelay(p, 3, fixed(1))).toEqual({ delayMs: 800, baseMs: 800, jitterSample: 1 });
    expect(backoffDelay(p, 3, fixed(7))).toEqual({ delayMs: 800, baseMs: 800, jitterSample: 1 });
    expect(backoffDelay(p, 3, fixed(Infinity)).delayMs).toBe(800);
    expect(backoffDelay(policy('decorrelated'), 30, fixed(1e9)).delayMs).toBe(30_000);
  });

  it('default policy: index 0 averages about 150 ms over many samples', () => {
    let seed = 42;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    let sum = 0;
    const count = 5000;
    for (let i = 0; i < count; i += 1) {
      const { delayMs } = backoffDelay(DEFAULT_BACKOFF, 0, random);
      expect(delayMs).toBeGreaterThanOrEqual(100);
      expect(delayMs).toBeLessThanOrEqual(200);
      sum += delayMs;
    }
    expect(Math.abs(sum / count - 150)).toBeLessThan(7.5);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** A non-negative finite number of ms: integers, fractions, zero and large values. */
const msArb = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }),
  fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 1, 0.5, 1e12),
);

const factorArb = fc.oneof(
  fc.constant(1),
  fc.double({ min: 1, max: 1.001, noNaN: true }),
  fc.double({ min: 1, max: 10, noNaN: true }),
  fc.integer({ min: 1, max: 1000 }),
);

/** Any valid policy (firstMs <= maxMs, floorMs <= maxMs) for the given jitter. */
const policyArb = (jitter: Jitter): fc.Arbitrary<BackoffPolicy> =>
  fc
    .record({
      a: msArb,
      b: msArb,
      factor: factorArb,
      floor: fc.option(msArb, { nil: undefined }),
    })
    .map(({ a, b, factor, floor }) => {
      const firstMs = Math.min(a, b);
      const maxMs = Math.max(a, b);
      const base = { firstMs, maxMs, factor, jitter };
      return floor === undefined ? base : { ...base, floorMs: Math.min(floor, maxMs) };
    });

const nArb = fc.oneof(
  fc.integer({ min: 0, max: 64 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(0, 1, 1e9, 2 ** 53, Number.MAX_SAFE_INTEGER, Infinity),
);

/** Random values in [0, 1), with the edges. */
const unitArb = fc.oneof(
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  fc.constantFrom(0, 0.5, 0.999999, 1 - Number.EPSILON),
);

/** Anything a broken random source could return. */
const wildArb = fc.oneof(unitArb, fc.double(), fc.constantFrom(Number.NaN, -1, 1, 2, Infinity, -Infinity));

/** The base by the spec formula, computed independently of the implementation. */
function specBase(p: BackoffPolicy, n: number): number {
  if (p.firstMs === 0) return 0;
  if (p.factor === 1) return p.firstMs;
  let base = p.firstMs;
  for (let i = 0; i < n; i += 1) {
    if (base >= p.maxMs) return p.maxMs;
    base *= p.factor;
  }
  return Math.min(base, p.maxMs);
}

/** The continuous jitter range [lo, hi] before floor, cap and rounding. */
function jitterRange(p: BackoffPolicy, base: number): [number, number] {
  switch (p.jitter) {
    case 'none':
      return [base, base];
    case 'full':
      return [0, base];
    case 'equal':
      return [base / 2, base];
    case 'decorrelated':
      return [p.firstMs, Math.min(3 * base, p.maxMs)];
  }
}

/** Floor, cap and rounding, as the spec says (a monotonic map). */
function finish(p: BackoffPolicy, x: number): number {
  return Math.min(Math.round(Math.min(Math.max(x, p.floorMs ?? 0), p.maxMs)), Math.floor(p.maxMs));
}

function checkInBounds(p: BackoffPolicy, n: number, r: number): void {
  const sample = backoffDelay(p, n, () => r);
  const { delayMs } = sample;
  expect(Number.isInteger(delayMs)).toBe(true);
  expect(delayMs).toBeGreaterThanOrEqual(0);
  expect(delayMs).toBeLessThanOrEqual(p.maxMs);
  const [lo, hi] = jitterRange(p, sample.baseMs);
  expect(delayMs).toBeGreaterThanOrEqual(finish(p, lo));
  expect(delayMs).toBeLessThanOrEqual(finish(p, hi));
  if (p.floorMs !== undefined) expect(delayMs).toBeGreaterThanOrEqual(Math.min(Math.floor(p.floorMs), Math.floor(p.maxMs)));
  expect(Number.isNaN(sample.baseMs)).toBe(false);
  expect(sample.baseMs).toBeGreaterThanOrEqual(0);
  expect(sample.baseMs).toBeLessThanOrEqual(p.maxMs);
  if (p.jitter === 'none') expect(sample.jitterSample).toBeUndefined();
  else {
    expect(sample.jitterSample).toBeGreaterThanOrEqual(0);
    expect(sample.jitterSample).toBeLessThanOrEqual(1);
  }
}

describe('backoffDelay properties', () => {
  for (const jitter of JITTERS) {
    it(`${jitter}: an integer within the jitter's bounds and [0, maxMs], for any n and random`, () => {
      fc.assert(
        fc.property(policyArb(jitter), nArb, unitArb, (p, n, r) => {
          checkInBounds(p, n, r);
        }),
        RUNS,
      );
    });

    it(`${jitter}: stays in bounds with a random source returning anything`, () => {
      fc.assert(
        fc.property(policyArb(jitter), nArb, wildArb, (p, n, r) => {
          checkInBounds(p, n, r);
        }),
        RUNS,
      );
    });

    it(`${jitter}: equals the spec formula exactly for a random value in [0, 1)`, () => {
      fc.assert(
        fc.property(policyArb(jitter), fc.integer({ min: 0, max: 200 }), unitArb, (p, n, r) => {
          const sample = backoffDelay(p, n, () => r);
          const base = specBase(p, n);
          // The implementation may take a different but equivalent path to the base.
          expect(Math.abs(sample.baseMs - base)).toBeLessThanOrEqual(1e-9 * Math.max(1, base));
          const [lo, hi] = jitterRange(p, sample.baseMs);
          const raw = jitter === 'none' ? lo : lo + r * (hi - lo);
          expect(sample.delayMs).toBe(finish(p, raw));
          expect(sample.jitterSample).toBe(jitter === 'none' ? undefined : r);
        }),
        RUNS,
      );
    });
  }

  it('the base grows with n (monotonic) and reaches maxMs for huge n when factor > 1', () => {
    fc.assert(
      fc.property(policyArb('none'), fc.integer({ min: 0, max: 10_000 }), (p, n) => {
        const a = backoffDelay(p, n, noRandom).baseMs;
        const b = backoffDelay(p, n + 1, noRandom).baseMs;
        expect(b).toBeGreaterThanOrEqual(a);
        const huge = backoffDelay(p, Infinity, noRandom).baseMs;
        if (p.firstMs === 0) expect(huge).toBe(0);
        else if (p.factor === 1) expect(huge).toBe(p.firstMs);
        else expect(huge).toBe(p.maxMs);
      }),
      RUNS,
    );
  });

  it('matches the default policy bounds of the ancestor (S16)', () => {
    const bounds: [number, number, number][] = [
      [0, 100, 200],
      [1, 200, 400],
      [2, 400, 800],
      [7, 12_800, 25_600],
      [8, 15_000, 30_000],
      [50, 15_000, 30_000],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...bounds), unitArb, ([n, lo, hi], r) => {
        const { delayMs } = backoffDelay(DEFAULT_BACKOFF, n, () => r);
        expect(delayMs).toBeGreaterThanOrEqual(lo);
        expect(delayMs).toBeLessThanOrEqual(hi);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Validation

describe('validateBackoff', () => {
  it('fills a partial policy from DEFAULT_BACKOFF and returns a fresh frozen object', () => {
    const input = { firstMs: 50 };
    const policy = validateBackoff(input, 'backoff');
    expect(policy).toEqual({ firstMs: 50, maxMs: 30_000, factor: 2, jitter: 'equal' });
    expect(Object.isFrozen(policy)).toBe(true);
    expect(policy).not.toBe(input);
    expect('floorMs' in policy).toBe(false);
    const empty = validateBackoff({}, 'backoff');
    expect(empty).toEqual(DEFAULT_BACKOFF);
    expect(empty).not.toBe(DEFAULT_BACKOFF);
    expect(validateBackoff({ jitter: undefined, floorMs: undefined }, 'backoff')).toEqual(DEFAULT_BACKOFF);
  });

  it('keeps every given key', () => {
    const full: BackoffPolicy = { firstMs: 0, maxMs: 0, factor: 1, jitter: 'decorrelated', floorMs: 0 };
    expect(validateBackoff(full, 'backoff')).toEqual(full);
    const exact = { firstMs: 10, maxMs: 500, factor: 1.5, jitter: 'full', floorMs: 500 } as const;
    expect(validateBackoff(exact, 'x')).toEqual(exact);
  });

  it('DEFAULT_BACKOFF is the documented default and frozen', () => {
    expect(DEFAULT_BACKOFF).toEqual({ firstMs: 200, maxMs: 30_000, factor: 2, jitter: 'equal' });
    expect(Object.isFrozen(DEFAULT_BACKOFF)).toBe(true);
  });

  it('rejects a non-object', () => {
    for (const value of [undefined, null, 5, 'fast', [1, 2]]) {
      expect(configError(() => validateBackoff(value, 'children[2].backoff')).field).toBe('children[2].backoff');
    }
  });

  it('rejects unknown keys, naming them', () => {
    const error = configError(() => validateBackoff({ fristMs: 10 }, 'backoff'));
    expect(error.field).toBe('backoff.fristMs');
    expect(error.code).toBe('ERR_INVALID_CONFIG');
  });

  it.each([Number.NaN, Infinity, 0.5, 0, -1, -Infinity, '2', null])('rejects factor %s, quoting it', (factor) => {
    const error = configError(() => validateBackoff({ factor }, 'backoff'));
    expect(error.field).toBe('backoff.factor');
    expect(error.message).toContain(typeof factor === 'string' ? '"2"' : String(factor));
  });

  it('rejects firstMs > maxMs on firstMs, saying it exceeds maxMs', () => {
    const error = configError(() => validateBackoff({ firstMs: 10_000, maxMs: 5_000 }, 'backoff'));
    expect(error.field).toBe('backoff.firstMs');
    expect(error.message).toMatch(/10000.*exceeds maxMs 5000/);
    const merged = configError(() => validateBackoff({ maxMs: 100 }, 'backoff'));
    expect(merged.field).toBe('backoff.firstMs');
    expect(merged.message).toMatch(/default firstMs 200 exceeds maxMs 100/);
  });

  it('rejects floorMs > maxMs on floorMs', () => {
    const error = configError(() => validateBackoff({ maxMs: 5_000, floorMs: 999_000 }, 'backoff'));
    expect(error.field).toBe('backoff.floorMs');
    expect(error.message).toMatch(/999000 exceeds maxMs 5000/);
  });

  it.each([
    ['firstMs', -1],
    ['maxMs', -0.5],
    ['floorMs', -3],
    ['firstMs', Number.NaN],
    ['maxMs', Infinity],
    ['floorMs', '10'],
    ['jitter', 'random'],
    ['jitter', 3],
  ])('rejects %s = %s', (key, value) => {
    const error = configError(() => validateBackoff({ [key]: value }, 'backoff'));
    expect(error.field).toBe(`backoff.${key}`);
  });

  it('property: any valid policy is accepted unchanged', () => {
    const anyPolicy = fc.constantFrom(...JITTERS).chain((jitter) => policyArb(jitter));
    fc.assert(
      fc.property(anyPolicy, (p) => {
        expect(validateBackoff(p, 'backoff')).toEqual(p);
      }),
      RUNS,
    );
  });

  it('property: a corrupted policy throws a ConfigError naming the bad key', () => {
    const valid = fc.constantFrom(...JITTERS).chain((jitter) => policyArb(jitter));
    const negative = fc.oneof(fc.double({ max: -Number.MIN_VALUE, noNaN: true }), fc.integer({ min: -1e6, max: -1 }));
    type Corruption = { key: string; patch: (p: BackoffPolicy) => Record<string, unknown> };
    const corruption: fc.Arbitrary<Corruption> = fc.oneof(
      fc
        .oneof(fc.double({ max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom(Number.NaN, Infinity, -Infinity))
        .map((factor) => ({ key: 'factor', patch: (p: BackoffPolicy) => ({ ...p, factor }) })),
      fc.double({ min: 1, max: 1e6, noNaN: true }).map((extra) => ({
        key: 'firstMs',
        patch: (p: BackoffPolicy) => ({ ...p, firstMs: p.maxMs + extra }),
      })),
      fc.double({ min: 1, max: 1e6, noNaN: true }).map((extra) => ({
        key: 'floorMs',
        patch: (p: BackoffPolicy) => ({ ...p, floorMs: p.maxMs + extra }),
      })),
      fc
        .tuple(fc.constantFrom('firstMs', 'maxMs', 'floorMs'), negative)
        .map(([key, bad]) => ({ key, patch: (p: BackoffPolicy) => ({ ...p, [key]: bad }) })),
    );
    fc.assert(
      fc.property(valid, corruption, fc.constantFrom('backoff', 'children[3].backoff'), (p, { key, patch }, field) => {
        const error = configError(() => validateBackoff(patch(p), field));
        expect(error.field).toBe(`${field}.${key}`);
        expect(error.message.startsWith(`${field}.${key}: `)).toBe(true);
      }),
      RUNS,
    );
  });
});
