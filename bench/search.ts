/**
 * Searching a whole file through the Logs view's index, on one core in Node, beside `grep -c`
 * on the same file in the same run: a literal (case-insensitive, as the search box does by
 * default) and a regular expression.
 *
 *   npx tsx bench/search.ts [FILE] [--size 200MB] [--runs 3]
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parsePipeline } from '../src/engine/pipeline/config.ts';
import { LogRun } from '../src/engine/run.ts';
import { LogViews } from '../src/engine/logs/views.ts';
import type { LogQuery, LogViewProgress } from '../src/engine/logs/types.ts';
import { fileSource } from './file-source.ts';
import { parseSize, writeLog } from './generate.ts';

const SEARCHES: { name: string; query: LogQuery['search'] & object; grep: string[] }[] = [
  { name: 'literal "timed out"', query: { text: 'timed out', regex: false, caseSensitive: false }, grep: ['-c', '-i', '-F', 'timed out'] },
  { name: 'regex "user=u-\\d+5 "', query: { text: 'user=u-\\d+5 ', regex: true, caseSensitive: true }, grep: ['-c', '-E', 'user=u-[0-9]+5 '] },
];

function grep(args: string[], file: string): Promise<{ seconds: number; count: number }> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn('grep', [...args, file], { env: { ...process.env, LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('close', () => done({ seconds: Number(process.hrtime.bigint() - started) / 1e9, count: Number(out.trim()) }));
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const size = argv.includes('--size') ? argv[argv.indexOf('--size') + 1] : '200MB';
  const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 3;
  const file = resolve(argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) ?? `bench/data/app-${size}.log`);
  if (!existsSync(file)) await writeLog(file, { bytes: parseSize(size), seed: 1 });
  const mb = statSync(file).size / 1e6;
  const config = parsePipeline({ processors: [{ type: 'counter', by: 'level' }] });
  if (!config.ok) throw new Error('bad pipeline');
  const run = new LogRun(await fileSource(file), config.value);
  await run.execute();
  const views = new LogViews(run.logFile()!);
  const info = (await views.info())!;
  const index = run.logFile()!.index;
  console.log(`file: ${file} (${mb.toFixed(0)} MB, ${info.lines.toLocaleString('en')} lines, ${info.entries.toLocaleString('en')} entries)`);
  console.log(`index: ${(index.bytes / 1e6).toFixed(1)} MB held, ${(index.bytes / info.lines).toFixed(2)} bytes per line`);
  for (const search of SEARCHES) {
    const engine: number[] = [];
    const peer: number[] = [];
    let counts = { engine: 0, grep: 0 };
    for (let i = 0; i < runs; i++) {
      const g = await grep(search.grep, file);
      peer.push(g.seconds);
      const started = performance.now();
      const progress = await new Promise<LogViewProgress>((done) => void views.openView({ search: search.query, onlyMatches: true }, (p) => p.done && done(p)));
      engine.push((performance.now() - started) / 1000);
      counts = { engine: progress.rows, grep: g.count };
    }
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    console.log(
      `${search.name.padEnd(24)} engine (1 core) ${(mb / med(engine)).toFixed(0).padStart(5)} MB/s  grep -c ${(mb / med(peer)).toFixed(0).padStart(5)} MB/s  matches ${counts.engine} vs ${counts.grep} lines`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
