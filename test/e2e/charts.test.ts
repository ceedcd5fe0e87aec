/**
 * Issue 5 end to end: logs run through the app, the report's `levels` and `timeRange` checked
 * against what is known of each log without the app (how the made log was written; the
 * ground-truth CSV of the real Loghub samples), never against the app's own figures; the Charts
 * tab draws its charts, the header shows the health; a click on a bar of the levels chart
 * filters the journeys to that bucket of log time; and a run of a few seconds leaves no long
 * task (≥ 50 ms) on the main thread while the charts update live.
 *
 * The Loghub samples are read from ../shared/data/loghub at test time, never copied into the
 * project; their tests carry the `loghub` tag and skip without them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { writeLog } from '../../bench/generate.ts';
import { LOGHUB_DIR, readLoghubStructured } from '../engine/processors/loghub.ts';
import { madeLog } from '../fixtures/logs.ts';
import { openApp, type AppSession } from './browser.ts';
import { clickForDownload, downloadText, expectNoPageErrors, openLog, tempDir, traceMainThread, waitForRunEnd } from './helpers.ts';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'UNKNOWN'] as const;

/** What is known of a log without the app: the level and the time (epoch ms) of each line. */
interface Truth {
  levels: Record<(typeof LEVELS)[number], number>;
  times: number[];
}

interface Sample {
  name: string;
  file: string;
  tags: 'loghub'[];
  path: () => string;
  truth: () => Truth;
}

/** Levels counted the way the app names them (WARNING is WARN). */
function truthOf(levels: readonly string[], times: number[]): Truth {
  const counts = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Truth['levels'];
  for (const level of levels) counts[(level === 'WARNING' ? 'WARN' : level) as keyof typeof counts]++;
  return { levels: counts, times };
}

/** A Loghub sample with a level and a full date and time on every CSV row, and how a row's time reads in ISO (UTC: the app reads zoneless times as UTC). */
function loghubSample(name: string, iso: (row: Record<string, string>) => string): Sample {
  return {
    name,
    file: `${name}_2k.log`,
    tags: ['loghub'],
    path: () => join(LOGHUB_DIR, name, `${name}_2k.log`),
    truth: () => {
      const rows = readLoghubStructured(name);
      return truthOf(rows.map((r) => r.Level), rows.map((r) => Date.parse(iso(r))));
    },
  };
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
const made = madeLog();
/** The made log (HDFS's layout, CRLF, as the HDFS sample), which every checkout has. */
const MADE: Sample = { name: 'A made log', file: 'made.log', tags: [], path: () => join(tmp.dir, 'made.log'), truth: () => truthOf(made.levels, made.times) };

const SAMPLES: Sample[] = [
  MADE,
  loghubSample('HDFS', (r) => `20${r.Date.slice(0, 2)}-${r.Date.slice(2, 4)}-${r.Date.slice(4, 6)}T${r.Time.slice(0, 2)}:${r.Time.slice(2, 4)}:${r.Time.slice(4, 6)}.000Z`),
  loghubSample('Zookeeper', (r) => `${r.Date}T${r.Time.replace(',', '.')}Z`),
];

beforeAll(async () => {
  tmp = await tempDir('charts');
  await writeFile(MADE.path(), made.bytes);
});

afterAll(async () => {
  await tmp?.remove();
});

async function showTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.click();
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
}

