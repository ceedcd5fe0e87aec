/**
 * Drives the built app in Debian's Chromium. Each session gets a fresh browser context, so
 * IndexedDB, the service worker and downloads never leak from one test into the next.
 *
 *   const app = await openApp();
 *   try {
 *     await app.page.getByLabel('Open log file').setInputFiles('test/fixtures/x.log');
 *     expect(app.pageErrors).toEqual([]);
 *   } finally {
 *     await app.close();
 *   }
 */
import { inject } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';

/** The distro's browser: playwright must never download its own (CI is offline-ish and small). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface AppSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The preview server's root URL, with a trailing slash. */
  baseURL: string;
  /** `console.error` messages and failed loads from the page, as text. */
  consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections in the page, as "Name: message". */
  pageErrors: string[];
  /** Navigates relative to baseURL and waits until the app has read what it starts with (appReady). */
  goto(path?: string): Promise<Response | null>;
  /** Closes the page, context and browser; safe to call twice. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Path to open after launch, relative to baseURL; `null` opens nothing. Default '/'. */
  path?: string | null;
}

export async function openApp(options: OpenOptions = {}): Promise<AppSession> {
  const baseURL = inject('baseURL');
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new Error(
      `could not start Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium): ${(err as Error).message}`,
    );
  }
  const context = await browser.newContext({ baseURL, acceptDownloads: true });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium's "Failed to load resource" names no URL; without it a 404 is a riddle.
    const url = message.location().url;
    const text = message.text();
    consoleErrors.push(text.startsWith('Failed to load resource') && url ? `${text}: ${url}` : text);
  });
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));

  let closed = false;
  const session: AppSession = {
    browser,
    context,
    page,
    baseURL,
    consoleErrors,
    pageErrors,
    goto: (path = '/') => gotoApp(page, new URL(path, baseURL).href),
    async close() {
      if (closed) return;
      closed = true;
      await context.close();
      await browser.close();
    },
  };
  const path = options.path === undefined ? '/' : options.path;
  if (path !== null) {
    try {
      await session.goto(path);
    } catch (err) {
      await session.close();
      throw err;
    }
  }
  return session;
}

/** Resolves once the app has read what it starts with: src/main.ts then sets `data-ready` on <html>. */
export async function appReady(page: Page): Promise<void> {
  await page.locator('html[data-ready]').waitFor({ state: 'attached' });
}

/** Opens the app at `url` (relative to the context's baseURL) and waits until it is ready. */
export async function gotoApp(page: Page, url: string): Promise<Response | null> {
  const response = await page.goto(url, { waitUntil: 'load' });
  await appReady(page);
  return response;
}

/** Reloads the app and waits until it is ready. */
export async function reloadApp(page: Page): Promise<void> {
  await page.reload({ waitUntil: 'load' });
  await appReady(page);
}
