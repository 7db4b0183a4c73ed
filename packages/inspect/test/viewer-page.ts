/**
 * Helpers of the viewer's browser tests: open the page at a fixed viewport and wait until it
 * has drawn its data, move the scrubber, and take the screenshots for the docs (written to
 * docs/images only with UPDATE_SCREENSHOTS=1, else to a temporary directory).
 */
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { openLocalPage } from './browser.ts';
import type { LocalPage } from './browser.ts';

/** The viewport of every test and screenshot. */
export const VIEWPORT = { width: 1400, height: 900 } as const;

const DOCS_IMAGES = fileURLToPath(new URL('../../../docs/images/', import.meta.url));

/** Opens the viewer at `url` and waits for `body.dataset.ready`. */
export async function openViewer(browser: Browser, url: string): Promise<LocalPage> {
  const local = await openLocalPage(browser);
  const errors: string[] = [];
  local.page.on('pageerror', (error) => errors.push(error.message));
  await local.page.setViewportSize(VIEWPORT);
  await local.page.goto(url);
  try {
    await local.page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 15_000 });
  } catch (error) {
    throw new Error(`the viewer did not get ready (page errors: ${errors.join('; ') || 'none'})`, { cause: error });
  }
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  return local;
}

/** Moves the scrubber to `position` as a user dragging it would (an `input` event). */
export async function scrubTo(page: Page, position: number): Promise<void> {
  await page.locator('[data-testid="scrubber"]').evaluate((input: { value: string; dispatchEvent(event: Event): boolean }, value: number) => {
    input.value = String(value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, position);
  await page.locator(`[data-testid="scrubber-time"][data-position="${String(position)}"]`).waitFor();
}

/** The state badge of a node. */
export async function stateOf(page: Page, path: string): Promise<string | null> {
  return page.locator(`[data-testid="state-${path}"]`).getAttribute('data-state');
}

/**
 * Takes a screenshot: into docs/images/<name>.png with UPDATE_SCREENSHOTS=1, else into a
 * temporary directory. Returns the file's size (a test checks it is not empty).
 */
export async function screenshot(page: Page, name: string): Promise<number> {
  const dir = process.env['UPDATE_SCREENSHOTS'] === '1' ? DOCS_IMAGES : join(tmpdir(), 'statevisor-screenshots');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return (await stat(file)).size;
}

/** An attribute of every element a locator matches, in document order. */
export async function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  return locator.evaluateAll((all: { getAttribute(attribute: string): string | null }[], attribute: string) => all.map((element) => element.getAttribute(attribute)), name);
}
