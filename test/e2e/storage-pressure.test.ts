/**
 * Issue 12 end to end: storage under pressure and hostile sizes. The origin's quota filled by
 * another database of the same site (DevTools' Storage.overrideQuotaForOrigin sets a small
 * quota): kept runs stay listed, or their removal is announced by name; no entry is left that
 * claims to be running, every entry can be deleted, "Clear all runs" works. A run larger than
 * the whole storage budget is refused and removes no other run. A report too large to import
 * says so in those words; one with a 190 MiB string opens, the string cut. In a profile whose
 * files live in memory the app says so and offers to turn "Keep output lines" off.
 */
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { generateLog } from '../../bench/generate.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, openApp, type AppSession } from './browser.ts';
import { clickForDownload, downloadText, expectNoPageErrors, openLog, showSection, showTab, tempDir, waitForRunEnd, writeStreamed } from './helpers.ts';

const MiB = 1 << 20;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppSession | undefined;

beforeAll(async () => {
  tmp = await tempDir('storage');
  for (const name of ['one.log', 'two.log', 'three.log']) await writeFile(join(tmp.dir, name), [...generateLog({ lines: 3000, seed: name.length })].join(''));
  for (const name of ['big-one.log', 'big-two.log']) await writeFile(join(tmp.dir, name), [...generateLog({ lines: 12_000, seed: name.length })].join(''));
});

afterAll(async () => {
  await tmp?.remove();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

function historyTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Stored runs' });
}

/** File name and status of every row of the History, newest first. */
async function historyRows(page: Page): Promise<{ file: string; status: string; deletable: boolean }[]> {
  if ((await historyTable(page).count()) === 0) return [];
  return historyTable(page).evaluate((table) =>
    [...(table as HTMLTableElement).tBodies[0].rows].map((tr) => ({
      file: (tr.cells[0].textContent ?? '').trim(),
      status: (tr.cells[4].textContent ?? '').trim(),
      deletable: [...tr.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Delete' && !b.disabled),
    })),
  );
}

/** The note under Export report: how the run was kept, in the app's words. */
function storageNote(page: Page): Locator {
  return page.locator('.storage-note');
}

async function runAndKeep(page: Page, name: string): Promise<void> {
  await openLog(page, join(tmp.dir, name));
  expect(await waitForRunEnd(page, name)).toBe('Completed');
  await page.getByRole('status').filter({ hasText: 'Kept in the history.' }).waitFor();
}

async function traceEveryLine(page: Page, on: boolean): Promise<void> {
  const box = page.getByRole('checkbox', { name: 'Trace lines' });
  if (on) {
    await box.check();
    await page.getByRole('combobox', { name: 'Trace policy' }).selectOption({ label: 'Every line' });
  } else {
    await box.uncheck();
  }
}

/**
 * Opens the app with a small quota for its origin. Chromium takes an override into account only
 * for an origin that has not used storage yet in this browser context: it is set before the
 * first visit.
 */
async function openWithQuota(quotaBytes: number): Promise<AppSession> {
  const session = await openApp({ path: null });
  const cdp = await session.context.newCDPSession(session.page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(session.baseURL).origin, quotaSize: quotaBytes });
  await session.goto('/');
  return session;
}

/** Fills what is left of the origin's quota with another database of the same origin, as another app on the site (or a leftover) would. */
async function fillQuota(app: AppSession): Promise<void> {
  const filled = await app.page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('another-app-of-this-site', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('blobs');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const put = (key: number, size: number) =>
      new Promise<boolean>((resolve) => {
        // Random bytes: nothing a store could compress.
        const bytes = new Uint8Array(size);
        for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65_536)));
        const tx = db.transaction('blobs', 'readwrite');
        tx.objectStore('blobs').put(bytes, key);
        tx.oncomplete = () => resolve(true);
        tx.onabort = () => resolve(false);
      });
    let key = 0;
    // Big pieces first, then small ones: the quota is left with less than 4 KB.
    for (const size of [256 * 1024, 16 * 1024, 4 * 1024]) while (await put(key++, size));
    db.close();
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    return { pieces: key, usage, quota };
  });
  expect(filled.pieces).toBeGreaterThan(3);
}

/** Room for the app, its service worker's cache and a few runs; what is left, another database fills. */
const SMALL_QUOTA = 16 * MiB;

async function clearAll(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Clear all runs' }).click();
  await page.getByRole('button', { name: 'Delete all runs' }).click();
  await page.getByText(/^No runs kept yet/).waitFor();
}

