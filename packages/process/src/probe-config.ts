/**
 * The configuration of health probes (`readinessProbe`, `livenessProbe`) and of the memory limit
 * (`maxMemoryBytes`), and their validation. Like the rest of the configuration, it runs inside
 * `processTask()`, before anything is spawned.
 *
 * @module
 */
import { expected, fail, duration, text, validateArgs, validateCommand } from './config-fields.ts';

/**
 * An HTTP probe: `GET http://host:port/path`; a 2xx or 3xx answer is a success.
 *
 * @example
 * ```ts
 * const http: HttpProbe = { port: 8080, path: '/health' };
 * ```
 */
export interface HttpProbe {
  /** The port, 1 to 65535. */
  readonly port: number;
  /** The request path, starting with `/` (default `'/'`). */
  readonly path?: string;
  /** The host to connect to (default `'127.0.0.1'`). */
  readonly host?: string;
}

/**
 * A TCP probe: a success when a connection opens (it is closed at once).
 *
 * @example
 * ```ts
 * const tcp: TcpProbe = { port: 5432 };
 * ```
 */
export interface TcpProbe {
  /** The port, 1 to 65535. */
  readonly port: number;
  /** The host to connect to (default `'127.0.0.1'`). */
  readonly host?: string;
}

/**
 * An exec probe: a command run in its own process group, with the task's working directory and
 * environment; exit 0 is a success. Its output is discarded, and no process of it outlives the
 * check.
 *
 * @example
 * ```ts
 * const exec: ExecProbe = { command: 'pg_isready', args: ['-q'] };
 * ```
 */
export interface ExecProbe {
  /** The program: a name looked up in `PATH`, or a path. No shell is involved. */
  readonly command: string;
  /** Its arguments (default none). */
  readonly args?: readonly string[];
}

/**
 * When a probe runs: its first check `initialDelayMs` after the attempt started, each later one
 * `periodMs` after the previous check ended, each limited to `timeoutMs`.
 *
 * @example
 * ```ts
 * const timing: ProbeTiming = { initialDelayMs: 2_000, periodMs: 5_000, timeoutMs: 1_000, failureThreshold: 3 };
 * ```
 */
export interface ProbeTiming {
  /** Delay before the first check, from the attempt's start (default 0). */
  readonly initialDelayMs?: number;
  /** Delay between the end of one check and the start of the next, > 0 (default 1000). */
  readonly periodMs?: number;
  /** A check that has not succeeded within this many ms has failed, > 0 (default 1000). */
  readonly timeoutMs?: number;
  /**
   * Liveness: how many failures in a row stop the attempt, >= 1 (default 3). A readiness probe
   * ignores it: it runs until its first success.
   */
  readonly failureThreshold?: number;
}

/**
 * A health probe: exactly one of `http`, `tcp` or `exec`, plus its timing.
 *
 * @example
 * ```ts
 * const config: ProcessConfig = {
 *   command: 'node',
 *   args: ['server.js'],
 *   readinessProbe: { http: { port: 8080, path: '/ready' }, periodMs: 200 },
 *   livenessProbe: { tcp: { port: 8080 }, initialDelayMs: 5_000, failureThreshold: 3 },
 * };
 * ```
 */
export type Probe = ProbeTiming &
  (
    | { readonly http: HttpProbe; readonly tcp?: never; readonly exec?: never }
    | { readonly tcp: TcpProbe; readonly http?: never; readonly exec?: never }
    | { readonly exec: ExecProbe; readonly http?: never; readonly tcp?: never }
  );

/**
 * What a validated probe checks.
 *
 * @example
 * ```ts
 * const target: ProbeTarget = { kind: 'tcp', host: '127.0.0.1', port: 5432 };
 * ```
 */
export type ProbeTarget =
  | { readonly kind: 'http'; readonly host: string; readonly port: number; readonly path: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'exec'; readonly command: string; readonly args: readonly string[] };

/**
 * A validated, frozen probe with its defaults applied.
 *
 * @example
 * ```ts
 * const probe = resolveProbe({ tcp: { port: 5432 } }, 'config.livenessProbe');
 * probe.periodMs; // 1000
 * ```
 */
export interface ResolvedProbe {
  readonly target: ProbeTarget;
  readonly initialDelayMs: number;
  readonly periodMs: number;
  readonly timeoutMs: number;
  readonly failureThreshold: number;
}

const PROBE_KINDS = ['http', 'tcp', 'exec'] as const;
const PROBE_KEYS: readonly string[] = [...PROBE_KINDS, 'initialDelayMs', 'periodMs', 'timeoutMs', 'failureThreshold'];
const DEFAULT_HOST = '127.0.0.1';

