/**
 * The viewer's header shows the events a recording lost (its `SubscriberOverflow` lines) as a
 * warning badge with the total dropped, over a hand-made recording.
 */
import { describe, expect, it } from 'vitest';
import { serveViewer } from '../src/index.ts';
import { launchBrowser } from './browser.ts';
import { fixtures } from './recording-fixture.ts';
import { fixtureLines } from './viewer-fixture.ts';
import { openViewer } from './viewer-page.ts';

describe('the viewer’s drops badge', { timeout: 60_000 }, () => {
  it('shows the total that SubscriberOverflow lines report', async () => {
    const files = await fixtures();
    const viewer = await serveViewer(await files.write('drops.jsonl', `${fixtureLines().join('\n')}\n`));
    const browser = await launchBrowser();
    try {
      const local = await openViewer(browser, viewer.url);
      try {
        const drops = local.page.locator('[data-testid="drops"]');
        expect(await drops.getAttribute('data-dropped')).toBe('5');
        expect(await drops.textContent()).toContain('5 dropped');
        expect(await drops.getAttribute('title')).toContain('recorder: 5');
        local.assertLocal();
      } finally {
        await local.close();
      }
    } finally {
      await browser.close();
      await viewer.close();
      await files.cleanup();
    }
  });
});
