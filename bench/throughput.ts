/**
 * Engine throughput against `wc -l` and an equivalent `mawk` script, on the same file in the
 * same run, so the ratios hold even when the machine's absolute speed does not.
 *
 *   npm run bench                                    # generates bench/data/app-200MB.log if missing
 *   npm run bench -- --size 1GB                      # bench/data/app-1GB.log
 *   npm run bench -- my.log --pipeline p.json --mawk p.awk
 *
 * See bench/README.md for what each figure means.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileSource } from './file-source.ts';
import { basename } from 'node:path';
import { runLog } from '../src/engine/run.ts';
import { formatIssues, parsePipeline } from '../src/engine/pipeline/config.ts';
import type { CounterState, ProcessorStats } from '../src/engine/snapshot.ts';
import { parseSize, writeLog } from './generate.ts';

// Every line's level is read as it comes in (it feeds the levels chart), so counting by level
// needs no `level` processor: that would detect it a second time.
const DEFAULT_PIPELINE = {
  processors: [
    { type: 'counter', id: 'levels', by: 'level' },
    { type: 'filter', id: 'problems', pattern: 'ERROR|WARN' },
  ],
};

/**
 * The default pipeline in mawk: find each line's level (the LEVEL field of the
 * `date time LEVEL [thread]` family, else a JSON "level", else UNKNOWN), count lines per
 * level, and pass on the lines matching ERROR|WARN. Kept lines are written out, as a user
 * of mawk would (`> problems.log`); /dev/null keeps disk speed out of the figure.
 */
const DEFAULT_MAWK = String.raw`
BEGIN { split("TRACE DEBUG INFO WARN ERROR FATAL", names, " "); for (i in names) known[names[i]] = 1 }
{
  if ($3 in known) level = $3
  else if (match($0, /"level":"[A-Za-z]+"/)) level = toupper(substr($0, RSTART + 9, RLENGTH - 10))
  else level = "UNKNOWN"
  count[level]++
}
/ERROR|WARN/ { kept++; print > "/dev/null" }
END { for (level in count) print level, count[level]; print "kept", kept + 0 }
`;

interface Args {
  file?: string;
  size?: number;
  sizeLabel?: string;
  pipeline?: string;
  mawk?: string;
  runs: number;
  seed: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { runs: 3, seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag.startsWith('--') && value === undefined) fail(`${flag} needs a value`);
    switch (flag) {
      case '--size':
        args.size = parseSize(value);
        args.sizeLabel = value.replace(/\s+/g, '');
        i++;
        break;
      case '--pipeline':
        args.pipeline = value;
        i++;
        break;
      case '--mawk':
        args.mawk = value;
        i++;
        break;
      case '--runs':
        args.runs = Math.max(1, Number(value) || 1);
        i++;
        break;
      case '--seed':
        args.seed = Number(value);
        i++;
        break;
      default:
        if (flag.startsWith('--') || args.file) {
          fail(`unexpected argument ${flag}\nusage: throughput.ts [FILE] [--size 200MB] [--pipeline p.json] [--mawk p.awk] [--runs 3]`);
        }
        args.file = flag;
    }
  }
  return args;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a command to completion and returns its stdout and wall time (spawn included: it is part of the cost a user pays). */
function timeCommand(command: string, args: string[]): Promise<{ seconds: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // C locale: byte semantics for both tools, as the engine works on bytes.
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LC_ALL: 'C' } });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (data: string) => (stdout += data));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`${command} exited with ${code}`));
      else resolve({ seconds, stdout });
    });
  });
}

interface EngineResult {
  seconds: number;
  peakRssMb: number;
  counters: CounterState[];
  processors: ProcessorStats[];
}

