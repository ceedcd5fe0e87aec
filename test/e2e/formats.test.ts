/**
 * The log format of a run: detected on a log in HDFS's layout (made by test/fixtures/logs.ts),
 * then chosen from the "Log format" list and the same file re-run with it; a custom format added
 * in Settings, kept across a reload, detected on a log in a made-up layout.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { madeLog } from '../fixtures/logs.ts';
import { openApp, reloadApp, type AppSession } from './browser.ts';
import { expectNoPageErrors, openLog, parseFigure, runRegion, statusText, tempDir, TERMINAL_STATUSES, waitForRunEnd } from './helpers.ts';

let app: AppSession | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('a log in HDFS’s layout is detected as HDFS; re-run as syslog, its lines are counted as not fitting', async () => {
  const made = madeLog();
  const lines = made.lines.length;
  const tmp = await tempDir('formats-hdfs');
  try {
    const log = join(tmp.dir, 'hdfs.log');
    await writeFile(log, made.bytes);

    app = await openApp();
    const { page } = app;
    const run = runRegion(page);
    // The default pipeline parses first, detecting the format.
    await openLog(page, log);
    expect(await waitForRunEnd(page, 'hdfs.log')).toBe('Completed');
    const detected = run.getByText(/^Format: HDFS.*\(detected, \d+%\)$/);
    await detected.waitFor();
    expect(await run.getByText(/did not fit/).count()).toBe(0);

    await page.getByLabel('Log format').selectOption('syslog');
    await run.getByRole('button', { name: 'Re-run with this format' }).click();
    const chosen = run.getByText(/^Format: Syslog.*\(chosen\)$/);
    await chosen.waitFor({ timeout: 60_000 });
    await expect.poll(() => statusText(page), { timeout: 60_000 }).toMatch(new RegExp(`^(${TERMINAL_STATUSES.join('|')})$`));
    expect(await statusText(page)).toBe('Completed');
    const unfit = await run.getByText(/lines did not fit \(kept as plain text\)$/).textContent();
    const count = parseFigure((unfit ?? '').replace(/ lines did not fit.*$/, ''));
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(lines);
    expectNoPageErrors(app);
  } finally {
    await tmp.remove();
  }
});

/** A layout no built-in format reads: `~ 14.03.2024|08:00:01.250 ~ W ~ cart ~ message`. */
const TILDE_PATTERN = '^~ (?<timestamp>\\d\\d\\.\\d\\d\\.\\d{4}\\|\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ~ (?<level>[A-Z]) ~ (?<component>\\w+) ~ (?<message>.*)$';
const TILDE_LAYOUT = 'dd.MM.yyyy|HH:mm:ss.SSS';
/** Lines per level letter in the fixture, and the level each letter means. */
const LEVEL_LINES = { I: { level: 'INFO', lines: 17 }, W: { level: 'WARN', lines: 6 }, E: { level: 'ERROR', lines: 4 }, D: { level: 'DEBUG', lines: 3 } };

function tildeLog(): string {
  // Round robin over the letters, so no level comes in one block.
  const left = Object.entries(LEVEL_LINES).map(([letter, { lines }]) => ({ letter, lines }));
  const letters: string[] = [];
  while (left.some((l) => l.lines > 0)) for (const l of left) if (l.lines-- > 0) letters.push(l.letter);
  return letters.map((letter, i) => `~ 14.03.2024|08:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.250 ~ ${letter} ~ shop ~ event ${i}\n`).join('');
}

async function showSection(page: Page, name: 'Analyze' | 'Settings'): Promise<void> {
  const button = page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  await button.click();
  await expect.poll(() => button.getAttribute('aria-current')).toBe('page');
}

/** A value of the app's key-value `settings` store in IndexedDB, as the page reads it. */
function storedSetting(page: Page, key: string): Promise<unknown> {
  return page.evaluate(
    (key) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('linesight');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction('settings').objectStore('settings').get(key);
          get.onsuccess = () => {
            resolve(get.result);
            db.close();
          };
          get.onerror = () => reject(get.error);
        };
      }),
    key,
  );
}

/** The rows of a counter's table (its caption is the counter's id): key -> count. */
async function counterCounts(page: Page, counter: string): Promise<Record<string, number>> {
  const rows = await page.getByRole('table', { name: counter }).evaluate((table) =>
    [...(table as HTMLTableElement).tBodies[0].rows].map((row) => [row.cells[0].textContent ?? '', row.cells[1].textContent ?? '']),
  );
  return Object.fromEntries(rows.map(([key, count]) => [key.trim(), parseFigure(count)]));
}

