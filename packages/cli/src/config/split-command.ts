/**
 * Splits a `command` string into argv the way a shell would (quotes, backslash escapes), without
 * running a shell; shell syntax that only a shell can carry out is refused with a hint.
 *
 * @module
 */
import { parse } from 'shell-quote';

/**
 * A split command: its argv, or why it needs `shell: true`.
 *
 * @example
 * ```ts
 * const split: SplitCommand = splitCommand('node server.js');
 * if ('argv' in split) console.log(split.argv);
 * ```
 */
export type SplitCommand = { readonly argv: readonly string[] } | { readonly problem: string };

const NEEDS_SHELL = 'needs a shell: set `shell: true` to run it with sh -c, or give command as an argv list';

/**
 * Splits `command` into words like `sh` would, without a shell: `node "my app.js" --port 80`
 * gives `['node', 'my app.js', '--port', '80']`. Operators (`|`, `&&`, `;`, `>`, `<`, `(`),
 * variables (`$HOME`), globs (`*.js`), comments and leading `NAME=value` assignments are
 * refused: only a shell gives them their meaning.
 *
 * @param command - the command line
 * @returns the argv, or a problem saying what needs a shell
 *
 * @example
 * ```ts
 * splitCommand('node "my app.js"'); // { argv: ['node', 'my app.js'] }
 * splitCommand('a | b');            // { problem: 'uses "|", which needs a shell: ...' }
 * ```
 */
export function splitCommand(command: string): SplitCommand {
  const variables: string[] = [];
  const entries = parse(command, (name) => {
    variables.push(name);
    return `$${name}`;
  });
  const argv: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      argv.push(entry);
    } else if ('op' in entry) {
      const what = entry.op === 'glob' ? `the glob "${entry.pattern}"` : `"${entry.op}"`;
      return { problem: `uses ${what}, which ${NEEDS_SHELL}` };
    } else {
      return { problem: `has a comment ("#${entry.comment}"), which ${NEEDS_SHELL}` };
    }
  }
  const [variable] = variables;
  if (variable !== undefined) return { problem: `uses the variable "$${variable}", which ${NEEDS_SHELL}` };
  const [first] = argv;
  if (first === undefined) return { problem: 'is empty' };
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(first)) {
    return { problem: `starts with the assignment "${first}": put it under env, or set \`shell: true\`` };
  }
  return { argv };
}
