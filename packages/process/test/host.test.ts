import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { groupGone, isAlive, waitFor } from './support.ts';

const fixture = fileURLToPath(new URL('./fixtures/host-app.ts', import.meta.url));

interface Host {
  readonly lines: string[];
  readonly pid: number;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const hosts: Host[] = [];

/** However a test ended, no host and no process group it started outlives it. */
afterEach(async () => {
  for (const host of hosts.splice(0)) {
    const { leader } = pidsOf(host);
    try {
      process.kill(host.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await host.exit;
    if (Number.isInteger(leader) && leader > 0) {
      try {
        process.kill(-leader, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

function startHost(mode: 'exit' | 'signal'): Host {
  const child = spawn(process.execPath, ['--conditions=@statevisor/source', '--import', 'tsx', fixture, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
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
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  if (child.pid === undefined) throw new Error('spawn failed');
  const host = { lines, pid: child.pid, exit };
  hosts.push(host);
  return host;
}

function pidsOf(host: Host): { leader: number; descendants: number[] } {
  const leader = Number(host.lines.find((line) => line.startsWith('pid '))?.slice(4));
  const descendants = host.lines.filter((line) => /^out \d+$/.test(line)).map((line) => Number(line.slice(4)));
  return { leader, descendants };
}

describe('the host process ends', { timeout: 30_000 }, () => {
  it('a normal host exit (process.exit) SIGKILLs every live group synchronously', async () => {
    const host = startHost('exit');
    const exit = await host.exit;
    expect(exit.code).toBe(0);
    const { leader, descendants } = pidsOf(host);
    expect(host.lines).toContain('out armed');
    expect(descendants).toHaveLength(2);
    await groupGone(leader);
    for (const pid of descendants) expect(isAlive(pid)).toBe(false);
  });

  it('with handleSignals, SIGTERM to the host stops every group gracefully before the host exits', async () => {
    const host = startHost('signal');
    await waitFor(() => host.lines.includes('out armed'), 'the worker to be armed');
    const { leader, descendants } = pidsOf(host);
    process.kill(host.pid, 'SIGTERM');
    const exit = await host.exit;
    expect(exit.signal).toBe('SIGTERM');
    const from = host.lines.indexOf('ShutdownRequested');
    expect(from).toBeGreaterThan(0);
    expect(host.lines.slice(from)).toEqual([
      'ShutdownRequested',
      'ProcessControl',
      'out got-term',
      'TaskStopped',
      'ActorExhausted',
      'TaskRemoved',
      'AllStoppedWithinGrace',
    ]);
    await groupGone(leader);
    for (const pid of descendants) expect(isAlive(pid)).toBe(false);
  });
});
