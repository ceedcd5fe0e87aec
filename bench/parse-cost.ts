/**
 * What `parse` (format detection, multi-line joining, fields) costs: the app's default pipeline
 * with and without its `parse` processor on the same file, over files built from the Loghub
 * samples. Issue 6's budget: parsing costs at most 2x the throughput without it.
 *
 *   npm run bench:parse                                  # builds bench/data/loghub-*.log if missing
 *   npm run bench:parse -- --size 50MB --all-size 200MB --runs 5
 *   npm run bench:parse -- --only HDFS,BGL --runs 7
 *   npm run bench:parse -- --chunk 1MiB                  # batches as the other benches read them
 *
 * See bench/README.md for what each figure means.
 */
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { formatIssues, parsePipeline, type PipelineConfig } from '../src/engine/pipeline/config.ts';
import type { Report } from '../src/engine/report/report.ts';
import { runLog } from '../src/engine/run.ts';
import { DEFAULT_PRESET, presetText } from '../src/ui/presets.ts';
import { fileSource } from './file-source.ts';
import { parseSize } from './generate.ts';

const LOGHUB = resolve(import.meta.dirname, '../../shared/data/loghub');
const DATA = resolve(import.meta.dirname, 'data');
const BUDGET = 2;

interface Args {
  size: string;
  allSize: string;
  runs: number;
  /** Bytes per read: each read's lines are one batch through the pipeline. */
  chunk: string;
  only?: string[];
}

function parseArgs(argv: string[]): Args {
  // 64 KiB: what Chromium's File stream hands the worker, so batches are the app's.
  const args: Args = { size: '50MB', allSize: '200MB', runs: 5, chunk: '64KiB' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) fail(`${flag} needs a value`);
    if (flag === '--size') args.size = value;
    else if (flag === '--all-size') args.allSize = value;
    else if (flag === '--runs') args.runs = Math.max(1, Number(value) || 1);
    else if (flag === '--chunk') args.chunk = value;
    else if (flag === '--only') args.only = value.split(',');
    else fail(`unexpected argument ${flag}\nusage: parse-cost.ts [--size 50MB] [--all-size 200MB] [--runs 5] [--chunk 64KiB] [--only HDFS,BGL]`);
  }
  return args;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** Each sample's raw log, ending with a line break (most end without one) so copies do not glue lines together. */
function loghubSamples(only?: string[]): { name: string; bytes: Buffer }[] {
  if (!existsSync(LOGHUB)) fail(`no Loghub samples at ${LOGHUB}`);
  const names = readdirSync(LOGHUB, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(LOGHUB, entry.name, `${entry.name}_2k.log`)))
    .map((entry) => entry.name)
    .filter((name) => !only || only.includes(name))
    .sort();
  if (names.length === 0) fail(`no samples found${only ? ` for --only ${only.join(',')}` : ''}`);
  return names.map((name) => {
    const raw = readFileSync(join(LOGHUB, name, `${name}_2k.log`));
    const eol = raw.includes('\r\n') ? '\r\n' : '\n';
    return { name, bytes: raw.at(-1) === 0x0a ? raw : Buffer.concat([raw, Buffer.from(eol)]) };
  });
}

/** `block` repeated until the file holds at least `size` bytes; kept when it is already there. */
async function repeatedFile(path: string, block: Buffer, size: number): Promise<void> {
  const copies = Math.ceil(size / block.length);
  if (existsSync(path) && statSync(path).size === copies * block.length) return;
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  for (let i = 0; i < copies; i++) {
    if (!out.write(block)) await new Promise<void>((done) => out.once('drain', done));
  }
  await new Promise<void>((done, reject) => out.end((err?: Error | null) => (err ? reject(err) : done())));
}

function pipelines(): { withParse: PipelineConfig; withoutParse: PipelineConfig } {
  const text = presetText(DEFAULT_PRESET);
  if (!text) fail(`no "${DEFAULT_PRESET}" preset`);
  const preset = JSON.parse(text) as { processors: { type: string }[] };
  const without = { ...preset, processors: preset.processors.filter((p) => p.type !== 'parse') };
  if (without.processors.length === preset.processors.length) fail('the default pipeline has no parse processor');
  const check = (value: unknown) => {
    const parsed = parsePipeline(value);
    if (!parsed.ok) fail(formatIssues(parsed.error));
    return parsed.value;
  };
  return { withParse: check(preset), withoutParse: check(without) };
}

interface Timing {
  seconds: number;
  /** CPU time of the process (all its threads, the garbage collector's included). */
  cpuSeconds: number;
}