let app: AppSession | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('levels and time range of real logs, and the Charts tab', () => {
  for (const sample of SAMPLES) {
    test(`${sample.name}: the report's levels and timeRange equal the truth; the Charts tab draws its charts`, { tags: sample.tags }, async () => {
      const { levels: truthLevels, times } = sample.truth();
      expect(times.every(Number.isFinite)).toBe(true);

      app = await openApp();
      const { page } = app;
      await openLog(page, sample.path());
      expect(await waitForRunEnd(page, sample.file)).toBe('Completed');

      const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
      expect(report.levels).toEqual(truthLevels);
      expect(report.timeRange).toEqual({
        start: new Date(Math.min(...times)).toISOString(),
        end: new Date(Math.max(...times)).toISOString(),
      });
      expect(report.timeline.buckets.length).toBeGreaterThan(0);
      for (const p of report.processors) expect(p).toMatchObject({ p50Us: expect.any(Number), p95Us: expect.any(Number), p99Us: expect.any(Number), utilization: expect.any(Number) });
      expect(['HEALTHY', 'DEGRADED', 'UNHEALTHY']).toContain(report.health.status);

      // The header's health badge names the report's status, and opens the charts.
      const badge = page.getByRole('button', { name: `Health: ${report.health.status}` });
      await badge.click();
      await expect.poll(() => page.getByRole('tab', { name: 'Charts', exact: true }).getAttribute('aria-selected')).toBe('true');
      const panel = page.getByRole('tabpanel', { name: 'Charts' });
      await panel.getByRole('region', { name: 'Health' }).waitFor();
      for (const label of [
        'Throughput over the run: lines per second and MB per second',
        `Lines per level per`,
        'p95 of time per line per processor over the run',
      ]) {
        const figure = panel.getByRole('figure', { name: new RegExp(`^${label}`) });
        await figure.waitFor();
        expect(await figure.locator('canvas').count(), `${label}: a canvas`).toBe(1);
      }
      const levels = panel.getByRole('region', { name: 'Levels over the log’s time' });
      const facts = await levels.innerText();
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      expect(facts).toContain(`From ${day(Math.min(...times))}`);
      expect(facts).toMatch(/UTC/);
      expect(facts).toMatch(/1 bar = \d+ (s|min|h|d|w)/);
      // The canvas has been drawn on: not blank.
      const painted = await levels.locator('canvas').evaluate((canvas) => {
        const c = canvas as HTMLCanvasElement;
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
        return inked;
      });
      expect(painted).toBeGreaterThan(1000);
      expectNoPageErrors(app);
    });
  }

  test('a click on a bar of the levels chart filters the journeys to that bucket of log time', async () => {
    const { times } = MADE.truth();

    app = await openApp();
    const { page } = app;
    await page.getByRole('checkbox', { name: 'Trace lines' }).check();
    await page.getByRole('combobox', { name: 'Trace policy' }).selectOption({ label: 'Every line' });
    await page.getByLabel('Traces kept').fill('2000');
    await openLog(page, MADE.path());
    expect(await waitForRunEnd(page, MADE.file)).toBe('Completed');
    const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));

    // Click the middle of the busiest bar: the x scale runs from the first bucket's start to the last one's end.
    const buckets: { start: string; counts: Record<string, number> }[] = report.timeline.buckets;
    const sum = (b: (typeof buckets)[number]) => Object.values(b.counts).reduce((a, c) => a + c, 0);
    const busiest = buckets.reduce((best, b) => (sum(b) > sum(best) ? b : best));
    const first = Date.parse(buckets[0].start);
    const span = Date.parse(buckets.at(-1)!.start) + report.timeline.bucketMs - first;
    await showTab(page, 'Charts');
    const levels = page.getByRole('region', { name: 'Levels over the log’s time' });
    const over = levels.locator('.u-over');
    const box = (await over.boundingBox())!;
    const x = ((Date.parse(busiest.start) + report.timeline.bucketMs / 2 - first) / span) * box.width;
    await over.click({ position: { x, y: box.height - 2 } });
    const chip = levels.getByText(/^Log time /);
    await chip.waitFor();
    const range = parseRange((await chip.textContent())!);
    expect(range).toEqual({ startMs: Date.parse(busiest.start), endMs: Date.parse(busiest.start) + report.timeline.bucketMs });
    const expected = times.filter((t) => t >= range.startMs && t < range.endMs).length;
    expect(expected).toBe(sum(busiest));

    await showTab(page, 'Journeys');
    const journeys = page.getByRole('region', { name: 'Journeys', exact: true });
    await journeys.getByRole('button', { name: 'Remove time filter' }).waitFor();
    await expect.poll(async () => (await journeys.innerText()).match(/([\d,]+) matching/)?.[1]).toBe(expected.toLocaleString('en-US'));
    await journeys.getByRole('button', { name: 'Remove time filter' }).click();
    await expect.poll(() => journeys.getByText(/matching/).count()).toBe(0);
    expectNoPageErrors(app);
  });
});

/** "Log time 2015-07-29 19:04:00 – 19:05:00 UTC" (or with the date on both ends) → epoch ms. */
function parseRange(text: string): { startMs: number; endMs: number } {
  const m = /Log time (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) – (?:(\d{4}-\d\d-\d\d) )?(\d\d:\d\d:\d\d(?:\.\d+)?) UTC/.exec(text);
  if (!m) throw new Error(`not a time filter: ${text}`);
  return { startMs: Date.parse(`${m[1]}T${m[2]}Z`), endMs: Date.parse(`${m[3] ?? m[1]}T${m[4]}Z`) };
}

