/**
 * The cost of tracing: the same pipeline on the same file with tracing off and with 1 line in
 * 100 traced, alternating, so both see the same machine. Budget (issue 3): within 10%.
 *
 *   npm run bench:tracing                      # bench/data/app-200MB.log (generated if missing)
 *   npm run bench:tracing -- FILE --runs 5
 */
import { existsSync } from 'node:fs';
import { formatIssues, parsePipeline } from '../src/engine/pipeline/config.ts';
import { runLog, type RunOptions } from '../src/engine/run.ts';
import { fileSource } from './file-source.ts';
import { writeLog } from './generate.ts';

const PIPELINE = {
  processors: [
    { type: 'level', id: 'level' },
    { type: 'router', id: 'start', routes: [{ branch: 'problems', levels: ['WARN', 'ERROR', 'FATAL'], next: 'problems' }], default: 'rest' },
    { type: 'counter', id: 'problems', by: 'pattern', pattern: '\\] (\\S+):' },
    { type: 'filter', id: 'rest', pattern: 'GET|POST' },
  ],
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs') ?? 'bench/data/app-200MB.log';
  if (!existsSync(file)) {
    console.log(`generating ${file} (200 MB)...`);
    await writeLog(file, { bytes: 200e6, seed: 1 });
  }
  const config = parsePipeline(PIPELINE);
  if (!config.ok) throw new Error(formatIssues(config.error));
  const source = await fileSource(file);

  const time = async (options: RunOptions) => {
    const started = performance.now();
    const report = await runLog(source, config.value, options);
    return { seconds: (performance.now() - started) / 1000, traces: report.traces.seen, lines: report.run.linesRead };
  };
  await time({}); // warm-up: JIT and page cache
  const off: number[] = [];
  const on: number[] = [];
  let traces = 0;
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    off.push((await time({})).seconds);
    const traced = await time({ trace: { mode: 'sample', n: 100 } });
    on.push(traced.seconds);
    traces = traced.traces;
    lines = traced.lines;
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const mb = source.size / 1e6;
  console.log(`file: ${file} (${mb.toFixed(1)} MB, ${lines.toLocaleString('en')} lines), ${runs} run(s) each, median shown`);
  console.log(`tracing off       ${median(off).toFixed(3)} s  ${(mb / median(off)).toFixed(0)} MB/s`);
  console.log(`tracing 1 in 100  ${median(on).toFixed(3)} s  ${(mb / median(on)).toFixed(0)} MB/s  (${traces.toLocaleString('en')} traces made)`);
  console.log(`on/off throughput ${(median(off) / median(on)).toFixed(3)}  (budget: at least 0.90)`);
}

await main();
