/**
 * What the cost benches (tracing, persistence in Node and in Chromium) share: the pipeline they
 * run, so their figures describe the same work, and their `[FILE] [--runs N]` arguments.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeLog } from './generate.ts';

/** Levels, a router sending WARN and worse to a pattern counter, a filter for the rest. */
export const COST_PIPELINE = {
  processors: [
    { type: 'level', id: 'level' },
    { type: 'router', id: 'start', routes: [{ branch: 'problems', levels: ['WARN', 'ERROR', 'FATAL'], next: 'problems' }], default: 'rest' },
    { type: 'counter', id: 'problems', by: 'pattern', pattern: '\\] (\\S+):' },
    { type: 'filter', id: 'rest', pattern: 'GET|POST' },
  ],
};

/** The log file (absolute; bench/data/app-200MB.log by default, generated when missing) and the rounds to run. */
export async function costBenchArgs(argv: readonly string[], defaultRuns = 3): Promise<{ file: string; runs: number }> {
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : defaultRuns;
  const file = resolve(argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--runs') ?? 'bench/data/app-200MB.log');
  if (!existsSync(file)) {
    console.log(`generating ${file} (200 MB)...`);
    await writeLog(file, { bytes: 200e6, seed: 1 });
  }
  return { file, runs };
}
