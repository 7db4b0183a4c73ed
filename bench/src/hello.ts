/**
 * The uniform measure of the process peer scenarios (R1, R2): every side runs the same small
 * Node script, which connects to a unix socket the bench listens on and says `hello <pid> <tag>`
 * once it is up (then prints `ready` on stdout and idles). The bench timestamps each hello in its
 * `'data'` handler, whoever started the process (Statevisor, pm2's daemon, a hand-written loop),
 * and confirms a death by polling the pid.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * The child: says hello over the socket in `HELLO_SOCK` with its tag `HELLO_TAG`, then `ready` on
 * stdout; exits when the bench closes the socket (so nothing outlives a bench that died), idles
 * otherwise. CommonJS, so that pm2 runs it the way it runs any Node script.
 */
const HELLO_SCRIPT = `'use strict';
const net = require('node:net');
const socket = net.connect(process.env.HELLO_SOCK, () => {
  socket.write('hello ' + process.pid + ' ' + process.env.HELLO_TAG + '\\n');
  process.stdout.write('ready\\n');
});
socket.on('error', () => process.exit(1));
socket.on('close', () => process.exit(0));
setInterval(() => {}, 1 << 30);
`;

/** A hello: when it arrived (performance.now()) and the pid that sent it. */
export interface Hello {
  readonly t: number;
  readonly pid: number;
}

/** The bench's side: a temp dir with the script and the socket, and the hellos by tag. */
export interface HelloServer {
  /** Temp dir holding the script and the socket. */
  readonly dir: string;
  /** Absolute path of the child script. */
  readonly script: string;
  /** The environment a child with `tag` needs. */
  env(tag: string): Record<string, string>;
  /** The next hello of `tag` (one that arrived before the call and was not taken counts). */
  next(tag: string, timeoutMs?: number): Promise<Hello>;
  /** Forgets a hello of `tag` that arrived and was not taken. */
  forget(tag: string): void;
  /** Every pid that said hello. */
  readonly pids: ReadonlySet<number>;
  /** Closes the socket (the children still connected exit) and removes the temp dir. */
  close(): Promise<void>;
}

/** Starts a hello server in a fresh temp dir. */
export async function helloServer(): Promise<HelloServer> {
  const dir = mkdtempSync(join(tmpdir(), 'statevisor-bench-peers-'));
  const script = join(dir, 'hello.cjs');
  const sock = join(dir, 'hello.sock');
  writeFileSync(script, HELLO_SCRIPT);
  const pids = new Set<number>();
  const early = new Map<string, Hello>();
  const waiting = new Map<string, (hello: Hello) => void>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((conn) => {
    sockets.add(conn);
    let buf = '';
    conn.setEncoding('latin1');
    conn.on('data', (chunk: string) => {
      const t = performance.now();
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const [word, pid, tag] = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        if (word !== 'hello' || tag === undefined) continue;
        const hello = { t, pid: Number(pid) };
        pids.add(hello.pid);
        const resolve = waiting.get(tag);
        if (resolve === undefined) early.set(tag, hello);
        else {
          waiting.delete(tag);
          resolve(hello);
        }
      }
    });
    conn.on('error', () => undefined);
    conn.on('close', () => sockets.delete(conn));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(sock, resolve);
  });
  return {
    dir,
    script,
    pids,
    env: (tag) => ({ HELLO_SOCK: sock, HELLO_TAG: tag }),
    next(tag, timeoutMs = 15_000) {
      const got = early.get(tag);
      if (got !== undefined) {
        early.delete(tag);
        return Promise.resolve(got);
      }
      return new Promise<Hello>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(tag);
          reject(new Error(`bench: no hello from ${tag} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(tag, (hello) => {
          clearTimeout(timer);
          resolve(hello);
        });
      });
    },
    forget: (tag) => void early.delete(tag),
    async close() {
      for (const conn of sockets) conn.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Is `pid` gone: no such process (ESRCH), or a zombie that no longer runs? */
export function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.charAt(stat.lastIndexOf(')') + 2);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

/** performance.now() at the first poll (one per macrotask) that finds `pid` dead. */
export function whenDead(pid: number, timeoutMs = 15_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  return new Promise<number>((resolve, reject) => {
    const poll = (): void => {
      const t = performance.now();
      if (isDead(pid)) resolve(t);
      else if (t > deadline) reject(new Error(`bench: pid ${pid} still alive after ${timeoutMs} ms`));
      else setImmediate(poll);
    };
    poll();
  });
}

/** SIGKILLs `pid` if it is still there. */
export function killPid(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}
