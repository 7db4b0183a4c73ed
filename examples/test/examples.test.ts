/**
 * Runs every example program as a user would (tsx, with the `@statevisor/source` condition so
 * nothing needs building) and checks that it exits 0 and prints its key line.
 *
 * Programs: every `src/*.ts`, except modules that another example imports (helpers such as
 * `format.ts`). Each program names its key line in its header comment, as `@expect <text>`: a
 * line of its output must contain that text. New programs are picked up by the glob; one without
 * `@expect` fails here. The demo runs for `DEMO_MS` (1.5 s here instead of 4 s).
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const examplesDir = fileURLToPath(new URL('../', import.meta.url));
const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const TIMEOUT_MS = 60_000;

const read = (file: string): string => readFileSync(`${srcDir}${file}`, 'utf8');
const sources = readdirSync(srcDir).filter((file) => file.endsWith('.ts')).sort();
const imported = new Set(sources.flatMap((file) => [...read(file).matchAll(/from '\.\/([\w.-]+\.ts)'/g)].map((match) => match[1])));
const programs = sources.filter((file) => !imported.has(file));

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one example program to its end. */
function run(file: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [tsxCli, '--conditions=@statevisor/source', `src/${file}`],
      { cwd: examplesDir, env: { ...process.env, DEMO_MS: '1500' }, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (_error, stdout, stderr) => {
        resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
      },
    );
  });
}

describe('example programs', () => {
  it('include the demo, the job runner, web-and-worker and the XState machine', () => {
    expect(programs).toEqual(expect.arrayContaining(['demo.ts', 'job-runner.ts', 'web-and-worker.ts', 'xstate-machine.ts']));
  });

  it.each(programs)('%s runs to completion, exits 0 and prints its key line', async (file) => {
    const expected = /^\s*\*\s*@expect (.+)$/m.exec(read(file))?.[1]?.trim();
    expect(expected, `examples/src/${file}: name its key line in its header comment, as "@expect <text>"`).toBeDefined();
    const result = await run(file);
    expect({ code: result.code, signal: result.signal }, result.stderr).toEqual({ code: 0, signal: null });
    expect(result.stdout.split('\n').some((line) => line.includes(expected ?? '')), result.stdout).toBe(true);
  }, TIMEOUT_MS + 5_000);
});
