import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import { configSchema } from '../src/config/config-schema.ts';
import type { StatevisorConfig } from '../src/config/config-types.ts';
import { parseSource } from '../src/config/source-lines.ts';
import { SCHEMA_FILE, schemaText } from '../scripts/write-schema.ts';

/** Every property writable, to compare with the schema's (mutable) input type. */
type Writable<T> = T extends RegExp ? T : T extends readonly (infer U)[] ? Writable<U>[] : T extends object ? { -readonly [K in keyof T]: Writable<T[K]> } : T;

const SAMPLE = `
$schema: ./node_modules/statevisor/schema/statevisor.schema.json
name: shop
strategy: one-for-one
intensity: { maxRestarts: 5, periodMs: 60000 }
defaults: { backoff: { firstMs: 200, maxMs: 10000, factor: 2, jitter: equal } }
processes:
  web:
    command: node server.js --port 8080
    readyIndicator: listening on
    readinessProbe: { http: { port: 8080, path: /health } }
    killGraceMs: 3000
  worker:
    command: [node, worker.js]
    dependsOn: [web]
    restart: always
groups:
  jobs:
    strategy: one-for-all
    dependsOn: [web]
    processes:
      mail: { command: 'node mail.js', envFile: .env }
      sms: { command: 'node sms.js', livenessProbe: { tcp: { port: 9000 }, periodMs: 500 } }
`;

describe('the config schema', () => {
  it('agrees with the config types both ways', () => {
    expectTypeOf<z.output<typeof configSchema>>().toExtend<StatevisorConfig>();
    expectTypeOf<Writable<StatevisorConfig>>().toExtend<z.input<typeof configSchema>>();
  });

  it('is committed up to date in schema/statevisor.schema.json (pnpm --filter statevisor run schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });

  it('as JSON Schema, accepts the sample config and refuses what the schema refuses', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
    const sample = parseSource(SAMPLE).value;
    expect(configSchema.safeParse(sample).success).toBe(true);
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
    const guide = parseSource(readFileSync(new URL('fixtures/export/statevisor.config.yaml', import.meta.url), 'utf8')).value;
    expect(configSchema.safeParse(guide).success).toBe(true);
    expect(validate(guide), JSON.stringify(validate.errors)).toBe(true);
    for (const bad of [
      { processes: { web: { command: 'x', comand: 'y' } } },
      { processes: { 'bad/name': { command: 'x' } } },
      { groups: { g: { groups: { h: { strategy: 'sideways' } } } } },
      { processes: { web: { command: 'x', readinessProbe: { http: { port: 0 } } } } },
    ]) {
      expect(configSchema.safeParse(bad).success).toBe(false);
      expect(validate(bad)).toBe(false);
    }
  });
});
