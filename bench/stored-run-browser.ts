/**
 * How fast a stored run opens from the History in real Chromium, at full caps: 10,000 traces,
 * 1,000 errors and 5,000 events. The built app keeps one such run (every line of a 14,000-line
 * log traced, every other line failing to parse), then the page is reloaded before each opening
 * and the click on Open is timed in the page, to the frame that shows the stats (drawn from the
 * run's own record) and to the frame once its journeys, errors and events are read as well.
 *
 *   npx tsx bench/stored-run-browser.ts              # 5 openings (after one untimed)
 *   npx tsx bench/stored-run-browser.ts --runs 9
 *
 * Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBuiltApp, median } from './browser-app.ts';
import { JSON_ROUTED_BY_LEVEL as PIPELINE } from '../test/fixtures/pipelines.ts';

const CAPS = { traces: 10_000, errors: 1_000, events: 5_000 };
const LINES = 14_000;

/** JSON lines of every level, every other one plain text that `parse` fails on: 7,000 errors, as many error events. */
function mixedLines(count: number): string {
  const levels = ['info', 'debug', 'warn', 'error', 'info', 'fatal'];
  let text = '';
  for (let i = 1; i <= count; i++) {
    const second = String(i % 60).padStart(2, '0');
    text += i % 2 === 1 ? `2024-03-14 08:01:${second} ERROR plain line ${i} is not JSON\n` : `${JSON.stringify({ ts: `2024-03-14T08:01:${second}Z`, level: levels[i % levels.length], msg: `request ${i}`, id: i })}\n`;
  }
  return text;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
  const app = await launchBuiltApp();
  try {
    const context = await app.browser.newContext();
    // tsx keeps function names with an `__name` helper, which code sent to the page must find there.
    await context.addInitScript('globalThis.__name = (f) => f;');
    const page = await context.newPage();
    await page.goto(app.url, { waitUntil: 'networkidle' });
    await keepFullRun(page, app.dir);
    const stored = await storedCounts(page);
    if (stored.traces !== CAPS.traces || stored.errors !== CAPS.errors || stored.events !== CAPS.events) {
      throw new Error(`the stored run is not at full caps: ${JSON.stringify(stored)}`);
    }

    await openTimed(page); // untimed: the first read of the database and of the views' code
    const timings: Timing[] = [];
    for (let i = 0; i < runs; i++) timings.push(await openTimed(page));
    const stats = timings.map((t) => t.statsMs);
    const all = timings.map((t) => t.allMs);
    const range = (values: number[]) => `${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}`;
    console.log('Opening a stored run from the History in Chromium (the built app, real IndexedDB), page reloaded before each opening.');
    console.log(`run kept: ${LINES.toLocaleString('en-US')} lines, ${stored.traces.toLocaleString('en-US')} traces, ${stored.errors.toLocaleString('en-US')} errors, ${stored.events.toLocaleString('en-US')} events; ${runs} opening(s), timed in the page from the click on Open`);
    console.log(`${'Open → stats drawn (from the run\'s record)'.padEnd(52)} median ${median(stats).toFixed(0).padStart(5)} ms  (${range(stats)})`);
    console.log(`${'Open → everything read (journeys, errors, events)'.padEnd(52)} median ${median(all).toFixed(0).padStart(5)} ms  (${range(all)})`);
  } finally {
    await app.close();
  }
}

/** Settings at full caps, every line traced, one run of the mixed log kept in the history. */
async function keepFullRun(page: Page, dir: string): Promise<void> {
  await section(page, 'Settings');
  await page.getByLabel('Traces per run').fill(String(CAPS.traces));
  await page.getByLabel('Errors per run').fill(String(CAPS.errors));
  await page.getByLabel('Events per run').fill(String(CAPS.events));
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByText('Saved. The next run keeps this much.').waitFor();
  await section(page, 'Analyze');
  const pipelineFile = join(dir, 'pipeline.json');
  await writeFile(pipelineFile, JSON.stringify(PIPELINE));
  await page.getByLabel('Import pipeline').setInputFiles(pipelineFile);
  await page.getByText('Applied: pipeline.json').waitFor();
  await page.getByRole('checkbox', { name: 'Keep output lines' }).uncheck();
  await page.getByRole('checkbox', { name: 'Trace lines' }).check();
  await page.getByRole('combobox', { name: 'Trace policy' }).selectOption({ label: 'Every line' });
  const log = join(dir, 'full-caps.log');
  await writeFile(log, mixedLines(LINES));
  await page.getByLabel('Open log file').setInputFiles(log);
  const region = page.getByRole('region', { name: 'Run', exact: true });
  await region.getByRole('heading', { name: 'full-caps.log', exact: true }).waitFor();
  await region.getByRole('status').filter({ hasText: /^\s*Completed\s*$/ }).waitFor({ timeout: 120_000 });
  await page.getByRole('status').filter({ hasText: 'Kept in the history.' }).waitFor({ timeout: 60_000 });
}

/** Rows of the kept run's lists, counted in IndexedDB itself. */
function storedCounts(page: Page): Promise<Record<'traces' | 'errors' | 'events', number>> {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const request = indexedDB.open('linesight');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction(['traces', 'errors', 'events']);
          const counts = { traces: 0, errors: 0, events: 0 };
          for (const kind of ['traces', 'errors', 'events'] as const) {
            const count = tx.objectStore(kind).count();
            count.onsuccess = () => (counts[kind] = count.result);
          }
          tx.oncomplete = () => {
            db.close();
            resolve(counts);
          };
        };
      }),
  );
}

interface Timing {
  statsMs: number;
  allMs: number;
}

/** Reloads, shows the History, and times the click on Open in the page, frame by frame. */
async function openTimed(page: Page): Promise<Timing> {
  await page.reload({ waitUntil: 'networkidle' });
  await section(page, 'History');
  const open = page.getByRole('table', { name: 'Stored runs' }).getByRole('button', { name: 'Open' });
  await open.waitFor();
  return open.evaluate(
    (button) =>
      new Promise<Timing>((resolve) => {
        const started = performance.now();
        let statsMs = 0;
        (button as HTMLButtonElement).click();
        const check = () => {
          const region = document.querySelector('[aria-label="Stored run"]');
          const stats = [...document.querySelectorAll('caption')].some((c) => c.textContent === 'Processor stats');
          if (!statsMs && region && stats) statsMs = performance.now() - started;
          const reading = region?.textContent?.includes('Reading its journeys');
          if (statsMs && !reading) resolve({ statsMs, allMs: performance.now() - started });
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
  );
}

async function section(page: Page, name: 'Analyze' | 'History' | 'Settings'): Promise<void> {
  const button = page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
  await button.click();
  await page.waitForFunction((el) => el?.getAttribute('aria-current') === 'page', await button.elementHandle());
}

await main();
