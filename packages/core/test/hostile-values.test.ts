/**
 * Hostile thrown values never kill the host (issue 9, defect 1). A task may throw anything: a
 * value whose `toString` throws, an Error whose `message` getter throws, a revoked Proxy, a
 * Symbol... Every conversion of such a value is total: the outcome settles `failed` with a
 * readable reason, the retry policy runs, shutdown ends within grace, and nothing reaches the
 * process as an unhandled rejection or an uncaught exception.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromPromise, setup } from 'xstate';
import { FatalError, describeThrown, runnerTask, supervisor, task } from '../src/index.ts';
import type { TaskFn } from '../src/index.ts';
import { flush, harness } from './support.ts';

/** Throws `value` as it is: these tests throw what no lint rule would let real code throw. */
function raise(value: unknown): never {
  throw value;
}

/** A Proxy every trap of which throws `thrown`. */
function throwingProxy(thrown: unknown): object {
  const handler = new Proxy(
    {},
    {
      get: () => () => raise(thrown),
    },
  );
  return new Proxy({}, handler);
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

function errorWithThrowingMessage(): Error {
  const error = new Error('hidden');
  Object.defineProperty(error, 'message', {
    get() {
      throw Object.create(null);
    },
  });
  return error;
}

function errorWithThrowingName(): Error {
  const error = new Error('');
  Object.defineProperty(error, 'name', {
    get() {
      throw new Error('no name');
    },
  });
  return error;
}

/** Every value that once killed the host, by a label for the test name. */
const HOSTILE: readonly (readonly [string, () => unknown])[] = [
  ['an object whose toString throws a null-prototype object', () => ({ toString: () => raise(Object.create(null)) })],
  ['an Error whose message getter throws', errorWithThrowingMessage],
  ['an Error whose name getter throws and whose message is empty', errorWithThrowingName],
  ['a revoked Proxy', revokedProxy],
  ['a Symbol', () => Symbol('sym')],
  ['a null-prototype object', (): unknown => Object.create(null)],
  ['a Proxy whose every trap throws', () => throwingProxy(Object.create(null))],
  ['an object whose Symbol.toPrimitive throws', () => ({ [Symbol.toPrimitive]: () => raise(revokedProxy()) })],
  ['undefined', () => undefined],
  ['null', () => null],
  ['a bigint', () => 12n],
  ['an Error whose message is not a string', () => Object.assign(new Error(), { message: { toString: null } })],
];

/** Collects what escapes to the process while a test runs. */
const escaped: unknown[] = [];
const onEscape = (error: unknown): void => {
  escaped.push(error);
};

beforeEach(() => {
  escaped.length = 0;
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
});

afterEach(() => {
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});

/** Lets macrotasks run so an unhandled rejection would be reported before we look. */
async function settleProcess(): Promise<void> {
  await flush(5);
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

const oneRetry = { maxRetries: 1, backoff: { firstMs: 0, maxMs: 0 } } as const;

/** Runs `spec` under a root, expects a failed outcome after two attempts, and a clean shutdown. */
async function expectContained(spec: ReturnType<typeof task>, name = spec.name): Promise<void> {
  const h = harness({ graceMs: 1_000, children: [spec] });
  await h.app.start();
  const outcome = await h.app.outcome(name);
  expect(outcome.kind).toBe('failed');
  expect(typeof outcome.reason).toBe('string');
  expect(outcome.reason).not.toBe('');
  expect(outcome.error).toBeInstanceOf(Error);
  // The retry policy ran: two attempts, one BackoffScheduled, then ActorExhausted.
  expect(h.kinds(name).filter((kind) => kind === 'TaskStarting')).toHaveLength(2);
  expect(h.kinds(name)).toContain('BackoffScheduled');
  expect(h.kinds(name)).toContain('ActorExhausted');
  await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
  await settleProcess();
  expect(escaped).toEqual([]);
}

describe('describeThrown: a total, readable description of any value', () => {
  it.each(HOSTILE)('describes %s without throwing', (_label, make) => {
    const text = describeThrown(make());
    expect(typeof text).toBe('string');
    expect(text.length).toBeGreaterThan(0);
  });

  it('keeps what is readable: an Error message, a string, a number', () => {
    expect(describeThrown(new Error('boom'))).toBe('boom');
    expect(describeThrown('plain')).toBe('plain');
    expect(describeThrown(42)).toBe('non-error thrown: 42');
    expect(describeThrown(errorWithThrowingMessage())).toBe('Error (its message could not be read)');
    expect(describeThrown(revokedProxy())).toBe('non-error thrown: <unprintable value>');
  });

  it('never throws, for any value fast-check can make, even behind a throwing Proxy', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }), (value) => {
        expect(typeof describeThrown(value)).toBe('string');
        expect(typeof describeThrown(throwingProxy(value))).toBe('string');
      }),
    );
  });
});

