/**
 * The viewer page over a recording, in headless Chromium: the tree and its final states, the
 * timeline's rows, the log's filters, the scrubber moving every part to an earlier moment, a
 * node's restart explanations and machine diagram, the drops badge; nothing leaves 127.0.0.1.
 * Also takes the docs' screenshots (docs/images/viewer-*.png with UPDATE_SCREENSHOTS=1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { serveViewer } from '../src/index.ts';
import type { ViewerServer } from '../src/index.ts';
import { launchBrowser } from './browser.ts';
import { fixtures } from './recording-fixture.ts';
import type { Fixtures } from './recording-fixture.ts';
import { EVENTS, fixtureLines } from './viewer-fixture.ts';
import { attributes, openViewer, screenshot, scrubTo, stateOf } from './viewer-page.ts';

let browser: Browser;
let files: Fixtures;
let viewer: ViewerServer;

beforeAll(async () => {
  files = await fixtures();
  viewer = await serveViewer(await files.write('run.jsonl', `${fixtureLines().join('\n')}\n`));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await viewer.close();
  await files.cleanup();
});

describe('the viewer over a recording', () => {
  it('shows the recorded tree with each node’s final state, attempt and pid, and the header', async () => {
    const local = await openViewer(browser, viewer.url);
    try {
      const { page } = local;
      expect(await attributes(page.locator('[data-testid="tree"] [data-testid^="node-"]'), 'data-testid')).toEqual([
        'node-app',
        'node-app/web',
        'node-app/db',
      ]);
      expect(await stateOf(page, 'app')).toBe('running');
      expect(await stateOf(page, 'app/web')).toBe('ready');
      expect(await stateOf(page, 'app/db')).toBe('ready');
      expect(await page.locator('[data-testid="attempt-app/web"]').textContent()).toBe('#2');
      expect(await page.locator('[data-testid="pid-app/web"]').textContent()).toBe('pid 102');
      expect(await page.locator('[data-testid="mode"]').textContent()).toBe('recording');
      expect(await page.locator('[data-testid="event-count"]').getAttribute('data-count')).toBe(String(EVENTS.length));
      expect(await page.locator('[data-testid="drops"]').getAttribute('data-dropped')).toBe('5');
      local.assertLocal();
      expect(await screenshot(page, 'viewer-overview')).toBeGreaterThan(0);
    } finally {
      await local.close();
    }
  });

  it('draws a timeline row per node', async () => {
    const local = await openViewer(browser, viewer.url);
    try {
      const rows = local.page.locator('[data-testid^="timeline-row-"]');
      expect(await rows.count()).toBe(3);
      expect(await local.page.locator('[data-testid="timeline"]').getAttribute('data-rows')).toBe('3');
    } finally {
      await local.close();
    }
  });

  it('narrows the log by kind and by path', async () => {
    const local = await openViewer(browser, viewer.url);
    try {
      const { page } = local;
      const log = page.locator('[data-testid="log"]');
      const rows = page.locator('[data-testid="log-row"]');
      expect(await log.getAttribute('data-count')).toBe(String(EVENTS.length));
      await page.click('[data-testid="kind-none"]');
      await page.check('[data-testid="kind-TaskFailed"]');
      await page.check('[data-testid="kind-BackoffScheduled"]');
      await expect.poll(() => log.getAttribute('data-count')).toBe('2');
      expect(await attributes(rows, 'data-kind')).toEqual(['TaskFailed', 'BackoffScheduled']);

      await page.click('[data-testid="kind-all"]');
      await page.fill('[data-testid="path-filter"]', 'db');
      await expect.poll(() => log.getAttribute('data-count')).toBe('3');
      expect(new Set(await attributes(rows, 'data-task'))).toEqual(new Set(['app/db']));
      expect(await screenshot(page, 'viewer-filtered-log')).toBeGreaterThan(0);
    } finally {
      await local.close();
    }
  });

  it('shows a node’s restart explanations and its machine with the current state lit', async () => {
    const local = await openViewer(browser, viewer.url);
    try {
      const { page } = local;
      await page.click('[data-testid="node-app/web"]');
      const explanation = page.locator('[data-testid="explanation"]');
      expect(await explanation.count()).toBe(1);
      expect(await explanation.textContent()).toMatch(/one-for-one, restarts in window 0 → 1 of 3 per 5000 ms, delay 100 ms .*allowed/);
      expect(await page.locator('[data-testid="diagram"]').count()).toBe(1);
      expect(await page.locator('[data-testid="lit-state"]').getAttribute('data-state')).toBe('ready');
      expect(await screenshot(page, 'viewer-node')).toBeGreaterThan(0);

      // db's machine was not recorded.
      await page.click('[data-testid="node-app/db"]');
      expect(await page.locator('[data-testid="no-definition"]').textContent()).toContain('record with { inspect: true } to see the machine');
    } finally {
      await local.close();
    }
  });

  it('moves the tree, the log and the diagram to an earlier moment with the scrubber', async () => {
    const local = await openViewer(browser, viewer.url);
    try {
      const { page } = local;
      await page.click('[data-testid="node-app/web"]');
      await scrubTo(page, 7);
      expect(await stateOf(page, 'app/web')).toBe('backoff');
      expect(await stateOf(page, 'app/db')).toBe('ready');
      expect(await page.locator('[data-testid="lit-state"]').getAttribute('data-state')).toBe('backoff');
      expect(await page.locator('[data-testid="log-row"].future').count()).toBe(EVENTS.length - 7);
      expect(await page.locator('[data-testid="follow"]').isChecked()).toBe(false);

      await scrubTo(page, 2);
      expect(await stateOf(page, 'app/web')).toBe('running');
      expect(await stateOf(page, 'app/db')).toBe('idle');
      expect(await page.locator('[data-testid="pid-app/web"]').textContent()).toBe('pid 101');
      expect(await page.locator('[data-testid="lit-state"]').getAttribute('data-state')).toBe('running');
      expect(await page.locator('[data-testid="explanation"]').count()).toBe(0);
      expect(await screenshot(page, 'viewer-scrubbed')).toBeGreaterThan(0);

      await page.check('[data-testid="follow"]');
      expect(await stateOf(page, 'app/web')).toBe('ready');
    } finally {
      await local.close();
    }
  });
});
