/**
 * What running user patterns on the linear-time engine costs: MB/s of `test` (filter, router)
 * and `exec` (counter, extract) through src/engine/text/pattern.ts, beside the browser's own
 * backtracking RegExp on the same lines (its peer, which a hostile pattern can hang), and the
 * time of one hostile pattern on long lines.
 *
 *   npx tsx bench/patterns.ts            # the Loghub samples in ../shared, repeated to ~20 MB
 *   npx tsx bench/patterns.ts --mb 50
 *
 * Figures are noisy on a shared machine: compare the columns of one run, not runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compilePattern } from '../src/engine/text/pattern.ts';

const LOGHUB = resolve(import.meta.dirname, '../../shared/data/loghub');
const mb = Number(process.argv[process.argv.indexOf('--mb') + 1]) || 20;

function sampleLines(): string[] {
  if (!existsSync(LOGHUB)) {
    console.log('no ../shared/data/loghub: using generated lines');
    return Array.from({ length: 2000 }, (_, i) => `2024-01-01 12:00:${String(i % 60).padStart(2, '0')} INFO [worker-${i % 7}] request ${i} took ${i % 97}ms status=${i % 13 === 0 ? 500 : 200}`);
  }
  return readdirSync(LOGHUB, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readFileSync(join(LOGHUB, d.name, `${d.name}_2k.log`), 'utf8').split(/\r?\n/))
    .filter((line) => line !== '');
}

const base = sampleLines();
const lines: string[] = [];
let bytes = 0;
while (bytes < mb * 1e6) {
  for (const line of base) {
    lines.push(line);
    bytes += line.length + 1;
  }
}

function rate(run: () => number): { mbps: number; hits: number } {
  run(); // warm up
  const start = performance.now();
  let hits = 0;
  let rounds = 0;
  while (performance.now() - start < 1500) {
    hits = run();
    rounds++;
  }
  const seconds = (performance.now() - start) / 1000;
  return { mbps: (bytes * rounds) / seconds / 1e6, hits };
}

const CASES: { name: string; source: string; ignoreCase?: boolean }[] = [
  { name: 'literal', source: 'error' },
  { name: 'literal, ignore case', source: 'error', ignoreCase: true },
  { name: 'alternatives', source: 'ERROR|WARN|FATAL' },
  { name: 'alternatives, ignore case', source: 'error|warn|fatal', ignoreCase: true },
  { name: 'regex with a required literal', source: 'size=?\\s*(\\d+)' },
  { name: 'regex starting with a literal', source: 'blk_-?\\d+' },
  { name: 'regex, no literal', source: '\\d+\\.\\d+\\.\\d+\\.\\d+' },
  { name: 'regex, class start', source: '[A-Z][a-z]+Exception' },
];

console.log(`${lines.length.toLocaleString('en-US')} lines, ${(bytes / 1e6).toFixed(1)} MB (shared machine: compare within a row)\n`);
console.log('| pattern | strategy | test MB/s | native RegExp test MB/s | exec MB/s | native exec MB/s | matching lines |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const { name, source, ignoreCase } of CASES) {
  const compiled = compilePattern(source, { ignoreCase });
  if (!compiled.ok) throw new Error(compiled.error);
  const pattern = compiled.value;
  const native = new RegExp(source, ignoreCase ? 'i' : '');
  const test = rate(() => lines.reduce((n, line) => (pattern.test(line) ? n + 1 : n), 0));
  const nativeTest = rate(() => lines.reduce((n, line) => (native.test(line) ? n + 1 : n), 0));
  const exec = rate(() => lines.reduce((n, line) => (pattern.exec(line) !== null ? n + 1 : n), 0));
  const nativeExec = rate(() => lines.reduce((n, line) => (native.exec(line) !== null ? n + 1 : n), 0));
  if (test.hits !== nativeTest.hits || exec.hits !== nativeExec.hits) throw new Error(`${name}: the engines disagree`);
  const f = (x: number) => x.toFixed(0);
  console.log(`| \`${source}\`${ignoreCase ? ' (i)' : ''} (${name}) | ${pattern.strategy} | ${f(test.mbps)} | ${f(nativeTest.mbps)} | ${f(exec.mbps)} | ${f(nativeExec.mbps)} | ${test.hits.toLocaleString('en-US')} |`);
}

// A hostile pattern: the browser's RegExp takes exponential time on these lines (not run here
// beyond 24 characters, where it already takes seconds); the engine, linear time.
const hostile = compilePattern('(a+)+$');
if (!hostile.ok) throw new Error(hostile.error);
const long = `${'a'.repeat(100_000)}!`;
const start = performance.now();
let matched = 0;
for (let i = 0; i < 100; i++) if (hostile.value.test(long)) matched++;
const perLine = (performance.now() - start) / 100;
const nativeStart = performance.now();
/(a+)+$/.test(`${'a'.repeat(24)}!`);
const nativeMs = performance.now() - nativeStart;
console.log(`\n(a+)+$ on a 100 KB line of a…!: ${perLine.toFixed(2)} ms per line on the engine (${matched} matched); native RegExp on 25 characters: ${nativeMs.toFixed(0)} ms`);
