/**
 * Reads a Procfile (`name: command` lines, `#` comments) as a config: each line a process run
 * with `sh -c` (as foreman and overmind do) and restarted whenever it exits, as a platform
 * that runs Procfiles restarts a process that ends.
 *
 * @module
 */
import type { ConfigProblem } from './config-file-error.ts';
import type { RawConfig } from './raw-config.ts';

/**
 * Reads Procfile text: `web: node server.js` becomes
 * `processes.web = { command: 'node server.js', shell: true, restart: 'always' }`.
 *
 * @param text - the file's text
 * @returns the raw config; a line that is not `name: command` is a problem with its line
 *
 * @example
 * ```ts
 * readProcfile('web: node server.js\nworker: node worker.js\n').value;
 * ```
 */
export function readProcfile(text: string): RawConfig {
  const processes: Record<string, unknown> = {};
  const lines = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    const line = index + 1;
    const trimmed = content.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*:\s*(.*)$/.exec(trimmed);
    if (match === null) {
      problems.push({ line, path: '', message: `expected "name: command", got "${trimmed}"` });
      return;
    }
    const [, name = '', command = ''] = match;
    if (lines.has(name)) problems.push({ line, path: `processes.${name}`, message: `"${name}" is already on line ${String(lines.get(name))}` });
    else if (command === '') problems.push({ line, path: `processes.${name}.command`, message: 'empty command' });
    else {
      processes[name] = { command, shell: true, restart: 'always' };
      lines.set(name, line);
    }
  });
  return {
    value: { processes },
    lineOf: (path) => (path[0] === 'processes' && typeof path[1] === 'string' ? lines.get(path[1]) : undefined),
    problems,
  };
}
