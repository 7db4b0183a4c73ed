import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { groupGone, isAlive, tempDir, waitFor } from './support.ts';

const fixture = fileURLToPath(new URL('./fixtures/host-app.ts', import.meta.url));
const temp = tempDir('host');
let hostCount = 0;

interface Host {
  readonly lines: string[];
  readonly pid: number;
  readonly marker: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Lets a host in `exit` or `throw` mode go on and end. */
  readonly go: () => void;
}

const hosts: Host[] = [];

/** However a test ended, no host, helper or process group it started outlives it. */
afterEach(async () => {
  for (const host of hosts.splice(0)) {
    const groups = groupsOf(host);
    for (const pid of [host.pid, ...keepersOf(host)]) kill(pid, 'SIGKILL');
    await host.exit;
    for (const leader of groups.leaders) kill(-leader, 'SIGKILL');
  }
});

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function startHost(mode: 'exit' | 'throw' | 'signal' | 'bare' | 'natural'): Host {
  hostCount += 1;
  const marker = temp(`term-${hostCount}`);
  const child = spawn(process.execPath, ['--conditions=@statevisor/source', '--import', 'tsx', fixture, mode], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, MARK: marker },
  });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  if (child.pid === undefined) throw new Error('spawn failed');
  const go = (): void => {
    child.stdin.end('go\n');
  };
  const host = { lines, pid: child.pid, marker, exit, go };
  hosts.push(host);
  return host;
}

/** The groups' leaders and the background children they printed. */
function groupsOf(host: Host): { leaders: number[]; descendants: number[] } {
  const leaders = host.lines.filter((line) => line.startsWith('pid ')).map((line) => Number(line.split(' ')[2]));
  const descendants = host.lines.filter((line) => /^out \w+ \d+$/.test(line)).map((line) => Number(line.split(' ')[2]));
  return { leaders, descendants };
}

/** The host's process helper(s): its children running keeper-main, read from /proc. */
function keepersOf(host: Host): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === host.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('keeper-main')) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Every group the host had is empty, its background children are dead, and so is its helper. */
async function nothingLeft(host: Host, keepers: readonly number[]): Promise<void> {
  const { leaders, descendants } = groupsOf(host);
  expect(leaders).toHaveLength(2);
  expect(descendants).toHaveLength(4);
  for (const leader of leaders) await groupGone(leader);
  for (const pid of descendants) expect(isAlive(pid)).toBe(false);
  for (const pid of keepers) await waitFor(() => !isAlive(pid), `the process helper ${pid} to exit`);
}

/** Waits until both workers are armed and returns the host's helper, found while the host lives. */
async function armed(host: Host): Promise<number[]> {
  await waitFor(() => host.lines.includes('armed'), 'both workers to be armed');
  const keepers = keepersOf(host);
  expect(keepers).toHaveLength(1);
  return keepers;
}

describe('the host process ends, however it ends: no process of any group survives it', { timeout: 30_000 }, () => {
  it('SIGKILL of the host: the helper sends each group its killSignal, then SIGKILL after its grace', async () => {
    const host = startHost('bare');
    const keepers = await armed(host);
    process.kill(host.pid, 'SIGKILL');
    expect(await host.exit).toMatchObject({ signal: 'SIGKILL' });
    await nothingLeft(host, keepers);
    // The worker left on its killSignal; the stubborn one (SIGTERM ignored) needed the SIGKILL.
    expect(readFileSync(host.marker, 'utf8')).toBe('term\n');
  });

  it('Ctrl-C (SIGINT) of a host without handleSignals', async () => {
    const host = startHost('bare');
    const keepers = await armed(host);
    process.kill(host.pid, 'SIGINT');
    expect(await host.exit).toMatchObject({ signal: 'SIGINT' });
    await nothingLeft(host, keepers);
    expect(readFileSync(host.marker, 'utf8')).toBe('term\n');
  });

  it('process.exit() of the host', async () => {
    const host = startHost('exit');
    const keepers = await armed(host);
    host.go();
    expect(await host.exit).toMatchObject({ code: 0 });
    await nothingLeft(host, keepers);
    expect(readFileSync(host.marker, 'utf8')).toBe('term\n');
  });

  it('an uncaught exception in the host', async () => {
    const host = startHost('throw');
    const keepers = await armed(host);
    host.go();
    expect(await host.exit).toMatchObject({ code: 1 });
    await nothingLeft(host, keepers);
    expect(readFileSync(host.marker, 'utf8')).toBe('term\n');
  });

  it('with handleSignals, SIGTERM to the host stops every group gracefully before the host exits', async () => {
    const host = startHost('signal');
    const keepers = await armed(host);
    process.kill(host.pid, 'SIGTERM');
    expect(await host.exit).toMatchObject({ signal: 'SIGTERM' });
    const from = host.lines.indexOf('ShutdownRequested');
    expect(from).toBeGreaterThan(0);
    const after = host.lines.slice(from);
    expect(after.filter((line) => line === 'TaskStopped')).toHaveLength(2);
    expect(after.at(-1)).toBe('AllStoppedWithinGrace');
    await nothingLeft(host, keepers);
    expect(readFileSync(host.marker, 'utf8')).toBe('term\n');
  });

  it('a host whose work is done exits on its own: the helper never keeps it alive', async () => {
    const host = startHost('natural');
    expect(await host.exit).toMatchObject({ code: 0 });
    expect(host.lines).toContain('out short done');
    expect(host.lines.at(-1)).toBe('done');
    expect(existsSync(host.marker)).toBe(false);
  });
});
