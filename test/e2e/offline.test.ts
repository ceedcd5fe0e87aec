/**
 * Issue 7: after the first visit Linesight works offline. The network is cut, the tab reloaded:
 * the page, its engine worker and its charts come from the service worker's cache, nothing from
 * the network, and a log file still analyses with the right counts and draws its charts.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Request, Response } from 'playwright-core';
import { openApp, type AppSession } from './browser.ts';
import {
  clickForDownload,
  downloadText,
  expectNoPageErrors,
  openLog,
  readStats,
  serviceWorkerReady,
  showSection,
  showTab,
  tempDir,
  waitForRunEnd,
} from './helpers.ts';

const LEVELS = ['INFO', 'WARN', 'ERROR', 'DEBUG', 'INFO'] as const;
const LINES = Array.from(
  { length: 900 },
  (_, i) => `2024-05-01 10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},000 ${LEVELS[i % LEVELS.length]} [main] app.Orders: request ${i}`,
);

let tmp: Awaited<ReturnType<typeof tempDir>>;
let logPath: string;
let app: AppSession | undefined;

beforeAll(async () => {
  tmp = await tempDir('offline');
  logPath = join(tmp.dir, 'offline.log');
  await writeFile(logPath, LINES.join('\n') + '\n');
});

afterAll(async () => {
  await tmp?.remove();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('after the first visit, a reload with the network off loads everything from the cache and a log still analyses', async () => {
  app = await openApp();
  const { page, context } = app;
  // Active means installed: the install step precached the whole app.
  await serviceWorkerReady(page);

  const responses: Response[] = [];
  const failed: string[] = [];
  context.on('response', (response) => responses.push(response));
  context.on('requestfailed', (request: Request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  await context.setOffline(true);
  try {
    await page.reload({ waitUntil: 'load' });
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'the reloaded page is served by the service worker').toBe(true);

    await openLog(page, logPath);
    expect(await waitForRunEnd(page, 'offline.log')).toBe('Completed');
    const stats = await readStats(page);
    expect(stats.rows.map((row) => row.processor.split(' ')[0])).toEqual(['parse', 'by_level']);
    for (const row of [...stats.rows, stats.total]) expect(row).toMatchObject({ linesIn: LINES.length, linesOut: LINES.length, dropped: 0, errors: 0 });
    const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
    const expected = { TRACE: 0, DEBUG: 0, INFO: 0, WARN: 0, ERROR: 0, FATAL: 0, UNKNOWN: 0 };
    for (const line of LINES) expected[/ (INFO|WARN|ERROR|DEBUG) /.exec(line)![1] as keyof typeof expected]++;
    expect(report.levels).toEqual(expected);

    // The charts (uPlot, in the app's bundle) draw from the cache too.
    await showTab(page, 'Charts');
    const panel = page.getByRole('tabpanel', { name: 'Charts' });
    for (const label of ['Throughput over the run', 'Lines per level per', 'p95 of time per line per processor']) {
      const figure = panel.getByRole('figure', { name: new RegExp(`^${label}`) });
      await figure.waitFor();
      expect(await figure.locator('canvas').count(), `${label}: a canvas`).toBe(1);
    }
    const inked = await panel
      .getByRole('figure', { name: /^Lines per level per/ })
      .locator('canvas')
      .evaluate((canvas) => {
        const c = canvas as HTMLCanvasElement;
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let count = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
        return count;
      });
    expect(inked, 'the levels chart has been drawn on').toBeGreaterThan(1000);

    // Nothing came from the network: every response, the engine worker's script included, was the service worker's.
    const [worker] = page.workers();
    expect(worker, 'the engine worker runs').toBeDefined();
    const urls = responses.map((response) => response.url());
    expect(urls).toContain(new URL('/', app.baseURL).href);
    expect(urls).toContain(worker.url());
    expect(responses.filter((response) => !response.fromServiceWorker()).map((response) => response.url())).toEqual([]);
    expect(failed).toEqual([]);

    // The custom format editor's preview runs in a worker of its own: from the cache too.
    await showSection(page, 'Settings');
    const editor = page.getByRole('region', { name: 'Custom formats' });
    await editor.getByLabel('Name', { exact: true }).fill('Offline');
    await editor.getByLabel('Pattern', { exact: true }).fill('^(?<message>.*)$');
    await editor.getByLabel('Sample lines').fill(LINES[0]);
    await editor.getByRole('region', { name: 'Preview' }).getByText('1 of 1 sample line fits.', { exact: false }).waitFor();
    const previewWorker = page.workers().find((w) => w !== worker);
    expect(previewWorker, 'the preview worker runs').toBeDefined();
    expect(responses.map((response) => response.url())).toContain(previewWorker!.url());
    expect(responses.filter((response) => !response.fromServiceWorker()).map((response) => response.url())).toEqual([]);
    expect(failed).toEqual([]);
  } finally {
    await context.setOffline(false);
  }
  expectNoPageErrors(app);
});
