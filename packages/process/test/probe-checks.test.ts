/**
 * The probe checks against real servers and real processes: HTTP (2xx/3xx succeed, the body is
 * never read, a hang is aborted), TCP, exec (exit 0, and nothing of its group left behind,
 * neither at a timeout nor after it ends) and the group memory read from /proc.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { killAllGroups, signalGroup, trackedGroupCount } from '../src/process-group.ts';
import { execCheck } from '../src/probes/exec.ts';
import { httpCheck } from '../src/probes/http.ts';
import { groupRss, memoryCheck } from '../src/probes/memory.ts';
import { ProbeLoop } from '../src/probes/scheduler.ts';
import { tcpCheck } from '../src/probes/tcp.ts';
import { freePort } from './probe-support.ts';
import { aliveInGroup, groupGone, isAlive, waitFor } from './support.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  killAllGroups();
  for (const close of closers.splice(0)) await close();
});

function listen(server: Server | TcpServer): Promise<number> {
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  );
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const never = new AbortController().signal;

describe('http check', () => {
  it('succeeds on 2xx and 3xx, fails on 4xx and 5xx with the status, GETs the path', async () => {
    const seen: string[] = [];
    let status = 200;
    const port = await listen(
      createServer((req: IncomingMessage, res: ServerResponse) => {
        seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
        res.writeHead(status, status === 302 ? { location: '/elsewhere' } : {});
        res.end('body');
      }),
    );
    const check = httpCheck({ kind: 'http', host: '127.0.0.1', port, path: '/health?deep=1' });
    expect(check.target).toBe(`GET http://127.0.0.1:${port}/health?deep=1`);
    expect(await check.run(never)).toBeUndefined();
    status = 302;
    expect(await check.run(never)).toBeUndefined();
    status = 404;
    expect(await check.run(never)).toBe(`GET http://127.0.0.1:${port}/health?deep=1 answered 404`);
    status = 503;
    expect(await check.run(never)).toBe(`GET http://127.0.0.1:${port}/health?deep=1 answered 503`);
    expect(seen).toEqual(Array(4).fill('GET /health?deep=1'));
  });

  it('never reads the body: a huge or endless answer is cut off once the status is known', async () => {
    let closed = 0;
    const port = await listen(
      createServer((_req, res) => {
        res.on('close', () => closed++);
        res.writeHead(200);
        // An endless body: the check must not wait for it.
        const chunk = Buffer.alloc(64 * 1024, 120);
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      }),
    );
    const check = httpCheck({ kind: 'http', host: '127.0.0.1', port, path: '/' });
    expect(await check.run(never)).toBeUndefined();
    await waitFor(() => closed === 1, 'the server to see the connection closed');
  });

  it('fails on a refused connection, and an abort ends a hanging request at once', async () => {
    const refused = await freePort();
    expect(await httpCheck({ kind: 'http', host: '127.0.0.1', port: refused, path: '/' }).run(never)).toBe(
      `GET http://127.0.0.1:${refused}/ failed: ECONNREFUSED`,
    );

    let closed = false;
    const port = await listen(
      createServer((req) => {
        req.socket.on('close', () => {
          closed = true;
        });
        // Never answers.
      }),
    );
    const abort = new AbortController();
    const result = httpCheck({ kind: 'http', host: '127.0.0.1', port, path: '/' }).run(abort.signal);
    setTimeout(() => {
      abort.abort();
    }, 50);
    expect(await result).toMatch(/failed: ABORT_ERR|aborted/i);
    await waitFor(() => closed, 'the server to see the request closed');
  });
});

describe('tcp check', () => {
  it('succeeds when the connection opens (and closes it), fails when it is refused', async () => {
    let connections = 0;
    let closes = 0;
    const port = await listen(
      createTcpServer((socket) => {
        connections++;
        socket.on('close', () => closes++);
      }),
    );
    expect(await tcpCheck({ kind: 'tcp', host: '127.0.0.1', port }).run(never)).toBeUndefined();
    await waitFor(() => closes === 1, 'the server to see the connection closed');
    expect(connections).toBe(1);

    const refused = await freePort();
    expect(await tcpCheck({ kind: 'tcp', host: '127.0.0.1', port: refused }).run(never)).toBe(`tcp 127.0.0.1:${refused} failed: ECONNREFUSED`);
  });
});

/** The pid of the live process whose command line holds `marker`. */
function pidWith(marker: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

const place = { cwd: undefined, env: undefined };

describe('exec check', { timeout: 15_000 }, () => {
  it('succeeds on exit 0, fails naming the exit code, the signal, or the spawn error', async () => {
    expect(await execCheck({ kind: 'exec', command: 'true', args: [] }, place).run(never)).toBeUndefined();
    expect(await execCheck({ kind: 'exec', command: 'sh', args: ['-c', 'exit 1'] }, place).run(never)).toBe(
      'exec sh -c "exit 1" exited with code 1',
    );
    expect(await execCheck({ kind: 'exec', command: 'sh', args: ['-c', 'kill -9 $$'] }, place).run(never)).toBe(
      'exec sh -c "kill -9 $$" was killed by SIGKILL',
    );
    expect(await execCheck({ kind: 'exec', command: 'no-such-probe-command', args: [] }, place).run(never)).toBe(
      'exec no-such-probe-command could not be spawned: ENOENT',
    );
    expect(trackedGroupCount()).toBe(0);
  });

  it('runs in the given cwd and environment, and discards its output', async () => {
    const check = execCheck(
      { kind: 'exec', command: 'sh', args: ['-c', 'yes | head -c 1000000; test "$PWD" = /tmp && test "$PROBE_X" = 1'] },
      { cwd: '/tmp', env: { ...process.env, PROBE_X: '1' } },
    );
    expect(await check.run(never)).toBeUndefined();
  });

  it('a hanging command is SIGKILLed with its whole group at timeoutMs: nothing is left in /proc', async () => {
    const marker = `probe-hang-${process.pid}-${Date.now()}`;
    const clock = new SimulatedClock();
    const seen: string[] = [];
    const loop = new ProbeLoop(
      execCheck({ kind: 'exec', command: 'sh', args: ['-c', `sleep 30 & sleep 30; : ${marker}`] }, place),
      { initialDelayMs: 0, periodMs: 60_000, timeoutMs: 1_000 },
      clock,
      { passed: () => seen.push('ok'), failed: (reason) => seen.push(reason) },
    );
    loop.start();
    clock.increment(0);
    let leader: number | undefined;
    await waitFor(() => (leader = pidWith(marker)) !== undefined && aliveInGroup(leader).length === 3, 'sh and its two sleeps');
    const pgid = leader ?? 0;
    clock.increment(1_000);
    expect(seen).toEqual([`exec sh -c "sleep 30 & sleep 30; : ${marker}" timed out after 1000ms`]);
    await groupGone(pgid);
    await waitFor(() => trackedGroupCount() === 0, 'the group to be untracked');
    loop.stop();
  });

  it('what the command leaves in its group dies when it exits, and stop() kills a running one', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'probe-')), 'bg.pid');
    const leftover = execCheck({ kind: 'exec', command: 'sh', args: ['-c', `sleep 30 & echo $! > ${pidFile}; exit 0`] }, place);
    expect(await leftover.run(never)).toBeUndefined();
    const background = Number(readFileSync(pidFile, 'utf8'));
    expect(background).toBeGreaterThan(0);
    await waitFor(() => !isAlive(background), 'the background sleep to be killed with its group', 2_000);

    const marker2 = `probe-stop-${process.pid}-${Date.now()}`;
    const clock = new SimulatedClock();
    const loop = new ProbeLoop(
      execCheck({ kind: 'exec', command: 'sh', args: ['-c', `sleep 30; : ${marker2}`] }, place),
      { initialDelayMs: 0, periodMs: 1_000, timeoutMs: 60_000 },
      clock,
      { passed: () => undefined, failed: () => undefined },
    );
    loop.start();
    clock.increment(0);
    let leader: number | undefined;
    await waitFor(() => (leader = pidWith(marker2)) !== undefined, 'the probe to run');
    loop.stop();
    await groupGone(leader ?? 0);
  });
});

