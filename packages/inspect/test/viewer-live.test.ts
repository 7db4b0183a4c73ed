/**
 * The viewer page following a live app in headless Chromium: a task fails once and is
 * restarted, and the page shows it (the failure in the log, attempt 2 running, the restart's
 * explanation, the task machine with its state lit) without a reload; nothing leaves 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, task } from '@statevisor/core';
import { serveViewer } from '../src/index.ts';
import { launchBrowser } from './browser.ts';
import { openViewer } from './viewer-page.ts';

const NO_BACKOFF = { firstMs: 0, maxMs: 0, factor: 1, jitter: 'none' } as const;

describe('the viewer live', { timeout: 60_000 }, () => {
  it('shows a task that fails once being restarted, without a reload', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let attempts = 0;
    const app = createSupervisor({
      name: 'app',
      children: [
        task(
          'web',
          async (ctx) => {
            attempts += 1;
            if (attempts === 1) {
              await gate;
              throw new Error('first attempt fails');
            }
            // The second attempt runs until it is stopped.
            await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
          },
          { backoff: NO_BACKOFF },
        ),
      ],
    });
    const viewer = await serveViewer(app);
    const browser = await launchBrowser();
    try {
      const local = await openViewer(browser, viewer.url);
      try {
        const { page } = local;
        expect(await page.locator('[data-testid="mode"]').textContent()).toBe('live');
        expect(await page.locator('[data-testid="follow"]').isChecked()).toBe(true);
        await app.start();
        const running = (attempt: number): string =>
          [`running`, `ready`].map((state) => `[data-testid="node-app/web"]:has([data-state="${state}"]):has([data-testid="attempt-app/web"]:text-is("#${String(attempt)}"))`).join(', ');
        await page.locator(running(1)).waitFor();

        release();
        await page.locator(running(2)).waitFor();
        await page.locator('[data-testid="log-row"][data-kind="TaskFailed"]').waitFor();
        await page.locator('[data-testid="log-row"][data-kind="BackoffScheduled"]').waitFor();
        expect(await page.locator('[data-testid="state-app"]').getAttribute('data-state')).toBe('running');

        // The relayed inspection messages carry the machine: it is drawn with the state lit.
        await page.click('[data-testid="node-app/web"]');
        await page.locator('[data-testid="diagram"][data-machine="task"]').waitFor();
        expect(['running', 'ready']).toContain(await page.locator('[data-testid="lit-state"]').getAttribute('data-state'));
        expect(await page.locator('[data-testid="explanation"]').textContent()).toContain('first attempt fails');

        // One document load: the page followed the stream, it was never reloaded.
        expect(local.requests.filter((url) => new URL(url).pathname === '/')).toHaveLength(1);
        local.assertLocal();
      } finally {
        await local.close();
      }
    } finally {
      await app.shutdown();
      await browser.close();
      await viewer.close();
    }
  });
});