/**
 * Validates a probe and applies its defaults; every error names the field under `field`
 * (e.g. `config.livenessProbe.http.port`).
 *
 * @throws {@link ProcessConfigError} naming the bad field
 *
 * @example
 * ```ts
 * resolveProbe({ http: { port: 8080, path: '/health' }, periodMs: 500 }, 'config.livenessProbe');
 * resolveProbe({ http: { port: 0 } }, 'config.livenessProbe'); // throws: config.livenessProbe.http.port
 * ```
 */
export function resolveProbe(value: unknown, field: string): ResolvedProbe {
  const raw = record(value, field, PROBE_KEYS);
  const kinds = PROBE_KINDS.filter((kind) => raw[kind] !== undefined);
  if (kinds.length === 0) fail(field, 'needs exactly one of http, tcp or exec');
  if (kinds.length > 1) fail(field, `has ${kinds.join(' and ')}: give exactly one of http, tcp or exec`);
  const kind = kinds[0] as (typeof PROBE_KINDS)[number];
  const at = (key: string): string => `${field}.${key}`;
  const initialDelayMs = raw['initialDelayMs'] === undefined ? 0 : duration(raw['initialDelayMs'], at('initialDelayMs'));
  return Object.freeze({
    target: targetOf(kind, raw[kind], at(kind)),
    initialDelayMs,
    periodMs: raw['periodMs'] === undefined ? 1_000 : positiveDuration(raw['periodMs'], at('periodMs')),
    timeoutMs: raw['timeoutMs'] === undefined ? 1_000 : positiveDuration(raw['timeoutMs'], at('timeoutMs')),
    failureThreshold: raw['failureThreshold'] === undefined ? 3 : threshold(raw['failureThreshold'], at('failureThreshold')),
  });
}

/**
 * Validates `maxMemoryBytes`: a positive integer, and a platform with `/proc` to sample it from
 * (Linux).
 *
 * @throws {@link ProcessConfigError} naming the field
 *
 * @example
 * ```ts
 * resolveMaxMemory(512 * 1024 * 1024, 'config.maxMemoryBytes'); // 536870912
 * ```
 */
export function resolveMaxMemory(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    expected(field, 'a positive integer number of bytes', value);
  }
  if (process.platform !== 'linux') {
    fail(field, `needs /proc to sample the group's memory, which ${process.platform} does not have (Linux only)`);
  }
  return value;
}

/**
 * The probe's target as one short line for messages: `GET http://127.0.0.1:8080/health`,
 * `tcp 127.0.0.1:5432`, `exec pg_isready -q`.
 *
 * @example
 * ```ts
 * describeTarget({ kind: 'tcp', host: '127.0.0.1', port: 5432 }); // 'tcp 127.0.0.1:5432'
 * ```
 */
export function describeTarget(target: ProbeTarget): string {
  switch (target.kind) {
    case 'http':
      return `GET http://${hostPort(target.host, target.port)}${target.path}`;
    case 'tcp':
      return `tcp ${hostPort(target.host, target.port)}`;
    case 'exec':
      return `exec ${[target.command, ...target.args].map((word) => (word === '' || /\s/.test(word) ? JSON.stringify(word) : word)).join(' ')}`;
  }
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function targetOf(kind: (typeof PROBE_KINDS)[number], value: unknown, field: string): ProbeTarget {
  const at = (key: string): string => `${field}.${key}`;
  if (kind === 'exec') {
    const raw = record(value, field, ['command', 'args']);
    const args = raw['args'] === undefined ? Object.freeze([]) : validateArgs(raw['args'], at('args'));
    return Object.freeze({ kind, command: validateCommand(raw['command'], at('command')), args });
  }
  const raw = record(value, field, kind === 'http' ? ['port', 'path', 'host'] : ['port', 'host']);
  const port = raw['port'];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    expected(at('port'), 'an integer port from 1 to 65535', port);
  }
  const host = raw['host'] === undefined ? DEFAULT_HOST : text(raw['host'], at('host'));
  if (host === '' || /\s/.test(host)) expected(at('host'), 'a host name or address', host);
  if (kind === 'tcp') return Object.freeze({ kind, host, port });
  const path = raw['path'] === undefined ? '/' : text(raw['path'], at('path'));
  if (!path.startsWith('/') || /\s/.test(path)) expected(at('path'), 'a path starting with "/", without whitespace', path);
  return Object.freeze({ kind, host, port, path });
}

/** An object whose keys are all in `known`. */
function record(value: unknown, field: string, known: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) expected(field, 'an object', value);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(`${field}.${key}`, `unknown option (known: ${known.join(', ')})`);
  }
  return value as Record<string, unknown>;
}

function positiveDuration(value: unknown, field: string): number {
  const ms = duration(value, field);
  if (ms === 0) expected(field, 'a number of milliseconds above 0', value);
  return ms;
}

function threshold(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) expected(field, 'an integer >= 1', value);
  return value;
}
