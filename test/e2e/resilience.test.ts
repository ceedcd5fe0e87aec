/**
 * Runs on the pool of workers, and runs that lose a worker: a dead engine or range worker is
 * noticed and the run ends as failed with a message, keeping what it counted; a CR-only file is
 * read line by line.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import { fileSource } from '../../bench/file-source.ts';
import { generateLog } from '../../bench/generate.ts';
import { formatIssues, parsePipeline } from '../../src/engine/pipeline/config.ts';
import type { Report } from '../../src/engine/report/report.ts';
import { runLog } from '../../src/engine/run.ts';
import { openApp, type AppSession } from './browser.ts';
import { clickForDownload, downloadText, openLog, readStats, runRegion, statusText, tempDir, waitForRunEnd, writeStreamed } from './helpers.ts';

const MiB = 1 << 20;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppSession | undefined;
let bigPath: string;

beforeAll(async () => {
  tmp = await tempDir('resilience');
  const block = Buffer.from([...generateLog({ bytes: MiB, seed: 5 })].join(''));
  bigPath = join(tmp.dir, 'big.log');
  await writeStreamed(
    bigPath,
    (function* () {
      for (let i = 0; i < 200; i++) yield block;
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

/** The first worker of the page whose script is `name` (engine: index, range: range). */
async function workerNamed(page: Page, part: string): Promise<Worker> {
  await expect.poll(() => page.workers().some((w) => w.url().includes(part)), { timeout: 30_000 }).toBe(true);
  return page.workers().find((w) => w.url().includes(part))!;
}

async function startBigRun(page: Page): Promise<void> {
  await openLog(page, bigPath);
  await runRegion(page).getByRole('heading', { name: 'big.log', exact: true }).waitFor();
  await expect.poll(async () => (await readStats(page)).total.linesIn, { timeout: 30_000 }).toBeGreaterThan(0);
  expect(await statusText(page)).toBe('Running');
}

test('an engine worker that closes itself is noticed: the run fails with a message and keeps its counts', async () => {
  app = await openApp();
  const { page } = app;
  await startBigRun(page);
  const engine = await workerNamed(page, 'index');
  await engine.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => {});
  expect(await waitForRunEnd(page, 'big.log', 10_000)).toBe('Failed');
  await runRegion(page).getByText(/The engine stopped unexpectedly/).waitFor();
  expect((await readStats(page)).total.linesIn).toBeGreaterThan(0);
});

test('a range worker that closes itself is noticed: the run fails with a message and keeps its counts', async () => {
  app = await openApp();
  const { page } = app;
  await startBigRun(page);
  const range = await workerNamed(page, 'range');
  await range.evaluate(() => (self as unknown as { close(): void }).close()).catch(() => {});
  expect(await waitForRunEnd(page, 'big.log', 10_000)).toBe('Failed');
  await runRegion(page).getByText(/A worker reading the file stopped unexpectedly/).waitFor();
  expect((await readStats(page)).total.linesIn).toBeGreaterThan(0);
});

test('a file of CR-only line ends is read line by line', async () => {
  const records = Array.from({ length: 120_000 }, (_, i) => `2024-03-14 08:00:${String(i % 60).padStart(2, '0')},000 ${i % 10 === 0 ? 'ERROR' : 'INFO'} [main] app.Old: record ${i}`);
  const path = join(tmp.dir, 'old-mac.log');
  await writeStreamed(path, [records.join('\r') + '\r']);
  app = await openApp();
  const { page } = app;
  await openLog(page, path);
  expect(await waitForRunEnd(page, 'old-mac.log')).toBe('Completed');
  const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
  expect(report.run.linesRead).toBe(120_000);
  expect(report.levels.ERROR).toBe(12_000);
  expect(report.input.truncatedLines).toBe(0);
});

test('a file read by the pool of workers gives the report one pass in one worker gives', async () => {
  app = await openApp();
  const { page } = app;
  await openLog(page, bigPath);
  expect(await waitForRunEnd(page, 'big.log')).toBe('Completed');
  const pooled = JSON.parse(await downloadText(await clickForDownload(page, 'Export report'))) as Report;
  // The same pipeline, as run, in one pass in this process.
  const config = parsePipeline(pooled.pipeline);
  if (!config.ok) throw new Error(formatIssues(config.error));
  const single = await runLog(await fileSource(bigPath), config.value);
  const answer = (report: Report) => ({
    linesRead: report.run.linesRead,
    totals: report.totals,
    input: report.input,
    levels: report.levels,
    timeRange: report.timeRange,
    timeline: report.timeline,
    counters: report.counters,
    format: report.format,
    graph: report.graph,
    processors: report.processors.map(({ id, linesIn, linesOut, dropped, errors }) => ({ id, linesIn, linesOut, dropped, errors })),
  });
  expect(answer(pooled)).toEqual(answer(single));
});
