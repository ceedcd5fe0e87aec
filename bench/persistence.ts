/**
 * The cost of keeping a run in IndexedDB while it runs: the same pipeline on the same file,
 * persistence off and on, alternating, so both see the same machine. Budget (issue 4): on
 * costs at most 10% of throughput.
 *
 * This runs in Node with fake-indexeddb, an in-memory IndexedDB written in JavaScript that runs
 * on the engine's own thread. So it measures the CPU the write path takes from the run:
 * snapshots, draining traces/errors/events/points, structured clones and the store's
 * transactions, plus fake-indexeddb's own bookkeeping, which a browser does natively and off
 * the worker's thread. It does not measure Chromium's disk. Read it as an upper bound of what
 * persistence takes from the worker.
 *
 *   npm run bench:persistence                      # bench/data/app-200MB.log (generated if missing)
 *   npm run bench:persistence -- FILE --runs 5
 */
// idb checks values against the IndexedDB globals (IDBRequest, ...): fake-indexeddb provides them.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { BlobLike } from '../src/engine/lines/index.ts';
import { formatIssues, parsePipeline } from '../src/engine/pipeline/config.ts';
import { toConfigJson, type Report } from '../src/engine/report/report.ts';
import { LogRun } from '../src/engine/run.ts';
import { DEFAULT_RETENTION, openLinesightDB, runCaps } from '../src/store/index.ts';
import { RunPersister } from '../src/worker/persist.ts';
import { fileSource } from './file-source.ts';
import { COST_PIPELINE, costBenchArgs } from './cost-bench.ts';

// Tracing on, so checkpoints carry traces as well as events and metric points: the heavier case.
const TRACE = { mode: 'sample', n: 100 } as const;

interface Timing {
  seconds: number;
  lines: number;
  checkpoints: number;
  items: number;
  maxGapMs: number;
  stored: number;
}

/**
 * The file, read so that the engine waits between two chunks while a checkpoint is being
 * written. fake-indexeddb runs one request per macrotask, so without this a checkpoint of a
 * thousand rows would only finish with the file; a browser's IndexedDB works off the worker's
 * thread. Waiting puts all of the write path's work on the run's critical path: an upper bound.
 * With persistence off nothing is ever being written, and the source reads as it is.
 */
function patient(source: BlobLike, writing: () => boolean): BlobLike {
  return {
    ...source,
    stream() {
      const reader = source.stream().getReader();
      return new ReadableStream<Uint8Array<ArrayBuffer>>({
        async pull(controller) {
          while (writing()) await new Promise((resolve) => setImmediate(resolve));
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
    },
  };
}

async function main(): Promise<void> {
  const { file, runs } = await costBenchArgs(process.argv.slice(2));
  const config = parsePipeline(COST_PIPELINE);
  if (!config.ok) throw new Error(formatIssues(config.error));
  const source = await fileSource(file);
  const settings = DEFAULT_RETENTION;
  const caps = runCaps(settings);
  let n = 0;

  const time = async (persist: boolean): Promise<Timing> => {
    const runId = `bench-${++n}`;
    // A fresh database each time: every run pays for a store as empty as the first one's.
    const db = persist ? await openLinesightDB({ factory: new IDBFactory() }) : null;
    const started = performance.now();
    let persister: RunPersister | null = null;
    const run = new LogRun(patient(source, () => persister?.writing ?? false), config.value, {
      runId,
      trace: TRACE,
      caps: { traces: caps.traces, errors: caps.errors, events: caps.events },
    });
    let checkpoints = 0;
    let items = 0;
    let last = started;
    let maxGapMs = 0;
    persister = db
      ? new RunPersister(run, {
          db,
          settings,
          caps,
          pipeline: toConfigJson(config.value),
          tracePolicy: TRACE,
          onCheckpoint: ({ at, items: batch }) => {
            checkpoints++;
            items += batch;
            maxGapMs = Math.max(maxGapMs, at - last);
            last = at;
          },
        })
      : null;
    await persister?.start();
    let report: Report = await run.execute();
    if (persister) report = await persister.finish(report);
    const seconds = (performance.now() - started) / 1000;
    const stored = db ? (await db.get('runs', runId))?.bytesStored ?? 0 : 0;
    db?.close();
    return { seconds, lines: report.run.linesRead, checkpoints, items, maxGapMs, stored };
  };

  await time(false); // warm-up: JIT and page cache
  await time(true);
  const off: number[] = [];
  const on: Timing[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternating, and the order flips each round so neither side always runs second.
    if (i % 2 === 0) {
      off.push((await time(false)).seconds);
      on.push(await time(true));
    } else {
      on.push(await time(true));
      off.push((await time(false)).seconds);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const mb = source.size / 1e6;
  const offS = median(off);
  const onS = median(on.map((t) => t.seconds));
  const sample = on[Math.floor(on.length / 2)];
  const ratio = offS / onS;
  console.log('Persistence cost, Node + fake-indexeddb: the write path’s CPU on the engine’s thread, not Chromium’s disk.');
  console.log(`file: ${file} (${mb.toFixed(1)} MB, ${sample.lines.toLocaleString('en')} lines), tracing 1 in 100, ${runs} run(s) each, alternating, median shown`);
  console.log(`persistence off  ${offS.toFixed(3)} s  ${(mb / offS).toFixed(0)} MB/s`);
  console.log(
    `persistence on   ${onS.toFixed(3)} s  ${(mb / onS).toFixed(0)} MB/s  (${sample.checkpoints} checkpoints, ${sample.items.toLocaleString('en')} items written, longest gap ${sample.maxGapMs.toFixed(0)} ms, ~${(sample.stored / 1e6).toFixed(1)} MB stored)`,
  );
  console.log(`on/off throughput ${ratio.toFixed(3)}  (budget: at least 0.90) ${ratio >= 0.9 ? 'within budget' : 'OVER BUDGET'}`);
}

await main();
