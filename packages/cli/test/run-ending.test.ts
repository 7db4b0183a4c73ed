import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allGone, childrenOf, configDir, isAlive, kill, startCli, waitFor, worker } from './run-support.ts';

/** Two workers that leave on SIGTERM (writing `term` to their marker), each with a background child. */
function twoWorkers(graceMs = 5_000): { dir: string; marks: [string, string] } {
  const dir = configDir({});
  const marks: [string, string] = [join(dir, 'mark-web'), join(dir, 'mark-a')];
  const config = {
    name: 'app',
    graceMs,
    processes: { web: { command: worker(), env: { MARK: marks[0] } } },
    groups: { workers: { processes: { a: { command: worker(), env: { MARK: marks[1] } } } } },
  };
  return { dir: configDir(config), marks };
}

/** Waits until both workers are armed; returns their leaders and background children. */
async function armed(cli: ReturnType<typeof startCli>): Promise<number[]> {
  await waitFor(() => cli.out.filter((line) => line.endsWith('| armed')).length === 2, () => `both workers armed; got:\n${cli.out.join('\n')}`);
  const pids = cli.pids();
  expect(pids).toHaveLength(4);
  for (const pid of pids) expect(isAlive(pid)).toBe(true);
  return pids;
}

describe('statevisor run ends, however it ends, and leaves no process behind', { timeout: 60_000 }, () => {
  it('SIGKILL of the CLI: every group gets its killSignal from the process helper, nothing survives', async () => {
    const { dir, marks } = twoWorkers();
    const cli = startCli(['run', 'statevisor.config.json'], dir);
    const pids = await armed(cli);
    const helpers = childrenOf(cli.pid, 'keeper-main');
    expect(helpers).toHaveLength(1);
    kill(cli.pid, 'SIGKILL');
    expect(await cli.exit).toMatchObject({ signal: 'SIGKILL' });
    await allGone([...pids, ...helpers]);
    await waitFor(() => marks.every((mark) => existsSync(mark)), 'both workers to have got SIGTERM');
  });

  it('the first SIGINT shuts down gracefully: each process gets its killSignal, status 0', async () => {
    const { dir, marks } = twoWorkers();
    const cli = startCli(['run', 'statevisor.config.json'], dir);
    const pids = await armed(cli);
    kill(cli.pid, 'SIGINT');
    await cli.errLine(/SIGINT: shutting down gracefully \(press Ctrl-C again to force\)/);
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    for (const mark of marks) expect(readFileSync(mark, 'utf8')).toBe('term\n');
    expect(cli.out).toContain('web       * stopped (shutdown, exit code 0)');
    expect(cli.out).toContain('workers/a * stopped (shutdown, exit code 0)');
    await allGone(pids);
  });

  it('SIGTERM shuts down gracefully too, status 0', async () => {
    const { dir, marks } = twoWorkers();
    const cli = startCli(['run', 'statevisor.config.json'], dir);
    const pids = await armed(cli);
    kill(cli.pid, 'SIGTERM');
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    for (const mark of marks) expect(readFileSync(mark, 'utf8')).toBe('term\n');
    await allGone(pids);
  });

  it('a second SIGINT forces the end at once: status 1, a process ignoring SIGTERM is killed too', async () => {
    const dir = configDir({ name: 'app', graceMs: 120_000, processes: { stubborn: { command: worker(true) }, web: { command: worker(), env: { MARK: '/dev/null' } } } });
    const cli = startCli(['run', 'statevisor.config.json'], dir);
    const pids = await armed(cli);
    kill(cli.pid, 'SIGINT');
    await cli.errLine(/SIGINT: shutting down gracefully/);
    // The graceful shutdown cannot end: the stubborn process ignores SIGTERM and the grace is two minutes.
    await cli.line(/^web\s+\* stopped/);
    const stubborn = Number(/\(pid (\d+)\)/.exec(await cli.line(/^stubborn \* started/))?.[1]);
    expect(isAlive(stubborn)).toBe(true);
    kill(cli.pid, 'SIGINT');
    expect(await cli.exit).toEqual({ code: 1, signal: null });
    expect(cli.err.join('\n')).toContain('SIGINT again: forcing the end');
    await allGone(pids);
  });

  it('a shutdown that leaves stuck processes ends with status 1 and names them', async () => {
    const dir = configDir({ name: 'app', graceMs: 300, processes: { stubborn: { command: worker(true), killGraceMs: 30_000 } } });
    const cli = startCli(['run', 'statevisor.config.json'], dir);
    await cli.line(/\| armed$/);
    const pids = cli.pids();
    kill(cli.pid, 'SIGTERM');
    expect(await cli.exit).toEqual({ code: 1, signal: null });
    expect(cli.err.join('\n')).toContain('still running after the grace and killed: app/stubborn');
    await allGone(pids);
  });

  it('the root giving up ends the run with status 1 after shutting down the rest', async () => {
    const dir = configDir({
      name: 'app',
      intensity: { maxRestarts: 2, periodMs: 60_000 },
      processes: {
        crash: { command: ['sh', '-c', 'echo crashing; exit 4'], backoff: { firstMs: 10, maxMs: 10, jitter: 'none' } },
        web: { command: worker(), env: { MARK: '/dev/null' } },
      },
    });
    const cli = startCli(['run', 'statevisor.config.json'], dir);
    expect(await cli.exit).toEqual({ code: 1, signal: null });
    expect(cli.err.join('\n')).toMatch(/app gave up.*shutting down the rest/);
    expect(cli.out.some((line) => /^app\s+\* too many restarts/.test(line))).toBe(true);
    expect(cli.out.some((line) => /^web\s+\* stopped/.test(line))).toBe(true);
    await allGone(cli.pids());
  });
});

