/**
 * Headless Chromium for the viewer's browser tests: Debian's chromium (/usr/bin/chromium, or
 * the `STATEVISOR_CHROMIUM` path) driven by playwright-core. No browser is ever downloaded.
 * `openLocalPage` records every request a page makes and aborts any that would leave
 * 127.0.0.1, so a test can assert the viewer works offline.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

// playwright-core never downloads on launch; this keeps any tool it starts from trying either.
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

/** The browser the tests drive. */
export const CHROMIUM_PATH = process.env.STATEVISOR_CHROMIUM ?? '/usr/bin/chromium';

/** Flags that keep Chromium from reaching the network on its own. */
const QUIET_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-sync',
  '--metrics-recording-only',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-domain-reliability',
  '--disable-extensions',
  '--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,CertificateTransparencyComponentUpdater',
  '--dns-prefetch-disable',
  '--no-pings',
  '--disable-gpu',
  '--disable-dev-shm-usage',
];

/**
 * Launches headless Chromium.
 *
 * @example
 * ```ts
 * const browser = await launchBrowser();
 * try { ... } finally { await browser.close(); }
 * ```
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install -y chromium) or set STATEVISOR_CHROMIUM`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: QUIET_ARGS });
}

/** A page whose requests are recorded. */
export interface LocalPage {
  readonly page: Page;
  /** Every URL the page asked for (documents, scripts, fetches, WebSockets), in order. */
  readonly requests: string[];
  /** The requested URLs whose host is not 127.0.0.1 (they were aborted). */
  foreign(): string[];
  /** Throws when any request went for another host than 127.0.0.1. */
  assertLocal(): void;
  /** Closes the page and its context. */
  close(): Promise<void>;
}

/** Schemes that never touch the network. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

function isLocal(url: string): boolean {
  const parsed = new URL(url);
  return LOCAL_SCHEMES.has(parsed.protocol) || parsed.hostname === '127.0.0.1';
}

/**
 * Opens a page in a fresh context that records every request and aborts those that would
 * leave 127.0.0.1.
 *
 * @example
 * ```ts
 * const local = await openLocalPage(browser);
 * await local.page.goto(viewer.url);
 * local.assertLocal();
 * await local.close();
 * ```
 */
export async function openLocalPage(browser: Browser): Promise<LocalPage> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const requests: string[] = [];
  await context.route('**/*', async (route) => {
    await (isLocal(route.request().url()) ? route.fallback() : route.abort('blockedbyclient'));
  });
  const page = await context.newPage();
  page.on('request', (request) => requests.push(request.url()));
  page.on('websocket', (socket) => requests.push(socket.url()));
  const foreign = (): string[] => requests.filter((url) => !isLocal(url));
  return {
    page,
    requests,
    foreign,
    assertLocal() {
      const away = foreign();
      if (away.length > 0) throw new Error(`the page made requests away from 127.0.0.1: ${away.join(', ')}`);
    },
    close: () => context.close(),
  };
}