describe('memory', { timeout: 15_000 }, () => {
  it("sums the RSS of every process of the group, read from /proc, and fails above the limit", async () => {
    // A group of three: sh, a node holding 64 MiB it has written to, and a sleep.
    const child = spawn(
      'sh',
      ['-c', `node -e "globalThis.b = Buffer.alloc(64 * 1024 * 1024, 1); console.log('filled'); setInterval(() => {}, 1000)" & sleep 30 & wait`],
      { detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const pgid = child.pid ?? 0;
    closers.push(() => {
      signalGroup(pgid, 'SIGKILL');
      return groupGone(pgid);
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => { resolve(); }));
    const members = aliveInGroup(pgid);
    expect(members).toHaveLength(3);
    const bytes = await groupRss(pgid);
    const each = members.map((pid) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024);
    expect(bytes).toBeGreaterThan(64 * 1024 * 1024);
    // Sampled a moment apart, the sum stays within a few MiB of the members read one by one.
    expect(Math.abs(bytes - each.reduce((a, b) => a + b, 0))).toBeLessThan(8 * 1024 * 1024);

    expect(await memoryCheck(pgid, 1024 * 1024 * 1024).run(never)).toBeUndefined();
    expect(await memoryCheck(pgid, 32 * 1024 * 1024).run(never)).toMatch(
      /^the process group's resident memory is \d+\.\d MiB \(\d+ bytes\), above maxMemoryBytes 32\.0 MiB \(33554432 bytes\)$/,
    );
    expect(await groupRss(999_999_999)).toBe(0);
  });
});
