import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configError } from './support.ts';
import { backoffDelay, type BackoffPolicy } from '../src/policies/backoff.ts';
import {
  decideRestart,
  validateMaxRetries,
  validateRestart,
  type AttemptResult,
  type RestartDecision,
  type RestartInput,
  type RestartPolicy,
} from '../src/policies/restart.ts';

/** Exponential, no jitter: delays 100, 200, 400, 800, 1000, 1000, ... */
const EXP: BackoffPolicy = { firstMs: 100, maxMs: 1000, factor: 2, jitter: 'none' };

const noRandom = (): number => {
  throw new Error('random() must not be called');
};

function input(overrides: Partial<RestartInput> & Pick<RestartInput, 'policy' | 'result'>): RestartInput {
  return { failureStreak: 0, maxRetries: undefined, backoff: EXP, random: noRandom, ...overrides };
}

const POLICIES: readonly RestartPolicy[] = ['never', 'on-failure', 'always', { always: { intervalMs: 250 } }];
const RESULTS: readonly AttemptResult[] = ['success', 'failure', 'fatal', 'cancelled'];

const COMPLETED: RestartDecision = { kind: 'exhausted', outcome: 'completed', retryLimitReached: false };
const FAILED: RestartDecision = { kind: 'exhausted', outcome: 'failed', retryLimitReached: false };
const LIMIT: RestartDecision = { kind: 'exhausted', outcome: 'failed', retryLimitReached: true };
const CANCELLED: RestartDecision = { kind: 'exhausted', outcome: 'cancelled', retryLimitReached: false };
const DEAD: RestartDecision = { kind: 'dead', outcome: 'fatal' };
const YIELD: RestartDecision = {
  kind: 'retry',
  delayMs: 0,
  backoffSource: 'success',
  failureStreak: 0,
  jitterSample: undefined,
  baseMs: undefined,
};
const INTERVAL: RestartDecision = { ...YIELD, delayMs: 250 };
/** The first backoff retry of a streak (n = 0) with EXP. */
const BACKOFF0: RestartDecision = {
  kind: 'retry',
  delayMs: 100,
  backoffSource: 'failure',
  failureStreak: 1,
  jitterSample: undefined,
  baseMs: 100,
};

