/**
 * Turns the schema's issues and the checks' problems into {@link ConfigProblem}s: a dotted
 * field path (`processes.web.dependsOn[0]`), the line when the format keeps one, a plain message.
 *
 * @module
 */
import type * as z from 'zod';
import type { ConfigProblem } from './config-file-error.ts';

/**
 * A field path as segments: keys and array indexes.
 *
 * @example
 * ```ts
 * const path: FieldPath = ['processes', 'web', 'dependsOn', 0];
 * ```
 */
export type FieldPath = readonly (string | number)[];

/**
 * The line of a field path in the source, when known.
 *
 * @example
 * ```ts
 * const lineOf: LineOf = parseSource(text).lineOf;
 * ```
 */
export type LineOf = (path: FieldPath) => number | undefined;

/**
 * A path as users read it: `processes.web.dependsOn[0]`.
 *
 * @param path - the segments
 * @returns the dotted path
 *
 * @example
 * ```ts
 * formatPath(['processes', 'web', 'dependsOn', 0]); // 'processes.web.dependsOn[0]'
 * ```
 */
export function formatPath(path: FieldPath): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text === '' ? segment : `${text}.${segment}`;
  }, '');
}

/**
 * One problem per schema issue (one per unknown key), with its line.
 *
 * @param issues - the schema's issues
 * @param lineOf - finds a path's line
 * @returns the problems
 *
 * @example
 * ```ts
 * const result = configSchema.safeParse(raw);
 * if (!result.success) problemsOfIssues(result.error.issues, () => undefined);
 * ```
 */
export function problemsOfIssues(issues: readonly z.core.$ZodIssue[], lineOf: LineOf): ConfigProblem[] {
  return issues.flatMap((issue) => {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => problem([...path, key], 'unknown key (a typo?)', lineOf));
    }
    if (issue.code === 'invalid_union') {
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      const missing = best.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0 && / received undefined$/.test(inner.message));
      if (missing || best.length === 0) return [problem(path, missing ? 'required' : issue.message, lineOf)];
      return problemsOfIssues(best.map((inner) => ({ ...inner, path: [...path, ...inner.path] })), lineOf);
    }
    if (issue.code === 'invalid_key') return [problem(path, plain(issue.issues[0]?.message ?? issue.message), lineOf)];
    if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message)) return [problem(path, 'required', lineOf)];
    return [problem(path, plain(issue.message), lineOf)];
  });
}

/**
 * A problem at `path`, with its line.
 *
 * @param path - the field's segments
 * @param message - what is wrong
 * @param lineOf - finds a path's line
 * @returns the problem
 *
 * @example
 * ```ts
 * problem(['processes', 'web'], 'no such file', () => 3); // { line: 3, path: 'processes.web', message: 'no such file' }
 * ```
 */
export function problem(path: FieldPath, message: string, lineOf: LineOf): ConfigProblem {
  const line = lineOf(path);
  return line === undefined ? { path: formatPath(path), message } : { line, path: formatPath(path), message };
}

function plain(message: string): string {
  return message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, '');
}
