/**
 * What the end-to-end tests do the way a person does: pick files with the labelled inputs,
 * watch the status chip, read the "Processor stats" table, click the download buttons.
 * Only accessible names and roles are used to find things, so these helpers break when a
 * screen reader user would be lost too.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Download, Locator, Page } from 'playwright-core';
import type { AppSession } from './browser.ts';

export const TERMINAL_STATUSES = ['Completed', 'Cancelled', 'Failed'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

/** Column headers of the stats table, in order (DESIGN.md: a contract for tests and screen readers). */
export const STATS_COLUMNS = ['Processor', 'Lines in', 'Lines out', 'Dropped', 'Errors', 'Time (ms)'];

export interface StatsRow {
  /** The row header as read: "<id> <type>". */
  processor: string;
  linesIn: number;
  linesOut: number;
  dropped: number;
  errors: number;
  timeMs: number;
}

export interface StatsView {
  columns: string[];
  rows: StatsRow[];
  /** The "Total" row at the foot of the table. */
  total: StatsRow;
}

/** The region the progress, status chip and Cancel button live in. */
export function runRegion(page: Page): Locator {
  return page.getByRole('region', { name: 'Run' });
}

export function statsTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Processor stats' });
}

/** "1,234" -> 1234; "12.5" -> 12.5. Anything else is a test failure, not NaN. */
export function parseFigure(text: string): number {
  const cleaned = text.trim().replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(cleaned)) throw new Error(`not a figure: ${JSON.stringify(text)}`);
  return Number(cleaned);
}

function toRow(cells: string[]): StatsRow {
  const [processor, linesIn, linesOut, dropped, errors, timeMs] = cells;
  return {
    processor: processor.replace(/\s+/g, ' ').trim(),
    linesIn: parseFigure(linesIn),
    linesOut: parseFigure(linesOut),
    dropped: parseFigure(dropped),
    errors: parseFigure(errors),
    timeMs: parseFigure(timeMs),
  };
}

/** Reads the whole table in one round trip, so the figures all come from the same render. */
export async function readStats(page: Page): Promise<StatsView> {
  const table = statsTable(page);
  // textContent, not innerText: the headers are upper-cased by CSS only.
  const columns = (await table.getByRole('columnheader').allTextContents()).map((t) => t.trim());
  const { body, foot } = await table.evaluate((element) => {
    const t = element as HTMLTableElement;
    const cells = (row: HTMLTableRowElement) => [...row.cells].map((cell) => cell.textContent ?? '');
    return { body: [...t.tBodies[0].rows].map(cells), foot: t.tFoot ? [...t.tFoot.rows].map(cells) : [] };
  });
  expect(foot, 'the stats table has one Total row').toHaveLength(1);
  expect(foot[0][0].trim()).toBe('Total');
  return { columns, rows: body.map(toRow), total: toRow(foot[0]) };
}

/** A figure of the progress panel by its term: "Read", "Lines", "Speed", "Elapsed", "Time left". */
export function progressFigure(page: Page, term: string): Locator {
  return runRegion(page)
    .getByRole('term')
    .filter({ hasText: new RegExp(`^\\s*${term}\\s*$`) })
    .locator('xpath=following-sibling::dd[1]');
}

/** Neither an uncaught exception nor a console error happened in the page during the test. */
export function expectNoPageErrors(app: AppSession): void {
  expect(app.pageErrors, 'uncaught errors in the page').toEqual([]);
  expect(app.consoleErrors, 'console errors in the page').toEqual([]);
}

/** What the status chip says now. */
export async function statusText(page: Page): Promise<string> {
  return ((await runRegion(page).getByRole('status').textContent()) ?? '').trim();
}

/**
 * Waits until the run of `fileName` has ended and returns how it ended. The file name matters:
 * right after a second file is picked the chip may still show the first run's "Completed".
 */
