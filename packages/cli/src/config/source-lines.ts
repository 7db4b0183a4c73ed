/**
 * Parses YAML (and JSON, which the `yaml` package reads too) keeping where each node is, to
 * find the line of a field path.
 *
 * @module
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { FieldPath, LineOf } from './config-problems.ts';

/**
 * A parsed document: its value, its syntax errors with their lines, and the line of a path.
 *
 * @example
 * ```ts
 * const { value, errors, lineOf }: SourceDocument = parseSource('a: 1\n');
 * ```
 */
export interface SourceDocument {
  readonly value: unknown;
  readonly errors: readonly { readonly line: number | undefined; readonly message: string }[];
  readonly lineOf: LineOf;
}

/**
 * Parses `text` as YAML 1.2 (merge keys `<<` allowed), keeping node positions.
 *
 * @param text - the file's text
 * @returns its value, syntax errors and a path-to-line mapper
 *
 * @example
 * ```ts
 * const doc = parseSource('processes:\n  web:\n    command: node\n');
 * doc.lineOf(['processes', 'web', 'command']); // 3
 * ```
 */
export function parseSource(text: string): SourceDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, merge: true, prettyErrors: true });
  const errors = document.errors.map((error) => ({
    line: error.linePos?.[0].line,
    message: error.message.split('\n')[0] ?? error.message,
  }));
  const value: unknown = errors.length === 0 ? document.toJS({ maxAliasCount: 1_000 }) : undefined;
  return { value, errors, lineOf: (path) => lineOfPath(document, lineCounter, path) };
}

/** The line of the deepest node on `path` that exists: the key's line for a mapping entry. */
function lineOfPath(document: Document, lineCounter: LineCounter, path: FieldPath): number | undefined {
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}
