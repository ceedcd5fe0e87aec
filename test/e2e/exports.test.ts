/**
 * Every export of a finished run, as a person gets them: Prometheus metrics, OTLP traces, the
 * HTML snapshot and the JSON report; then the report imported back through "Import report"
 * shows the same numbers read-only.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { openApp, type AppSession } from './browser.ts';
import { clickForDownload, downloadText, expectNoPageErrors, openLog, readStats, statsTable, tempDir, waitForRunEnd } from './helpers.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let logPath: string;
let app: AppSession | undefined;

beforeAll(async () => {
  tmp = await tempDir('exports');
  const levels = ['INFO', 'WARN', 'ERROR', 'DEBUG'];
  const lines = Array.from({ length: 400 }, (_, i) => `2024-05-01 10:00:${String(i % 60).padStart(2, '0')},000 ${levels[i % 4]} [main] app: request ${i} important=${i % 3 === 0}`);
  logPath = join(tmp.dir, 'exports.log');
  await writeFile(logPath, lines.join('\n') + '\n');
});

afterAll(async () => {
  await tmp?.remove();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('exports and import of a run', () => {
  test('metrics, traces, HTML snapshot and report download; the report imports back with the same stats', async () => {
    app = await openApp();
    const { page } = app;
    await page.getByRole('checkbox', { name: 'Trace lines' }).check();
    await page.getByLabel('Trace policy').selectOption('all');
    await openLog(page, logPath);
    expect(await waitForRunEnd(page, 'exports.log')).toBe('Completed');
    const live = await readStats(page);

    const metrics = await clickForDownload(page, 'Export metrics (Prometheus)');
    const runId = /^linesight-metrics-(.+)\.prom$/.exec(metrics.suggestedFilename())?.[1];
    expect(runId, metrics.suggestedFilename()).toBeTruthy();
    const prom = await downloadText(metrics);
    const first = live.rows[0].processor.split(' ')[0];
    expect(prom).toMatch(new RegExp(`^linesight_processor_lines_in_total\\{processor="${first}"\\} ${live.rows[0].linesIn}$`, 'm'));

    const traces = await clickForDownload(page, 'Export traces (OTLP JSON)');
    expect(traces.suggestedFilename()).toBe(`linesight-traces-${runId}.otlp.json`);
    const otlp = JSON.parse(await downloadText(traces));
    expect(otlp.resourceSpans).toHaveLength(1);
    const spans = otlp.resourceSpans[0].scopeSpans[0].spans as { traceId: string; spanId: string; name: string; status: unknown }[];
    expect(spans.length).toBeGreaterThan(0);
    for (const span of spans.slice(0, 20)) {
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(span.status).toBeTruthy();
    }

    const snapshot = await clickForDownload(page, 'Export HTML snapshot');
    expect(snapshot.suggestedFilename()).toBe(`linesight-${runId}.html`);
    const html = await downloadText(snapshot);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('Processor stats');

    const report = await clickForDownload(page, 'Export report');
    const reportPath = join(tmp.dir, 'report.json');
    await writeFile(reportPath, await readFile(await report.path()));

    await page.getByLabel('Import report').setInputFiles(reportPath);
    await page.getByText('Imported report · read-only').waitFor();
    await statsTable(page).waitFor();
    const imported = await readStats(page);
    const strip = (rows: typeof live.rows) => rows.map(({ timeMs: _, ...row }) => row);
    expect(strip(imported.rows)).toEqual(strip(live.rows));
    expect(imported.total.linesIn).toBe(live.total.linesIn);
    expect(imported.total.linesOut).toBe(live.total.linesOut);

    // The imported run exports too; then back to the live run.
    const again = await clickForDownload(page, 'Export metrics (Prometheus)');
    expect(again.suggestedFilename()).toBe(`linesight-metrics-${runId}.prom`);
    await page.getByRole('button', { name: 'Back to live view' }).click();
    await expect.poll(() => page.getByText('Imported report · read-only').count()).toBe(0);
    expectNoPageErrors(app);
  });
});
