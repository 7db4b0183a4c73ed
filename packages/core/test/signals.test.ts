import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/signal-app.ts', import.meta.url));

function runUntilReady(): { lines: string[]; ready: Promise<void>; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; pid: number } {
  const child = spawn(process.execPath, ['--conditions=@statevisor/source', '--import', 'tsx', fixture], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let buffered = '';
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (line === 'TaskReady') onReady();
    }
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  if (child.pid === undefined) throw new Error('spawn failed');
  return { lines, ready, exit, pid: child.pid };
}

describe('handleSignals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s shuts the tree down gracefully, then the process ends by that signal', async (signal) => {
    const run = runUntilReady();
    await run.ready;
    process.kill(run.pid, signal);
    const exit = await run.exit;
    expect(exit.signal).toBe(signal);
    expect(run.lines).toContain('worker saw abort');
    const tail = run.lines.filter((line) => line !== 'worker saw abort');
    const from = tail.indexOf('ShutdownRequested');
    expect(from).toBeGreaterThan(0);
    expect(tail.slice(from)).toEqual(['ShutdownRequested', 'TaskStopped', 'ActorExhausted', 'TaskRemoved', 'AllStoppedWithinGrace']);
  }, 20_000);
});
