import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, configFolder, nodeAt, psJson, startRun, stopRuns, until } from './control-fixture.ts';
import { runCli, spawnCli } from './run-cli.ts';

afterEach(stopRuns, 30_000);

describe('statevisor ps, restart, stop, start and logs, from another terminal', { timeout: 60_000 }, () => {
  it('ps prints the tree as an aligned table with pids, restarts, uptime and the last line', async () => {
    const run = await startRun();
    const tree = await psJson(run.dir);
    const result = await runCli(['ps'], { cwd: run.dir });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATE\s+PID\s+RESTARTS\s+UPTIME\s+LAST LINE$/);
    const web = lines.find((line) => line.startsWith('web '));
    expect(web).toMatch(new RegExp(`^web\\s+ready\\s+${String(nodeAt(tree, 'web')?.pid)}\\s+0\\s+\\d+s\\s+web (up|tick \\d+)$`));
    expect(lines.map((line) => line.trim().split(/\s+/)[0])).toEqual(['NAME', 'web', 'api', 'workers/', 'a']);
    // The STATE column starts at the same place on every line.
    expect(new Set(lines.map((line) => line.search(/(STATE|ready)/))).size).toBe(1);
  });

  it('restart web changes its pid and counts a restart', async () => {
    const run = await startRun();
    const before = nodeAt(await psJson(run.dir), 'web')?.pid ?? 0;
    const result = await runCli(['restart', 'web'], { cwd: run.dir });
    expect(result).toMatchObject({ code: 0, stdout: 'web: restarted\n' });
    const after = await until('a new pid for web', async () => {
      const web = nodeAt(await psJson(run.dir), 'web');
      return web?.pid !== undefined && web.pid !== before ? web : undefined;
    });
    expect(after.restarts).toBe(1);
    await until('the old web to be gone', () => !alive(before));
  });

  it('stop web keeps it listed as stopped with no process; start web runs it again', async () => {
    const run = await startRun();
    const pid = nodeAt(await psJson(run.dir), 'web')?.pid ?? 0;
    expect(await runCli(['stop', 'web'], { cwd: run.dir })).toMatchObject({ code: 0, stdout: 'web: stopped\n' });
    const stopped = nodeAt(await psJson(run.dir), 'web');
    expect(stopped).toMatchObject({ state: 'stopped' });
    expect(stopped?.pid).toBeUndefined();
    expect(alive(pid)).toBe(false);
    expect((await runCli(['ps'], { cwd: run.dir })).stdout).toMatch(/^web\s+stopped\s+-/m);
    expect(await runCli(['start', 'web'], { cwd: run.dir })).toMatchObject({ code: 0, stdout: 'web: started\n' });
    const again = await until('web to run again', async () => nodeAt(await psJson(run.dir), 'web')?.pid);
    expect(again).not.toBe(pid);
    expect((await psJson(run.dir))?.children.map((child) => child.path)).toEqual(['web', 'api', 'workers']);
  });

  it('names an unknown process and refuses to stop a nested one, with status 1', async () => {
    const run = await startRun();
    const unknown = await runCli(['restart', 'nope'], { cwd: run.dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no process or group "nope" in this run; there are: web, api, workers, workers/a');
    const nested = await runCli(['stop', 'workers/a'], { cwd: run.dir });
    expect(nested.code).toBe(1);
    expect(nested.stderr).toContain('workers/a is inside the group workers');
    expect(await runCli(['restart', 'workers/a'], { cwd: run.dir })).toMatchObject({ code: 0, stdout: 'workers/a: restarted\n' });
  });

  it('logs web prints its recent lines with run\'s prefixes; -n limits them', async () => {
    const run = await startRun();
    await until('web to tick', async () => nodeAt(await psJson(run.dir), 'web')?.lastLine?.startsWith('web tick'));
    const all = await runCli(['logs', 'web', '--no-color'], { cwd: run.dir });
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')[0]).toBe('web | web up');
    expect(all.stdout).toMatch(/^web \| web tick 0$/m);
    const two = await runCli(['logs', 'web', '-n', '2', '--no-color'], { cwd: run.dir });
    expect(two.stdout.trimEnd().split('\n')).toHaveLength(2);
    const everyone = await runCli(['logs', '-n', '1000', '--no-color'], { cwd: run.dir });
    expect(everyone.stdout).toMatch(/^api {7}\| api up$/m);
    expect(everyone.stdout).toMatch(/^workers\/a \| a up$/m);
  });

  it('logs -f follows new lines until interrupted', async () => {
    const run = await startRun();
    const follower = spawnCli(['logs', 'web', '-f', '-n', '0', '--no-color'], { cwd: run.dir });
    let out = '';
    follower.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
    try {
      await until('two followed lines', () => (out.match(/^web \| web tick \d+$/gm) ?? []).length >= 2);
    } finally {
      follower.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(out).not.toContain('web up');
  });

  it('the socket is mode 0600 next to the config, and is removed when the run ends', async () => {
    const run = await startRun();
    const socket = join(run.dir, '.statevisor.sock');
    expect((await stat(socket)).mode & 0o777).toBe(0o600);
    const pid = nodeAt(await psJson(run.dir), 'web')?.pid ?? 0;
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await expect(stat(socket)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(alive(pid)).toBe(false);
    const after = await runCli(['ps'], { cwd: run.dir });
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(`no \`statevisor run\` is running for ${join(run.dir, 'statevisor.config.json')}`);
  });

  it('a second run of the same config refuses, and the first keeps serving', async () => {
    const run = await startRun();
    const second = await runCli(['run'], { cwd: run.dir });
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain('another `statevisor run` of this config is running');
    expect(nodeAt(await psJson(run.dir), 'web')?.pid).toBeDefined();
  });

  it('finds the run with --config from another folder, and says when nothing runs', async () => {
    const dir = await configFolder();
    const none = await runCli(['ps'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no `statevisor run` is running for');
    const run = await startRun();
    const elsewhere = await runCli(['ps', '--json', '--config', join(run.dir, 'statevisor.config.json')], { cwd: dir });
    expect(elsewhere.code).toBe(0);
    expect(JSON.parse(elsewhere.stdout)).toMatchObject({ children: [{ path: 'web' }, { path: 'api' }, { path: 'workers' }] });
  });
});
