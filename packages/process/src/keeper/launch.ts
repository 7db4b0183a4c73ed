/**
 * How the host starts its keeper: `node keeper-main.js` next to this file once built; from the
 * TypeScript sources (tests, `--conditions=@statevisor/source`), `node --import tsx keeper-main.ts`.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Starts a keeper process: its own session (a signal to the host's process group does not reach
 * it), an IPC channel, no stdin or stdout, stderr shared with the host (a crash of the keeper
 * shows there). Unreferenced: it never keeps the host alive by itself. May throw (EAGAIN...).
 *
 * @example
 * ```ts
 * const keeper = launchKeeper();
 * keeper.on('message', (message) => console.log(message)); // { t: 'ready' }
 * ```
 */
export function launchKeeper(): ChildProcess {
  const fromSources = import.meta.url.endsWith('.ts');
  const main = fileURLToPath(new URL(fromSources ? './keeper-main.ts' : './keeper-main.js', import.meta.url));
  const child = spawn(process.execPath, fromSources ? ['--import', 'tsx', main] : [main], {
    // From the sources, tsx is found from here; built, the keeper holds no directory.
    cwd: fromSources ? fileURLToPath(new URL('.', import.meta.url)) : '/',
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'json',
  });
  child.unref();
  child.channel?.unref();
  return child;
}
