/**
 * Builds the viewer page into dist/viewer/index.html (placeholder until the page lands).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Builds the page and returns its path. */
export async function buildViewer(): Promise<string> {
  const out = fileURLToPath(new URL('../dist/viewer/index.html', import.meta.url));
  await mkdir(fileURLToPath(new URL('../dist/viewer/', import.meta.url)), { recursive: true });
  await writeFile(out, '<!doctype html><title>Statevisor</title>');
  return out;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await buildViewer();
