import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alive, configFolder, nodeAt, psJson, until } from './control-fixture.ts';
import { fileURLToPath } from 'node:url';
import { NODE_ARGS } from './run-cli.ts';

/**
 * One tmux server per test (its own socket name), so nothing touches the user's sessions, and a
 * test never reaches the server the previous test's afterEach is still killing.
 */
let tests = 0;
let server = '';
beforeEach(() => {
  tests += 1;
  server = `statevisor-tui-test-${String(process.pid)}-${String(tests)}`;
});
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', server, ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', 'tui');
const quote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;

let dir: string | undefined;
afterEach(async () => {
  try {
    tmux('kill-server');
  } catch {
    // Already gone.
  }
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('statevisor run --tui, under tmux', { timeout: 90_000 }, () => {
  it('shows the tree; r restarts, l shows the log, q ends the run with 0 and gives the terminal back', async () => {
    dir = await configFolder();
    const command = [process.execPath, ...NODE_ARGS, 'run', '--tui'].map(quote).join(' ');
    tmux('new-session', '-d', '-s', 'tui', '-x', '120', '-y', '30', '-c', dir, `${command}; echo "EXITED=$?"; sleep 600`);
    const runDir = dir;

    const first = await until('the tree on screen', () => {
      const text = screen();
      return /^web\s+ready\s+\d+/m.test(text) && /^\s+a\s+ready\s+\d+/m.test(text) ? text : undefined;
    });
    expect(first).toMatch(/^statevisor · shop/m);
    expect(first).toMatch(/^NAME\s+STATE\s+PID\s+RESTARTS\s+UPTIME\s+LAST LINE/m);
    expect(first).toMatch(/^api\s+ready\s+\d+\s+0/m);
    expect(first).toMatch(/^workers\/\s+ready/m);
    expect(first).toContain('r restart  s stop  S start  l/Enter logs  q quit');
    expect(tmux('display-message', '-p', '-t', 'tui', '#{alternate_on}').trim()).toBe('1');
    const pid = Number(/^web\s+ready\s+(\d+)/m.exec(first)?.[1]);
    expect(nodeAt(await psJson(runDir), 'web')?.pid).toBe(pid);

    // web is the first row, selected: r restarts it.
    tmux('send-keys', '-t', 'tui', 'r');
    const restarted = await until('web with a new pid', () => {
      const text = screen();
      const now = Number(/^web\s+\S+\s+(\d+)/m.exec(text)?.[1]);
      return now > 0 && now !== pid ? text : undefined;
    });
    expect(restarted).toContain('web: restarted');
    expect(restarted).toMatch(/^web\s+ready\s+\d+\s+1\s/m);
    await until('the old web to be gone', () => !alive(pid));

    // j selects api; s stops it; S starts it again.
    tmux('send-keys', '-t', 'tui', 'j', 's');
    await until('api stopped', () => /^api\s+stopped\s+-/m.test(screen()));
    tmux('send-keys', '-t', 'tui', 'S');
    await until('api started again', () => /^api\s+ready\s+\d+/m.test(screen()) && screen().includes('api: started'));

    // k back to web; l opens its log.
    tmux('send-keys', '-t', 'tui', 'k', 'l');
    const log = await until('web\'s log', () => {
      const text = screen();
      return text.includes('logs of web') && /^web \| web tick \d+/m.test(text) ? text : undefined;
    });
    expect(log).toMatch(/^web \| web up$/m);
    expect(log).not.toContain('api up');
    tmux('send-keys', '-t', 'tui', 'Escape');
    await until('the tree again', () => /^NAME\s+STATE/m.test(screen()));

    tmux('send-keys', '-t', 'tui', 'q');
    const end = await until('the run to end', () => {
      const text = screen();
      return text.includes('EXITED=') ? text : undefined;
    });
    expect(end).toContain('EXITED=0');
    expect(tmux('display-message', '-p', '-t', 'tui', '#{alternate_on}').trim()).toBe('0');
    expect(tmux('display-message', '-p', '-t', 'tui', '#{cursor_flag}').trim()).toBe('1');
    expect(end).not.toContain('NAME');
  });

  it('gives the terminal back when the process crashes', async () => {
    const script = fileURLToPath(new URL('fixtures/tui-crash.ts', import.meta.url));
    const command = [process.execPath, '--import', 'tsx', script].map(quote).join(' ');
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    tmux('new-session', '-d', '-s', 'tui', '-x', '80', '-y', '10', '-c', cwd, `${command}; echo "EXITED=$?"; sleep 600`);
    await until('the held screen', () => screen().includes('held: press x to crash'));
    expect(tmux('display-message', '-p', '-t', 'tui', '#{alternate_on}').trim()).toBe('1');
    expect(tmux('display-message', '-p', '-t', 'tui', '#{cursor_flag}').trim()).toBe('0');
    tmux('send-keys', '-t', 'tui', 'x');
    const end = await until('the crash', () => {
      const text = screen();
      return text.includes('EXITED=') ? text : undefined;
    });
    expect(end).toContain('EXITED=1');
    expect(tmux('capture-pane', '-p', '-S', '-200', '-t', 'tui')).toContain('a crash inside the TUI');
    expect(tmux('display-message', '-p', '-t', 'tui', '#{alternate_on}').trim()).toBe('0');
    expect(tmux('display-message', '-p', '-t', 'tui', '#{cursor_flag}').trim()).toBe('1');
  });
});
