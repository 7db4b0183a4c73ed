/**
 * The one schema of a `statevisor` config (the shape of `config-types.ts`): validates YAML, JSON
 * and module configs, and is published as JSON Schema (`schema/statevisor.schema.json`) for
 * editors. Unknown keys are errors. The checks across fields (`dependsOn` naming siblings, no
 * cycle, a `command` string that needs no shell) are in `config-checks.ts`, run on the same
 * input so that every problem is reported at once.
 *
 * @module
 */
import * as z from 'zod';
import type { GroupEntry } from './config-types.ts';
import { KILL_SIGNALS } from './signals.ts';

/**
 * What a process or group name looks like: a path segment also valid as a systemd unit, a
 * compose service and a Procfile name.
 *
 * @example
 * ```ts
 * NAME_PATTERN.test('web-1'); // true
 * NAME_PATTERN.test('a/b');   // false
 * ```
 */
export const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;


const name = z.string().regex(NAME_PATTERN, 'a name of letters, digits, "_", "." or "-" (at most 64, not starting with "." or "-")');
const ms = z.number().nonnegative().describe('milliseconds');
const count = z.number().int().nonnegative();
const exitCodes = z.array(z.number().int().min(0).max(255));

const restart = z
  .union([
    z.enum(['never', 'on-failure', 'always']),
    z.strictObject({ always: z.strictObject({ intervalMs: ms }) }),
  ])
  .describe('when to restart: never, on-failure (the default for processes), always, or always with an interval');

const backoff = z
  .strictObject({
    firstMs: ms.exactOptional(),
    maxMs: ms.exactOptional(),
    factor: z.number().min(1).exactOptional(),
    jitter: z.enum(['none', 'full', 'equal', 'decorrelated']).exactOptional(),
    floorMs: ms.exactOptional(),
  })
  .describe('the delay before a restart: firstMs * factor^n, capped at maxMs, then jitter');

const intensity = z
  .strictObject({ maxRestarts: count, periodMs: ms })
  .describe('give up (and escalate) after more than maxRestarts restarts within periodMs');

const strategy = z.enum(['one-for-one', 'one-for-all', 'rest-for-one']);

const childOptions = {
  restart: restart.exactOptional(),
  backoff: backoff.exactOptional(),
  maxRetries: count.exactOptional(),
  resetAfterMs: ms.exactOptional(),
  timeoutMs: ms.exactOptional(),
  graceMs: ms.exactOptional(),
  heartbeatTimeoutMs: ms.exactOptional(),
  dependsOn: z.array(name).exactOptional().describe('sibling names this one waits for (ready, or completed successfully)'),
};

const port = z.number().int().min(1).max(65_535);
const timing = {
  initialDelayMs: ms.exactOptional(),
  periodMs: ms.exactOptional(),
  timeoutMs: ms.exactOptional(),
  failureThreshold: z.number().int().min(1).exactOptional(),
};
const probe = z
  .union([
    z.strictObject({ http: z.strictObject({ port, path: z.string().exactOptional(), host: z.string().exactOptional() }), ...timing }),
    z.strictObject({ tcp: z.strictObject({ port, host: z.string().exactOptional() }), ...timing }),
    z.strictObject({ exec: z.strictObject({ command: z.string().min(1), args: z.array(z.string()).exactOptional() }), ...timing }),
  ])
  .describe('exactly one of http, tcp or exec, with its timing');

const readyIndicator = z
  .string()
  .refine((source) => compiles(source), { message: 'not a valid regular expression' })
  .describe("a regular expression's source, matched against each output line");

/**
 * The schema of one process entry.
 *
 * @example
 * ```ts
 * processEntrySchema.safeParse({ command: 'node server.js', readyIndicator: 'listening' }).success; // true
 * ```
 */
