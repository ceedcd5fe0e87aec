/**
 * Issue 7: a new version of the app is offered, never forced in the middle of a run. A new
 * deploy is what the browser sees when /sw.js changes: here a small proxy in front of the
 * preview server adds to it an answer naming its version, "current" and once deployed "next"
 * (Playwright cannot route the browser's own update check of a service worker script, and a
 * second build would be slow). The new worker installs and waits; the app says "A new version
 * of Linesight is ready." with "Reload to update", disabled while a run is busy; once the run is
 * over, the click reloads into the new version.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, inject, test } from 'vitest';
import type { Page } from 'playwright-core';
import { generateLog } from '../../bench/generate.ts';
import { gotoApp, openApp, reloadApp, type AppSession } from './browser.ts';
import { expectNoPageErrors, openLog, readStats, runRegion, serviceWorkerReady, statusText, tempDir, waitForRunEnd, writeStreamed } from './helpers.ts';

const MiB = 1 << 20;

/** What the proxy adds to sw.js: an answer that tells which version controls the page. */
const versionAnswer = (version: 'current' | 'next') => `
self.addEventListener('message', (event) => {
  if (event.data === 'version?') event.ports[0].postMessage('${version}');
});
`;

interface Proxy {
  url: string;
  /** From now on /sw.js is the next version's. */
  deploy(): void;
  close(): Promise<void>;
}

async function startProxy(upstream: URL): Promise<Proxy> {
  let deployed = false;
  const server: Server = createServer((incoming, outgoing) => {
    const tamper = incoming.url?.split('?')[0] === '/sw.js';
    const headers: IncomingHttpHeaders = { ...incoming.headers, host: upstream.host };
    // The script is appended to as text: ask for it uncompressed and whole (no 304).
    if (tamper) for (const name of ['accept-encoding', 'if-none-match', 'if-modified-since']) delete headers[name];
    const forward = request({ host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers }, (response) => {
      if (!tamper) {
        outgoing.writeHead(response.statusCode!, response.headers);
        response.pipe(outgoing);
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat([...chunks, Buffer.from(versionAnswer(deployed ? 'next' : 'current'))]);
        const { etag: _etag, 'last-modified': _modified, ...rest } = response.headers;
        outgoing.writeHead(response.statusCode!, { ...rest, 'content-length': body.length });
        outgoing.end(body);
      });
    });
    forward.on('error', (error) => outgoing.destroy(error));
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    deploy: () => (deployed = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The version of the service worker that controls the page, as it answers itself. */
function controllerVersion(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (event) => resolve(event.data);
        navigator.serviceWorker.controller!.postMessage('version?', [channel.port2]);
      }),
  );
}

const waitingWorker = (page: Page) => page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting?.state ?? null));

let tmp: Awaited<ReturnType<typeof tempDir>>;
let bigLog: string;
let proxy: Proxy;
let app: AppSession | undefined;

beforeAll(async () => {
  tmp = await tempDir('update');
  // Long enough to still be running while the update is found and checked (history.test.ts reads the same size).
  const block = Buffer.from([...generateLog({ bytes: MiB, seed: 5 })].join(''));
  bigLog = join(tmp.dir, 'big.log');
  await writeStreamed(
    bigLog,
    (function* () {
      for (let i = 0; i < 300; i++) yield block;
    })(),
  );
  proxy = await startProxy(new URL(inject('baseURL')));
});

afterAll(async () => {
  await proxy?.close();
  await tmp?.remove();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('a new version is offered while a run is busy, not forced; after the run “Reload to update” reloads into it', async () => {
  app = await openApp({ path: null });
  const { page } = app;
  await gotoApp(page, proxy.url);
  await serviceWorkerReady(page);
  // A returning visit: the service worker controls the page when the update comes.
  await reloadApp(page);
  expect(await controllerVersion(page)).toBe('current');

  await page.getByRole('checkbox', { name: 'Keep output lines' }).uncheck();
  await openLog(page, bigLog);
  await expect.poll(async () => (await readStats(page)).total.linesIn, { timeout: 30_000 }).toBeGreaterThan(0);
  await page.evaluate(() => ((window as Window & { beforeUpdate?: boolean }).beforeUpdate = true));

  proxy.deploy();
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((registration) => registration!.update()));
  const banner = page.getByRole('status').filter({ hasText: 'A new version of Linesight is ready.' });
  await banner.waitFor({ timeout: 15_000 });
  const reload = banner.getByRole('button', { name: 'Reload to update' });
  expect(await statusText(page), 'the run outlasts the update check').toBe('Running');
  expect(await reload.isDisabled(), 'no update in the middle of a run').toBe(true);
  // The new worker waits; the page was not reloaded under the run.
  expect(await waitingWorker(page)).toBe('installed');
  expect(await page.evaluate(() => (window as Window & { beforeUpdate?: boolean }).beforeUpdate)).toBe(true);
  expect(await controllerVersion(page)).toBe('current');

  await runRegion(page).getByRole('button', { name: 'Cancel' }).click();
  expect(await waitForRunEnd(page, 'big.log')).toBe('Cancelled');
  // The run is done once its final report is written, a moment after the status says so.
  await expect.poll(() => reload.isEnabled(), { timeout: 10_000 }).toBe(true);
  await Promise.all([page.waitForEvent('load'), reload.click()]);
  await page.getByRole('button', { name: 'Try a sample log' }).waitFor();
  expect(await page.evaluate(() => (window as Window & { beforeUpdate?: boolean }).beforeUpdate), 'a new page').toBeUndefined();
  expect(await controllerVersion(page)).toBe('next');
  expect(await waitingWorker(page)).toBeNull();
  expect(await page.getByText('A new version of Linesight is ready.').count()).toBe(0);
  expectNoPageErrors(app);
});