async function timeEngine(path: string, config: Parameters<typeof runLog>[1]): Promise<EngineResult> {
  const blob = await fileSource(path);
  let peakRss = process.memoryUsage.rss();
  const started = process.hrtime.bigint();
  const report = await runLog(blob, config, { runId: 'bench', fileName: basename(path) }, {
    onSnapshot() {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  // Only for the cross-check against mawk; read loosely so a report change never breaks timing.
  const loose = report as unknown as { counters?: CounterState[]; processors?: ProcessorStats[] };
  return { seconds, peakRssMb: peakRss / 2 ** 20, counters: loose.counters ?? [], processors: loose.processors ?? [] };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.file && args.size === undefined) {
    args.size = parseSize('200MB');
    args.sizeLabel = '200MB';
  }
  const file = args.file ?? `bench/data/app-${args.sizeLabel}.log`;
  if (/\.(gz|zst)$/.test(file)) fail('compare on an uncompressed file: wc and mawk would read the compressed bytes');

  if (!hasCommand('wc')) fail('wc not found (it comes with coreutils)');
  if (!hasCommand('mawk')) fail('mawk not found: install it with `apt-get install -y mawk`, then run the bench again');

  if (!existsSync(file)) {
    if (args.size === undefined) fail(`${file} does not exist; pass --size 200MB to generate it`);
    console.log(`generating ${file} (${args.sizeLabel}, seed ${args.seed}) ...`);
    await writeLog(file, { bytes: args.size, seed: args.seed });
  }

  const pipelineText = args.pipeline ? readFileSync(args.pipeline, 'utf8') : JSON.stringify(DEFAULT_PIPELINE);
  const parsed = parsePipeline(pipelineText);
  if (!parsed.ok) fail(`invalid pipeline ${args.pipeline ?? '(default)'}:\n${formatIssues(parsed.error)}`);
  const mawkScript = args.mawk ? readFileSync(args.mawk, 'utf8') : DEFAULT_MAWK;
  if (args.pipeline && !args.mawk) {
    console.warn('note: --pipeline without --mawk compares against the default mawk script, which may do different work');
  }

  const bytes = statSync(file).size;
  const mb = bytes / 1e6;
  // Untimed first pass so the page cache holds the file and no contestant pays the disk.
  const warm = await timeCommand('wc', ['-l', file]);
  const lines = Number(warm.stdout.trim().split(/\s+/)[0]);
  console.log(`file: ${file} (${mb.toFixed(1)} MB, ${lines.toLocaleString('en')} lines), ${args.runs} run(s) each, median shown`);
  console.log(`pipeline: ${parsed.value.processors.map((p) => `${p.type}#${p.id}`).join(' -> ')}`);

  const times = { wc: [] as number[], mawk: [] as number[], engine: [] as number[] };
  let mawkOut = '';
  let engine: EngineResult | undefined;
  for (let run = 0; run < args.runs; run++) {
    // Interleaved so background noise spreads over all three rather than hitting one.
    times.wc.push((await timeCommand('wc', ['-l', file])).seconds);
    const m = await timeCommand('mawk', [mawkScript, file]);
    times.mawk.push(m.seconds);
    mawkOut = m.stdout;
    engine = await timeEngine(file, parsed.value);
    times.engine.push(engine.seconds);
  }

  const rate = (seconds: number) => mb / seconds;
  const row = (name: string, values: number[]) =>
    `${name.padEnd(8)} ${median(values).toFixed(3).padStart(9)} s ${rate(median(values)).toFixed(0).padStart(7)} MB/s`;
  console.log('');
  console.log(row('wc -l', times.wc));
  console.log(row('mawk', times.mawk));
  console.log(row('engine', times.engine) + `   peak RSS ${engine!.peakRssMb.toFixed(0)} MB`);
  const engineRate = rate(median(times.engine));
  console.log('');
  console.log(`engine/mawk ${(engineRate / rate(median(times.mawk))).toFixed(2)}x   (throughput ratio; budget: above 1)`);
  console.log(`engine/wc   ${(engineRate / rate(median(times.wc))).toFixed(2)}x   (budget: a small factor below 1)`);

  // Same answers or the race is not fair: show both sides of the default pipeline's result.
  if (!args.pipeline || args.mawk) {
    console.log('');
    console.log(`mawk:   ${mawkOut.trim().split('\n').sort().join(', ')}`);
    const counts = engine!.counters.flatMap((c) => c.counts.map(([key, n]) => `${key} ${n}`)).sort();
    const lastId = parsed.value.processors.at(-1)?.id;
    const kept = engine!.processors.find((p) => p.id === lastId);
    if (kept) counts.push(`kept ${kept.linesOut}`);
    console.log(`engine: ${counts.join(', ')}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