export const processEntrySchema = z
  .strictObject({
    command: z
      .union([z.string().min(1), z.array(z.string()).min(1)])
      .describe('a command line (split like a shell would, without a shell unless shell: true) or an argv list'),
    shell: z.boolean().exactOptional().describe('run command (a string) with sh -c'),
    cwd: z.string().exactOptional().describe("the working folder, relative to the config's folder"),
    env: z.record(z.string(), z.string()).exactOptional(),
    envFile: z
      .union([z.string(), z.array(z.string())])
      .exactOptional()
      .describe("dotenv file(s), relative to the config's folder; env wins over them"),
    inheritEnv: z.boolean().exactOptional(),
    readyIndicator: readyIndicator.exactOptional(),
    readySource: z.enum(['stdout', 'stderr', 'any']).exactOptional(),
    readyTimeoutMs: ms.exactOptional(),
    readinessProbe: probe.exactOptional(),
    livenessProbe: probe.exactOptional(),
    maxMemoryBytes: z.number().int().positive().exactOptional(),
    stdin: z.boolean().exactOptional(),
    killSignal: z.enum(KILL_SIGNALS).exactOptional(),
    killGraceMs: ms.exactOptional(),
    maxLineBytes: z.number().int().min(4).exactOptional(),
    drainTimeoutMs: ms.exactOptional(),
    output: z.enum(['lines', 'batches', 'none']).exactOptional(),
    successExitCodes: exitCodes.exactOptional(),
    fatalExitCodes: exitCodes.exactOptional(),
    ...childOptions,
  })
  .meta({ id: 'process', description: 'a process: its command, environment, readiness, probes and supervision' });

/**
 * The schema of a group (a nested supervisor). Recursive, so its type is declared: the compiler
 * checks that what the schema admits is a {@link GroupEntry}.
 *
 * @example
 * ```ts
 * groupEntrySchema.safeParse({ strategy: 'one-for-all', processes: { a: { command: 'node a.js' } } }).success; // true
 * ```
 */
export const groupEntrySchema: z.ZodType<GroupEntry, GroupEntry> = z.strictObject({
  ...childOptions,
  strategy: strategy.exactOptional(),
  intensity: intensity.exactOptional(),
  processes: z.record(name, processEntrySchema).exactOptional(),
  get groups(): z.ZodExactOptional<z.ZodRecord<typeof name, z.ZodType<GroupEntry, GroupEntry>>> {
    return z.record(name, groupEntrySchema).exactOptional();
  },
}).meta({ id: 'group', description: 'a nested supervisor: its strategy and intensity, its processes and groups' });

/**
 * The schema of a whole config: unknown keys are errors.
 *
 * @example
 * ```ts
 * const result = configSchema.safeParse({ processes: { web: { comand: 'x' } } });
 * result.success; // false: processes.web.comand is unknown, processes.web.command is required
 * ```
 */
export const configSchema = z
  .strictObject({
    $schema: z.string().exactOptional().describe('the JSON Schema, for editors'),
    name: name.exactOptional().describe("the root's name, the first segment of every path (default: the config folder's name)"),
    strategy: strategy.exactOptional(),
    intensity: intensity.exactOptional(),
    graceMs: ms.exactOptional(),
    maxConcurrent: z.number().int().min(1).exactOptional(),
    // The child options a whole subtree can take as defaults (core's ChildDefaults).
    defaults: z
      .strictObject(childOptions)
      .pick({ restart: true, backoff: true, maxRetries: true, resetAfterMs: true, timeoutMs: true, graceMs: true })
      .exactOptional(),
    processes: z.record(name, processEntrySchema).exactOptional(),
    groups: z.record(name, groupEntrySchema).exactOptional(),
  })
  .describe('A statevisor config: processes and nested groups under OTP-style supervision');

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/**
 * The config as JSON Schema (draft 2020-12), as written to `schema/statevisor.schema.json`.
 *
 * @returns the JSON Schema object
 *
 * @example
 * ```ts
 * writeFileSync('statevisor.schema.json', JSON.stringify(configJsonSchema(), null, 2));
 * ```
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://github.com/statevisor/statevisor/raw/main/packages/cli/schema/statevisor.schema.json',
    title: 'statevisor config',
  };
}
