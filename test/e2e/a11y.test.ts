/**
 * Issue 7: an accessibility audit of the main views reports no violations. axe-core runs in the
 * built app on the start page, every run view after a run (with errors, alerts and traces to
 * show), History, Settings and an imported report, in the light and the dark colour scheme.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type * as Axe from 'axe-core';
import { openApp, type AppSession } from './browser.ts';
import { clickForDownload, RUN_TABS, showSection, showTab, tempDir, waitForRunEnd } from './helpers.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The sample's lines are plain text, so `json` fails on each one and passes it on: the run has
 * errors to list, a firing alert and an unhealthy status, besides its traces and counters.
 */
const PIPELINE = {
  processors: [
    { type: 'parse', id: 'parse' },
    { type: 'json', id: 'json', onError: 'pass', circuit: false },
    { type: 'counter', id: 'by_level', by: 'level' },
  ],
};

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppSession | undefined;

beforeAll(async () => {
  tmp = await tempDir('a11y');
  await writeFile(join(tmp.dir, 'errors-pipeline.json'), JSON.stringify(PIPELINE));
});

afterAll(async () => {
  await tmp?.remove();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/**
 * Runs axe on the whole page in both colour schemes and returns its violations, one readable
 * line each. The script is evaluated through the DevTools protocol, which the page's CSP (no
 * inline script) does not govern: the audit sees the app exactly as shipped, CSP included.
 */
async function audit(page: Page, view: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Two frames: styles and charts follow the new scheme before anything is measured.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: typeof Axe }).axe;
      const results = await axe.run(document, { resultTypes: ['violations'] });
      return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
    });
    for (const v of violations) found.push(`${view} (${colorScheme}): ${v.id} [${v.impact}] ${v.help} — ${v.targets.join(', ')}`);
  }
  return found;
}

test('axe finds no violation on the main views, in light and dark', async () => {
  app = await openApp();
  const { page } = app;
  const found: string[] = [];

  found.push(...(await audit(page, 'start page')));

  await page.getByLabel('Import pipeline').setInputFiles(join(tmp.dir, 'errors-pipeline.json'));
  await page.getByText('Applied: errors-pipeline.json').waitFor();
  await page.getByRole('checkbox', { name: 'Trace lines' }).check();
  await page.getByLabel('Trace policy').selectOption('all');
  await page.getByRole('button', { name: 'Try a sample log' }).click();
  expect(await waitForRunEnd(page, 'sample.log')).toBe('Completed');
  await page.getByRole('button', { name: /alerts? firing/ }).waitFor();
  for (const tab of RUN_TABS) {
    await showTab(page, tab);
    found.push(...(await audit(page, tab)));
  }

  await showSection(page, 'History');
  await page.getByRole('table', { name: 'Stored runs' }).waitFor();
  found.push(...(await audit(page, 'History')));
  await showSection(page, 'Settings');
  found.push(...(await audit(page, 'Settings')));
  await showSection(page, 'Analyze');

  const reportPath = join(tmp.dir, 'report.json');
  await (await clickForDownload(page, 'Export report')).saveAs(reportPath);
  await page.getByLabel('Import report').setInputFiles(reportPath);
  await page.getByText('Imported report · read-only').waitFor();
  for (const tab of RUN_TABS) {
    await showTab(page, tab);
    found.push(...(await audit(page, `imported report, ${tab}`)));
  }

  expect(found).toEqual([]);
  expect(app.pageErrors).toEqual([]);
});