async function timeRun(path: string, config: PipelineConfig, chunkBytes: number): Promise<Timing & { report: Report }> {
  const source = await fileSource(path, chunkBytes);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const report = await runLog(source, config, { runId: 'bench', fileName: basename(path) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  if (report.run.status !== 'completed') fail(`${path}: run ${report.run.status}: ${report.run.message ?? ''}`);
  return { seconds, cpuSeconds: (user + system) / 1e6, report };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Result {
  label: string;
  mb: number;
  /** Medians, in seconds: wall time, and CPU time. */
  without: number;
  with: number;
  cpuWithout: number;
  cpuWith: number;
  format: string;
}

/** Both pipelines on one file, alternating (and swapping which goes first) so drift hits both. */
async function measure(label: string, path: string, args: Args, configs: ReturnType<typeof pipelines>): Promise<Result> {
  const mb = statSync(path).size / 1e6;
  const chunkBytes = parseSize(args.chunk);
  // Untimed: the page cache holds the file and the JIT has seen both paths before timing starts.
  await timeRun(path, configs.withoutParse, chunkBytes);
  const { report } = await timeRun(path, configs.withParse, chunkBytes);
  const times = { without: [] as Timing[], with: [] as Timing[] };
  for (let run = 0; run < args.runs; run++) {
    const order = run % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const);
    for (const which of order) times[which].push(await timeRun(path, which === 'with' ? configs.withParse : configs.withoutParse, chunkBytes));
  }
  const f = report.format;
  const unmatched = f && report.run.linesRead > 0 ? ` ${((100 * f.unmatchedLines) / report.run.linesRead).toFixed(0)}% unmatched` : '';
  const format = f ? `${f.id} (${f.confidence})${unmatched}` : 'none';
  const wall = (list: Timing[]) => median(list.map((t) => t.seconds));
  const cpu = (list: Timing[]) => median(list.map((t) => t.cpuSeconds));
  const result = { label, mb, without: wall(times.without), with: wall(times.with), cpuWithout: cpu(times.without), cpuWith: cpu(times.with), format };
  console.log(row(result));
  return result;
}

function row(r: Result): string {
  const ratio = r.with / r.without;
  return [
    r.label.padEnd(22),
    `${(r.mb / r.without).toFixed(0).padStart(6)} MB/s`,
    `${(r.mb / r.with).toFixed(0).padStart(6)} MB/s`,
    `${ratio.toFixed(2).padStart(6)}x${ratio > BUDGET ? ' OVER' : '     '}`,
    `${(r.cpuWith / r.cpuWithout).toFixed(2).padStart(6)}x`,
    `  ${r.format}`,
  ].join(' ');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const samples = loghubSamples(args.only);
  const configs = pipelines();
  const describe = (config: PipelineConfig) => config.processors.map((p) => p.type).join(' -> ');
  console.log(`pipeline: ${describe(configs.withParse)}, against ${describe(configs.withoutParse)}`);
  console.log(`reads of ${args.chunk} (one batch each); ${args.runs} run(s) of each, alternating, medians; ratio = time with parse / time without (budget ${BUDGET}x)`);
  console.log('cpu: the same ratio in CPU time of the process, which other load on the machine disturbs less');
  console.log('');
  console.log(`${'file'.padEnd(22)} ${'without'.padStart(11)} ${'with parse'.padStart(11)} ${'ratio'.padStart(7)}      ${'cpu'.padStart(6)}   format detected`);

  const results: Result[] = [];
  for (const sample of samples) {
    const path = join(DATA, `loghub-${sample.name}-${args.size}.log`);
    await repeatedFile(path, sample.bytes, parseSize(args.size));
    results.push(await measure(sample.name, path, args, configs));
  }

  // Every sample in turn, repeated: detection sees the first sample's lines and keeps that format.
  const allPath = join(DATA, `loghub-all${args.only ? `-${samples.map((s) => s.name).join('+')}` : ''}-${args.allSize}.log`);
  await repeatedFile(allPath, Buffer.concat(samples.map((s) => s.bytes)), parseSize(args.allSize));
  console.log('');
  const all = await measure('all samples, one file', allPath, args, configs);

  // The per-format files as one workload: total time with parse over total time without.
  const sum = (pick: (r: Result) => number) => results.reduce((total, r) => total + pick(r), 0);
  const perFormat: Result = {
    label: 'per-format files, sum',
    mb: sum((r) => r.mb),
    without: sum((r) => r.without),
    with: sum((r) => r.with),
    cpuWithout: sum((r) => r.cpuWithout),
    cpuWith: sum((r) => r.cpuWith),
    format: '',
  };
  console.log(row(perFormat));

  const over = [...results, all, perFormat].filter((r) => r.with / r.without > BUDGET);
  console.log('');
  console.log(over.length === 0 ? `all within the ${BUDGET}x budget` : `over the ${BUDGET}x budget: ${over.map((r) => r.label).join(', ')}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
