/**
 * A small hand-made recording for the server tests: a header and a few events of one task.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The fixture's text, byte for byte (ends with a newline, has a non-ASCII character). */
export const FIXTURE_TEXT = [
  { format: 'statevisor-recording', version: 1, startedAt: 1_700_000_000_000, snapshot: { path: 'app', kind: 'supervisor', state: 'idle', children: [] } },
  { kind: 'TaskAddRequested', task: 'app/hello', seq: 1, at: 1_700_000_000_001 },
  { kind: 'TaskAdded', task: 'app/hello', seq: 2, at: 1_700_000_000_002 },
  { kind: 'TaskStarting', task: 'app/hello', attempt: 1, seq: 3, at: 1_700_000_000_003 },
  { kind: 'TaskFailed', task: 'app/hello', attempt: 1, reason: 'boom — ünïcödé', durationMs: 1, seq: 4, at: 1_700_000_000_004 },
]
  .map((line) => JSON.stringify(line))
  .join('\n')
  .concat('\n');

/** A temporary directory with files; `cleanup()` removes it. */
export interface Fixtures {
  readonly dir: string;
  /** Writes a file in the directory and returns its path. */
  write(name: string, text: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** Makes a temporary directory for fixture files. */
export async function fixtures(): Promise<Fixtures> {
  const dir = await mkdtemp(join(tmpdir(), 'statevisor-srv-'));
  return {
    dir,
    async write(name, text) {
      const file = join(dir, name);
      await writeFile(file, text);
      return file;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
