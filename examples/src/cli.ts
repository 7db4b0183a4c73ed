/**
 * The `statevisor` command over a config (examples/cli/statevisor.config.yaml, the one of the CLI
 * guide): it runs a web server, a worker gated on it and a one-for-all pipeline whose parser
 * crashes once; from "another terminal" `statevisor ps` shows the tree; Ctrl-C ends it all.
 *
 *   pnpm example src/cli.ts
 *   pnpm statevisor run examples/cli/statevisor.config.yaml     (the same, by hand: Ctrl-C to end)
 *
 * @expect statevisor run ended with status 0
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const configDir = fileURLToPath(new URL('../cli/', import.meta.url));
const main = fileURLToPath(new URL('../../packages/cli/src/main.ts', import.meta.url));
// What `npx statevisor` runs, here from the repository's sources.
const statevisor = [process.execPath, '--conditions=@statevisor/source', '--import', 'tsx', main];

const run = spawn(statevisor[0] ?? 'node', [...statevisor.slice(1), 'run', '--no-color'], {
  cwd: configDir,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const exited = new Promise<number | null>((resolve) => run.on('exit', (code) => resolve(code)));
// Should this program fail half-way, it takes the run (and so every process) with it.
process.on('exit', () => run.kill('SIGKILL'));

// Print the run's output, and wait until the pipeline has been restarted and is running again.
let output = '';
const restarted = new Promise<void>((resolve) => {
  run.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    process.stdout.write(chunk);
    output += chunk;
    if (/parse: batch 2[\s\S]*parse: batch 1/.test(output)) resolve();
  });
});
await restarted;

const ps = await promisify(execFile)(statevisor[0] ?? 'node', [...statevisor.slice(1), 'ps'], { cwd: configDir });
console.log(`\n$ statevisor ps\n${ps.stdout}`);

run.kill('SIGINT'); // Ctrl-C: every process stopped gracefully
console.log(`statevisor run ended with status ${String(await exited)}`);
