/**
 * The viewer page over the canonical recording (a real run recorded with `{ inspect: true }`),
 * in headless Chromium: the tree and its final states, the timeline's rows, the log's filters,
 * the scrubber moving every part to an earlier moment, a node's restart explanations and
 * machine diagram; nothing leaves 127.0.0.1. Also takes the docs' screenshots
 * (docs/images/viewer-*.png with UPDATE_SCREENSHOTS=1).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { SupervisorEvent } from '@statevisor/core';
import { serveViewer } from '../src/index.ts';
import type { ViewerServer } from '../src/index.ts';
import { launchBrowser } from './browser.ts';
import { attributes, openViewer, screenshot, scrubTo, stateOf } from './viewer-page.ts';

const CANONICAL = fileURLToPath(new URL('../recordings/canonical.jsonl', import.meta.url));
/** The canonical recording's events, read plainly (the expectations below are counted from them). */
const EVENTS = readFileSync(CANONICAL, 'utf8')
  .split('\n')
  .slice(1)
  .filter((line) => line !== '' && !line.startsWith('{"inspect"'))
  .map((line) => JSON.parse(line) as SupervisorEvent);
/** The position just after the event of `seq` with `kind` about `task`. */
const after = (task: string, kind: string, nth = 1): number => {
  const found = EVENTS.filter((event) => event.task === task && event.kind === kind)[nth - 1];
  if (found === undefined) throw new Error(`the canonical recording has no ${kind} #${String(nth)} of ${task}`);
  return EVENTS.indexOf(found) + 1;
};
const NODES = ['app', 'app/web', 'app/api', 'app/workers', 'app/workers/a', 'app/workers/b', 'app/fragile', 'app/fragile/unstable'];

let browser: Browser;
let viewer: ViewerServer;

beforeAll(async () => {
  viewer = await serveViewer(CANONICAL);
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser.close();
  await viewer.close();
}, 60_000);

