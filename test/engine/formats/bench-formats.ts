/**
 * Throughput of detection + parsing (not a test: timings never are). Prints lines/s for
 *  - the Loghub samples, each detected and parsed on its own, and concatenated into one file
 *    (detected once: lines of the other eleven formats go to the plain fallback);
 *  - the first 30 MB of bench/data/app-200MB.log (or --file), parse alone, parse + multi-line
 *    joining, against the engine's pipeline on the same bytes (runLog, default bench pipeline)
 *    for the budget ratio.
 *
 *   npx tsx test/engine/formats/bench-formats.ts [--file path] [--mb 30]
 *
 * Timings are the best of 5 rounds, interleaved: the least disturbed on a shared machine.
 */
import { closeSync, existsSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSource } from '../../../bench/file-source.ts';
import { detectFormat, EntryJoiner, LineParser } from '../../../src/engine/formats/index.ts';
import { parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { runLog } from '../../../src/engine/run.ts';
import type { LogRecord } from '../../../src/engine/types.ts';
import { LOGHUB_SAMPLES, readLoghubLines } from '../processors/loghub.ts';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const FILE = flag('--file') ?? new URL('../../../bench/data/app-200MB.log', import.meta.url).pathname;
const MB = Number(flag('--mb') ?? 30);
const ROUNDS = 5;

/** Best of ROUNDS timings of fn (ms), after one warm-up round: the least disturbed by other work. */
function time(fn: () => void): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function rate(lines: number, ms: number): string {
  return `${((lines / ms) * 1000 / 1e6).toFixed(2)} M lines/s`;
}

function parseAll(lines: string[]): LineParser {
  const parser = new LineParser(detectFormat(lines).format);
  for (let i = 0; i < lines.length; i++) parser.parse(lines[i]);
  return parser;
}

// ---- Loghub ----
const samples = LOGHUB_SAMPLES.map((s) => readLoghubLines(s));
const all = samples.flat();
const perSample = time(() => samples.forEach(parseAll));
const concatenated = time(() => parseAll(all));
const concatParser = parseAll(all);
const detectMs = time(() => samples.forEach((lines) => detectFormat(lines))) / samples.length;
console.log(`Loghub, ${all.length} lines:`);
console.log(`  detection: ${detectMs.toFixed(2)} ms per file (${LOGHUB_SAMPLES.length} samples)`);
console.log(`  each sample detected and parsed: ${rate(all.length, perSample)}`);
console.log(`  concatenated (detected ${concatParser.format.id}, ${concatParser.unmatched} lines to plain): ${rate(all.length, concatenated)}`);

console.log('  parse only, per sample:');
samples.forEach((lines, i) => {
  const format = detectFormat(lines).format;
  const ms = time(() => {
    const parser = new LineParser(format);
    for (let k = 0; k < lines.length; k++) parser.parse(lines[k]);
  });
  console.log(`    ${LOGHUB_SAMPLES[i].padEnd(10)} ${format.id.padEnd(18)} ${rate(lines.length, ms)}`);
});

// ---- the app log ----
if (!existsSync(FILE)) {
  console.log(`\n${FILE} is missing: generate it with npx tsx bench/generate.ts --size 30MB --out /tmp/app30.log`);
  process.exit(0);
}
const buffer = Buffer.alloc(MB * 1e6);
const fd = openSync(FILE, 'r');
const read = readSync(fd, buffer, 0, buffer.length, 0);
closeSync(fd);
const text = buffer.subarray(0, buffer.lastIndexOf(10, read - 1) + 1).toString('utf8');
const lines = text.split('\n');
lines.pop();
const records = (): LogRecord[] =>
  lines.map((t, i) => ({ lineNo: i + 1, offset: 0, text: t, level: undefined, ts: undefined, fields: undefined, original: undefined, trace: undefined }));

const detection = detectFormat(lines);
const bytes = Buffer.byteLength(text);
const BATCH = 4096;
let entries = 0;
let joined = 0;
let unmatched = 0;

function parseOnly(): void {
  unmatched = parseAll(lines).unmatched;
}

function joinAndParse(input: LogRecord[]): void {
  const parser = new LineParser(detectFormat(lines).format);
  const joiner = new EntryJoiner(parser.isHeader);
  entries = 0;
  for (let i = 0; i < input.length; i += BATCH) {
    for (const entry of joiner.push(input.slice(i, i + BATCH))) {
      parser.parse(entry.text);
      entries++;
    }
  }
  for (const entry of joiner.finish()) parser.parse(entry.text), entries++;
  joined = joiner.joined;
}

// The pipeline without parse, on the same bytes: the budget is parse+detection within 2x of it.
const path = join(tmpdir(), `linesight-bench-${process.pid}.log`);
writeFileSync(path, text);
const config = parsePipeline(
  JSON.stringify({
    processors: [
      { type: 'level', id: 'level' },
      { type: 'counter', id: 'levels', by: 'level' },
      { type: 'filter', id: 'problems', pattern: 'ERROR|WARN' },
    ],
  }),
);
if (!config.ok) throw new Error('bench pipeline');

// Interleaved rounds, best of each: on a shared machine the best is the least disturbed.
const best = { pipeline: Infinity, parse: Infinity, join: Infinity };
for (let r = 0; r < ROUNDS; r++) {
  let t0 = performance.now();
  await runLog(await fileSource(path), config.value, { snapshotIntervalMs: 1e9 });
  best.pipeline = Math.min(best.pipeline, performance.now() - t0);
  t0 = performance.now();
  parseOnly();
  best.parse = Math.min(best.parse, performance.now() - t0);
  const input = records(); // the run creates its records anyway: not timed
  t0 = performance.now();
  joinAndParse(input);
  best.join = Math.min(best.join, performance.now() - t0);
}
rmSync(path);

const mbps = (ms: number) => `${((bytes / ms) * 1000 / 1e6).toFixed(0)} MB/s`;
console.log(`\n${FILE}, first ${(bytes / 1e6).toFixed(1)} MB, ${lines.length} lines, detected ${detection.format.id} (confidence ${detection.confidence.toFixed(2)}):`);
console.log(`  engine pipeline without parse (level -> counter -> filter): ${rate(lines.length, best.pipeline)}, ${mbps(best.pipeline)}`);
console.log(`  detect + parse every line (${unmatched} unmatched): ${rate(lines.length, best.parse)}, ${mbps(best.parse)}`);
console.log(`  detect + join (${entries} entries, ${joined} lines joined) + parse entries: ${rate(lines.length, best.join)}, ${mbps(best.join)}`);
for (const [what, ms] of [['parse', best.parse], ['join + parse', best.join]] as const) {
  console.log(`  pipeline + ${what}: ${((best.pipeline + ms) / best.pipeline).toFixed(2)}x the time of the pipeline alone (budget: 2x)`);
}
