/**
 * The cost of tracing: the same pipeline on the same file with tracing off and with 1 line in
 * 100 traced, alternating, so both see the same machine. Budget (issue 3): within 10%.
 *
 *   npm run bench:tracing                      # bench/data/app-200MB.log (generated if missing)
 *   npm run bench:tracing -- FILE --runs 5
 */
import { formatIssues, parsePipeline } from '../src/engine/pipeline/config.ts';
import { runLog, type RunOptions } from '../src/engine/run.ts';
import { fileSource } from './file-source.ts';
import { COST_PIPELINE, costBenchArgs } from './cost-bench.ts';


async function main(): Promise<void> {
  const { file, runs } = await costBenchArgs(process.argv.slice(2));
  const config = parsePipeline(COST_PIPELINE);
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
