/**
 * The cost of persistence in real Chromium: the built app, the same file and pipeline, "Keep in
 * history" off and on, alternating, in one tab. Chromium's IndexedDB writes to disk (relaxed
 * durability) off the worker's thread; what the run pays is the worker's share: snapshots,
 * drains and structured clones. Timed by the run's own `durationMs` (the engine's run, from the
 * exported report), and by the wall time until the history says the run is kept.
 *
 *   npx tsx bench/persistence-browser.ts                 # bench/data/app-200MB.log, 3 runs each
 *   npx tsx bench/persistence-browser.ts FILE --runs 5
 *
 * Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBuiltApp, median } from './browser-app.ts';
import { COST_PIPELINE, costBenchArgs } from './cost-bench.ts';

async function main(): Promise<void> {
  const { file, runs } = await costBenchArgs(process.argv.slice(2));
  const app = await launchBuiltApp();
  try {
    const context = await app.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(app.url, { waitUntil: 'networkidle' });
    const pipelineFile = join(app.dir, 'bench-pipeline.json');
    await writeFile(pipelineFile, JSON.stringify(COST_PIPELINE));
    await page.getByLabel('Import pipeline').setInputFiles(pipelineFile);
    await page.getByText('Applied: bench-pipeline.json').waitFor();
    await page.getByRole('checkbox', { name: 'Keep output lines' }).uncheck();
    await page.getByRole('checkbox', { name: 'Trace lines' }).check();
    await page.getByRole('combobox', { name: 'Trace policy' }).selectOption({ label: '1 in N' });
    await page.getByLabel('N', { exact: true }).fill('100');

    const time = (persist: boolean) => runOnce(page, file, persist);
    await time(false); // warm-up: JIT and page cache
    await time(true);
    const off: Timing[] = [];
    const on: Timing[] = [];
    for (let i = 0; i < runs; i++) {
      if (i % 2 === 0) {
        off.push(await time(false));
        on.push(await time(true));
      } else {
        on.push(await time(true));
        off.push(await time(false));
      }
    }
    const mb = (await stat(file)).size / 1e6;
    const offS = median(off.map((t) => t.runMs)) / 1000;
    const onS = median(on.map((t) => t.runMs)) / 1000;
    const ratio = offS / onS;
    console.log('Persistence cost in Chromium (the built app, real IndexedDB, relaxed durability).');
    console.log(`file: ${basename(file)} (${mb.toFixed(1)} MB), tracing 1 in 100, ${runs} run(s) each, alternating, median of the run's durationMs`);
    console.log(`persistence off  ${offS.toFixed(3)} s  ${(mb / offS).toFixed(0)} MB/s   (until Completed: ${(median(off.map((t) => t.wallMs)) / 1000).toFixed(3)} s)`);
    console.log(`persistence on   ${onS.toFixed(3)} s  ${(mb / onS).toFixed(0)} MB/s   (until Completed: ${(median(on.map((t) => t.wallMs)) / 1000).toFixed(3)} s, until kept in the history: ${(median(on.map((t) => t.keptMs)) / 1000).toFixed(3)} s)`);
    console.log(`on/off throughput ${ratio.toFixed(3)}  (budget: at least 0.90) ${ratio >= 0.9 ? 'within budget' : 'OVER BUDGET'}`);
  } finally {
    await app.close();
  }
}

interface Timing {
  runMs: number;
  wallMs: number;
  keptMs: number;
}

async function runOnce(page: Page, file: string, persist: boolean): Promise<Timing> {
  const keep = page.getByRole('checkbox', { name: 'Keep in history' });
  if (persist) await keep.check();
  else await keep.uncheck();
  const name = basename(file);
  const started = performance.now();
  await page.getByLabel('Open log file').setInputFiles(file);
  const region = page.getByRole('region', { name: 'Run', exact: true });
  await region.getByRole('heading', { name, exact: true }).waitFor();
  await region.getByRole('status').filter({ hasText: /^\s*Completed\s*$/ }).waitFor({ timeout: 300_000 });
  const wallMs = performance.now() - started;
  if (persist) await page.getByRole('status').filter({ hasText: 'Kept in the history.' }).waitFor({ timeout: 60_000 });
  const keptMs = performance.now() - started;
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export report', exact: true }).click()]);
  const report = JSON.parse(await readFile(await download.path(), 'utf8')) as { run: { durationMs: number } };
  if (persist) {
    // Keep the store as small as on the first run: each "on" run starts from the same history.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'History', exact: true }).click();
    await page.getByRole('button', { name: 'Clear all runs' }).click();
    await page.getByRole('button', { name: 'Delete all runs' }).click();
    await page.getByText(/^No runs kept yet/).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Analyze', exact: true }).click();
  }
  return { runMs: report.run.durationMs, wallMs, keptMs };
}

await main();
