/**
 * The other ways in: the bundled sample, gzip and zstd files, and a pipeline typed (wrongly) into the editor.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { generateLog } from '../../bench/generate.ts';
import { zstdCompress, zstdDecodablePrefix } from '../fixtures/zstd.ts';
import { openApp, type AppSession } from './browser.ts';
import {
  clickForDownload,
  downloadText,
  expectNoPageErrors,
  openLog,
  progressFigure,
  readStats,
  runRegion,
  splitLines,
  tempDir,
  waitForRunEnd,
  type StatsRow,
} from './helpers.ts';

const SEED =
  '{"processors":[{"type":"line_counter","id":"counter","format":"Line {count}: {line}"},{"type":"uppercase","id":"uppercase"},{"type":"filter","id":"important_filter","pattern":"important"}]}';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppSession | undefined;
let plainText: string;
let plainLines: number;
/** Entries of plain.log: its lines but the continuation lines of stack traces, which join the entry above. */
let plainEntries: number;

beforeAll(async () => {
  tmp = await tempDir('sample-gzip');
  // Deterministic, realistic lines (stack traces, JSON lines, levels); about 2.5 MB.
  const text = [...generateLog({ lines: 20_000, seed: 11 })].join('');
  plainText = text;
  plainLines = splitLines(text).length;
  // Every entry starts with its timestamp, or is a JSON object of its own.
  plainEntries = splitLines(text).filter((line) => /^[\d{]/.test(line)).length;
  await writeFile(join(tmp.dir, 'plain.log'), text);
  await writeFile(join(tmp.dir, 'plain.log.gz'), gzipSync(text));
  // Two frames, as `zstd` writes when files are concatenated (or logs rotated into one archive).
  const half = text.indexOf('\n', text.length >> 1) + 1;
  await writeFile(join(tmp.dir, 'plain.log.zst'), Buffer.concat([zstdCompress(text.slice(0, half)), zstdCompress(text.slice(half), 19)]));
  await writeFile(join(tmp.dir, 'seed.json'), SEED);
});

afterAll(async () => {
  await tmp?.remove();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

const withoutTime = (rows: StatsRow[]) => rows.map(({ timeMs: _, ...row }) => row);

test('"Try a sample log" runs the bundled sample to completion and reads all its lines', async () => {
  const sample = await readFile(resolve(import.meta.dirname, '../../public/sample.log'), 'utf8');
  const expectedLines = splitLines(sample).length;
  expect(expectedLines).toBeGreaterThan(1000);

  app = await openApp();
  const { page } = app;
  await page.getByRole('button', { name: 'Try a sample log' }).click();
  expect(await waitForRunEnd(page, 'sample.log')).toBe('Completed');

  const stats = await readStats(page);
  expect(stats.total.linesIn).toBe(expectedLines);
  // The default pipeline parses first: a stack trace joins the entry it belongs to, so `parse`
  // sees one record per entry — each line that starts with a timestamp, and each JSON line.
  const entries = splitLines(sample).filter((line) => /^(\d{4}-\d\d-\d\d |\{)/.test(line)).length;
  expect(entries).toBeLessThan(expectedLines);
  expect(stats.rows[0].processor).toMatch(/^parse/);
  expect(stats.rows[0].linesIn).toBe(entries);
  // The progress figures agree with the table.
  await expect
    .poll(() => progressFigure(page, 'Lines').textContent())
    .toBe(expectedLines.toLocaleString('en-US'));
  expectNoPageErrors(app);
});

test.each([
  ['gzip', 'plain.log.gz'],
  ['zstd', 'plain.log.zst'],
])('a %s file completes with the same counts as its plain version', async (compression, name) => {
  app = await openApp();
  const { page } = app;
  await openLog(page, join(tmp.dir, 'plain.log'));
  expect(await waitForRunEnd(page, 'plain.log')).toBe('Completed');
  const plain = await readStats(page);
  expect(plain.total.linesIn).toBe(plainLines);

  await openLog(page, join(tmp.dir, name));
  expect(await waitForRunEnd(page, name)).toBe('Completed');
  const packed = await readStats(page);
  expect(withoutTime(packed.rows)).toEqual(withoutTime(plain.rows));
  expect(packed.total.linesIn).toBe(plainLines);
  expect(packed.total.linesOut).toBe(plain.total.linesOut);
  // The user is told the file was decompressed, and so is the report.
  await runRegion(page).getByText(`${compression}-compressed`, { exact: false }).waitFor();
  const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
  expect(report.input).toMatchObject({ compression, decodedBytes: Buffer.byteLength(plainText) });
  expectNoPageErrors(app);
});

test('a truncated .zst fails with a message about zstd while every line decoded before the cut is counted', async () => {
  const zst = zstdCompress(plainText);
  const cut = zst.subarray(0, Math.floor(zst.length / 2));
  const completeLines = zstdDecodablePrefix(cut).text.split('\n').length - 1;
  expect(completeLines).toBeGreaterThan(0);
  const path = join(tmp.dir, 'cut.log.zst');
  await writeFile(path, cut);

  app = await openApp();
  const { page } = app;
  await openLog(page, path);
  expect(await waitForRunEnd(page, 'cut.log.zst')).toBe('Failed');
  expect(await runRegion(page).getByRole('alert').textContent()).toMatch(/The zstd data is truncated or corrupt/);
  const stats = await readStats(page);
  expect(stats.total.linesIn).toBeLessThan(plainLines);
  expect(stats.total.linesIn).toBe(completeLines);
  expectNoPageErrors(app);
});

test('an invalid pipeline applied from the editor is refused with path and reason, and the previous one stays', async () => {
  app = await openApp();
  const { page } = app;
  await page.getByLabel('Import pipeline').setInputFiles(join(tmp.dir, 'seed.json'));
  await page.getByText('Applied: seed.json').waitFor();

  await page
    .getByLabel('Pipeline config (JSON)')
    .fill('{"processors":[{"type":"filter","id":"broken","pattern":"(unclosed"}]}');
  await page.getByRole('button', { name: 'Apply pipeline' }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'processors[0].pattern: invalid regular expression' });
  await alert.waitFor();
  expect(await alert.isVisible()).toBe(true);
  // Still the imported pipeline, and the editor keeps the user's text to fix.
  await page.getByText('Applied: seed.json').waitFor();
  expect(await page.getByLabel('Pipeline config (JSON)').inputValue()).toContain('(unclosed');

  await openLog(page, join(tmp.dir, 'plain.log'));
  expect(await waitForRunEnd(page, 'plain.log')).toBe('Completed');
  const stats = await readStats(page);
  expect(stats.rows.map((row) => row.processor)).toEqual([
    'counter line_counter',
    'uppercase uppercase',
    'important_filter filter',
  ]);
  // The pipeline sees entries: a stack trace is one entry with the line it belongs to.
  expect(stats.rows[0].linesIn).toBe(plainEntries);
  expect(stats.total.linesIn).toBe(plainLines);
  expectNoPageErrors(app);
});
