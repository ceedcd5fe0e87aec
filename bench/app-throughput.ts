/**
 * The built app end to end in Chromium (a disk-backed profile, as people have), with its default
 * pipeline and default options, beside the peers on the same file in the same run: `wc -l`
 * (the floor), mawk (a levels script), lnav (its levels query). Also the main thread's long tasks
 * and how often the screen was updated while the run was live.
 *
 *   npx tsx bench/app-throughput.ts [FILE] [--size 1GB] [--runs 3] [--workers N]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { parseSize, writeLog } from './generate.ts';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/** Levels per line, as the app's levels chart counts them (the LEVEL word after the date and time, else UNKNOWN). */
const MAWK_LEVELS = String.raw`
BEGIN { split("TRACE DEBUG INFO WARN ERROR FATAL", names, " "); for (i in names) known[names[i]] = 1 }
{ if ($3 in known) count[$3]++; else count["UNKNOWN"]++ }
END { for (level in count) print level, count[level] }
`;

interface Args {
  file?: string;
  size: string;
  runs: number;
  workers?: number;
  /** Run options to untick ("Keep output lines", "Keep in history"), to see what each costs. */
  untick: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { size: '1GB', runs: 3, untick: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--size') args.size = argv[++i];
    else if (flag === '--runs') args.runs = Number(argv[++i]);
    else if (flag === '--workers') args.workers = Number(argv[++i]);
    else if (flag === '--untick') args.untick.push(argv[++i]);
    else args.file = flag;
  }
  return args;
}

function timeCommand(command: string, args: string[]): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LC_ALL: 'C', TERM: 'dumb' } });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(Number(process.hrtime.bigint() - started) / 1e9) : reject(new Error(`${command} exited with ${code}`))));
  });
}

const has = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const file = resolve(args.file ?? `bench/data/app-${args.size}.log`);
  if (!existsSync(file)) {
    console.log(`generating ${file} ...`);
    await writeLog(file, { bytes: parseSize(args.size), seed: 1 });
  }
  const mb = statSync(file).size / 1e6;

  const root = resolve(import.meta.dirname, '..');
  const dir = await mkdtemp(join(tmpdir(), 'linesight-app-bench-'));
  const shared = { root, configFile: join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn' as const, build: { outDir: join(dir, 'dist'), emptyOutDir: true } };
  process.env.NODE_ENV = 'production';
  await build(shared);
  const server = await preview({ ...shared, preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
  const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/`;

  const times = { wc: [] as number[], mawk: [] as number[], lnav: [] as number[], app: [] as number[] };
  const longTasks: number[] = [];
  const updates: number[] = [];
  await timeCommand('wc', ['-l', file]); // page cache warm for everyone
  for (let run = 0; run < args.runs; run++) {
    times.wc.push(await timeCommand('wc', ['-l', file]));
    if (has('mawk')) times.mawk.push(await timeCommand('mawk', [MAWK_LEVELS, file]));
    if (has('lnav')) times.lnav.push(await timeCommand('lnav', ['-n', '-c', ';SELECT log_level, count(*) FROM all_logs GROUP BY log_level', file]));

    const profile = join(dir, `profile-${run}`);
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, viewport: { width: 1366, height: 768 } });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.waitForSelector('html[data-ready]', { timeout: 30_000 }).catch(() => {});
    if (args.workers) await page.evaluate((n) => localStorage.setItem('linesight.workers', String(n)), args.workers);
    // Long tasks and screen updates (the progress figure's changes) while the run is live.
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[]; __updates: number };
      w.__long = [];
      w.__updates = 0;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask', buffered: false });
      new MutationObserver(() => w.__updates++).observe(document.body, { subtree: true, characterData: true, childList: true });
    });
    for (const label of args.untick) await page.getByLabel(label).uncheck();
    const started = performance.now();
    await page.getByLabel('Open log file').setInputFiles(file);
    await page.getByRole('region', { name: 'Run' }).getByRole('status').filter({ hasText: /^(Completed|Failed|Cancelled)$/ }).waitFor({ timeout: 600_000 });
    const seconds = (performance.now() - started) / 1000;
    const status = await page.getByRole('region', { name: 'Run' }).getByRole('status').filter({ hasText: /^(Completed|Failed|Cancelled)$/ }).textContent();
    if (status !== 'Completed') throw new Error(`the run ended ${status}`);
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __long: number[]; __updates: number };
      return { long: w.__long, updates: w.__updates };
    });
    times.app.push(seconds);
    longTasks.push(...seen.long);
    updates.push(seen.updates / seconds);
    await context.close();
  }
  await server.close();
  await rm(dir, { recursive: true, force: true });

  const rate = (s: number) => mb / s;
  const row = (name: string, values: number[]) => (values.length ? `${name.padEnd(10)} ${median(values).toFixed(2).padStart(8)} s ${rate(median(values)).toFixed(0).padStart(6)} MB/s` : `${name.padEnd(10)}  (not installed)`);
  console.log(`file: ${basename(file)} (${mb.toFixed(0)} MB), ${args.runs} runs each, medians; Chromium with a disk-backed profile, the app's default pipeline and options`);
  console.log(row('wc -l', times.wc));
  console.log(row('mawk', times.mawk));
  console.log(row('lnav', times.lnav));
  console.log(row('app', times.app));
  const app = rate(median(times.app));
  if (times.mawk.length) console.log(`app/mawk ${(app / rate(median(times.mawk))).toFixed(2)}x (budget ≥ 1)`);
  if (times.lnav.length) console.log(`app/lnav ${(app / rate(median(times.lnav))).toFixed(2)}x (budget ≥ 3)`);
  console.log(`app/wc   ${(app / rate(median(times.wc))).toFixed(2)}x (the distance to the floor)`);
  console.log(`main-thread tasks ≥ 50 ms: ${longTasks.length}${longTasks.length ? ` (longest ${Math.max(...longTasks).toFixed(0)} ms)` : ''}; screen updates ${median(updates).toFixed(1)}/s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
