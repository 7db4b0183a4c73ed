/**
 * A `statevisor run` in a temp folder for the control tests: a config of a ticking `web`, a
 * quiet `api` and a group `workers` with `a`; helpers to wait for conditions and to read `ps`.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PsNode } from '../src/control/protocol.ts';
import { runCli, spawnCli } from './run-cli.ts';

/** The config every control test runs. */
export const CONFIG = {
  name: 'shop',
  graceMs: 2000,
  processes: {
    web: { command: [process.execPath, '-e', "console.log('web up'); let n = 0; setInterval(() => console.log('web tick ' + n++), 100)"], restart: 'always' },
    api: { command: [process.execPath, '-e', "console.log('api up'); setInterval(() => {}, 1000)"], restart: 'always' },
  },
  groups: {
    workers: { strategy: 'one-for-all', processes: { a: { command: [process.execPath, '-e', "console.log('a up'); setInterval(() => {}, 1000)"] } } },
  },
};

/**
 * A temp folder with the config, and `node_modules` linked to the package's so that the binary,
 * run from source with `--import tsx`, finds tsx from that folder.
 */
export async function configFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sv-ctl-'));
  await symlink(fileURLToPath(new URL('../node_modules', import.meta.url)), join(dir, 'node_modules'));
  await writeFile(join(dir, 'statevisor.config.json'), JSON.stringify(CONFIG, null, 2));
  return dir;
}

/** Waits until `probe` gives a value (not undefined/false), polling, up to a deadline. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `statevisor ps --json` in `dir`, parsed; undefined when it failed. */
export async function psJson(dir: string): Promise<PsNode | undefined> {
  const result = await runCli(['ps', '--json'], { cwd: dir });
  return result.code === 0 ? (JSON.parse(result.stdout) as PsNode) : undefined;
}

/** The node at `path` of a `ps` tree. */
export function nodeAt(tree: PsNode | undefined, path: string): PsNode | undefined {
  if (tree === undefined) return undefined;
  if (tree.path === path) return tree;
  for (const child of tree.children) {
    const found = nodeAt(child, path);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** True while a process with this pid exists and is not a zombie (read from /proc). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** A started run: its child process and folder; `stop()` ends it (SIGTERM, then SIGKILL) and removes the folder. */
export interface StartedRun {
  readonly dir: string;
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `statevisor run` (with `args`) in a new config folder and waits until `ps` shows every process with a pid. */
export async function startRun(args: readonly string[] = []): Promise<StartedRun> {
  const dir = await configFolder();
  const child = spawnCli(['run', ...args], { cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const run = { dir, child, stdout: () => stdout, stderr: () => stderr, exited };
  runs.push(run);
  // run prints each process's first line once it runs (cheaper to watch than polling `ps`).
  await until('every process to print', () => [/^web\s+\| web up$/m, /^api\s+\| api up$/m, /^workers\/a\s+\| a up$/m].every((line) => line.test(stdout)));
  await until('ps to show every pid', async () => {
    const tree = await psJson(dir);
    return ['web', 'api', 'workers/a'].every((path) => nodeAt(tree, path)?.pid !== undefined) ? tree : undefined;
  });
  return run;
}

const runs: StartedRun[] = [];

/** Ends every run started by {@link startRun} (afterEach). */
export async function stopRuns(): Promise<void> {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGTERM');
      const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
      await run.exited;
      clearTimeout(timer);
    }
    await rm(run.dir, { recursive: true, force: true });
  }
}
