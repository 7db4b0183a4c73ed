/**
 * Helpers for the end-to-end tests of `statevisor run` and `view`: a temp folder with a config,
 * the real binary started in it with its output split into lines, waits on conditions, /proc
 * checks, and an afterEach that kills whatever a test left behind.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { spawnCli } from './run-cli.ts';

/** Waits (in real time) until `condition` holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string | (() => string), timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 10));
  }
}

/** The state letter of a process from /proc (undefined when it is gone). */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Whether a process is alive (a zombie is not). */
export function isAlive(pid: number): boolean {
  const state = procState(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** The live members of process group `pgid`. */
export function aliveInGroup(pgid: number): number[] {
  const alive: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') alive.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return alive;
}

/** The children of `pid` whose command line contains `needle` (e.g. the process helper). */
export function childrenOf(pid: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder holding `statevisor.config.json` with `config`; returns the folder. */
export function configDir(config: unknown, file = 'statevisor.config.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'statevisor-run-'));
  dirs.push(dir);
  writeFileSync(join(dir, file), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return dir;
}

/** A running `statevisor` binary. */
export interface RunningCli {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Complete stdout lines so far. */
  readonly out: string[];
  /** Complete stderr lines so far. */
  readonly err: string[];
  /** Every stdout byte so far, as text. */
  text(): string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for a stdout line matching `pattern` and returns it. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Waits for a stderr line matching `pattern` and returns it. */
  errLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The pids printed so far: leaders (`started (pid N)`) and lines `bg N` from the processes. */
  pids(): number[];
}

const running: RunningCli[] = [];

/** However a test ended, no CLI, helper, group or background child it started outlives it. */
afterEach(async () => {
  for (const cli of running.splice(0)) {
    const helpers = childrenOf(cli.pid, 'keeper-main');
    kill(cli.pid, 'SIGKILL');
    await cli.exit;
    for (const pid of helpers) kill(pid, 'SIGKILL');
    for (const pid of cli.pids()) {
      kill(-pid, 'SIGKILL');
      kill(pid, 'SIGKILL');
    }
  }
});

/** Sends a signal, ignoring a process already gone. */
export function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function lines(stream: NodeJS.ReadableStream | null, into: string[], all?: (chunk: string) => void): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    all?.(chunk);
    rest += chunk;
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    into.push(...parts);
  });
}

/** Starts `statevisor <args>` in `cwd`. */
export function startCli(args: readonly string[], cwd: string, options: SpawnOptions = {}): RunningCli {
  const child = spawnCli(args, { cwd, ...options, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: undefined, ...options.env } });
  if (child.pid === undefined) throw new Error('spawn failed');
  const out: string[] = [];
  const err: string[] = [];
  const chunks: string[] = [];
  lines(child.stdout, out, (chunk) => chunks.push(chunk));
  lines(child.stderr, err);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const find = (where: string[], pattern: RegExp, timeoutMs = 20_000): Promise<string> =>
    waitFor(() => where.some((l) => pattern.test(l)), () => `a line matching ${String(pattern)}; got:\n${where.join('\n')}\n${err.join('\n')}`, timeoutMs).then(
      () => where.find((l) => pattern.test(l)) ?? '',
    );
  const cli: RunningCli = {
    child,
    pid: child.pid,
    out,
    err,
    text: () => chunks.join(''),
    exit,
    line: (pattern, timeoutMs) => find(out, pattern, timeoutMs),
    errLine: (pattern, timeoutMs) => find(err, pattern, timeoutMs),
    pids() {
      const pids: number[] = [];
      for (const l of out) {
        const match = /started(?: again, attempt \d+)? \(pid (\d+)\)$|\| bg (\d+)$/.exec(l);
        if (match !== null) pids.push(Number(match[1] ?? match[2]));
      }
      return pids;
    },
  };
  running.push(cli);
  return cli;
}

/**
 * A long-running shell process for `sh -c`: starts a background `sleep` in its group and prints
 * its pid (`bg N`), writes `term` to `$MARK` on SIGTERM (unless `stubborn`: then it ignores
 * SIGTERM), prints `armed`, and loops.
 */
export function worker(stubborn = false): string[] {
  const trap = stubborn ? `trap '' TERM` : `trap 'echo term >> "$MARK"; exit 0' TERM`;
  return ['sh', '-c', ['sleep 300 & echo bg $!', trap, 'echo armed', 'while :; do sleep 0.1; done'].join('\n')];
}

/** Every pid is gone (checked in /proc until the deadline), and so is every member of its group. */
export async function allGone(pids: readonly number[]): Promise<void> {
  await waitFor(
    () => pids.every((pid) => !isAlive(pid) && aliveInGroup(pid).length === 0),
    () => `pids ${pids.filter((pid) => isAlive(pid) || aliveInGroup(pid).length > 0).join(', ')} to be gone`,
    10_000,
  );
}
