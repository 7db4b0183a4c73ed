/**
 * The browser-test infrastructure works: headless Chromium opens a served recording through
 * the URL's token, nothing leaves 127.0.0.1, and the token is required.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { serveViewer } from '../src/index.ts';
import type { ViewerServer } from '../src/index.ts';
import { launchBrowser, openLocalPage } from './browser.ts';
import { FIXTURE_TEXT, fixtures } from './recording-fixture.ts';
import type { Fixtures } from './recording-fixture.ts';

let browser: Browser;
let files: Fixtures;
let viewer: ViewerServer;

beforeAll(async () => {
  files = await fixtures();
  viewer = await serveViewer(await files.write('smoke.jsonl', FIXTURE_TEXT));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
  await viewer.close();
  await files.cleanup();
});

describe('browser smoke', () => {
  it('loads the served page with its token, and no request leaves 127.0.0.1', async () => {
    const local = await openLocalPage(browser);
    try {
      const response = await local.page.goto(viewer.url, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("connect-src 'self'");
      expect(local.requests[0]).toBe(viewer.url);
      local.assertLocal();
    } finally {
      await local.close();
    }
  });

  it("the page's CSP stops a fetch to another host before it reaches the network", async () => {
    const local = await openLocalPage(browser);
    try {
      await local.page.goto(viewer.url);
      const result = await local.page.evaluate(() => fetch('http://example.com/beacon').then(() => 'sent', () => 'refused'));
      expect(result).toBe('refused');
      local.assertLocal();
    } finally {
      await local.close();
    }
  });

  it('records a request for another host and aborts it, so the offline check can fail', async () => {
    const local = await openLocalPage(browser);
    try {
      // A page without the server's CSP that loads from a foreign host.
      await local.page.setContent('<img src="http://example.com/pixel.png">');
      expect(local.foreign()).toEqual(['http://example.com/pixel.png']);
      expect(() => local.assertLocal()).toThrow(/example\.com/);
    } finally {
      await local.close();
    }
  });

  it('shows 403 for the same URL without the token', async () => {
    const local = await openLocalPage(browser);
    try {
      const response = await local.page.goto(viewer.url.split('?')[0] ?? viewer.url);
      expect(response?.status()).toBe(403);
      expect(await local.page.textContent('body')).toContain('Forbidden');
    } finally {
      await local.close();
    }
  });
});
