/**
 * Helpers of the config tests: a temporary folder with files in it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Temporary folders made by {@link folderWith}, removed by {@link removeFolders}. */
const folders: string[] = [];

/** A new temporary folder holding `files` (name → text). */
export function folderWith(files: Readonly<Record<string, string>>, prefix = 'statevisor-config-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Removes every folder made so far (call in afterEach). */
export function removeFolders(): void {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
}
