/**
 * Without a mouse, and files that arrive by other doors: the keyboard alone opens the sample,
 * moves between the tabs and opens and closes the shortcuts dialog; a report dropped on the page
 * opens read-only while a JSON lines log dropped the same way runs; Recent files reopen a file
 * from its kept handle after a reload.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import type * as Axe from 'axe-core';
import type { Report } from '../../src/engine/report/report.ts';
import { reportOf, ROUTED } from '../fixtures/reports.ts';
import { openApp, type AppSession } from './browser.ts';
import { expectNoPageErrors, progressFigure, readStats, statsTable, waitForRunEnd } from './helpers.ts';

let app: AppSession | undefined;
let report: Report;

beforeAll(async () => {
  report = await reportOf(['INFO hello', 'ERROR boom', 'WARN careful'], ROUTED, { runId: 'run-dropped' });
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** What has the focus: its role (or tag) and accessible text. */
function focused(page: Page): Promise<{ role: string; name: string }> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return { role: element?.getAttribute('role') ?? element?.tagName.toLowerCase() ?? '', name: (element?.getAttribute('aria-label') ?? element?.textContent ?? '').trim() };
  });
}

/** Presses Tab until `matches` says the focus arrived; fails after `limit` presses. */
async function tabTo(page: Page, matches: (f: { role: string; name: string }) => boolean, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (matches(await focused(page))) return;
  }
  throw new Error(`Tab never reached the element (${limit} presses)`);
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's violations on the page as it is now (a11y.test.ts audits the main views; this, what only these tests open). */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof Axe }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

const selectedTab = (page: Page) => page.getByRole('tab', { selected: true }).textContent().then((t) => t?.replace(/\d+/g, '').trim());

test('the keyboard alone opens the sample, moves between the tabs, and opens and closes the shortcuts dialog', async () => {
  app = await openApp();
  const { page } = app;

  await tabTo(page, (f) => f.role === 'button' && f.name === 'Try a sample log');
  await page.keyboard.press('Enter');
  expect(await waitForRunEnd(page, 'sample.log')).toBe('Completed');

  // Digits pick a tab from anywhere; arrows move along the tabs once one has the focus.
  await page.keyboard.press('3');
  expect(await selectedTab(page)).toBe('Graph');
  await page.keyboard.press('1');
  expect(await selectedTab(page)).toBe('Stats');
  await tabTo(page, (f) => f.role === 'tab');
  await page.keyboard.press('ArrowRight');
  expect(await selectedTab(page)).toBe('Charts');
  expect(await focused(page)).toMatchObject({ role: 'tab', name: 'Charts' });
  await page.keyboard.press('End');
  expect(await selectedTab(page)).toBe('Processors');

  // "?" opens the dialog with the focus inside; Escape closes it and the focus comes back.
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  expect(await focused(page)).toEqual({ role: 'button', name: 'Close' });
  expect(await dialog.getByRole('row').filter({ hasText: 'Open a log file' }).count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);
  // Modal: keys inside belong to the dialog, the page behind does not react.
  await page.keyboard.press('2');
  expect(await selectedTab(page)).toBe('Processors');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  expect(await focused(page)).toMatchObject({ role: 'tab', name: 'Processors' });

  // "/" searches the list shown, and is not typed into it.
  await page.keyboard.press('6');
  await page.keyboard.press('/');
  await page.keyboard.type('123');
  expect(await page.getByRole('searchbox', { name: 'Search events' }).inputValue()).toBe('123');
  // Typing there is text, not shortcuts.
  expect(await selectedTab(page)).toBe('Events');
  expectNoPageErrors(app);
});

/** Drops a file built in the page, as a file dragged from the desktop arrives. */
async function dropFile(page: Page, name: string, text: string, type: string): Promise<void> {
  await page.evaluate(
    ({ name, text, type }) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type }));
      for (const kind of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(kind, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    { name, text, type },
  );
}

test('a dropped report opens read-only; a dropped JSON lines log named .json runs', async () => {
  app = await openApp();
  const { page } = app;

  await dropFile(page, 'linesight-report-run-dropped.json', JSON.stringify(report, null, 2), 'application/json');
  await page.getByText('Imported report · read-only').waitFor();
  await statsTable(page).waitFor();
  const stats = await readStats(page);
  expect(stats.rows.map((r) => r.processor.split(' ')[0])).toEqual(report.processors.map((p) => p.id));
  expect(stats.total.linesIn).toBe(report.totals.linesIn);
  await page.getByRole('button', { name: 'Back to live view' }).click();

  const jsonLines = ['{"level":"info","msg":"a"}', '{"level":"warn","msg":"b"}', '{"level":"error","msg":"c"}'].join('\n') + '\n';
  await dropFile(page, 'app.json', jsonLines, 'application/json');
  expect(await waitForRunEnd(page, 'app.json')).toBe('Completed');
  expect(await progressFigure(page, 'Lines').textContent()).toBe('3');
  expect(await page.getByText('Imported report · read-only').count()).toBe(0);
  expectNoPageErrors(app);
});

test('Recent files reopen a file from its kept handle after a reload, and say so when it is gone', async () => {
  app = await openApp({ path: null });
  const { page, context } = app;
  // Headless Chromium's file picker cannot be driven, so the picker is stood in for: it hands over a
  // handle from the Origin Private File System, which is a real FileSystemFileHandle. Everything
  // after it is the app's own path: the handle is kept in IndexedDB, read back after a reload,
  // asked for permission and read again.
  await context.addInitScript(() => {
    Object.assign(window, {
      showOpenFilePicker: async () => [await (await navigator.storage.getDirectory()).getFileHandle('kept.log')],
    });
  });
  await app.goto('/');
  const writeKept = (lines: number) =>
    page.evaluate(async (lines) => {
      const handle = await (await navigator.storage.getDirectory()).getFileHandle('kept.log', { create: true });
      const writable = await handle.createWritable();
      await writable.write(Array.from({ length: lines }, (_, i) => `INFO line ${i}\n`).join(''));
      await writable.close();
    }, lines);
  await writeKept(3);

  // "o" is "Open log file": the picker, then the run.
  await page.keyboard.press('o');
  expect(await waitForRunEnd(page, 'kept.log')).toBe('Completed');
  expect(await progressFigure(page, 'Lines').textContent()).toBe('3');
  const recent = page.getByRole('region', { name: 'Recent files' });
  await recent.getByRole('button', { name: 'kept.log', exact: true }).waitFor();

  // The file changes on disk; after a reload the list reads the new content through the handle.
  await writeKept(5);
  await app.goto('/');
  await recent.getByRole('button', { name: 'kept.log', exact: true }).click();
  expect(await waitForRunEnd(page, 'kept.log')).toBe('Completed');
  expect(await progressFigure(page, 'Lines').textContent()).toBe('5');
  expect(await recent.getByRole('listitem').count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);

  // Gone from disk: said plainly, and the entry can be removed.
  await page.evaluate(async () => (await navigator.storage.getDirectory()).removeEntry('kept.log'));
  await recent.getByRole('button', { name: 'kept.log', exact: true }).click();
  await expect.poll(() => recent.getByRole('alert').textContent()).toContain('kept.log is no longer there');
  await recent.getByRole('button', { name: 'Remove from the list' }).click();
  await recent.waitFor({ state: 'detached' });
  await app.goto('/');
  expect(await page.getByRole('region', { name: 'Recent files' }).count()).toBe(0);
  expectNoPageErrors(app);
});
