/**
 * Issue 4 end to end: every run is kept in IndexedDB. A run survives a reload and opens from
 * IndexedDB alone with the same views and the same report; a tab closed mid-run leaves an
 * interrupted run with what was checkpointed; a stored run opens offline; two tabs both work
 * and an upgrade in one prompts the other; runs are deleted one by one or all at once;
 * settings and saved pipelines stay. Only roles and accessible names are used.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { generateLog } from '../../bench/generate.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, gotoApp, openApp, reloadApp, type AppSession } from './browser.ts';
import {
  clickForDownload,
  downloadText,
  expectNoPageErrors,
  openLog,
  readStats,
  runRegion,
  statusText,
  storedRuns,
  tempDir,
  waitForRunEnd,
  writeStreamed,
} from './helpers.ts';
import { JSON_ROUTED_BY_LEVEL as PIPELINE } from '../fixtures/pipelines.ts';

const MiB = 1 << 20;

/** JSON lines of every level, and one line in `badEvery` plain text: `parse` fails on those (errors to keep). */
function mixedLines(count: number, badEvery = 7): string[] {
  const levels = ['info', 'debug', 'warn', 'error', 'info', 'fatal'];
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    if (i % badEvery === 3 % badEvery) lines.push(`2024-03-14 08:01:${String(i % 60).padStart(2, '0')} ERROR plain line ${i} is not JSON`);
    else lines.push(JSON.stringify({ ts: `2024-03-14T08:01:${String(i % 60).padStart(2, '0')}Z`, level: levels[i % levels.length], msg: `request ${i}`, id: i }));
  }
  return lines;
}
const badLines = (count: number) => mixedLines(count).filter((l) => !l.startsWith('{')).length;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppSession | undefined;
/** A 300 MB log: long enough to close a tab in the middle of its run. */
let bigLog: string;

beforeAll(async () => {
  tmp = await tempDir('history');
  await writeFile(join(tmp.dir, 'pipeline.json'), JSON.stringify(PIPELINE, null, 2));
  await writeFile(join(tmp.dir, 'mixed.log'), mixedLines(700).join('\n') + '\n');
  for (const name of ['one.log', 'two.log', 'three.log']) await writeFile(join(tmp.dir, name), [...generateLog({ lines: 3000, seed: name.length })].join(''));
  const block = Buffer.from([...generateLog({ bytes: MiB, seed: 3 })].join(''));
  bigLog = join(tmp.dir, 'big.log');
  await writeStreamed(
    bigLog,
    (function* () {
      for (let i = 0; i < 300; i++) yield block;
    })(),
  );
});

afterAll(async () => {
  await tmp?.remove();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function showSection(page: Page, name: 'Analyze' | 'History' | 'Settings'): Promise<void> {
  const button = page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  await button.click();
  await expect.poll(() => button.getAttribute('aria-current')).toBe('page');
}

async function showTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.click();
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
}

function historyTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Stored runs' });
}

/** The history's row of a file, found by its row header. */
function historyRow(page: Page, fileName: string): Locator {
  return historyTable(page).getByRole('row').filter({ has: page.getByRole('rowheader', { name: fileName, exact: true }) });
}

interface HistoryRow {
  file: string;
  status: string;
  lines: number;
  errors: number;
}

async function readRow(row: Locator): Promise<HistoryRow> {
  const cells = await row.evaluate((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => (c.textContent ?? '').trim()));
  // File, Size, Started, Duration, Status, Lines, Errors, Stored, actions.
  return { file: cells[0], status: cells[4], lines: Number(cells[5].replace(/,/g, '')), errors: Number(cells[6].replace(/,/g, '')) };
}

/** The text a view shows, as a person reads it. */
async function viewText(page: Page, tab: 'Journeys' | 'Errors'): Promise<string> {
  await showTab(page, tab);
  const region = page.getByRole('region', { name: tab, exact: true });
  await region.waitFor();
  return region.innerText();
}

async function importPipeline(page: Page): Promise<void> {
  await page.getByLabel('Import pipeline').setInputFiles(join(tmp.dir, 'pipeline.json'));
  await page.getByText('Applied: pipeline.json').waitFor();
}

