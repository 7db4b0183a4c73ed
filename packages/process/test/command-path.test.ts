import { chmodSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMMAND_CACHE_SIZE,
  forgetAllCommandPaths,
  forgetCommandPath,
  knownCommandPath,
  resolveCommandPath,
} from '../src/command-path.ts';
import { processTask } from '../src/index.ts';
import { disposeAll, tracked } from './support.ts';

const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sv-path-'));
  dirs.push(dir);
  return dir;
}

function executable(dir: string, name: string, script: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return file;
}

beforeEach(forgetAllCommandPaths);

afterEach(async () => {
  await disposeAll();
  forgetAllCommandPaths();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('command resolution', { timeout: 20_000 }, () => {
  it('resolves a name through the absolute PATH entries and remembers it per command and PATH', async () => {
    const a = tempDir();
    const b = tempDir();
    const tool = executable(b, 'sv-tool', 'exit 0');
    const searchPath = `${a}:${b}`;
    expect(knownCommandPath('sv-tool', searchPath)).toBeUndefined();
    await expect(resolveCommandPath('sv-tool', searchPath)).resolves.toBe(tool);
    expect(knownCommandPath('sv-tool', searchPath)).toBe(tool);
    // Another PATH is another entry.
    expect(knownCommandPath('sv-tool', b)).toBeUndefined();
    forgetCommandPath('sv-tool', searchPath);
    expect(knownCommandPath('sv-tool', searchPath)).toBeUndefined();
  });

  it('uses a command with a slash, or any command without a PATH, as given', async () => {
    expect(knownCommandPath('./run.sh', '/usr/bin')).toBe('./run.sh');
    expect(knownCommandPath('sh', undefined)).toBe('sh');
    expect(knownCommandPath('sh', '')).toBe('sh');
    await expect(resolveCommandPath('bin/tool', '/usr/bin')).resolves.toBe('bin/tool');
  });

  it('stops at a relative entry and leaves the search to execvp (the bare name, remembered)', async () => {
    const b = tempDir();
    executable(b, 'sv-tool', 'exit 0');
    await expect(resolveCommandPath('sv-tool', `relative/bin:${b}`)).resolves.toBe('sv-tool');
    expect(knownCommandPath('sv-tool', `relative/bin:${b}`)).toBe('sv-tool');
  });

  it('shares one search between concurrent resolutions; a search forgotten meanwhile is not remembered', async () => {
    const dir = tempDir();
    const tool = executable(dir, 'sv-tool', 'exit 0');
    const first = resolveCommandPath('sv-tool', dir);
    expect(resolveCommandPath('sv-tool', dir)).toBe(first);
    await expect(first).resolves.toBe(tool);

    const other = executable(dir, 'sv-other', 'exit 0');
    const searching = resolveCommandPath('sv-other', dir);
    forgetCommandPath('sv-other', dir);
    await expect(searching).resolves.toBe(other);
    expect(knownCommandPath('sv-other', dir)).toBeUndefined();
  });

  it(`remembers at most ${COMMAND_CACHE_SIZE} commands, dropping the oldest`, async () => {
    const dir = tempDir();
    for (let i = 0; i <= COMMAND_CACHE_SIZE; i++) await resolveCommandPath(`sv-missing-${i}`, dir);
    expect(knownCommandPath('sv-missing-0', dir)).toBeUndefined();
    expect(knownCommandPath('sv-missing-1', dir)).toBe('sv-missing-1');
    expect(knownCommandPath(`sv-missing-${COMMAND_CACHE_SIZE}`, dir)).toBe(`sv-missing-${COMMAND_CACHE_SIZE}`);
  });

  it('is shared by every task, and a spawn failure forgets a path that went stale', async () => {
    const a = tempDir();
    const b = tempDir();
    const first = executable(a, 'sv-tool', 'echo from-a');
    const env = { PATH: `${a}:${b}:${process.env['PATH'] ?? ''}` };
    const h = tracked({ children: [processTask('one', { command: 'sv-tool', env }, { restart: 'never' })] });
    await h.app.start();
    await expect(h.app.outcome('one')).resolves.toMatchObject({ kind: 'completed' });
    expect(knownCommandPath('sv-tool', env.PATH)).toBe(first);

    // The tool moves from a to b: the next task spawns the remembered path, fails with ENOENT,
    // forgets it, and its retry finds the tool in b.
    unlinkSync(first);
    const second = executable(b, 'sv-tool', 'echo from-b');
    await h.app.add(processTask('two', { command: 'sv-tool', env }, { restart: 'on-failure', maxRetries: 1, backoff: { firstMs: 0 } }));
    await h.until('two', 'TaskFailed');
    await h.until('two', 'TaskStarted');
    await expect(h.app.outcome('two')).resolves.toMatchObject({ kind: 'completed' });
    expect(h.find('two', 'TaskFailed')?.reason).toContain('ENOENT');
    expect(h.lines('two')).toEqual(['from-b']);
    expect(knownCommandPath('sv-tool', env.PATH)).toBe(second);
  });
});