describe('decideRestart: every policy x result', () => {
  const table: [RestartPolicy, AttemptResult, RestartDecision][] = [
    ['never', 'success', COMPLETED],
    ['never', 'failure', FAILED],
    ['never', 'fatal', DEAD],
    ['never', 'cancelled', CANCELLED],
    ['on-failure', 'success', COMPLETED],
    ['on-failure', 'failure', BACKOFF0],
    ['on-failure', 'fatal', DEAD],
    ['on-failure', 'cancelled', CANCELLED],
    ['always', 'success', YIELD],
    ['always', 'failure', BACKOFF0],
    ['always', 'fatal', DEAD],
    ['always', 'cancelled', CANCELLED],
    [{ always: { intervalMs: 250 } }, 'success', INTERVAL],
    [{ always: { intervalMs: 250 } }, 'failure', BACKOFF0],
    [{ always: { intervalMs: 250 } }, 'fatal', DEAD],
    [{ always: { intervalMs: 250 } }, 'cancelled', CANCELLED],
  ];

  it('covers every combination', () => {
    expect(table).toHaveLength(POLICIES.length * RESULTS.length);
    for (const policy of POLICIES) {
      for (const result of RESULTS) {
        expect(table.some(([p, r]) => JSON.stringify(p) === JSON.stringify(policy) && r === result)).toBe(true);
      }
    }
  });

  it.each(table)('%j after %s', (policy, result, expected) => {
    expect(decideRestart(input({ policy, result }))).toEqual(expected);
  });

  it('fatal is dead and cancelled is exhausted whatever the streak and the retry budget', () => {
    for (const policy of POLICIES) {
      for (const maxRetries of [undefined, 0, 2]) {
        for (const failureStreak of [0, 2, 9]) {
          expect(decideRestart(input({ policy, result: 'fatal', failureStreak, maxRetries }))).toEqual(DEAD);
          expect(decideRestart(input({ policy, result: 'cancelled', failureStreak, maxRetries }))).toEqual(CANCELLED);
        }
      }
    }
  });

  it('a success resets the streak and ignores the retry budget', () => {
    expect(decideRestart(input({ policy: 'always', result: 'success', failureStreak: 7, maxRetries: 0 }))).toEqual(YIELD);
    expect(decideRestart(input({ policy: 'on-failure', result: 'success', failureStreak: 7, maxRetries: 0 }))).toEqual(
      COMPLETED,
    );
  });

  it('{ always: { intervalMs: 0 } } yields only, and intervals are whole ms', () => {
    expect(decideRestart(input({ policy: { always: { intervalMs: 0 } }, result: 'success' }))).toEqual(YIELD);
    expect(decideRestart(input({ policy: { always: { intervalMs: 0.3 } }, result: 'success' }))).toEqual(YIELD);
    expect(decideRestart(input({ policy: { always: { intervalMs: 5.6 } }, result: 'success' }))).toEqual({
      ...INTERVAL,
      delayMs: 6,
    });
  });

  it('a failure under never ignores the budget: plain failed, not a retry limit', () => {
    expect(decideRestart(input({ policy: 'never', result: 'failure', maxRetries: 0 }))).toEqual(FAILED);
    expect(decideRestart(input({ policy: 'never', result: 'failure', maxRetries: 5 }))).toEqual(FAILED);
  });

  it('a zero backoff delay yields only', () => {
    const backoff: BackoffPolicy = { firstMs: 0, maxMs: 1000, factor: 2, jitter: 'full' };
    expect(decideRestart(input({ policy: 'on-failure', result: 'failure', backoff, random: () => 0.7 }))).toEqual({
      kind: 'retry',
      delayMs: 0,
      backoffSource: 'failure',
      failureStreak: 1,
      jitterSample: 0.7,
      baseMs: 0,
        });
  });

  it('uses backoffDelay(backoff, failureStreak) with the given random source', () => {
    const backoff: BackoffPolicy = { firstMs: 100, maxMs: 30_000, factor: 2, jitter: 'decorrelated' };
    fc.assert(
      fc.property(
        fc.constantFrom<RestartPolicy>('on-failure', 'always', { always: { intervalMs: 9 } }),
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (policy, failureStreak, r) => {
          const decision = decideRestart(input({ policy, result: 'failure', failureStreak, backoff, random: () => r }));
          const sample = backoffDelay(backoff, failureStreak, () => r);
          expect(decision).toEqual({
            kind: 'retry',
            delayMs: sample.delayMs,
            backoffSource: 'failure',
            failureStreak: failureStreak + 1,
            jitterSample: r,
            baseMs: sample.baseMs,
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/**
 * Drives a task loop: feeds `results` one by one into decideRestart, carrying the streak, and
 * stops at the first decision that is not a retry. Returns every decision made.
 */
function drive(
  policy: RestartPolicy,
  maxRetries: number | undefined,
  results: Iterable<AttemptResult>,
  backoff: BackoffPolicy = EXP,
): RestartDecision[] {
  const decisions: RestartDecision[] = [];
  let failureStreak = 0;
  for (const result of results) {
    const decision = decideRestart({ policy, result, failureStreak, maxRetries, backoff, random: noRandom });
    decisions.push(decision);
    if (decision.kind !== 'retry') break;
    failureStreak = decision.failureStreak;
  }
  return decisions;
}

function* forever(result: AttemptResult): Generator<AttemptResult> {
  for (;;) yield result;
}

describe('decideRestart: retry budget', () => {
  for (const policy of ['on-failure', 'always', { always: { intervalMs: 50 } }] as const) {
    for (const m of [0, 1, 3]) {
      it(`${JSON.stringify(policy)}, maxRetries ${m}: m retries then exhausted after m + 1 failures`, () => {
        const decisions = drive(policy, m, forever('failure'));
        expect(decisions).toHaveLength(m + 1);
        expect(decisions.slice(0, m).map((d) => d.kind)).toEqual(Array(m).fill('retry'));
        expect(decisions.slice(0, m).map((d) => (d.kind === 'retry' ? d.failureStreak : -1))).toEqual(
          Array.from({ length: m }, (_, i) => i + 1),
        );
        expect(decisions.at(-1)).toEqual(LIMIT);
      });
    }
  }

  it('maxRetries 5 with exponential backoff gives the delays 100, 200, 400, 800, 1000 (S13)', () => {
    const decisions = drive('on-failure', 5, forever('failure'));
    expect(decisions.map((d) => (d.kind === 'retry' ? d.delayMs : d.kind))).toEqual([100, 200, 400, 800, 1000, 'exhausted']);
    expect(decisions.at(-1)).toEqual(LIMIT);
  });

  it('the limit is checked against the streak before this attempt', () => {
    const at = (failureStreak: number, maxRetries: number | undefined): RestartDecision['kind'] =>
      decideRestart(input({ policy: 'on-failure', result: 'failure', failureStreak, maxRetries })).kind;
    expect(at(2, 3)).toBe('retry');
    expect(at(3, 3)).toBe('exhausted');
    expect(at(4, 3)).toBe('exhausted');
    expect(at(0, 0)).toBe('exhausted');
    expect(at(1_000_000, undefined)).toBe('retry');
  });

  it('no maxRetries: never exhausted, the delay stays capped', () => {
    const decisions = drive('on-failure', undefined, Array<AttemptResult>(200).fill('failure'));
    expect(decisions).toHaveLength(200);
    expect(decisions.every((d) => d.kind === 'retry')).toBe(true);
    expect(decisions.at(-1)).toEqual({ ...BACKOFF0, delayMs: 1000, baseMs: 1000, failureStreak: 200 });
  });

  it('a success ends the streak: fail, ok, fail ... under always with maxRetries 1 never exhausts (S10)', () => {
    const pattern: AttemptResult[] = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 'failure' : 'success'));
    const decisions = drive('always', 1, pattern);
    expect(decisions).toHaveLength(100);
    decisions.forEach((decision, i) => {
      expect(decision).toEqual(i % 2 === 0 ? BACKOFF0 : YIELD);
    });
  });

  it('a success resets the budget: m + 1 failures in a row exhaust, counted from the last success', () => {
    const results: AttemptResult[] = ['failure', 'failure', 'success', 'failure', 'failure', 'failure', 'failure'];
    const decisions = drive({ always: { intervalMs: 10 } }, 1, results);
    expect(decisions).toEqual([BACKOFF0, LIMIT]);
    const withTwo = drive({ always: { intervalMs: 10 } }, 2, results);
    const second: RestartDecision = { ...BACKOFF0, delayMs: 200, baseMs: 200, failureStreak: 2 };
    expect(withTwo).toEqual([BACKOFF0, second, { ...INTERVAL, delayMs: 10 }, BACKOFF0, second, LIMIT]);
  });

  it('on-failure: the first success completes the task', () => {
    const decisions = drive('on-failure', 3, ['failure', 'failure', 'success', 'failure']);
    expect(decisions.map((d) => d.kind)).toEqual(['retry', 'retry', 'exhausted']);
    expect(decisions.at(-1)).toEqual(COMPLETED);
  });
});

describe('decideRestart: uptime (resetAfterMs)', () => {
  const failure = (failureStreak: number, uptimeMs: number | undefined, resetAfterMs: number | undefined): RestartInput => {
    const base = input({ policy: 'on-failure', result: 'failure', failureStreak, maxRetries: 2 });
    return { ...base, ...(uptimeMs === undefined ? {} : { uptimeMs }), ...(resetAfterMs === undefined ? {} : { resetAfterMs }) };
  };

  it('a failure after at least resetAfterMs of uptime is the first of a new streak: first delay, fresh budget', () => {
    const reset = { uptimeMs: 30_000, resetAfterMs: 30_000 };
    expect(decideRestart(failure(2, 30_000, 30_000))).toEqual({ ...BACKOFF0, streakReset: reset });
    expect(decideRestart(failure(7, 3_600_000, 30_000))).toEqual({ ...BACKOFF0, streakReset: { uptimeMs: 3_600_000, resetAfterMs: 30_000 } });
  });

  it('below resetAfterMs the streak goes on, and maxRetries still runs out (a crash loop)', () => {
    expect(decideRestart(failure(1, 29_999, 30_000))).toMatchObject({ kind: 'retry', delayMs: 200, failureStreak: 2 });
    expect(decideRestart(failure(2, 29_999, 30_000))).toEqual(LIMIT);
  });

  it('without uptime or resetAfterMs only a success ends a streak (the function stays pure and total)', () => {
    expect(decideRestart(failure(2, undefined, 30_000))).toEqual(LIMIT);
    expect(decideRestart(failure(2, 3_600_000, undefined))).toEqual(LIMIT);
  });

  it('a first failure has no streak to reset: no streakReset, whatever the uptime', () => {
    expect(decideRestart(failure(0, 3_600_000, 30_000))).toEqual(BACKOFF0);
  });

  it('maxRetries 0: the new streak allows no retry', () => {
    expect(decideRestart({ ...failure(3, 60_000, 1_000), maxRetries: 0 })).toEqual(LIMIT);
  });

  it('uptime never changes a success, a fatal error or a cancel', () => {
    const long = { uptimeMs: 3_600_000, resetAfterMs: 1 };
    expect(decideRestart({ ...input({ policy: 'always', result: 'success', failureStreak: 3 }), ...long })).toEqual(YIELD);
    expect(decideRestart({ ...input({ policy: 'always', result: 'fatal', failureStreak: 3 }), ...long })).toEqual(DEAD);
    expect(decideRestart({ ...input({ policy: 'always', result: 'cancelled', failureStreak: 3 }), ...long })).toEqual(CANCELLED);
  });

  it('property: with uptime >= resetAfterMs the decision is the one of a first failure (streak 0)', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(10), fc.nat(1e9), fc.nat(1e9), (streak, maxRetries, uptimeMs, resetAfterMs) => {
        const given = { ...input({ policy: 'always', result: 'failure', failureStreak: streak, maxRetries }), uptimeMs, resetAfterMs };
        const decision = decideRestart(given);
        const expected = decideRestart({ ...given, failureStreak: uptimeMs >= resetAfterMs ? 0 : streak });
        expect(decision).toMatchObject(expected);
        expect(decision.kind === 'retry' && decision.streakReset !== undefined).toBe(streak > 0 && uptimeMs >= resetAfterMs && decision.kind === 'retry');
      }),
    );
  });
});

describe('validateRestart', () => {
  it.each(['never', 'on-failure', 'always'] as const)('accepts %s', (policy) => {
    expect(validateRestart(policy, 'restart')).toBe(policy);
  });

  it('accepts { always: { intervalMs } } as a fresh frozen copy', () => {
    const given = { always: { intervalMs: 5_000 } };
    const policy = validateRestart(given, 'restart');
    expect(policy).toEqual({ always: { intervalMs: 5_000 } });
    expect(policy).not.toBe(given);
    expect(Object.isFrozen(policy)).toBe(true);
    expect(typeof policy === 'object' && Object.isFrozen(policy.always)).toBe(true);
    expect(validateRestart({ always: { intervalMs: 0 } }, 'restart')).toEqual({ always: { intervalMs: 0 } });
  });

  it.each([
    ['sometimes', 'children[1].restart'],
    ['Always', 'children[1].restart'],
    [undefined, 'children[1].restart'],
    [null, 'children[1].restart'],
    [3, 'children[1].restart'],
    [['always'], 'children[1].restart'],
    [{}, 'children[1].restart.always'],
    [{ always: 5 }, 'children[1].restart.always'],
    [{ always: {} }, 'children[1].restart.always.intervalMs'],
    [{ always: { intervalMs: -1 } }, 'children[1].restart.always.intervalMs'],
    [{ always: { intervalMs: Number.NaN } }, 'children[1].restart.always.intervalMs'],
    [{ always: { intervalMs: Infinity } }, 'children[1].restart.always.intervalMs'],
    [{ always: { intervalMs: '5' } }, 'children[1].restart.always.intervalMs'],
    [{ always: { interval: 5 } }, 'children[1].restart.always.interval'],
    [{ always: { intervalMs: 5 }, never: true }, 'children[1].restart.never'],
  ])('rejects %j, naming %s', (value, field) => {
    expect(configError(() => validateRestart(value, 'children[1].restart')).field).toBe(field);
  });

  it('quotes the bad value', () => {
    expect(configError(() => validateRestart('sometimes', 'restart')).message).toContain('"sometimes"');
    expect(configError(() => validateRestart({ always: { intervalMs: -7 } }, 'restart')).message).toContain('-7');
  });
});

describe('validateMaxRetries', () => {
  it('accepts undefined (unlimited) and integers >= 0', () => {
    expect(validateMaxRetries(undefined, 'maxRetries')).toBeUndefined();
    expect(validateMaxRetries(0, 'maxRetries')).toBe(0);
    expect(validateMaxRetries(5, 'maxRetries')).toBe(5);
    fc.assert(
      fc.property(fc.nat(), (m) => {
        expect(validateMaxRetries(m, 'maxRetries')).toBe(m);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([-1, 1.5, Number.NaN, Infinity, '3', null])('rejects %s, naming the field and quoting it', (value) => {
    const error = configError(() => validateMaxRetries(value, 'children[0].maxRetries'));
    expect(error.field).toBe('children[0].maxRetries');
    expect(error.message).toContain(typeof value === 'string' ? '"3"' : String(value));
  });
});
