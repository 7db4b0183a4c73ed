import { createSupervisor, type ChildSpec, type Supervisor } from '@statevisor/core';
import { processTask } from '@statevisor/process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectControl, type ControlClient } from '../src/control/control-client.ts';
import { ControlSocketInUseError } from '../src/control/control-errors.ts';
import { startControlServer, type ControlServer } from '../src/control/control-server.ts';
import type { PsNode } from '../src/control/protocol.ts';
import { findNode } from '../src/control/ps-tree.ts';
import { createLogBook } from '../src/logs/log-book.ts';
import type { LogLine } from '../src/logs/log-line.ts';

/** A process that prints `tick <n>` every 50 ms, and `hello` first. */
const ticker = (name: string): ChildSpec =>
  processTask(name, { command: process.execPath, args: ['-e', `console.log('hello from ${name}'); let n = 0; setInterval(() => console.log('tick ' + n++), 50);`] }, { restart: 'always' });

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setUp(): Promise<{ app: Supervisor; server: ControlServer; client: ControlClient; socketPath: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sv-control-'));
  const specs = new Map<string, ChildSpec>([['web', ticker('web')], ['api', ticker('api')]]);
  const app = createSupervisor({ name: 'app', graceMs: 2_000, children: [...specs.values()] });
  const logs = createLogBook(app, { linesPerProcess: 50 });
  const socketPath = join(dir, '.statevisor.sock');
  const server = await startControlServer(app, { socketPath, logs, specOf: (path) => specs.get(path) });
  cleanup.push(async () => {
    await server.close();
    await app.shutdown();
    logs.close();
    await rm(dir, { recursive: true, force: true });
  });
  await app.start();
  const client = await connectControl(socketPath);
  cleanup.push(() => {
    client.close();
    return Promise.resolve();
  });
  return { app, server, client, socketPath, dir };
}

const ps = async (client: ControlClient): Promise<PsNode> => (await client.request({ op: 'ps' })) as PsNode;

describe('the control server', () => {
  it('serves ps with pids, restarts, uptime and the last line; restart changes the pid', async () => {
    const { client } = await setUp();
    const web = await until('web to print', async () => {
      const node = findNode(await ps(client), 'web');
      return node?.pid !== undefined && node.lastLine?.startsWith('tick') === true ? node : undefined;
    });
    expect(web).toMatchObject({ kind: 'task', state: 'ready', restarts: 0 });
    expect(web.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(await client.request({ op: 'restart', name: 'web' })).toEqual({ path: 'web', done: 'restarted' });
    const after = await until('a new pid', async () => {
      const node = findNode(await ps(client), 'web');
      return node?.pid !== undefined && node.pid !== web.pid ? node : undefined;
    });
    expect(after.restarts).toBe(1);
  });

  it('stop keeps the process listed as stopped, and start runs it again', async () => {
    const { client } = await setUp();
    await until('web to run', async () => findNode(await ps(client), 'web')?.pid);
    expect(await client.request({ op: 'stop', name: 'web' })).toEqual({ path: 'web', done: 'stopped' });
    expect(findNode(await ps(client), 'web')).toMatchObject({ state: 'stopped' });
    expect(findNode(await ps(client), 'web')?.pid).toBeUndefined();
    expect((await ps(client)).children.map((child) => child.path)).toEqual(['web', 'api']);
    expect(await client.request({ op: 'start', name: 'web' })).toEqual({ path: 'web', done: 'started' });
    await until('web to run again', async () => findNode(await ps(client), 'web')?.pid);
    expect((await ps(client)).children.map((child) => child.path)).toEqual(['web', 'api']);
  });

  it('names an unknown process, and the ones there are', async () => {
    const { client } = await setUp();
    await expect(client.request({ op: 'restart', name: 'nope' })).rejects.toThrow('no process or group "nope" in this run; there are: web, api');
    await expect(client.request({ op: 'logs', name: 'nope' })).rejects.toThrow('no process or group "nope" in this run; there are: web, api');
    await expect(client.request({ op: 'stop' })).rejects.toThrow('name: stop needs the name of a process or group');
  });

  it('sends recent lines, then follows new ones', async () => {
    const { client } = await setUp();
    const followed: LogLine[] = [];
    const answer = (await client.request({ op: 'logs', name: 'web', follow: true, lines: 5 }, (line) => followed.push(line))) as { lines: LogLine[] };
    expect(answer.lines.length).toBeLessThanOrEqual(5);
    await until('followed lines', () => (followed.length >= 3 ? true : undefined));
    expect(followed.every((line) => line.path === 'web')).toBe(true);
    const recent = (await client.request({ op: 'logs', name: 'web' })) as { lines: LogLine[] };
    expect(recent.lines[0]?.line).toBe('hello from web');
  });

  it('makes the socket 0600, refuses a second server, and removes the socket on close', async () => {
    const { app, server, socketPath } = await setUp();
    expect((await stat(socketPath)).mode & 0o777).toBe(0o600);
    await expect(startControlServer(app, { socketPath, logs: createLogBook(app) })).rejects.toBeInstanceOf(ControlSocketInUseError);
    await server.close();
    await expect(stat(socketPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('answers a line that is no request with an error naming the field, and keeps the connection', async () => {
    const { socketPath } = await setUp();
    const socket = connect(socketPath);
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.write('not json\n{"id":7,"op":"frobnicate"}\n{"id":8,"op":"ps"}\n');
    await until('three answers', () => (text.split('\n').length > 3 ? true : undefined));
    socket.destroy();
    const [first, second, third] = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: number; ok: boolean; error?: { code: string; message: string } });
    expect(first).toEqual({ id: 0, ok: false, error: { code: 'ERR_BAD_REQUEST', message: 'a request must be one JSON object per line' } });
    expect(second).toMatchObject({ id: 7, ok: false, error: { code: 'ERR_BAD_REQUEST', message: 'op: must be one of ps, restart, stop, start, logs, got "frobnicate"' } });
    expect(third).toMatchObject({ id: 8, ok: true });
  });
});