describe('a quota filled by another database of the origin', () => {
  test('keeps the earlier runs when removing them could not make room, says the run is not saved, and leaves no ghost', async () => {
    app = await openWithQuota(SMALL_QUOTA);
    const { page } = app;
    await runAndKeep(page, 'one.log');
    await runAndKeep(page, 'two.log');
    await fillQuota(app);

    // Every line traced: the new run needs far more room than the two small runs free.
    await traceEveryLine(page, true);
    await openLog(page, join(tmp.dir, 'three.log'));
    expect(await waitForRunEnd(page, 'three.log')).toBe('Completed');
    await storageNote(page).filter({ hasText: 'Storage is full: this run was not saved, and no kept run was removed for it.' }).waitFor();

    for (const reload of [false, true]) {
      if (reload) await page.reload({ waitUntil: 'networkidle' });
      await showSection(page, 'History');
      await expect.poll(() => historyRows(page)).toEqual([
        { file: 'two.log', status: 'Completed', deletable: true },
        { file: 'one.log', status: 'Completed', deletable: true },
      ]);
    }
    await clearAll(page);
    expectNoPageErrors(app);
  });

  test('removes the oldest run, and only it, when that makes room for the new one, and names it', async () => {
    // The earlier runs keep 10,000 traces each, about 4 MB: far more than the new, untraced run
    // needs, and than the browser's own accounting wavers by (it may count up to a MB it has freed).
    app = await openWithQuota(SMALL_QUOTA + 8 * MiB);
    const { page } = app;
    await traceEveryLine(page, true);
    await page.getByLabel('Traces kept').fill('10000');
    await runAndKeep(page, 'big-one.log');
    await runAndKeep(page, 'big-two.log');
    await fillQuota(app);

    await traceEveryLine(page, false);
    await openLog(page, join(tmp.dir, 'three.log'));
    expect(await waitForRunEnd(page, 'three.log')).toBe('Completed');
    const note = storageNote(page).filter({ hasText: /Kept in the history\.|not saved/ });
    await note.waitFor();
    expect(await note.innerText()).toMatch(/^Kept in the history\. /);
    expect(await note.innerText()).toMatch(
      /Storage is full: to make room for this run, Linesight removed an older run from the history: big-one\.log \(started \d{4}-\d\d-\d\d \d\d:\d\d\)\./,
    );

    await showSection(page, 'History');
    await expect.poll(() => historyRows(page)).toEqual([
      { file: 'three.log', status: 'Completed', deletable: true },
      { file: 'big-two.log', status: 'Completed', deletable: true },
    ]);
    expect(await page.getByRole('status').filter({ hasText: 'A run was removed from the history to make room for newer ones:' }).innerText()).toMatch(
      /big-one\.log \(started [\d-]+ [\d:]+, the storage was full\)/,
    );
    await page.reload({ waitUntil: 'networkidle' });
    await showSection(page, 'History');
    await expect.poll(() => historyRows(page)).toEqual([
      { file: 'three.log', status: 'Completed', deletable: true },
      { file: 'big-two.log', status: 'Completed', deletable: true },
    ]);
    await clearAll(page);
    expectNoPageErrors(app);
  });
});

describe('the storage budget', () => {
  test('a run larger than the whole budget is refused and evicts no other run', async () => {
    app = await openApp();
    const { page } = app;
    await runAndKeep(page, 'one.log');
    await runAndKeep(page, 'two.log');
    await showSection(page, 'Settings');
    await page.getByLabel('Storage budget (MB)').fill('10');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved. The next run keeps this much.').waitFor();
    await showSection(page, 'Analyze');

    // 2,000 lines of 4.2 KB, each traced and changed twice: about 25 MB of traces, past 10 MB.
    await page.getByLabel('Pipeline config (JSON)').fill(JSON.stringify({ processors: [{ type: 'uppercase' }, { type: 'lowercase' }] }));
    await page.getByRole('button', { name: 'Apply pipeline' }).click();
    await page.getByText('Applied: Edited config').waitFor();
    await traceEveryLine(page, true);
    await page.getByLabel('Traces kept').fill('2000');
    const big = join(tmp.dir, 'big-traces.log');
    const line = `2024-03-14 08:00:00 INFO ${'wide '.repeat(840)}\n`;
    await writeStreamed(big, (function* () {
      for (let i = 0; i < 2000; i++) yield line;
    })());
    await openLog(page, big);
    expect(await waitForRunEnd(page, 'big-traces.log')).toBe('Completed');
    await storageNote(page).filter({ hasText: /^This run takes more than the whole storage budget \(about [\d.]+ MB of 10\.0 MB\): it goes on without being saved, and no other run was removed for it\./ }).waitFor();

    await showSection(page, 'History');
    await expect.poll(() => historyRows(page)).toEqual([
      { file: 'two.log', status: 'Completed', deletable: true },
      { file: 'one.log', status: 'Completed', deletable: true },
    ]);
    expectNoPageErrors(app);
  });
});

