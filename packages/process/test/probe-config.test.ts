/** Validation of readinessProbe, livenessProbe and maxMemoryBytes: every error names its field. */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveProcessConfig } from '../src/config.ts';
import { processTask, ProcessConfigError } from '../src/index.ts';
import type { ProcessConfig } from '../src/index.ts';

function build(config: unknown): unknown {
  return processTask('p', config as ProcessConfig, { restart: 'never' });
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const base = { command: 'echo' };
const live = (probe: unknown): unknown => ({ ...base, livenessProbe: probe });

const cases: readonly (readonly [string, unknown, string, RegExp])[] = [
  ['a probe that is not an object', live('http://x'), 'config.livenessProbe', /expected an object/],
  ['a probe of no kind', live({ periodMs: 5 }), 'config.livenessProbe', /exactly one of http, tcp or exec/],
  ['a probe of two kinds', live({ http: { port: 80 }, tcp: { port: 80 } }), 'config.livenessProbe', /has http and tcp/],
  ['an unknown probe option', live({ tcp: { port: 80 }, period: 5 }), 'config.livenessProbe.period', /unknown option/],
  ['an http port of 0', live({ http: { port: 0 } }), 'config.livenessProbe.http.port', /integer port from 1 to 65535/],
  ['an http port above 65535', live({ http: { port: 65_536 } }), 'config.livenessProbe.http.port', /65536/],
  ['a fractional tcp port', live({ tcp: { port: 80.5 } }), 'config.livenessProbe.tcp.port', /integer port/],
  ['a port that is a string', live({ tcp: { port: '80' } }), 'config.livenessProbe.tcp.port', /integer port/],
  ['no port', live({ http: { path: '/' } }), 'config.livenessProbe.http.port', /integer port/],
  ['a path without a leading /', live({ http: { port: 80, path: 'health' } }), 'config.livenessProbe.http.path', /starting with "\/"/],
  ['a path with a space', live({ http: { port: 80, path: '/a b' } }), 'config.livenessProbe.http.path', /without whitespace/],
  ['an empty host', live({ tcp: { port: 80, host: '' } }), 'config.livenessProbe.tcp.host', /host name/],
  ['an unknown http option', live({ http: { port: 80, method: 'POST' } }), 'config.livenessProbe.http.method', /unknown option/],
  ['a path on a tcp probe', live({ tcp: { port: 80, path: '/' } }), 'config.livenessProbe.tcp.path', /unknown option/],
  ['an empty exec command', live({ exec: { command: '' } }), 'config.livenessProbe.exec.command', /non-empty/],
  ['exec args that are not strings', live({ exec: { command: 'true', args: [1] } }), 'config.livenessProbe.exec.args[0]', /a string/],
  ['a periodMs of 0', live({ tcp: { port: 80 }, periodMs: 0 }), 'config.livenessProbe.periodMs', /above 0/],
  ['a timeoutMs of 0', live({ tcp: { port: 80 }, timeoutMs: 0 }), 'config.livenessProbe.timeoutMs', /above 0/],
  ['a negative initialDelayMs', live({ tcp: { port: 80 }, initialDelayMs: -1 }), 'config.livenessProbe.initialDelayMs', /milliseconds/],
  ['a failureThreshold of 0', live({ tcp: { port: 80 }, failureThreshold: 0 }), 'config.livenessProbe.failureThreshold', /integer >= 1/],
  ['a fractional failureThreshold', live({ tcp: { port: 80 }, failureThreshold: 1.5 }), 'config.livenessProbe.failureThreshold', /integer >= 1/],
  ['a bad readinessProbe', { ...base, readinessProbe: { http: { port: -1 } } }, 'config.readinessProbe.http.port', /integer port/],
  ['a maxMemoryBytes of 0', { ...base, maxMemoryBytes: 0 }, 'config.maxMemoryBytes', /positive integer/],
  ['a fractional maxMemoryBytes', { ...base, maxMemoryBytes: 1.5 }, 'config.maxMemoryBytes', /positive integer/],
  ['a maxMemoryBytes that is a string', { ...base, maxMemoryBytes: '1G' }, 'config.maxMemoryBytes', /positive integer/],
];

describe('probe validation', () => {
  it.each(cases)('rejects %s, naming the field', (_what, config, field, message) => {
    const error = thrown(() => build(config));
    expect(error).toBeInstanceOf(ProcessConfigError);
    expect(error).toMatchObject({ code: 'ERR_INVALID_CONFIG', field });
    expect((error as Error).message).toMatch(message);
  });

  it('applies the defaults of DESIGN §5', () => {
    const resolved = resolveProcessConfig({ ...base, livenessProbe: { http: { port: 8080 } }, readinessProbe: { tcp: { port: 5432 } } });
    expect(resolved.livenessProbe).toEqual({
      target: { kind: 'http', host: '127.0.0.1', port: 8080, path: '/' },
      initialDelayMs: 0,
      periodMs: 1_000,
      timeoutMs: 1_000,
      failureThreshold: 3,
    });
    expect(resolved.readinessProbe?.target).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5432 });
    const exec = resolveProcessConfig({ ...base, livenessProbe: { exec: { command: 'true' } } });
    expect(exec.livenessProbe?.target).toEqual({ kind: 'exec', command: 'true', args: [] });
  });

  it('accepts every field given', () => {
    expect(() =>
      build({
        ...base,
        readinessProbe: { http: { port: 1, path: '/ready?x=1', host: '::1' }, initialDelayMs: 0, periodMs: 1, timeoutMs: 1 },
        livenessProbe: { exec: { command: 'sh', args: ['-c', 'exit 0'] }, failureThreshold: 1 },
        maxMemoryBytes: 1,
      }),
    ).not.toThrow();
  });

  it('lets readyTimeoutMs go with a readinessProbe alone, but not with neither', () => {
    expect(() => build({ ...base, readyTimeoutMs: 100, readinessProbe: { tcp: { port: 80 } } })).not.toThrow();
    const error = thrown(() => build({ ...base, readyTimeoutMs: 100 }));
    expect(error).toMatchObject({ field: 'config.readyTimeoutMs' });
    expect((error as Error).message).toMatch(/readyIndicator or a readinessProbe/);
  });
});

describe('maxMemoryBytes off Linux', () => {
  const original = Object.getOwnPropertyDescriptor(process, 'platform');
  afterEach(() => {
    if (original !== undefined) Object.defineProperty(process, 'platform', original);
  });

  it('is refused at config time on a platform without /proc', () => {
    Object.defineProperty(process, 'platform', { value: 'darwin', configurable: true });
    const error = thrown(() => build({ ...base, maxMemoryBytes: 1_000_000 }));
    expect(error).toBeInstanceOf(ProcessConfigError);
    expect(error).toMatchObject({ field: 'config.maxMemoryBytes' });
    expect((error as Error).message).toMatch(/\/proc.*darwin/);
    // The rest of the configuration still works there.
    expect(() => build({ ...base, livenessProbe: { tcp: { port: 80 } } })).not.toThrow();
  });
});
