import { describe, expect, it } from 'vitest';
import { redact, REDACTED } from '../src/format/redact.ts';
import { toPlain } from '../src/format/to-plain.ts';

describe('redact', () => {
  const data = {
    input: { command: 'sh', env: { TOKEN: 'hunter2', HOME: '/root' } },
    event: { type: 'xstate.done.actor.a', output: 'marker-42' },
    resolved: { type: 'xstate.promise.resolve', data: 'marker-42' },
    list: [{ env: ['TOKEN=hunter2'] }, { env: 'TOKEN=hunter2' }],
  };

  it('replaces env values (keeping the keys) and drops output fields by default', () => {
    expect(redact(data)).toEqual({
      input: { command: 'sh', env: { TOKEN: REDACTED, HOME: REDACTED } },
      event: { type: 'xstate.done.actor.a' },
      resolved: { type: 'xstate.promise.resolve' },
      list: [{ env: [REDACTED] }, { env: REDACTED }],
    });
    expect(JSON.stringify(redact(data))).not.toMatch(/hunter2|marker-42/);
  });

  it('keeps what it is asked to keep, and never changes its input', () => {
    const before = JSON.stringify(data);
    expect(redact(data, { secrets: true, outputs: true })).toEqual(data);
    expect(redact(data, { secrets: true })).toMatchObject({ input: { env: { TOKEN: 'hunter2' } } });
    expect(JSON.stringify(redact(data, { outputs: true }))).toContain('marker-42');
    expect(JSON.stringify(redact(data, { outputs: true }))).not.toContain('hunter2');
    expect(JSON.stringify(data)).toBe(before);
  });
});

describe('toPlain', () => {
  it('makes hostile values plain JSON without throwing', () => {
    class Thing {
      readonly a = 1;
      get boom(): never {
        throw new Error('getter');
      }
    }
    const hostile: Record<string, unknown> = {
      big: 10n,
      fn: () => 1,
      sym: Symbol('s'),
      nan: Number.NaN,
      thing: new Thing(),
      error: Object.assign(new Error('bad'), { code: 'E_BAD' }),
      map: new Map([['k', 1]]),
      set: new Set([1, 2]),
      list: [undefined, () => 0, 3],
    };
    Object.defineProperty(hostile, 'trap', { enumerable: true, get: () => { throw new Error('trap'); } });
    hostile['self'] = hostile;
    const plain = toPlain(hostile);
    expect(plain).toEqual({
      big: '10',
      nan: null,
      thing: { a: 1 },
      error: { name: 'Error', message: 'bad', code: 'E_BAD' },
      map: [['k', 1]],
      set: [1, 2],
      list: [null, null, 3],
      self: '[Circular]',
    });
    expect(() => JSON.stringify(plain)).not.toThrow();
  });

  it('keeps shared (non-circular) references and cuts at the depth limit', () => {
    const shared = { x: 1 };
    expect(toPlain({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
    expect(toPlain({ a: { b: { c: 1 } } }, 2)).toEqual({ a: { b: '[…]' } });
  });
});
