/** Helpers of the end-to-end probe tests: a real health server, free ports, /proc lookups, a clock pump. */
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { SupervisorEvent } from '@statevisor/core';
import type { ProcessConfig } from '../src/index.ts';
import { isAlive, sleep } from './support.ts';
import type { Harness } from './support.ts';

/**
 * A health server: listens on PORT (after LISTEN_AFTER_MS), prints `listening`, answers every
 * request 200 and prints `<method> <url>`; a line `sick` on stdin makes it answer 500 from then on.
 */
export const SERVER = `
const http = require('node:http');
let status = 200;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { if (chunk.includes('sick')) { status = 500; console.log('sick now'); } });
const server = http.createServer((req, res) => { console.log(req.method + ' ' + req.url); res.statusCode = status; res.end('ok'); });
setTimeout(() => server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening')), Number(process.env.LISTEN_AFTER_MS ?? 0));
`;

/** Live processes whose command line holds `marker`. */
export function probeProcesses(marker: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && cmdline(entry).includes(marker) && isAlive(Number(entry))).map(Number);
}

/** The live children of `pid` (from /proc/<pid>/task/<pid>/children). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** A port nothing listens on now (just freed by the OS). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve((server.address() as AddressInfo).port);
    });
  });
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}

export function server(port: number, extra: Partial<ProcessConfig> = {}, listenAfterMs = 0): ProcessConfig {
  return {
    command: process.execPath,
    args: ['-e', SERVER],
    env: { PORT: String(port), LISTEN_AFTER_MS: String(listenAfterMs) },
    stdin: true,
    killGraceMs: 2_000,
    ...extra,
  };
}

/** Advances the clock step by step (letting the real I/O of each check happen) until `condition` holds. */
export async function pump(h: Harness, condition: () => boolean, what: () => string, stepMs = 100): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await h.advance(stepMs);
    await sleep(10);
  }
}

export const count = (h: Harness, kind: SupervisorEvent['kind']): number => h.of('p').filter((event) => event.kind === kind).length;
export const health = (h: Harness): Extract<SupervisorEvent, { kind: 'HealthCheckFailed' }>[] =>
  h.of('p').filter((event): event is Extract<SupervisorEvent, { kind: 'HealthCheckFailed' }> => event.kind === 'HealthCheckFailed');