test('a custom format added in Settings survives a reload and is detected, with its levels', async () => {
  const tmp = await tempDir('formats');
  try {
    const log = join(tmp.dir, 'tilde.log');
    await writeFile(log, tildeLog());

    app = await openApp();
    const { page } = app;
    await showSection(page, 'Settings');
    const editor = page.getByRole('region', { name: 'Custom formats' });
    await editor.getByLabel('Name', { exact: true }).fill('Tilde service');
    await editor.getByLabel('Pattern', { exact: true }).fill(TILDE_PATTERN);
    await editor.getByLabel('Timestamp layout').fill(TILDE_LAYOUT);
    await editor.getByLabel('Sample lines').fill(tildeLog().split('\n').slice(0, 2).join('\n'));
    // The live preview reads the sample before anything is saved.
    const preview = editor.getByRole('region', { name: 'Preview' });
    await preview.getByText('2 of 2 sample lines fit.', { exact: false }).waitFor();
    await expect.poll(() => preview.getByRole('listitem').first().textContent()).toContain('2024-03-14T08:00:00.250Z');
    await editor.getByRole('button', { name: 'Save format' }).click();
    await editor.getByText('Saved “Tilde service”.', { exact: false }).waitFor();

    await reloadApp(page);
    await showSection(page, 'Settings');
    await page.getByRole('list', { name: 'Saved custom formats' }).getByText('Tilde service').waitFor();
    await showSection(page, 'Analyze');
    expect(await page.getByLabel('Log format').locator('optgroup[label="Custom"] option').allTextContents()).toEqual(['Tilde service']);

    await openLog(page, log);
    expect(await waitForRunEnd(page, 'tilde.log')).toBe('Completed');
    await runRegion(page).getByText('Format: Tilde service (detected, 100%)', { exact: true }).waitFor();
    expect(await runRegion(page).getByText(/did not fit/).count()).toBe(0);
    const expected = Object.fromEntries(Object.values(LEVEL_LINES).map(({ level, lines }) => [level, lines]));
    await expect.poll(() => counterCounts(page, 'by_level')).toEqual(expected);

    // The Log format choice is remembered too.
    await page.getByLabel('Log format').selectOption({ label: 'Tilde service' });
    // Written a moment after the pick: a reload sooner than a person could make would lose it.
    await expect.poll(() => storedSetting(page, 'formatChoice')).toMatchObject({ format: 'tilde-service' });
    await reloadApp(page);
    await expect.poll(() => page.getByLabel('Log format').inputValue()).toBe('tilde-service');
    expectNoPageErrors(app);
  } finally {
    await tmp.remove();
  }
});

test('a pattern that backtracks catastrophically is stopped in its worker: the page answers, the editor says why and will not save it', async () => {
  app = await openApp();
  const { page } = app;
  await showSection(page, 'Settings');
  const editor = page.getByRole('region', { name: 'Custom formats' });
  const previewWorkers = () => page.workers().filter((worker) => /\/preview-[^/]*\.js$/.test(worker.url()));
  await editor.getByLabel('Name', { exact: true }).fill('Words');
  await editor.getByLabel('Pattern', { exact: true }).fill('^(?<message>(\\w+\\s?)+)$');
  // The "!" fails every one of the 2^33 ways to split the word: minutes of backtracking, which
  // on the page's thread would freeze the tab.
  await editor.getByLabel('Sample lines').fill(`${'a'.repeat(34)}!`);
  // The pattern runs in the preview worker once it has started; the page answers meanwhile: another control works.
  await expect.poll(() => previewWorkers().length, { timeout: 30_000 }).toBe(1);
  await editor.getByText('Import or paste JSON').click();
  expect(await editor.locator('details').evaluate((details) => (details as HTMLDetailsElement).open)).toBe(true);

  const problems = editor.getByRole('status', { name: 'Problems with this format' });
  await problems.getByText(/^pattern: took longer than 1\.5 s on these sample lines — it may backtrack catastrophically/).waitFor();
  expect(await editor.getByRole('region', { name: 'Preview' }).getByText('Fix the problems above', { exact: false }).count()).toBe(1);
  // Its worker was terminated (a thread stuck in a regex takes a moment to stop).
  await expect.poll(() => previewWorkers().length, { timeout: 30_000 }).toBe(0);

  await editor.getByRole('button', { name: 'Save format' }).click();
  await editor.getByRole('alert', { name: 'Problems with this format' }).getByText(/cannot be saved as it is/).waitFor();
  expect(await page.getByRole('list', { name: 'Saved custom formats' }).count()).toBe(0);

  // A simpler pattern previews again, in a new worker, and saves.
  await editor.getByLabel('Pattern', { exact: true }).fill('^(?<message>[\\w\\s]+)!$');
  await editor.getByRole('region', { name: 'Preview' }).getByText('1 of 1 sample line fits.', { exact: false }).waitFor();
  expect(previewWorkers()).toHaveLength(1);
  await editor.getByRole('button', { name: 'Save format' }).click();
  await editor.getByText('Saved “Words”.', { exact: false }).waitFor();
  expectNoPageErrors(app);
});