describe('the viewer over the canonical recording', { timeout: 60_000 }, () => {
  it('shows the recorded tree with each node’s final state and attempt, and the header', async () => {
    const local = await openViewer(browser, viewer.url);
    try {
      const { page } = local;
      expect(await attributes(page.locator('[data-testid="tree"] [data-testid^="node-"]'), 'data-testid')).toEqual(NODES.map((path) => `node-${path}`));
      // The run ends with a clean shutdown: the root stopped, every child removed.
      expect(await stateOf(page, 'app')).toBe('stopped');
      for (const path of NODES.slice(1)) expect(await stateOf(page, path)).toBe('removed');
      expect(await page.locator('[data-testid="attempt-app/workers/a"]').textContent()).toBe('#2');
      expect(await page.locator('[data-testid="attempt-app/fragile"]').textContent()).toBe('#2');
      expect(await page.locator('[data-testid="mode"]').textContent()).toBe('recording');
      expect(await page.locator('[data-testid="name"]').textContent()).toBe('canonical.jsonl');
      expect(await page.locator('[data-testid="event-count"]').getAttribute('data-count')).toBe(String(EVENTS.length));
      expect(await page.locator('[data-testid="drops"]').count()).toBe(0);
      local.assertLocal();
    } finally {
      await local.close();
    }
  });

  it('draws a timeline row per node', async () => {
    const local = await openViewer(browser, viewer.url);
    try {
      expect(await attributes(local.page.locator('[data-testid^="timeline-row-"]'), 'data-testid')).toEqual(NODES.map((path) => `timeline-row-${path}`));
      expect(await local.page.locator('[data-testid="timeline"]').getAttribute('data-rows')).toBe(String(NODES.length));
      await scrubTo(local.page, after('app/api', 'TaskReady'));
      expect(await screenshot(local.page, 'viewer-overview')).toBeGreaterThan(0);
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
      await expect.poll(() => log.getAttribute('data-count')).toBe('0');
      await page.check('[data-testid="kind-TaskFailed"]');
      await page.check('[data-testid="kind-IntensityExceeded"]');
      const failures = EVENTS.filter((event) => event.kind === 'TaskFailed' || event.kind === 'IntensityExceeded');
      await expect.poll(() => log.getAttribute('data-count')).toBe(String(failures.length));
      expect(await attributes(rows, 'data-seq')).toEqual(failures.map((event) => String(event.seq)));

      await page.click('[data-testid="kind-all"]');
      await page.fill('[data-testid="path-filter"]', 'workers');
      const workers = EVENTS.filter((event) => event.task === 'app/workers' || event.task.startsWith('app/workers/'));
      await expect.poll(() => log.getAttribute('data-count')).toBe(String(workers.length));
      expect(new Set(await attributes(rows, 'data-task'))).toEqual(new Set(['app/workers', 'app/workers/a', 'app/workers/b']));
      await page.fill('[data-testid="path-filter"]', 'app/workers/a');
      await expect.poll(() => log.getAttribute('data-count')).toBe(String(EVENTS.filter((event) => event.task === 'app/workers/a').length));
      await page.click('[data-testid="kind-none"]');
      await page.check('[data-testid="kind-TaskFailed"]');
      await page.check('[data-testid="kind-BackoffScheduled"]');
      await page.check('[data-testid="kind-TaskStarting"]');
      await page.fill('[data-testid="path-filter"]', 'fragile');
      expect(await screenshot(page, 'viewer-filtered-log')).toBeGreaterThan(0);
    } finally {
      await local.close();
    }
  });

  it('shows a node’s restart explanations and a supervisor’s decisions', async () => {
    const local = await openViewer(browser, viewer.url);
    try {
      const { page } = local;
      await page.click('[data-testid="node-app/workers/a"]');
      const explanation = page.locator('[data-testid="explanation"]');
      expect(await explanation.count()).toBe(1);
      expect(await explanation.textContent()).toMatch(/worker a crashed.*one-for-all, restarts in window 0 → 1, delay 20 ms \(base 20 ms\), allowed/);

      await page.click('[data-testid="node-app/fragile"]');
      expect(await page.locator('[data-testid="supervisor-decision"]').textContent()).toMatch(/2 restarts within 60000 ms: giving up/);
      expect(await page.locator('[data-testid="explanation"]').textContent()).toMatch(/gave up: restart intensity exceeded/);
      // A nested supervisor: its task machine and its supervisor machine (its attempt actor's).
      expect(await attributes(page.locator('[data-testid="diagram"]'), 'data-machine')).toEqual(['task', 'supervisor']);
    } finally {
      await local.close();
    }
  });

  it('moves the tree, the log and the diagram to an earlier moment with the scrubber', async () => {
    const local = await openViewer(browser, viewer.url);
    try {
      const { page } = local;
      await page.click('[data-testid="node-app/workers/a"]');
      const lit = page.locator('[data-testid="lit-state"]');
      // At the end, a was removed: its machine's last state (inspected) is lit.
      expect(await lit.getAttribute('data-state')).toBe('exhausted');

      const failed = after('app/workers/a', 'BackoffScheduled');
      await scrubTo(page, failed);
      expect(await stateOf(page, 'app/workers/a')).toBe('backoff');
      expect(await stateOf(page, 'app/workers/b')).toBe('ready');
      expect(await lit.getAttribute('data-state')).toBe('backoff');
      expect(await page.locator('[data-testid="log-row"]:not(.future)').last().getAttribute('data-seq')).toBe(String(EVENTS[failed - 1]?.seq));
      expect(await page.locator('[data-testid="follow"]').isChecked()).toBe(false);
      await scrubTo(page, after('app/workers', 'SupervisorRestarting'));
      expect(await page.locator('[data-testid="supervisor-state-app/workers"]').getAttribute('data-state')).toBe('restarting');
      expect(await screenshot(page, 'viewer-node')).toBeGreaterThan(0);

      await scrubTo(page, after('app/workers/a', 'TaskStarted'));
      expect(await stateOf(page, 'app/workers/a')).toBe('running');
      expect(await stateOf(page, 'app/web')).toBe('starting');
      expect(await stateOf(page, 'app/api')).toBe('idle');
      expect(await lit.getAttribute('data-state')).toBe('running');
      expect(await page.locator('[data-testid="explanation"]').count()).toBe(0);
      expect(await page.locator('[data-testid="node-app/fragile/unstable"]').count()).toBe(1);
      await scrubTo(page, 2);
      expect(await page.locator('[data-testid="node-app/workers/a"]').count()).toBe(0);
      await scrubTo(page, after('app/fragile/unstable', 'TaskFailed'));
      await page.click('[data-testid="node-app/fragile/unstable"]');
      expect(await screenshot(page, 'viewer-scrubbed')).toBeGreaterThan(0);

      await page.check('[data-testid="follow"]');
      expect(await stateOf(page, 'app/workers/a')).toBe('removed');
    } finally {
      await local.close();
    }
  });
});