export async function waitForRunEnd(page: Page, fileName: string, timeout = 60_000): Promise<TerminalStatus> {
  const region = runRegion(page);
  await region.getByRole('heading', { name: fileName, exact: true }).waitFor({ timeout });
  await region
    .getByRole('status')
    .filter({ hasText: new RegExp(`^\\s*(${TERMINAL_STATUSES.join('|')})\\s*$`) })
    .waitFor({ timeout });
  return (await statusText(page)) as TerminalStatus;
}

/** Picks a file with the input labelled "Open log file" (a path is handed over, not copied). */
export async function openLog(page: Page, path: string): Promise<void> {
  await page.getByLabel('Open log file').setInputFiles(path);
}

/** Clicks a button and returns the download it starts. */
export async function clickForDownload(page: Page, buttonName: string): Promise<Download> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30_000 }),
    page.getByRole('button', { name: buttonName, exact: true }).click(),
  ]);
  const failure = await download.failure();
  if (failure) throw new Error(`the download of ${download.suggestedFilename()} failed: ${failure}`);
  return download;
}

export async function downloadText(download: Download): Promise<string> {
  return readFile(await download.path(), 'utf8');
}

/** A private temporary directory, removed with everything in it by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `linesight-e2e-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Writes parts to a file through a stream, honouring backpressure, so a file of hundreds of MB
 * never sits in the test's memory. Parts may be repeated: the same Buffer can be yielded again.
 */
export async function writeStreamed(path: string, parts: Iterable<Buffer | string>): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const done = new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.once('finish', resolve);
  });
  for (const part of parts) {
    bytes += typeof part === 'string' ? Buffer.byteLength(part) : part.length;
    if (!out.write(part)) await new Promise<void>((resolve) => out.once('drain', resolve));
  }
  out.end();
  await done;
  return bytes;
}

/** Splits text the way the app counts lines: LF or CRLF; a last line without newline counts. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The names of the run views' tabs, in order. */
export const RUN_TABS = ['Stats', 'Charts', 'Graph', 'Journeys', 'Errors', 'Events', 'Alerts', 'Processors'] as const;

/** Selects a tab of the run views and waits until it says it is selected. */
export async function showTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.click();
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
}

/** Shows a section of the page (the navigation labelled "Sections") and waits until it is current. */
export async function showSection(page: Page, name: 'Analyze' | 'History' | 'Settings'): Promise<void> {
  const button = page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  await button.click();
  await expect.poll(() => button.getAttribute('aria-current')).toBe('page');
}

/**
 * Resolves once the service worker is active, i.e. its install has precached the whole app.
 * The page that registered it stays uncontrolled (registerType 'prompt' claims no clients):
 * the next navigation is the first one it serves.
 */
export async function serviceWorkerReady(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
}

/** The runs kept in the app's IndexedDB, as the page reads them: file, status and lines saved by the last checkpoint. */
export function storedRuns(page: Page): Promise<{ fileName: string; status: string; linesRead: number }[]> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('linesight');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('runs').objectStore('runs').getAll();
          all.onsuccess = () => {
            resolve(all.result.map(({ fileName, status, linesRead }) => ({ fileName, status, linesRead })));
            db.close();
          };
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Top-level tasks of renderer main threads in a Chromium trace: wall and CPU time, µs. */
function mainThreadTasks(trace: { traceEvents?: TraceEvent[] } | TraceEvent[]): { wall: number; cpu: number }[] {
  const events = Array.isArray(trace) ? trace : (trace.traceEvents ?? []);
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  return events
    .filter((e) => e.ph === 'X' && e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ wall: e.dur ?? 0, cpu: e.tdur ?? e.dur ?? 0 }));
}

/** Main-thread tasks (wall and CPU time, µs) while `during` runs, from Chromium's own trace. */
export async function traceMainThread(app: AppSession, during: () => Promise<void>): Promise<{ wall: number; cpu: number }[]> {
  await app.browser.startTracing(app.page, { categories: ['disabled-by-default-devtools.timeline'] });
  let trace: Buffer;
  try {
    await during();
  } finally {
    // Stopped whatever happened: a browser left tracing cannot trace the next test.
    trace = await app.browser.stopTracing();
  }
  return mainThreadTasks(JSON.parse(trace.toString('utf8')));
}
