/**
 * Everything add() and submit() refuse is a rejection, never a synchronous throw (issue 9,
 * defect 5; DESIGN.md §2 "Validation"): a clash with a live sibling is TaskAlreadyExistsError,
 * invalid options a coded ConfigError naming the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, StatevisorError, TaskAlreadyExistsError, task } from '../src/index.ts';
import type { ChildSpec, SubmitOptions } from '../src/index.ts';
import { harness, untilAborted } from './support.ts';

/** A Proxy whose every trap throws. */
function hostile(): object {
  const handler = new Proxy({}, { get: () => () => { throw new TypeError('trap'); } });
  return new Proxy({}, handler);
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const real = task('real', async () => 'ok');

/**
 * Stand-ins for the hostile objects: fast-check inspects the values it generates (a Proxy's
 * traps would throw inside fast-check), so the property makes them from these marks.
 */
const HOSTILE = Symbol('a Proxy whose every trap throws');
const REVOKED = Symbol('a revoked Proxy');
const hostileMark = fc.constantFrom(HOSTILE, REVOKED);

function materialize(value: unknown): unknown {
  if (value === HOSTILE) return hostile();
  if (value === REVOKED) return revoked();
  return value;
}

/** Malformed specs: anything, look-alikes of a real spec, copies of one, hostile objects. */
const badSpec = fc.oneof(
  fc.anything({ withBigInt: true, withNullPrototype: true }),
  fc.record({ type: fc.constantFrom('task', 'supervisor'), name: fc.anything(), options: fc.anything() }, { requiredKeys: ['type'] }),
  fc.constant({ ...real }),
  fc.constant(Object.create(real) as unknown),
  hostileMark,
);

/** Malformed submit options. */
const badOptions = fc.oneof(
  fc.anything({ withBigInt: true, withNullPrototype: true }),
  fc.record({ slot: fc.anything(), admission: fc.anything() }),
  fc.record({ slot: fc.string({ minLength: 1 }), admission: fc.string(), extra: fc.anything() }, { requiredKeys: ['slot', 'admission'] }),
  hostileMark,
);

/** Calls `call`, expects no synchronous throw, and returns what its promise rejects with. */
async function refusalOf(call: () => Promise<unknown>): Promise<unknown> {
  let promise: Promise<unknown> | undefined;
  expect(() => {
    promise = call();
  }).not.toThrow();
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.fail('expected a rejection');
}

function expectConfigError(error: unknown, field: RegExp): void {
  expect(error).toBeInstanceOf(ConfigError);
  const config = error as ConfigError;
  expect(config.code).toBe('ERR_INVALID_CONFIG');
  expect(config.field).toMatch(field);
}

describe('add() and submit() refuse by rejecting', () => {
  it('property: a malformed spec to add() is a ConfigError rejection naming spec...', async () => {
    const h = harness();
    await h.app.start();
    await fc.assert(
      fc.asyncProperty(badSpec, async (spec) => {
        expectConfigError(await refusalOf(() => h.app.add(materialize(spec) as ChildSpec)), /^spec/);
      }),
    );
    expect(h.events).toEqual([]);
    await h.app.shutdown();
  });

  it('property: malformed submit options or specs are ConfigError rejections naming the field', async () => {
    const h = harness();
    await h.app.start();
    await fc.assert(
      fc.asyncProperty(badOptions, async (options) => {
        const error = await refusalOf(() => h.app.submit(real, materialize(options) as SubmitOptions));
        expectConfigError(error, /^options/);
      }),
    );
    await fc.assert(
      fc.asyncProperty(badSpec, async (spec) => {
        expectConfigError(await refusalOf(() => h.app.submit(materialize(spec) as ChildSpec, { slot: 's', admission: 'queue' })), /^spec/);
      }),
    );
    expect(h.events).toEqual([]);
    await h.app.shutdown();
  });

  it('a clash with a live sibling is a TaskAlreadyExistsError rejection, from add() and submit()', async () => {
    const h = harness({ children: [task('dup', ({ signal }) => untilAborted(signal))] });
    await h.app.start();
    const added = await refusalOf(() => h.app.add(task('dup', async () => 1)));
    expect(added).toBeInstanceOf(TaskAlreadyExistsError);
    expect(added).toMatchObject({ code: 'ERR_TASK_EXISTS' });
    const submitted = await refusalOf(() => h.app.submit(task('dup', async () => 1), { slot: 's', admission: 'queue' }));
    expect(submitted).toBeInstanceOf(TaskAlreadyExistsError);
    await h.app.shutdown();
  });

  it('every refusal carries a stable code, also after shutdown', async () => {
    const h = harness();
    await h.app.start();
    await h.app.shutdown();
    for (const error of [await refusalOf(() => h.app.add(real)), await refusalOf(() => h.app.submit(real, { slot: 's', admission: 'queue' }))]) {
      expect(error).toBeInstanceOf(StatevisorError);
      expect(error).toMatchObject({ code: 'ERR_SHUTTING_DOWN' });
    }
  });
});