describe('the main thread while a big file runs with the charts shown', () => {
  let logPath: string;
  let size: number;

  beforeAll(async () => {
    logPath = join(tmp.dir, 'big.log');
    // Big enough for several seconds of live updates (about 600,000 lines).
    ({ bytes: size } = await writeLog(logPath, { bytes: 80 * 1024 * 1024, seed: 5 }));
  });

  // Minutes, not the default two: on a loaded 2-core box the traced 80 MB run alone takes that long.
  test('no long task (≥ 50 ms) happens during a run of a few seconds, while the charts update live', async () => {
    app = await openApp();
    const { page } = app;
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask' });
    });
    // The observer sees long tasks in this browser: a deliberate one, in a task of the page's own, is caught.
    await page.evaluate(() => {
      setTimeout(() => {
        const end = performance.now() + 80;
        while (performance.now() < end);
      }, 0);
    });
    await expect.poll(() => page.evaluate(() => (window as unknown as { __longTasks: unknown[] }).__longTasks.length)).toBeGreaterThan(0);

    await showTab(page, 'Charts');
    // Chromium's own trace tells each task's CPU time, which the Long Tasks API does not.
    let start = 0;
    let end = 0;
    const tasks = await traceMainThread(app, async () => {
      start = await page.evaluate(() => performance.now());
      await openLog(page, logPath);
      // While it runs the charts are on screen and fill.
      await page.getByRole('figure', { name: /^Throughput over the run/ }).locator('canvas').waitFor({ timeout: 30_000 });
      expect(await waitForRunEnd(page, 'big.log', 180_000)).toBe('Completed');
      end = await page.evaluate(() => performance.now());
    });
    const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
    const longTasks = await page.evaluate(
      ([from, to]) => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((t) => t.start >= from && t.start <= to),
      [start, end],
    );
    const ms = (us: number) => Math.round(us / 100) / 10;
    const longest = tasks.reduce((a, t) => (t.cpu > a.cpu ? t : a), { wall: 0, cpu: 0 });
    const stretched = tasks.filter((t) => t.wall >= 50_000);
    console.log(
      `long tasks during a ${(report.run.durationMs / 1000).toFixed(1)} s run of ${(report.run.bytesRead / 1048576).toFixed(0)} MB ` +
        `(${report.run.linesRead.toLocaleString('en-US')} lines, ${report.metrics.series.lines_per_sec?.length ?? 0} throughput points): ` +
        `${longTasks.length}${longTasks.length ? ` ${JSON.stringify(longTasks)}` : ''}; ${tasks.length} main-thread tasks, ` +
        `the longest ${ms(longest.cpu)} ms of CPU (${ms(longest.wall)} ms wall); tasks of 50 ms wall or more: ` +
        `${JSON.stringify(stretched.map((t) => ({ wallMs: ms(t.wall), cpuMs: ms(t.cpu) })))}`,
    );
    expect(report.run.durationMs, 'the run lasts long enough for live updates').toBeGreaterThan(1500);
    expect(report.metrics.series.lines_per_sec.length, 'throughput points while it ran').toBeGreaterThanOrEqual(2);
    expect(report.run.bytesRead).toBe(size);
    expect(tasks.length, 'the trace saw the main thread').toBeGreaterThan(100);
    // No task needed 50 ms of the main thread.
    expect(tasks.filter((t) => t.cpu >= 50_000).map((t) => ms(t.cpu)), 'main-thread tasks of 50 ms of CPU or more').toEqual([]);
    // And none took 50 ms of wall time either, unless the machine was busy elsewhere: a task that
    // took under 50 ms of CPU but over 50 ms of wall time was waiting for a core (CI boxes run other
    // tests beside this one), which says nothing of the app.
    if (longTasks.length > 0) {
      expect(stretched.length, `long tasks seen (${JSON.stringify(longTasks)}) match tasks the trace saw stretched`).toBeGreaterThanOrEqual(longTasks.length);
    } else {
      expect(longTasks).toEqual([]);
    }
    expectNoPageErrors(app);
  }, 300_000);
});
