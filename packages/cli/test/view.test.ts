import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDir, kill, startCli } from './run-support.ts';

/** GETs `url`; resolves with the status. */
async function status(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

describe('statevisor run --record and --ui, and statevisor view', { timeout: 60_000 }, () => {
  it('--ui serves the live viewer (URL on stderr, token required), closed at the end', async () => {
    const dir = configDir({ name: 'app', processes: { web: { command: ['sh', '-c', 'echo up; while :; do sleep 0.1; done'] } } });
    const cli = startCli(['run', '--ui'], dir);
    const url = (/viewer at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(await cli.errLine(/viewer at http/)) ?? [])[1] ?? '';
    expect(await status(url)).toBe(200);
    expect(await status(url.replace(/token=.*/, 'token=wrong-token-wrong-token'))).toBe(403);
    kill(cli.pid, 'SIGINT');
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    await expect(fetch(url)).rejects.toThrow();
  });

  it('--record writes a recording that `view` serves until SIGINT, then exits 0', async () => {
    const dir = configDir({ name: 'app', processes: { once: { command: 'echo recorded' } } });
    const run = startCli(['run', '--exit-when-done', '--record', 'run.jsonl'], dir);
    expect(await run.exit).toEqual({ code: 0, signal: null });
    const recorded = readFileSync(join(dir, 'run.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(recorded[0] ?? '{}')).toMatchObject({ format: 'statevisor-recording' });
    expect(recorded.some((line) => line.includes('"kind":"TaskOutput"') && line.includes('"line":"recorded"'))).toBe(true);
    expect(recorded.some((line) => line.startsWith('{"inspect":'))).toBe(true);

    const view = startCli(['view', 'run.jsonl'], dir);
    const url = (/viewer at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(await view.line(/viewer at http/)) ?? [])[1] ?? '';
    expect(await status(url)).toBe(200);
    kill(view.pid, 'SIGINT');
    expect(await view.exit).toEqual({ code: 0, signal: null });
    await expect(fetch(url)).rejects.toThrow();
  });

  it('view: a missing file or a file that is not a recording is status 2 with a clear message', async () => {
    const dir = configDir({});
    writeFileSync(join(dir, 'bad.jsonl'), 'this is not a recording\n');
    const missing = startCli(['view', 'nope.jsonl'], dir);
    expect(await missing.exit).toEqual({ code: 2, signal: null });
    expect(missing.err.join('\n')).toContain('nope.jsonl');
    const bad = startCli(['view', 'bad.jsonl'], dir);
    expect(await bad.exit).toEqual({ code: 2, signal: null });
    expect(bad.err.join('\n')).toContain('bad.jsonl');
    const none = startCli(['view'], dir);
    expect(await none.exit).toEqual({ code: 2, signal: null });
    expect(none.err.join('\n')).toContain('usage: statevisor view');
  });
});
