import { describe, expect, it } from 'vitest';
import { useColor } from '../src/output/color.ts';
import { configDir, startCli } from './run-support.ts';

const ESC = '\u001b[';

/** `web` and a nested `workers/a`, each printing two lines (one on stderr), then done. */
function twoPrinters(): string {
  return configDir({
    name: 'app',
    processes: { web: { command: ['sh', '-c', 'echo hello from web; echo web err >&2'] } },
    groups: { workers: { processes: { a: { command: ['sh', '-c', 'echo hello from a'] } } } },
  });
}

describe('statevisor run prints each line prefixed with its process path', { timeout: 60_000 }, () => {
  it('aligned on the longest path, without colour when stdout is not a terminal', async () => {
    const cli = startCli(['run', '--exit-when-done'], twoPrinters());
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    expect(cli.out).toEqual(expect.arrayContaining(['web       | hello from web', 'web       | web err', 'workers/a | hello from a']));
    expect(cli.out.some((line) => /^web {7}\* exited with code 0 after [\d.]+ m?s$/.test(line))).toBe(true);
    // Every line is `<path padded to 9> | ` or `<path padded to 9> * `: the bars align.
    for (const line of cli.out) expect(line).toMatch(/^(web {6}|workers {2}|workers\/a|app {6}) [|*] /);
    expect(cli.text()).not.toContain(ESC);
  });

  it('colours each path with FORCE_COLOR, one colour per process', async () => {
    const cli = startCli(['run', '--exit-when-done'], twoPrinters(), { env: { FORCE_COLOR: '1' } });
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    const web = cli.out.find((line) => line.includes('hello from web')) ?? '';
    const a = cli.out.find((line) => line.includes('hello from a')) ?? '';
    expect(web).toBe(`${ESC}36mweb       |${ESC}39m hello from web`);
    expect(a).toMatch(new RegExp(`^\\u001b\\[\\d+mworkers/a \\|\\u001b\\[39m hello from a$`));
    expect(a.slice(0, 5)).not.toBe(web.slice(0, 5));
  });

  it('--no-color wins over FORCE_COLOR', async () => {
    const cli = startCli(['run', '--exit-when-done', '--no-color'], twoPrinters(), { env: { FORCE_COLOR: '1' } });
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    expect(cli.out).toContain('web       | hello from web');
    expect(cli.text()).not.toContain(ESC);
  });

  it('--timestamps puts an ISO time before each line', async () => {
    const cli = startCli(['run', '--exit-when-done', '--timestamps'], twoPrinters());
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    expect(cli.out.length).toBeGreaterThan(3);
    for (const line of cli.out) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (web {6}|workers {2}|workers\/a|app {6}) [|*] /);
    const stamp = Date.parse((cli.out.find((line) => line.endsWith('| hello from web')) ?? '').slice(0, 24));
    expect(Math.abs(Date.now() - stamp)).toBeLessThan(60_000);
  });

  it('50 000 lines from each of two processes: every line arrives, whole and in order', async () => {
    const count = 50_000;
    const dir = configDir({
      name: 'app',
      processes: {
        a: { command: ['sh', '-c', `seq 1 ${String(count)}`] },
        bb: { command: ['sh', '-c', `seq 1 ${String(count)} | sed 's/$/ a longer line to fill the pipe faster/'`] },
      },
    });
    const cli = startCli(['run', '--exit-when-done'], dir);
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    const of = (prefix: string): string[] => cli.out.filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length));
    const a = of('a  | ');
    const bb = of('bb | ');
    expect(a).toHaveLength(count);
    expect(bb).toHaveLength(count);
    for (let i = 0; i < count; i++) {
      if (a[i] !== String(i + 1)) expect(a[i]).toBe(String(i + 1));
      if (bb[i] !== `${String(i + 1)} a longer line to fill the pipe faster`) expect(bb[i]).toBe(`${String(i + 1)} a longer line to fill the pipe faster`);
    }
    // Nothing else: no line cut or mixed with another, and no drop reported.
    expect(cli.out.filter((line) => !/^(a |bb) [|*] /.test(line))).toEqual([]);
    expect(cli.out.filter((line) => line.includes('dropped'))).toEqual([]);
  });
});

describe('useColor', () => {
  const tty = { isTTY: true } as unknown as NodeJS.WritableStream;
  const pipe = {} as NodeJS.WritableStream;

  it('colours a terminal, not a pipe', () => {
    expect(useColor(tty, {}, false)).toBe(true);
    expect(useColor(pipe, {}, false)).toBe(false);
  });

  it('NO_COLOR (any non-empty value) and --no-color turn it off; FORCE_COLOR on', () => {
    expect(useColor(tty, { NO_COLOR: '1' }, false)).toBe(false);
    expect(useColor(tty, { NO_COLOR: 'anything' }, false)).toBe(false);
    expect(useColor(tty, { NO_COLOR: '' }, false)).toBe(true);
    expect(useColor(tty, {}, true)).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(useColor(pipe, { FORCE_COLOR: '0' }, false)).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1' }, true)).toBe(false);
  });
});