describe('a task that throws a hostile value', () => {
  it.each(HOSTILE)('function task throwing %s: failed, retried, shut down within grace', async (_label, make) => {
    const run: TaskFn = () => raise(make());
    await expectContained(task('hostile', run, oneRetry));
  });

  it.each(HOSTILE)('function task rejecting with %s', async (_label, make) => {
    await expectContained(task('hostile', async () => raise(make()), oneRetry));
  });

  it.each(HOSTILE)('runner rejecting with %s', async (_label, make) => {
    await expectContained(runnerTask('hostile', async () => raise(make()), oneRetry));
  });

  it.each(HOSTILE)('XState promise actor rejecting with %s', async (_label, make) => {
    await expectContained(task('hostile', fromPromise(async () => raise(make())), oneRetry));
  });

  it.each(HOSTILE)('XState machine whose action throws %s', async (_label, make) => {
    const machine = setup({
      actions: {
        explode: () => raise(make()),
      },
    }).createMachine({ entry: 'explode' });
    await expectContained(task('hostile', machine, oneRetry));
  });

  it('a FatalError with a hostile reason ends the task for good, readably', async () => {
    const h = harness({ children: [task('fatal', () => { throw new FatalError(revokedProxy() as unknown as string); })] });
    await h.app.start();
    const outcome = await h.app.outcome('fatal');
    expect(outcome.kind).toBe('fatal');
    expect(outcome.reason).toContain('unprintable');
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
    await settleProcess();
    expect(escaped).toEqual([]);
  });

  it('a nested supervisor whose child throws hostile values gives up readably', async () => {
    const h = harness({
      graceMs: 1_000,
      children: [
        supervisor('inner', {
          restart: 'never',
          intensity: { maxRestarts: 1, periodMs: 10_000 },
          children: [task('leaf', () => raise(throwingProxy(Symbol('x'))), { backoff: { firstMs: 0, maxMs: 0 } })],
        }),
      ],
    });
    await h.app.start();
    const outcome = await h.app.outcome('inner');
    expect(outcome.kind).toBe('failed');
    expect(outcome.cause?.reason).toContain('unprintable');
    await expect(h.app.shutdown()).resolves.toEqual({ withinGrace: true, stuck: [] });
    await settleProcess();
    expect(escaped).toEqual([]);
  });

  it('a subscriber that throws a hostile value is reported, and the host lives', async () => {
    const h = harness({ children: [task('ok', async () => 'fine')] });
    h.app.events$.subscribe(() => raise(revokedProxy()));
    const panics: string[] = [];
    h.app.events$.subscribe((event) => {
      if (event.kind === 'SubscriberPanicked') panics.push(event.reason);
    });
    await h.app.start();
    await expect(h.app.outcome('ok')).resolves.toEqual({ kind: 'completed', output: 'fine' });
    await h.app.shutdown();
    await settleProcess();
    expect(panics.length).toBeGreaterThan(0);
    expect(escaped).toEqual([]);
  });

  it('property: whatever a task throws, its outcome settles failed and nothing escapes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything({ withBigInt: true, withNullPrototype: true }), fc.boolean(), async (value, proxied) => {
        const thrown = proxied ? throwingProxy(value) : value;
        const h = harness({ children: [task('any', () => raise(thrown), { restart: 'never' })] });
        await h.app.start();
        const outcome = await h.app.outcome('any');
        expect(outcome.kind).toBe('failed');
        expect(typeof outcome.reason).toBe('string');
        await expect(h.app.shutdown()).resolves.toMatchObject({ withinGrace: true });
        await flush();
        expect(escaped).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
