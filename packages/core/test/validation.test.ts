/**
 * Validation at the boundary (DESIGN.md §2 "Validation", "Policies"): every invalid option is a
 * ConfigError (code ERR_INVALID_CONFIG, name 'ConfigError') thrown before anything starts, whose
 * `field` is the path of the bad option and whose message quotes the bad value.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, StatevisorError, createSupervisor, task } from '../src/index.ts';
import type { ChildOptions, ChildSpec, SupervisorOptions, TaskFn } from '../src/index.ts';
import { configError, flush, harness, untilAborted } from './support.ts';

const run = async (): Promise<number> => 1;

// Typed loosely on purpose: these are what a JavaScript caller (or a config file) may pass.
const asOptions = (value: unknown): SupervisorOptions => value as SupervisorOptions;
const asChildOptions = (value: unknown): ChildOptions => value as ChildOptions;
const asName = (value: unknown): string => value as string;
const asRun = (value: unknown): TaskFn => value as TaskFn;
const asSpec = (value: unknown): ChildSpec => value as ChildSpec;

describe('ConfigError', () => {
  it('is a StatevisorError with a stable code and its class name', () => {
    const error = configError(() => createSupervisor(asOptions({ graceMs: -1 })));
    expect(error).toBeInstanceOf(StatevisorError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.code).toBe('ERR_INVALID_CONFIG');
    expect(error.field).toBe('graceMs');
    expect(error.message).toContain('graceMs');
    expect(error.message).toContain('-1');
  });
});

describe('createSupervisor options', () => {
  const cases: readonly (readonly [string, unknown, string, string])[] = [
    // [what, options, field, a quote of the value the message must contain]
    ['options not an object', 'fast', 'options', '"fast"'],
    ['unknown option (a typo)', { graceMS: 10 }, 'graceMS', 'graceMS'],
    ['name of the wrong type', { name: 5 }, 'name', '5'],
    ['empty name', { name: '' }, 'name', '""'],
    ['name with a slash', { name: 'a/b' }, 'name', '"a/b"'],
    ['unknown strategy', { strategy: 'one-for-none' }, 'strategy', '"one-for-none"'],
    ['intensity not an object', { intensity: 3 }, 'intensity', '3'],
    ['intensity.maxRestarts negative', { intensity: { maxRestarts: -1, periodMs: 1_000 } }, 'intensity.maxRestarts', '-1'],
    ['intensity.periodMs a string', { intensity: { maxRestarts: 1, periodMs: '5s' } }, 'intensity.periodMs', '"5s"'],
    ['maxConcurrent 0', { maxConcurrent: 0 }, 'maxConcurrent', '0'],
    ['maxConcurrent fractional', { maxConcurrent: 1.5 }, 'maxConcurrent', '1.5'],
    ['graceMs NaN', { graceMs: Number.NaN }, 'graceMs', 'NaN'],
    ['graceMs Infinity', { graceMs: Number.POSITIVE_INFINITY }, 'graceMs', 'Infinity'],
    ['subscriberDrainMs a string', { subscriberDrainMs: '5000' }, 'subscriberDrainMs', '"5000"'],
    ['maxSlotQueue negative', { maxSlotQueue: -1 }, 'maxSlotQueue', '-1'],
    ['handleSignals not a boolean', { handleSignals: 'yes' }, 'handleSignals', '"yes"'],
    ['defaults not an object', { defaults: [] }, 'defaults', 'array'],
    ['defaults.restart unknown', { defaults: { restart: 'sometimes' } }, 'defaults.restart', '"sometimes"'],
    ['defaults.backoff.factor < 1', { defaults: { backoff: { factor: 0.5 } } }, 'defaults.backoff.factor', '0.5'],
    ['defaults.maxRetries negative', { defaults: { maxRetries: -1 } }, 'defaults.maxRetries', '-1'],
    ['defaults.timeoutMs negative', { defaults: { timeoutMs: -5 } }, 'defaults.timeoutMs', '-5'],
    ['clock without setTimeout', { clock: { clearTimeout: () => undefined } }, 'clock.setTimeout', 'undefined'],
    ['clock.now not a function', { clock: { setTimeout: () => 0, clearTimeout: () => undefined, now: 3 } }, 'clock.now', '3'],
    ['random not a function', { random: 0.5 }, 'random', '0.5'],
    ['inspect not an observer', { inspect: 5 }, 'inspect', '5'],
    ['children not an array', { children: 'all' }, 'children', '"all"'],
    ['a child that is not a spec', { children: [42] }, 'children[0]', '42'],
  ];

  it.each(cases)('%s → field %s', (_what, options, field, quote) => {
    const error = configError(() => createSupervisor(asOptions(options)));
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}:`)).toBe(true);
    expect(error.message).toContain(quote);
  });

  it('duplicate child names → field children[i].name', () => {
    const error = configError(() => createSupervisor({ children: [task('a', run), task('b', run), task('a', run)] }));
    expect(error.field).toBe('children[2].name');
    expect(error.message).toContain('"a"');
  });

  it('unknown dependency → field children[i].options.dependsOn[j]', () => {
    const error = configError(() =>
      createSupervisor({ children: [task('web', run, { dependsOn: ['db', 'cache'] }), task('db', run)] }),
    );
    expect(error.field).toBe('children[0].options.dependsOn[1]');
    expect(error.message).toContain('"cache"');
  });

  it('self dependency → field children[i].options.dependsOn[j]', () => {
    const error = configError(() => createSupervisor({ children: [task('loop', run, { dependsOn: ['loop'] })] }));
    expect(error.field).toBe('children[0].options.dependsOn[0]');
  });

  it('dependency cycle → a dependsOn field, naming the cycle', () => {
    const error = configError(() =>
      createSupervisor({
        children: [task('a', run, { dependsOn: ['c'] }), task('b', run, { dependsOn: ['a'] }), task('c', run, { dependsOn: ['b'] })],
      }),
    );
    expect(error.field).toMatch(/^children\[\d\]\.options\.dependsOn$/);
    expect(error.message).toMatch(/cycle/);
    for (const name of ['a', 'b', 'c']) expect(error.message).toContain(name);
  });

  it("a child's backoff that is invalid once merged with the supervisor's defaults is rejected by createSupervisor", () => {
    // The child alone is valid (against the built-in default firstMs 200), but it would run with
    // the supervisor's firstMs 5000 > maxMs 1000.
    const child = task('a', run, { backoff: { maxMs: 1_000 } });
    const error = configError(() =>
      createSupervisor({ defaults: { backoff: { firstMs: 5_000, maxMs: 60_000 } }, children: [task('ok', run), child] }),
    );
    expect(error.field).toBe('children[1].options.backoff.firstMs');
  });

  it('nothing is published or run when the configuration is invalid', () => {
    let ran = false;
    expect(() =>
      createSupervisor(asOptions({ graceMs: 'long', children: [task('x', async () => { ran = true; })] })),
    ).toThrow(ConfigError);
    expect(ran).toBe(false);
  });
});

describe('task() options', () => {
  const cases: readonly (readonly [string, unknown, string])[] = [
    ['options not an object', 'fast', 'options'],
    ['unknown option (a typo)', { retries: 3 }, 'options.retries'],
    ['restart unknown', { restart: 'sometimes' }, 'options.restart'],
    ['restart object with an unknown key', { restart: { sometimes: {} } }, 'options.restart.sometimes'],
    ['restart interval negative', { restart: { always: { intervalMs: -1 } } }, 'options.restart.always.intervalMs'],
    ['restart interval a string', { restart: { always: { intervalMs: '1s' } } }, 'options.restart.always.intervalMs'],
    ['maxRetries fractional', { maxRetries: 1.5 }, 'options.maxRetries'],
    ['maxRetries negative', { maxRetries: -1 }, 'options.maxRetries'],
    ['timeoutMs negative', { timeoutMs: -1 }, 'options.timeoutMs'],
    ['timeoutMs NaN', { timeoutMs: Number.NaN }, 'options.timeoutMs'],
    ['backoff not an object', { backoff: 100 }, 'options.backoff'],
    ['backoff unknown key', { backoff: { first: 100 } }, 'options.backoff.first'],
    ['backoff.factor < 1', { backoff: { factor: 0.5 } }, 'options.backoff.factor'],
    ['backoff.factor NaN', { backoff: { factor: Number.NaN } }, 'options.backoff.factor'],
    ['backoff.factor 0', { backoff: { factor: 0 } }, 'options.backoff.factor'],
    ['backoff.firstMs negative', { backoff: { firstMs: -1 } }, 'options.backoff.firstMs'],
    ['backoff.firstMs > maxMs', { backoff: { firstMs: 10_000, maxMs: 5_000 } }, 'options.backoff.firstMs'],
    ['backoff.floorMs > maxMs', { backoff: { firstMs: 10, maxMs: 5_000, floorMs: 6_000 } }, 'options.backoff.floorMs'],
    ['backoff.maxMs negative', { backoff: { maxMs: -1 } }, 'options.backoff.maxMs'],
    ['backoff.jitter unknown', { backoff: { jitter: 'some' } }, 'options.backoff.jitter'],
    ['dependsOn not an array', { dependsOn: 'db' }, 'options.dependsOn'],
    ['dependsOn with an empty name', { dependsOn: ['db', ''] }, 'options.dependsOn[1]'],
  ];

  it.each(cases)('%s → field %s', (_what, options, field) => {
    const error = configError(() => task('t', run, asChildOptions(options)));
    expect(error.field).toBe(field);
    expect(error.code).toBe('ERR_INVALID_CONFIG');
  });

  it.each([
    ['a number', 5],
    ['an empty string', ''],
    ['a name with a slash', 'a/b'],
  ] as const)('name that is %s → field name', (_what, name) => {
    const error = configError(() => task(asName(name), run));
    expect(error.field).toBe('name');
  });

  it('run that is neither a function nor actor logic → field run', () => {
    expect(configError(() => task('t', asRun(42))).field).toBe('run');
    expect(configError(() => task('t', asRun({ not: 'logic' }))).field).toBe('run');
  });
});

describe('add() validates at the boundary', () => {
  it('an invalid spec rejects with a ConfigError naming the field, and publishes nothing', async () => {
    const h = harness();
    await h.app.start();
    const attempt = async (): Promise<string> => h.app.add(asSpec(42));
    await expect(attempt()).rejects.toMatchObject({ name: 'ConfigError', field: expect.stringMatching(/^spec/) as string });
    expect(h.events).toEqual([]);
  });

  it("a spec whose backoff is invalid once merged with the defaults rejects, and publishes nothing", async () => {
    const h = harness({ defaults: { backoff: { firstMs: 5_000, maxMs: 60_000 } } });
    await h.app.start();
    const attempt = async (): Promise<string> => h.app.add(task('a', run, { backoff: { maxMs: 1_000 } }));
    await expect(attempt()).rejects.toMatchObject({ name: 'ConfigError', field: 'spec.options.backoff.firstMs' });
    expect(h.events).toEqual([]);
  });

  it('a runtime child may depend on a live sibling', async () => {
    const h = harness({ children: [task('db', async ({ signal, ready }) => { ready(); await untilAborted(signal); })] });
    await h.app.start();
    await flush();
    await expect(h.app.add(task('web', async () => 'served', { dependsOn: ['db'] }))).resolves.toBe('app/web');
    await expect(h.app.outcome('web')).resolves.toEqual({ kind: 'completed', output: 'served' });
    await h.app.shutdown();
  });

  it('a runtime child depending on a name no sibling has rejects with a ConfigError naming dependsOn', async () => {
    const h = harness();
    await h.app.start();
    const attempt = async (): Promise<string> => h.app.add(task('web', run, { dependsOn: ['ghost'] }));
    await expect(attempt()).rejects.toMatchObject({ name: 'ConfigError', field: expect.stringMatching(/dependsOn\[0\]$/) as string });
    expect(h.events).toEqual([]);
  });
});