/**
 * Waits until the run of `fileName` ended and its final report is in IndexedDB: the status chip
 * says how the engine ended, the note under Export report that the store has it.
 */
async function runAndKeep(page: Page, fileName: string): Promise<void> {
  expect(await waitForRunEnd(page, fileName)).toBe('Completed');
  await page.getByRole('status').filter({ hasText: 'Kept in the history.' }).waitFor();
}

function storedRun(page: Page): Locator {
  return page.getByRole('region', { name: 'Stored run' });
}

describe('a run kept in the history', () => {
  test('survives a reload with its counts, opens from IndexedDB alone with the same views, and exports the same report', async () => {
    app = await openApp();
    const { page } = app;
    await importPipeline(page);
    await page.getByRole('checkbox', { name: 'Trace lines' }).check();
    await page.getByRole('combobox', { name: 'Trace policy' }).selectOption({ label: 'Every line' });
    await openLog(page, join(tmp.dir, 'mixed.log'));
    await runAndKeep(page, 'mixed.log');

    // What the user does with the alerts once the run has ended is kept with it too.
    await showTab(page, 'Alerts');
    const parseAlert = page.getByRole('article', { name: 'Processor error rate above 1% (parse)' });
    const linesAlert = page.getByRole('article', { name: 'ERROR lines above 5% of a minute of log time' });
    await parseAlert.getByRole('button', { name: 'Acknowledge' }).click();
    await parseAlert.locator('header').getByText('acknowledged', { exact: true }).waitFor();
    await linesAlert.getByLabel('Suppress for').selectOption({ label: 'until the run ends' });
    await linesAlert.getByRole('button', { name: 'Suppress' }).click();
    await linesAlert.locator('header').getByText('suppressed for the run', { exact: true }).waitFor();

    await showTab(page, 'Stats');
    const live = await readStats(page);
    const liveReport = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
    const liveJourneys = await viewText(page, 'Journeys');
    const liveErrors = await viewText(page, 'Errors');
    expect(liveErrors).toContain('plain line 696 is not JSON');
    expect(liveReport.retention).toEqual({
      caps: { traces: 1000, errors: 1000, events: 5000, metricPoints: 10_000 },
      evicted: { traces: 0, errors: 0, events: 0, metricPoints: 0 },
    });

    await reloadApp(page);
    await showSection(page, 'History');
    const row = historyRow(page, 'mixed.log');
    expect(await readRow(row)).toEqual({ file: 'mixed.log', status: 'Completed', lines: 700, errors: badLines(700) });

    await row.getByRole('button', { name: 'Open' }).click();
    await storedRun(page).getByText('Stored run · read-only').waitFor();
    expect(await storedRun(page).getByRole('heading', { name: 'mixed.log' }).isVisible()).toBe(true);
    // No live run panel, no Cancel: nothing runs.
    expect(await page.getByRole('region', { name: 'Run', exact: true }).count()).toBe(0);
    await showTab(page, 'Stats');
    expect(await readStats(page)).toEqual(live);
    expect(await viewText(page, 'Journeys')).toBe(liveJourneys);
    expect(await viewText(page, 'Errors')).toBe(liveErrors);
    await showTab(page, 'Alerts');
    expect(await parseAlert.locator('header').getByText('acknowledged', { exact: true }).isVisible()).toBe(true);
    expect(await linesAlert.locator('header').getByText('suppressed for the run', { exact: true }).isVisible()).toBe(true);
    await linesAlert.getByText(/^Audit trail/).click();
    expect(await linesAlert.getByRole('listitem').last().innerText()).toMatch(/suppressed\s+by you\s+until the run ends$/);

    const stored = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
    const { retention, ...storedRest } = stored;
    const { retention: liveRetention, ...liveRest } = liveReport;
    expect(storedRest).toEqual(liveRest);
    expect(retention).toEqual(liveRetention);
    expect(stored.alerts.map((a: { id: string; state: string }) => [a.id, a.state])).toEqual(
      expect.arrayContaining([
        ['processor-error-rate:parse', 'acknowledged'],
        ['error-lines-per-minute', 'suppressed'],
      ]),
    );
    expect(stored.alerts.find((a: { id: string }) => a.id === 'error-lines-per-minute').suppressedUntil).toBeNull();

    await storedRun(page).getByRole('button', { name: 'Back to live view' }).click();
    expect(await storedRun(page).count()).toBe(0);
    // This tab has run nothing since the reload: the live view is empty.
    await showTab(page, 'Stats');
    await page.getByText('Drop a log file anywhere on this page').waitFor();
    expectNoPageErrors(app);
  });

  test('a run whose tab was closed mid-run is interrupted, with the lines of its last checkpoint', async () => {
    app = await openApp();
    const { context } = app;
    let page = app.page;
    await page.getByRole('checkbox', { name: 'Keep output lines' }).uncheck();
    await openLog(page, bigLog);
    await runRegion(page).getByRole('heading', { name: 'big.log', exact: true }).waitFor();
    await expect.poll(async () => (await readStats(page)).total.linesIn, { timeout: 30_000 }).toBeGreaterThan(0);
    // A checkpoint with lines in it is stored: what was read by then is saved.
    const saved = async () => (await storedRuns(page)).find((run) => run.fileName === 'big.log')?.linesRead ?? 0;
    await expect.poll(saved, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await statusText(page)).toBe('Running');
    const readBeforeClose = (await readStats(page)).total.linesIn;
    await page.close();

    page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
    await gotoApp(page, app.baseURL);
    await showSection(page, 'History');
    const row = historyRow(page, 'big.log');
    // The closed tab's worker lets go of the run's lock as it dies; the history looks again meanwhile.
    await expect.poll(async () => (await readRow(row)).status, { timeout: 15_000 }).toBe('Interrupted');
    const { lines } = await readRow(row);
    expect(lines).toBeGreaterThan(0);
    expect(lines).toBeLessThanOrEqual(readBeforeClose + 2_000_000);

    await row.getByRole('button', { name: 'Open' }).click();
    await storedRun(page).getByText('Interrupted', { exact: true }).waitFor();
    expect((await readStats(page)).total.linesIn).toBe(lines);
    const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
    expect(report.run).toMatchObject({ status: 'interrupted', linesRead: lines });
    expect(report.run.message).toMatch(/last checkpoint/);
    expect(report.retention.caps).toEqual({ traces: 1000, errors: 1000, events: 5000, metricPoints: 10_000 });
    expect(errors).toEqual([]);
  });

  test('a stored run opens offline once the service worker controls the page', async () => {
    app = await openApp();
    const { page, context } = app;
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.getByRole('button', { name: 'Try a sample log' }).click();
    await runAndKeep(page, 'sample.log');
    const live = await readStats(page);

    await reloadApp(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await context.setOffline(true);
    try {
      await page.reload({ waitUntil: 'load' });
      expect(await page.evaluate(() => navigator.onLine)).toBe(false);
      await showSection(page, 'History');
      await historyRow(page, 'sample.log').getByRole('button', { name: 'Open' }).click();
      await storedRun(page).getByText('Stored run · read-only').waitFor();
      expect(await readStats(page)).toEqual(live);
    } finally {
      await context.setOffline(false);
    }
  });
});

describe('two tabs', () => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    context = await browser.newContext({ baseURL: inject('baseURL'), acceptDownloads: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  test('both load and run; each sees the other’s runs, a live one as running in another tab', async () => {
    const [first, second] = [await context.newPage(), await context.newPage()];
    const errors: string[] = [];
    for (const page of [first, second]) {
      page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
      await gotoApp(page, '/');
    }
    await Promise.all([openLog(first, join(tmp.dir, 'one.log')), openLog(second, join(tmp.dir, 'two.log'))]);
    await runAndKeep(first, 'one.log');
    await runAndKeep(second, 'two.log');

    // A long run in the second tab shows in the first as running elsewhere, with its progress.
    await second.getByRole('checkbox', { name: 'Keep output lines' }).uncheck();
    await openLog(second, bigLog);
    await expect.poll(async () => (await readStats(second)).total.linesIn, { timeout: 30_000 }).toBeGreaterThan(0);
    await showSection(first, 'History');
    await expect.poll(async () => (await readRow(historyRow(first, 'big.log'))).status, { timeout: 15_000 }).toBe('Running in another tab');
    // It can be deleted, but only after a warning that the other tab then goes on without saving it.
    await historyRow(first, 'big.log').getByRole('button', { name: 'Delete' }).click();
    const warning = first.getByRole('group', { name: 'Delete big.log? It is still running in another tab, which goes on without saving it.' });
    await warning.getByRole('button', { name: 'Keep' }).click();
    expect(await warning.count()).toBe(0);
    for (const name of ['one.log', 'two.log']) expect((await readRow(historyRow(first, name))).status).toBe('Completed');

    await runRegion(second).getByRole('button', { name: 'Cancel' }).click();
    expect(await waitForRunEnd(second, 'big.log')).toBe('Cancelled');
    // The first tab follows the end of the other tab's run while its history is shown.
    await expect.poll(async () => (await readRow(historyRow(first, 'big.log'))).status, { timeout: 15_000 }).toBe('Cancelled');
    expect(errors).toEqual([]);
  });

  test('a schema upgrade in one tab shows a reload prompt in the other instead of breaking it', async () => {
    const [first, second] = context.pages();
    // What a newer Linesight does when it opens the database: a higher version.
    await second.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open('linesight', 1000);
          request.onsuccess = () => {
            request.result.close();
            resolve();
          };
          request.onerror = () => reject(request.error);
        }),
    );
    for (const page of [first, second]) {
      const prompt = page.getByRole('alert').filter({ hasText: 'Linesight was updated in another tab: reload to continue.' });
      await prompt.waitFor();
      expect(await prompt.getByRole('button', { name: 'Reload' }).isVisible()).toBe(true);
    }
    // The page still answers: its views keep working on what is in memory.
    await showSection(first, 'Analyze');
    expect((await readStats(first)).total.linesIn).toBeGreaterThan(0);
  });
});

