/**
 * pm2 7's programmatic API as a bench peer (R1, R2): a private daemon under a temp PM2_HOME,
 * promisified calls, and a teardown that leaves nothing behind: `pm2.killDaemon` (which deletes
 * every app), `pm2.disconnect`, then SIGKILL to the daemon's pid and to every pid given to
 * {@link Pm2Session.close} that is still alive, also from an `exit` hook when the bench throws.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StartOptions } from 'pm2';
import { isDead, killPid } from './hello.ts';

/** The calls of pm2's API the bench uses, as promises. */
export interface Pm2Session {
  /** The private PM2_HOME. */
  readonly home: string;
  start(options: StartOptions): Promise<void>;
  stop(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  /** The app's pm2 status and restart count (`pm2.describe`). */
  describe(name: string): Promise<{ status: string; restarts: number }>;
  /** Kills the daemon and its apps, disconnects, SIGKILLs what is left (`pids` too). */
  close(pids: Iterable<number>): Promise<void>;
}

/** The daemon's pid from PM2_HOME/pm2.pid, if it wrote one. */
function daemonPid(home: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(home, 'pm2.pid'), 'latin1').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves when `call` calls back without an error, rejects with its error or after `ms`. */
function settle<T>(what: string, ms: number, call: (cb: (error: Error | null | undefined, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench: pm2 ${what} did not answer within ${ms} ms`)), ms);
    call((error, value) => {
      clearTimeout(timer);
      if (error !== null && error !== undefined) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(value);
    });
  });
}

/**
 * Closes pm2's RPC socket (an axon socket) for good. Once the daemon is gone, the socket has
 * lost its connection and reconnects every few seconds for ever; pm2's `disconnect()` closes
 * only a connected socket, so without this the bench process would never exit.
 */
function closeRpcSocket(api: unknown): void {
  const sock = (api as { Client?: { client_sock?: { close?: () => void } } }).Client?.client_sock;
  sock?.close?.();
}

/** This process's PM2_HOME: pm2 fixes its paths when it is first imported, so one per process. */
let pm2Home: string | undefined;

function privateHome(): string {
  if (pm2Home !== undefined) return pm2Home;
  const home = mkdtempSync(join(tmpdir(), 'statevisor-bench-pm2-'));
  process.on('exit', () => rmSync(home, { recursive: true, force: true }));
  pm2Home = home;
  return home;
}

/**
 * Starts a pm2 daemon under this process's private PM2_HOME (a temp dir, removed at exit).
 * PM2_HOME and PM2_PROGRAMMATIC (no version check, no console output) are set before pm2 is
 * first imported: its paths are fixed at import time.
 */
export async function openPm2(): Promise<Pm2Session> {
  const home = privateHome();
  process.env['PM2_HOME'] = home;
  process.env['PM2_PROGRAMMATIC'] = 'true';
  const pm2 = (await import('pm2')).default;
  const leftovers = new Set<number>();
  /** The daemon's pid, read once it is up (it removes its pid file when it exits). */
  let daemon: number | undefined;
  const killAll = (): void => {
    const pid = daemon ?? daemonPid(home);
    if (pid !== undefined) killPid(pid);
    for (const p of leftovers) killPid(p);
  };
  process.on('exit', killAll);
  try {
    await settle('connect', 30_000, (cb) => pm2.connect((error) => cb(error)));
    daemon = daemonPid(home);
  } catch (error) {
    killAll();
    throw error;
  }
  return {
    home,
    async start(options) {
      await settle('start', 30_000, (cb) => pm2.start(options, (error) => cb(error)));
    },
    async stop(name) {
      await settle('stop', 30_000, (cb) => pm2.stop(name, (error) => cb(error)));
    },
    async restart(name) {
      await settle('restart', 30_000, (cb) => pm2.restart(name, (error) => cb(error)));
    },
    async describe(name) {
      const list = await settle('describe', 30_000, (cb: (error: Error | null | undefined, value?: { status: string; restarts: number }) => void) =>
        pm2.describe(name, (error, descs) => {
          const env = descs[0]?.pm2_env;
          cb(error, { status: env?.status ?? 'unknown', restarts: env?.restart_time ?? -1 });
        }),
      );
      return list ?? { status: 'unknown', restarts: -1 };
    },
    async close(pids) {
      for (const p of pids) leftovers.add(p);
      try {
        await settle('killDaemon', 15_000, (cb) => pm2.killDaemon((error) => cb(error)));
      } finally {
        pm2.disconnect();
        closeRpcSocket(pm2);
        killAll();
        process.off('exit', killAll);
        for (let i = 0; i < 100 && daemon !== undefined && !isDead(daemon); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
