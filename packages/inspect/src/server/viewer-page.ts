/**
 * The viewer page: one self-contained HTML file built into `dist/viewer/index.html`, read once
 * when a server starts, with the hashes of its inline scripts for the Content-Security-Policy.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ViewerNotBuiltError } from '../errors.ts';

/** The page as served. */
export interface ViewerPage {
  /** The HTML bytes. */
  readonly html: Buffer;
  /** CSP source expressions (`'sha256-...'`) of every inline `<script>`, in page order. */
  readonly scriptHashes: readonly string[];
}

/** Where the built page is: `../../dist/viewer/` from both `src/server/` and `dist/server/`. */
const PAGE_URL = new URL('../../dist/viewer/index.html', import.meta.url);

/** An inline script: a `<script>` element without a `src` attribute, and its text. */
const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script\s*>/gi;

/**
 * Reads the built page.
 *
 * @param url - where the page is (tests point elsewhere)
 * @returns the page and its inline scripts' hashes
 * @throws ViewerNotBuiltError when the file is missing
 * @example
 * ```ts
 * const page = await loadViewerPage();
 * console.log(page.scriptHashes.join(' '));
 * ```
 */
export async function loadViewerPage(url: URL = PAGE_URL): Promise<ViewerPage> {
  const path = fileURLToPath(url);
  let html: Buffer;
  try {
    html = await readFile(path);
  } catch (error) {
    if (isMissing(error)) throw new ViewerNotBuiltError(path);
    throw error;
  }
  return { html, scriptHashes: inlineScriptHashes(html.toString('utf8')) };
}

/**
 * The CSP hash sources of the inline scripts of an HTML text: sha256 over each script's exact
 * text, as the browser computes it.
 *
 * @param html - the page's text
 * @returns one `'sha256-<base64>'` per inline script
 * @example
 * ```ts
 * inlineScriptHashes('<script>go()</script>'); // ["'sha256-...'"]
 * ```
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(INLINE_SCRIPT)) {
    const digest = createHash('sha256').update(match[1] ?? '', 'utf8').digest('base64');
    hashes.push(`'sha256-${digest}'`);
  }
  return hashes;
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