describe('managing what is kept', () => {
  test('deletes one run, then clears all, each after a confirmation; a reload agrees', async () => {
    app = await openApp();
    const { page } = app;
    for (const name of ['one.log', 'two.log']) {
      await openLog(page, join(tmp.dir, name));
      await runAndKeep(page, name);
    }
    await showSection(page, 'History');
    await historyRow(page, 'one.log').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('group', { name: 'Delete one.log?' }).getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => historyRow(page, 'one.log').count()).toBe(0);
    expect(await historyRow(page, 'two.log').count()).toBe(1);

    await reloadApp(page);
    await showSection(page, 'History');
    expect(await historyRow(page, 'one.log').count()).toBe(0);
    expect(await historyRow(page, 'two.log').count()).toBe(1);

    await page.getByRole('button', { name: 'Clear all runs' }).click();
    await page.getByRole('button', { name: 'Delete all runs' }).click();
    await page.getByText(/^No runs kept yet/).waitFor();
    await reloadApp(page);
    await showSection(page, 'History');
    await page.getByText(/^No runs kept yet/).waitFor();
    expectNoPageErrors(app);
  });

  test('settings persist and apply to the next run: runs kept is enforced on write, a run at full caps opens stats first', async () => {
    app = await openApp();
    const { page } = app;
    await showSection(page, 'Settings');
    // The panel tells what is stored now and whether persistent storage was granted.
    await page.getByText(/the browser allows/).waitFor();
    await page.getByText(/^(Granted|Not granted|Unknown)/).waitFor();
    await page.getByLabel('Runs kept').fill('2');
    await page.getByLabel('Traces per run').fill('20000');
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect(await page.getByRole('alert').filter({ hasText: 'Traces per run must be a whole number from 1 to 10,000.' }).isVisible()).toBe(true);
    await page.getByLabel('Traces per run').fill('10000');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved. The next run keeps this much.').waitFor();

    await reloadApp(page);
    await showSection(page, 'Settings');
    expect(await page.getByLabel('Runs kept').inputValue()).toBe('2');
    expect(await page.getByLabel('Traces per run').inputValue()).toBe('10000');

    // Full caps: every line traced, 10,000 traces kept, 1,000 errors and 5,000 events.
    await showSection(page, 'Analyze');
    await importPipeline(page);
    await page.getByRole('checkbox', { name: 'Trace lines' }).check();
    expect(await page.getByLabel('Traces kept').inputValue()).toBe('10000');
    await page.getByRole('combobox', { name: 'Trace policy' }).selectOption({ label: 'Every line' });
    const full = join(tmp.dir, 'full-caps.log');
    // Every other line fails to parse: 7,000 errors and as many error events, past both caps.
    await writeFile(full, mixedLines(14_000, 2).join('\n') + '\n');
    await openLog(page, full);
    await runAndKeep(page, 'full-caps.log');
    for (const name of ['one.log', 'two.log']) {
      await openLog(page, join(tmp.dir, name));
      await runAndKeep(page, name);
    }
    await showSection(page, 'History');
    // Runs kept 2: the oldest went when the third was stored.
    await expect.poll(() => historyTable(page).getByRole('row').count()).toBe(3);
    expect(await historyRow(page, 'full-caps.log').count()).toBe(0);

    // Again with the full run kept, to open it from IndexedDB. (How fast: bench/stored-run-browser.ts.)
    await page.getByRole('button', { name: 'Clear all runs' }).click();
    await page.getByRole('button', { name: 'Delete all runs' }).click();
    await showSection(page, 'Analyze');
    await openLog(page, full);
    await runAndKeep(page, 'full-caps.log');
    await reloadApp(page);
    await showSection(page, 'History');
    const open = historyRow(page, 'full-caps.log').getByRole('button', { name: 'Open' });
    await open.waitFor();
    // Watched in the page, at every change of the page: the stats table comes while the lists are
    // still being read (from the run's own record), and the lists after.
    const order = await open.evaluate(
      (button) =>
        new Promise<string[]>((resolve) => {
          const seen: string[] = [];
          const look = () => {
            const region = document.querySelector('[aria-label="Stored run"]');
            const stats = [...document.querySelectorAll('caption')].some((c) => c.textContent === 'Processor stats');
            const state = !region || !stats ? 'nothing' : region.textContent?.includes('Reading its journeys') ? 'stats, lists being read' : 'stats and lists';
            if (seen.at(-1) !== state) seen.push(state);
            if (state === 'stats and lists') {
              observer.disconnect();
              resolve(seen);
            }
          };
          const observer = new MutationObserver(look);
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          (button as HTMLButtonElement).click();
        }),
    );
    expect(order.filter((state) => state !== 'nothing')).toEqual(['stats, lists being read', 'stats and lists']);
    await showTab(page, 'Journeys');
    await page.getByRole('region', { name: 'Journeys', exact: true }).getByText('10,000 kept of 14,000 traced').waitFor();
    const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
    expect(report.traces.items).toHaveLength(10_000);
    expect(report.errors.items).toHaveLength(1_000);
    expect(report.events.items).toHaveLength(5_000);
    expect(report.retention.caps.traces).toBe(10_000);
    expect(report.retention.evicted.traces).toBe(4_000);
    expectNoPageErrors(app);
  });

  test('a pipeline saved under a name is there after a reload, to pick or delete', async () => {
    app = await openApp();
    const { page } = app;
    await importPipeline(page);
    await page.getByRole('button', { name: 'Save pipeline as…' }).click();
    await page.getByLabel('Pipeline name').fill('json by level');
    await page.getByRole('button', { name: 'Save pipeline', exact: true }).click();
    await page.getByText('Saved as “json by level”.', { exact: false }).waitFor();

    await reloadApp(page);
    await page.getByText('Applied: Default').waitFor();
    const picker = page.getByRole('combobox', { name: 'Saved pipeline', exact: true });
    await picker.selectOption({ label: 'json by level' });
    await page.getByText('Applied: json by level').waitFor();
    expect(JSON.parse(await page.getByLabel('Pipeline config (JSON)').inputValue())).toEqual(PIPELINE);

    await page.getByRole('group', { name: 'Saved pipelines' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('group', { name: 'Delete saved pipeline' }).getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => picker.locator('option').allTextContents()).toEqual(['None saved yet']);
    expectNoPageErrors(app);
  });
});
