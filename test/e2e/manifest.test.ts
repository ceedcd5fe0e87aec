/**
 * Issue 7: Linesight is installable and opens log files from the operating system. The built
 * web app manifest has what browsers ask for (names, colours, standalone display, PNG icons of
 * 192 and 512 px whose pixels match their `sizes`, a maskable one) and valid `file_handlers`;
 * and Chromium itself, asked over the DevTools protocol, parses it without an error and finds
 * nothing that keeps the app from being installed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, inject, test } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, gotoApp, reloadApp } from './browser.ts';
import { serviceWorkerReady } from './helpers.ts';

interface Icon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

/** Where each file extension Linesight opens may be declared: the MIME types that name it. */
const EXTENSION_TYPES: Record<string, string[]> = {
  '.log': ['text/plain', 'text/x-log'],
  '.txt': ['text/plain'],
  '.out': ['text/plain'],
  '.gz': ['application/gzip', 'application/x-gzip'],
  '.zst': ['application/zstd', 'application/x-zstd'],
  '.jsonl': ['application/x-ndjson', 'application/jsonl', 'application/json-lines'],
  '.ndjson': ['application/x-ndjson'],
  '.json': ['application/json'],
};
const REQUIRED_EXTENSIONS = ['.log', '.txt', '.gz', '.jsonl'];
const CLIENT_MODES = ['auto', 'navigate-new', 'navigate-existing', 'focus-existing'];

/** Width and height from a PNG's IHDR chunk, which the format puts first. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex'), 'PNG signature').toBe('89504e470d0a1a0a');
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

let profile: string | undefined;
let context: BrowserContext | undefined;

afterEach(async () => {
  await context?.close();
  context = undefined;
  if (profile) await rm(profile, { recursive: true, force: true });
  profile = undefined;
});

test('the manifest has the members, icons and file handlers an installed app needs, and Chromium finds no error in it', async () => {
  const baseURL = inject('baseURL');
  // A profile on disk, not the usual incognito-like context: Chromium refuses to install from an
  // off-the-record profile ("in-incognito"), which would hide the errors this test looks for.
  profile = await mkdtemp(join(tmpdir(), 'linesight-e2e-profile-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, baseURL });
  const page = context.pages()[0] ?? (await context.newPage());
  await gotoApp(page, baseURL);

  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href, 'index.html links a manifest').toBeTruthy();
  const manifestURL = new URL(href!, baseURL);
  const response = await context.request.get(manifestURL.href);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
  const manifest = await response.json();

  expect(manifest).toMatchObject({ name: 'Linesight', short_name: 'Linesight', display: 'standalone' });
  for (const color of ['theme_color', 'background_color']) expect(manifest[color], color).toMatch(/^#[0-9a-f]{6}$/i);
  const scope = new URL(manifest.scope, manifestURL).href;
  expect(new URL(manifest.start_url, manifestURL).href.startsWith(scope), 'start_url within scope').toBe(true);
  expect(scope).toBe(baseURL);

  // Icons: PNGs of 192 and 512 px, one of them maskable, each as big as it says.
  const icons = manifest.icons as Icon[];
  const pngs = icons.filter((icon) => icon.type === 'image/png');
  for (const size of ['192x192', '512x512']) expect(pngs.some((icon) => icon.sizes === size && !icon.purpose?.includes('maskable')), `a ${size} PNG`).toBe(true);
  expect(pngs.some((icon) => icon.purpose?.split(/\s+/).includes('maskable')), 'a maskable PNG').toBe(true);
  for (const icon of icons) {
    const fetched = await context.request.get(new URL(icon.src, manifestURL).href);
    expect(fetched.status(), icon.src).toBe(200);
    expect(fetched.headers()['content-type'], icon.src).toBe(icon.type);
    if (icon.type !== 'image/png') continue;
    const { width, height } = pngSize(await fetched.body());
    expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
  }

  // file_handlers: an action within scope, real MIME types, each naming extensions that belong to it.
  expect(manifest.file_handlers.length).toBeGreaterThan(0);
  const extensions = new Set<string>();
  for (const handler of manifest.file_handlers as { action: string; accept: Record<string, string[]> }[]) {
    expect(new URL(handler.action, manifestURL).href.startsWith(scope), `action ${handler.action} within scope`).toBe(true);
    for (const [type, list] of Object.entries(handler.accept)) {
      expect(type).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
      for (const extension of list) {
        expect(extension).toMatch(/^\.[a-z0-9]+$/);
        if (EXTENSION_TYPES[extension]) expect(EXTENSION_TYPES[extension], `${extension} under ${type}`).toContain(type);
        extensions.add(extension);
      }
    }
  }
  // .zst is not required (zstd support came later than the others); its MIME type is checked above when it is there.
  for (const extension of REQUIRED_EXTENSIONS) expect([...extensions]).toContain(extension);
  const modes = [manifest.launch_handler?.client_mode].flat();
  expect(modes.length).toBeGreaterThan(0);
  for (const mode of modes) expect(CLIENT_MODES).toContain(mode);

  // Chromium's own reading of the same manifest: its parser reports every member it ignores.
  const cdp = await context.newCDPSession(page);
  const parsed = await cdp.send('Page.getAppManifest');
  expect(parsed.url).toBe(manifestURL.href);
  expect(parsed.errors).toEqual([]);
  expect(parsed.manifest).toMatchObject({ name: 'Linesight', display: 'kStandalone', startUrl: baseURL, scope: baseURL });

  // Installability, once the service worker is active (Chromium asks nothing more of it nowadays).
  await serviceWorkerReady(page);
  await reloadApp(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
});
