/**
 * Runs the real `statevisor` binary from source, the way a user runs the built one:
 * `node --conditions=@statevisor/source --import tsx src/main.ts <args>`.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The binary's entry point. */
export const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** The node arguments that run the binary from source (tsx by its path, so any cwd works). */
export const NODE_ARGS = ['--conditions=@statevisor/source', '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, MAIN];

/** Spawns `statevisor <args>`. */
export function spawnCli(args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, [...NODE_ARGS, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Runs `statevisor <args>` to its end and collects its output. */
export function runCli(
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