describe('statevisor run --exit-when-done', { timeout: 60_000 }, () => {
  it('exits 0 once every process completed', async () => {
    const dir = configDir({
      name: 'app',
      processes: { one: { command: 'echo one', restart: 'never' } },
      groups: { later: { processes: { two: { command: ['sh', '-c', 'sleep 0.2; echo two'] } } } },
    });
    const cli = startCli(['run', 'statevisor.config.json', '--exit-when-done'], dir);
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    expect(cli.out).toEqual(expect.arrayContaining(['one       | one', 'later/two | two']));
    expect(cli.err.join('\n')).toContain('every process has ended, all completed');
  });

  it('exits 1 when a process ended without completing', async () => {
    const dir = configDir({
      name: 'app',
      processes: { ok: { command: 'true' }, bad: { command: ['sh', '-c', 'exit 3'], restart: 'never' } },
    });
    const cli = startCli(['run', 'statevisor.config.json', '--exit-when-done'], dir);
    expect(await cli.exit).toEqual({ code: 1, signal: null });
    expect(cli.out.some((line) => /^bad \* failed: .*exit(ed with)? code 3/.test(line))).toBe(true);
    expect(cli.err.join('\n')).toContain('every process has ended, not all completed');
  });
});

describe('statevisor run refuses bad input with status 2 and starts nothing', { timeout: 30_000 }, () => {
  it('an unknown option', async () => {
    const cli = startCli(['run', '--frobnicate'], configDir({ processes: { a: { command: 'true' } } }));
    expect(await cli.exit).toEqual({ code: 2, signal: null });
    expect(cli.err.join('\n')).toMatch(/frobnicate[\s\S]*usage: statevisor run/);
  });

  it('a config that is not valid', async () => {
    const dir = configDir('{ "processes": { "a": ');
    const cli = startCli(['run', 'statevisor.config.json'], dir);
    expect(await cli.exit).toEqual({ code: 2, signal: null });
    expect(cli.err.join('\n')).toContain('statevisor.config.json');
    expect(cli.out).toEqual([]);
  });

  it('a config that names a missing dependency: nothing is spawned', async () => {
    const dir = configDir({ processes: { a: { command: ['sh', '-c', 'echo started > ran'], dependsOn: ['nope'] } } });
    const cli = startCli(['run', 'statevisor.config.json'], dir);
    expect(await cli.exit).toEqual({ code: 2, signal: null });
    expect(cli.err.join('\n')).toContain('nope');
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });
});