describe('reports too large to show', () => {
  test('a report over 200 MB is refused in those words, without being read', async () => {
    app = await openApp();
    const { page } = app;
    // 1.07 GB of which only the head is written: the rest is a hole in the file.
    const path = join(tmp.dir, 'linesight-report-huge.json');
    const file = await open(path, 'w');
    await file.write('{"schema": "linesight.report/v1", "run": {"message": "');
    await file.truncate(Math.floor(1.07 * 1024 ** 3));
    await file.close();
    await page.getByLabel('Import report').setInputFiles(path);
    const alert = page.getByRole('alert').filter({ hasText: 'cannot be imported' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('linesight-report-huge.json cannot be imported: this report is 1.07 GB; Linesight imports reports up to 200 MB.');
    expect(await page.getByText('Imported report · read-only').count()).toBe(0);
    expectNoPageErrors(app);
  });

  test('a 199 MB report with one 190 MiB string opens, the string cut and the cut told', async () => {
    app = await openApp();
    const { page } = app;
    await runAndKeep(page, 'one.log');
    const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
    report.run.message = '@@BIG@@';
    const [head, tail] = JSON.stringify(report).split('@@BIG@@');
    const path = join(tmp.dir, 'linesight-report-long.json');
    const block = Buffer.alloc(MiB, 'm');
    await writeStreamed(path, (function* () {
      yield head;
      for (let i = 0; i < 190; i++) yield block;
      yield tail;
    })());
    await page.getByLabel('Import report').setInputFiles(path);
    await page.getByText('Imported report · read-only').waitFor({ timeout: 60_000 });
    await page.getByRole('alert').filter({ hasText: 'linesight-report-long.json: 1 text was longer than Linesight keeps and is shown cut.' }).waitFor();
    const bar = page.getByRole('region', { name: 'Imported report' });
    const note = await bar.locator('.note').innerText();
    expect(note.startsWith('m'.repeat(4096) + '… [cut: 199,229,440 characters in all]')).toBe(true);
    await showTab(page, 'Events');
    await page.getByRole('region', { name: 'Events', exact: true }).waitFor();
    expectNoPageErrors(app);
  });
});

describe('a profile that keeps files in memory', () => {
  test('says so and offers to turn "Keep output lines" off; on disk it says nothing', async () => {
    // A non-persistent context keeps OPFS and IndexedDB in memory, as a private window does.
    app = await openApp();
    const keep = app.page.getByLabel('Keep output lines');
    const note = app.page.getByRole('status').filter({ hasText: 'This browser keeps Linesight’s files in memory, not on disk (a private window?)' });
    await note.waitFor();
    expect(await keep.isChecked()).toBe(true);
    await note.getByRole('button', { name: 'Turn off Keep output lines' }).click();
    expect(await keep.isChecked()).toBe(false);
    await expect.poll(() => note.count()).toBe(0);
    await showSection(app.page, 'Settings');
    await app.page.getByText(/^In memory, not on disk \(a private window\?\)/).waitFor();
    expectNoPageErrors(app);
    await app.close();
    app = undefined;

    const profile = await tempDir('storage-profile');
    let context: BrowserContext | undefined;
    try {
      context = await chromium.launchPersistentContext(profile.dir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, acceptDownloads: true });
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(inject('baseURL'), { waitUntil: 'networkidle' });
      // A run with Keep output lines on asks where files go before it starts: by its end the answer is in.
      await openLog(page, join(tmp.dir, 'one.log'));
      expect(await waitForRunEnd(page, 'one.log')).toBe('Completed');
      await page.getByText(/^Output kept: [\d,]+ lines?/).waitFor();
      expect(await page.getByText(/keeps Linesight’s files in memory/).count()).toBe(0);
    } finally {
      await context?.close();
      await profile.remove();
    }
  });
});
