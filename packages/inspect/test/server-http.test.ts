/**
 * serveViewer's HTTP side: where it listens, the token on every path, the Origin check of the
 * WebSocket upgrade, the response headers, /session, /recording byte for byte, and the errors
 * for a missing or foreign recording.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupervisor, task } from '@statevisor/core';
import type { Supervisor } from '@statevisor/core';
import { RecordingFormatError, RecordingNotFoundError, ViewerNotBuiltError, serveViewer } from '../src/index.ts';
import type { ViewerServer } from '../src/index.ts';
import { inlineScriptHashes, loadViewerPage } from '../src/server/viewer-page.ts';
import { liveUrl, upgradeStatus } from './live-client.ts';
import { FIXTURE_TEXT, fixtures } from './recording-fixture.ts';
import type { Fixtures } from './recording-fixture.ts';

let files: Fixtures;
let recordingFile: string;
let app: Supervisor;
let recording: ViewerServer;
let live: ViewerServer;

beforeAll(async () => {
  files = await fixtures();
  recordingFile = await files.write('run.jsonl', FIXTURE_TEXT);
  app = createSupervisor({ name: 'shop', children: [task('idle', () => new Promise(() => undefined))] });
  recording = await serveViewer(recordingFile);
  live = await serveViewer(app);
});

afterAll(async () => {
  await Promise.all([recording.close(), live.close()]);
  await app.shutdown();
  await files.cleanup();
});

/** The URL of a path on a viewer, with its token (or another query). */
function at(viewer: ViewerServer, path: string, query = `token=${viewer.token}`): string {
  return `http://127.0.0.1:${String(viewer.port)}${path}${query === '' ? '' : `?${query}`}`;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('serveViewer over HTTP', () => {
  it('listens on 127.0.0.1 at a free port by default, and its URL carries the token', () => {
    expect(recording.url).toBe(`http://127.0.0.1:${String(recording.port)}/?token=${recording.token}`);
    expect(recording.port).toBeGreaterThan(0);
    expect(recording.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(live.token).not.toBe(recording.token);
  });

  it('listens on the port and host asked for, with the token given', async () => {
    const port = await freePort();
    const viewer = await serveViewer(recordingFile, { port, host: 'localhost', token: 'a-token-of-my-own-choosing' });
    try {
      expect(viewer.port).toBe(port);
      expect(viewer.url).toBe(`http://localhost:${String(port)}/?token=a-token-of-my-own-choosing`);
      expect((await fetch(viewer.url)).status).toBe(200);
    } finally {
      await viewer.close();
    }
  });

  it('serves the page with its token, no-store, nosniff and a CSP that allows only itself', async () => {
    const response = await fetch(recording.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${String(recording.port)}`);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const page = await loadViewerPage();
    expect(Buffer.from(await response.arrayBuffer()).equals(page.html)).toBe(true);
    for (const hash of page.scriptHashes) expect(csp).toContain(hash);
  });

  it('refuses every path without the token or with a wrong one (403)', async () => {
    for (const viewer of [recording, live]) {
      for (const path of ['/', '/session', '/recording', '/live', '/nothing-here']) {
        for (const query of ['', 'token=', `token=${viewer.token.slice(0, -1)}`, `token=${viewer.token}x`, `tok=${viewer.token}`]) {
          const response = await fetch(at(viewer, path, query));
          expect(response.status, `${path}?${query}`).toBe(403);
          expect(response.headers.get('cache-control')).toBe('no-store');
        }
      }
    }
    expect(await upgradeStatus(liveUrl(live.url).replace(/token=[^&]*/, 'token=wrong'))).toBe(403);
    expect(await upgradeStatus(liveUrl(live.url).split('?')[0] ?? '')).toBe(403);
    expect(await upgradeStatus(liveUrl(live.url))).toBe(101);
  });

  it("refuses a WebSocket from a foreign Origin, accepts the server's own and a client without one", async () => {
    const url = liveUrl(live.url);
    const port = String(live.port);
    expect(await upgradeStatus(url, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { origin: `http://127.0.0.1:${String(Number(port) + 1)}` })).toBe(403);
    expect(await upgradeStatus(url, { origin: `https://127.0.0.1:${port}` })).toBe(403);
    expect(await upgradeStatus(url, { origin: 'null' })).toBe(403);
    expect(await upgradeStatus(url, { origin: `http://127.0.0.1:${port}` })).toBe(101);
    expect(await upgradeStatus(url, { origin: `http://localhost:${port}` })).toBe(101);
    expect(await upgradeStatus(url)).toBe(101);
  });

  it('says which mode it serves at /session', async () => {
    expect(await (await fetch(at(recording, '/session'))).json()).toEqual({ mode: 'recording', name: 'run.jsonl' });
    expect(await (await fetch(at(live, '/session'))).json()).toEqual({ mode: 'live', name: 'shop' });
  });

  it('returns the recording byte for byte at /recording', async () => {
    const response = await fetch(at(recording, '/recording'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(FIXTURE_TEXT, 'utf8'))).toBe(true);
  });

  it('streams a real recording (the canonical one) byte for byte', async () => {
    const file = fileURLToPath(new URL('../recordings/canonical.jsonl', import.meta.url));
    const viewer = await serveViewer(file);
    try {
      const response = await fetch(at(viewer, '/recording'));
      expect(Number(response.headers.get('content-length'))).toBe((await readFile(file)).length);
      expect(Buffer.from(await response.arrayBuffer()).equals(await readFile(file))).toBe(true);
      expect(await (await fetch(at(viewer, '/session'))).json()).toEqual({ mode: 'recording', name: 'canonical.jsonl' });
    } finally {
      await viewer.close();
    }
  });

  it('answers 404 for unknown paths and for the other mode’s path, 405 for other methods', async () => {
    expect((await fetch(at(recording, '/nothing-here'))).status).toBe(404);
    expect((await fetch(at(recording, '/live'))).status).toBe(404);
    expect((await fetch(at(live, '/recording'))).status).toBe(404);
    expect((await fetch(at(live, '/live'))).status).toBe(426);
    expect(await upgradeStatus(liveUrl(recording.url))).toBe(404);
    const post = await fetch(at(recording, '/session'), { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('rejects a missing file with RecordingNotFoundError naming it, and a non-recording with RecordingFormatError', async () => {
    const missing = `${files.dir}/missing.jsonl`;
    await expect(serveViewer(missing)).rejects.toThrow(RecordingNotFoundError);
    await expect(serveViewer(missing)).rejects.toThrow(missing);
    await expect(serveViewer(files.dir)).rejects.toThrow(RecordingNotFoundError);
    const cases = {
      'empty.jsonl': '',
      'notes.txt': 'hello\n',
      'other.jsonl': '{"format":"something-else","version":1}\n',
      'newer.jsonl': '{"format":"statevisor-recording","version":2,"startedAt":0,"snapshot":{}}\n',
    };
    for (const [name, text] of Object.entries(cases)) {
      const error = await serveViewer(await files.write(name, text)).catch((thrown: unknown) => thrown);
      expect(error, name).toBeInstanceOf(RecordingFormatError);
      expect((error as RecordingFormatError).line).toBe(1);
    }
  });

  it('finds a missing page with ViewerNotBuiltError, and hashes inline scripts as browsers do', async () => {
    await expect(loadViewerPage(new URL(`file://${files.dir}/no-page.html`))).rejects.toThrow(ViewerNotBuiltError);
    const script = 'console.log("hi </b>")';
    const expected = `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
    expect(inlineScriptHashes(`<p><script type="module">${script}</script><script src="/x.js"></script>`)).toEqual([expected]);
  });
});
