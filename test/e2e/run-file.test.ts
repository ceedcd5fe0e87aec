/**
 * The whole path, as a person walks it: import the seed pipeline, open a log, wait
 * for the run to end, read the "Processor stats" table, export the report, save the output.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { openApp, type AppSession } from './browser.ts';
import {
  clickForDownload,
  downloadText,
  expectNoPageErrors,
  openLog,
  readStats,
  STATS_COLUMNS,
  tempDir,
  waitForRunEnd,
  type StatsRow,
} from './helpers.ts';

/** The seed config of DESIGN.md, byte for byte: it must load unchanged. */
const SEED =
  '{"processors":[{"type":"line_counter","id":"counter","format":"Line {count}: {line}"},{"type":"uppercase","id":"uppercase"},{"type":"filter","id":"important_filter","pattern":"important"}]}';
const SEED_CONFIG = JSON.parse(SEED) as { processors: Record<string, unknown>[] };

/** The seed with a filter that ignores case, so the upper-cased lines that mention it pass. */
const SEED_IGNORE_CASE = JSON.stringify({
  processors: SEED_CONFIG.processors.map((p) => (p.type === 'filter' ? { ...p, ignoreCase: true } : p)),
});

const LINE_COUNT = 3000;

/** Mixed-case lines; every 7th mentions "important" (in varying case), a few others say "Important-ish". */
function makeLines(): string[] {
  const levels = ['INFO', 'Debug', 'warn', 'ERROR'];
  const lines: string[] = [];
  for (let i = 1; i <= LINE_COUNT; i++) {
    const time = `2024-03-14 08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
    const level = levels[i % levels.length];
    const extra = i % 7 === 0 ? (i % 2 ? ' an important event' : ' an Important event') : i % 11 === 0 ? ' nothing to see' : '';
    lines.push(`${time} ${level} [worker-${i % 5}] request id=${i} took ${(i * 37) % 1000}ms${extra}`);
  }
  return lines;
}

/** What the seed chain does to each line, computed here rather than trusted from the app. */
function expectedChain(lines: string[], ignoreCase: boolean) {
  const numbered = lines.map((line, i) => `Line ${i + 1}: ${line}`);
  const upper = numbered.map((line) => line.toUpperCase());
  const pattern = new RegExp('important', ignoreCase ? 'i' : '');
  const kept = upper.filter((line) => pattern.test(line));
  const n = lines.length;
  const rows: Omit<StatsRow, 'timeMs'>[] = [
    { processor: 'counter line_counter', linesIn: n, linesOut: n, dropped: 0, errors: 0 },
    { processor: 'uppercase uppercase', linesIn: n, linesOut: n, dropped: 0, errors: 0 },
    { processor: 'important_filter filter', linesIn: n, linesOut: kept.length, dropped: n - kept.length, errors: 0 },
  ];
  return { rows, kept };
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
let logPath: string;
let logSize: number;
let lines: string[];
let app: AppSession | undefined;

beforeAll(async () => {
  tmp = await tempDir('run-file');
  lines = makeLines();
  logPath = join(tmp.dir, 'service.log');
  // CRLF line ends and no final newline, as many real logs (Loghub's among them) have.
  await writeFile(logPath, lines.join('\r\n'));
  logSize = (await stat(logPath)).size;
  await writeFile(join(tmp.dir, 'seed.json'), SEED);
  await writeFile(join(tmp.dir, 'seed-ignore-case.json'), SEED_IGNORE_CASE);
});

afterAll(async () => {
  await tmp?.remove();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function importPipeline(session: AppSession, file: string): Promise<void> {
  const { page } = session;
  await page.getByLabel('Import pipeline').setInputFiles(join(tmp.dir, file));
  // The imported file's name becomes the applied pipeline's name.
  await page.getByText(`Applied: ${file}`).waitFor();
}

describe('running a log file through an imported pipeline', () => {
  test('the seed pipeline runs a CRLF file to completion and the table shows each processor’s counts', async () => {
    app = await openApp();
    const { page } = app;
    await importPipeline(app, 'seed.json');
    await openLog(page, logPath);
    expect(await waitForRunEnd(page, 'service.log')).toBe('Completed');

    const expected = expectedChain(lines, false);
    // The seed's filter is case-sensitive and runs after uppercase, so nothing matches "important".
    expect(expected.kept).toHaveLength(0);

    const stats = await readStats(page);
    // The six contract columns first, exactly; latency and time share after them.
    expect(stats.columns.slice(0, STATS_COLUMNS.length)).toEqual(STATS_COLUMNS);
    expect(stats.columns.slice(STATS_COLUMNS.length)).toEqual(['p50 (µs)', 'p95 (µs)', 'p99 (µs)', 'Time share']);
    expect(stats.rows.map(({ timeMs: _, ...row }) => row)).toEqual(expected.rows);
    expect(stats.total).toMatchObject({ processor: 'Total', linesIn: LINE_COUNT, linesOut: 0, dropped: LINE_COUNT, errors: 0 });
    // Nothing was emitted, so there is nothing to save.
    await expect.poll(() => page.getByRole('button', { name: 'Save output' }).isDisabled()).toBe(true);
    expectNoPageErrors(app);
  });

  test('the exported report describes the run, the pipeline as run and the same counts as the table', async () => {
    app = await openApp();
    const { page } = app;
    await importPipeline(app, 'seed.json');
    await openLog(page, logPath);
    expect(await waitForRunEnd(page, 'service.log')).toBe('Completed');
    const stats = await readStats(page);

    const download = await clickForDownload(page, 'Export report');
    const name = download.suggestedFilename();
    const match = /^linesight-report-(.+)\.json$/.exec(name);
    expect(match, `report file name ${name}`).not.toBeNull();
    const report = JSON.parse(await downloadText(download));

    expect(report.schema).toBe('linesight.report/v1');
    expect(report.run.id).toBe(match![1]);
    expect(report.run).toMatchObject({
      status: 'completed',
      linesRead: LINE_COUNT,
      bytesRead: logSize,
      file: { name: 'service.log', size: logSize },
    });
    expect(Date.parse(report.run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(report.run.startedAt));
    expect(report.run.durationMs).toBeGreaterThanOrEqual(0);

    // The pipeline as run: the seed's processors, in order, with their ids and params.
    expect(report.pipeline.processors).toHaveLength(SEED_CONFIG.processors.length);
    SEED_CONFIG.processors.forEach((processor, i) => expect(report.pipeline.processors[i]).toMatchObject(processor));

    const expected = expectedChain(lines, false);
    expect(report.processors).toHaveLength(expected.rows.length);
    report.processors.forEach((p: Record<string, unknown>, i: number) => {
      const row = stats.rows[i];
      expect(`${p.id} ${p.type}`).toBe(row.processor);
      expect(p).toMatchObject({ linesIn: row.linesIn, linesOut: row.linesOut, dropped: row.dropped, errors: row.errors });
      expect(p).toMatchObject({ linesIn: expected.rows[i].linesIn, linesOut: expected.rows[i].linesOut });
      // The table shows one decimal.
      expect(typeof p.timeMs).toBe('number');
      expect(Math.abs((p.timeMs as number) - row.timeMs)).toBeLessThanOrEqual(0.05 + 1e-9);
    });
    expect(report.totals).toEqual({
      linesIn: stats.total.linesIn,
      linesOut: stats.total.linesOut,
      dropped: stats.total.dropped,
      errors: stats.total.errors,
    });
    expect(report.totals).toEqual({ linesIn: LINE_COUNT, linesOut: 0, dropped: LINE_COUNT, errors: 0 });
    expectNoPageErrors(app);
  });

  test('saved output holds exactly the numbered, upper-cased lines that pass the filter', async () => {
    app = await openApp();
    const { page } = app;
    await importPipeline(app, 'seed-ignore-case.json');
    await openLog(page, logPath);
    expect(await waitForRunEnd(page, 'service.log')).toBe('Completed');

    const expected = expectedChain(lines, true);
    expect(expected.kept.length).toBeGreaterThan(100);
    expect((await readStats(page)).rows.map(({ timeMs: _, ...row }) => row)).toEqual(expected.rows);

    const download = await clickForDownload(page, 'Save output');
    const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
    expect(download.suggestedFilename()).toBe(`linesight-output-${report.run.id}.log`);
    const saved = await downloadText(download);
    expect(saved.endsWith('\n')).toBe(true);
    const savedLines = saved.slice(0, -1).split('\n');
    expect(savedLines).toHaveLength(expected.kept.length);
    expect(savedLines).toEqual(expected.kept);
    expect(savedLines[0]).toBe(`LINE 7: ${lines[6].toUpperCase()}`);
    expectNoPageErrors(app);
  });
});
