/**
 * Writes `schema/statevisor.schema.json`, the config's JSON Schema for editors, from the one
 * schema in `src/config/config-schema.ts`. Run `pnpm --filter statevisor run schema` after
 * changing the schema; a test fails while the committed file is out of date.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from '../src/config/config-schema.ts';

/**
 * Where the JSON Schema is written.
 *
 * @example
 * ```ts
 * const schema: unknown = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
 * ```
 */
export const SCHEMA_FILE = fileURLToPath(new URL('../schema/statevisor.schema.json', import.meta.url));

/**
 * The JSON Schema as it is written: 2-space JSON with a final newline.
 *
 * @returns the file's text
 *
 * @example
 * ```ts
 * readFileSync(SCHEMA_FILE, 'utf8') === schemaText(); // up to date
 * ```
 */
export function schemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, schemaText());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
