import type { AlertView } from '../engine/metrics/alerts.ts';
import { parsePipeline } from '../engine/pipeline/config.ts';
import { describeProcessors } from '../engine/processors/registry.ts';
import { MAX_TRACES, type TracePolicy } from '../engine/observe/types.ts';
import { toConfigJson, type Observations, type Report } from '../engine/report/report.ts';
import { inProcessPool, LogRun, type ScanPool } from '../engine/run.ts';
import { ALL_FORMATS } from '../engine/formats/registry.ts';
import type { RunSnapshot } from '../engine/snapshot.ts';
import {
  clampRetention,
  DEFAULT_RETENTION,
  isTimeZoneOffset,
  loadRetention,
  runCaps,
  updateRunAlerts,
  type LinesightDatabase,
  type RetentionSection,
  type RetentionSettings,
} from '../store/index.ts';
import { clearOutputs, IN_MEMORY_OUTPUT_BYTES, OpfsOutput, outputFile, outputName, probeOutputStorage, type OutputOptions, type OutputStorage, type OutputSummary } from './output.ts';
import { WorkerPool } from './pool.ts';
import { LogViews, searchHere, type BlockSearcher } from '../engine/logs/views.ts';
import type { LogIndexInfo, LogQuery, LogRow, LogViewProgress } from '../engine/logs/types.ts';
import { retentionOf, RunPersister, workerStore, type RunReport, type StorageStatus } from './persist.ts';

export interface StartRun {
  runId: string;
  /** The pipeline config as JSON text (validated again here: the worker trusts nothing). */
  pipeline: string;
  /** Keep the pipeline's output lines so they can be saved to a file. */
  keepOutput: boolean;
  /** Which lines to trace through the pipeline; null: tracing off. */
  trace: TracePolicy | null;
  /** Traces kept (most recent), 1 to 10,000; it overrides the retention setting's traces per run for this run. */
  traceCap: number;
  /** Retention settings in force (the UI's, as saved in Settings); absent: those stored, or the defaults. */
  retention?: RetentionSettings;
  /** false: keep this run out of IndexedDB (benchmarks compare with and without). Default true. */
  persist?: boolean;
  /** A format id, or "auto": overrides the pipeline's `parse` format for this run. */
  format?: string;
  /** The user's custom formats (plain JSON specs), checked again here; a bad one is left out with an event. */
  customFormats?: unknown[];
  /** The zone of timestamps written without one, in minutes east of UTC; absent: UTC. */
  timeZoneOffsetMinutes?: number;
  /** Range workers to read with; absent: as many as the machine has cores. */
  workers?: number;
}

/** A built-in log format, as the UI lists it. */
export interface FormatInfo {
  id: string;
  name: string;
  family: string;
  description: string;
}

export interface RunResult {
  /** The engine's report plus `retention`; a run the client had to stop by force has none. */
  report: Report & { retention?: RetentionSection };
  output: OutputSummary | null;
  /** How the run was kept in the history; null when it was not tried (persist: false). */
  storage: StorageStatus | null;
}

let current: AbortController | null = null;
/** Held for the worker's lifetime (see `hold`). */
let lifeline: MessagePort | null = null;
/** The range workers, kept from run to run (started on the first). */
let pool: ScanPool | null = null;
/** The output files of the last run, in file order. */
let latestOutputs: string[] = [];
/** The Logs view of the live or last run (made once its head is read). */
let logViews: LogViews | null = null;
let logViewsOf: LogRun | null = null;

/** Searches for the Logs view go to the range workers when there are some. */
const searchInWorkers: BlockSearcher = (file, blocks, search, signal) =>
  pool instanceof WorkerPool ? pool.search(file.blob as File, file.plan, blocks, search, signal) : searchHere(file, blocks, search, signal);

const COMPRESSED_LOGS =
  'The lines of a compressed file (.gz, .zst) cannot be shown yet: its counts, charts and patterns are here; decompress it (gunzip, unzstd) and open it again to read its lines.';

/** A stored run's file(s) read again for its Logs view (see `logReopen`); replaced by the next run. */
let reopened: LogRun | null = null;

function currentViews(): LogViews | null {
  const shown = reopened ?? latest;
  if (logViewsOf !== shown || logViews === null) {
    const files = shown?.logFiles() ?? [];
    if (files.length === 0) return null;
    // Offsets are of the decoded bytes: a compressed file cannot be sliced at them.
    const compressed = shown!.parallelism.compressed ? COMPRESSED_LOGS : null;
    logViews = new LogViews(files, searchInWorkers, compressed);
    logViewsOf = shown;
  }
  return logViews;
}
/** The live run, or the last one: its traces, errors and events are asked for on demand. */
let latest: LogRun | null = null;
/**
 * Where the last run's final report is kept, once it is (null: not kept). Alert actions taken
 * after the run ended are written there too, so the history shows them.
 */
let latestKept: Promise<{ db: LinesightDatabase; runId: string } | null> = Promise.resolve(null);
/** Writes of alert actions, one after another, each with the alerts as they then are. */
let alertWrites: Promise<unknown> = Promise.resolve();

/** The worker's whole surface: a plain object over the engine. */
export const api = {
  describeProcessors,

  /** Answers while the worker is alive and gets a turn (the page's check during a run). */
  ping(): true {
    return true;
  },

  /** Keeps one end of a channel whose other end tells the page at once when this worker is gone. */
  hold(port: MessagePort): void {
    lifeline = port;
    lifeline.start();
  },

  /** The built-in formats, in detection order (plain text last). */
  formats(): FormatInfo[] {
    return ALL_FORMATS.map(({ id, name, family, description }) => ({ id, name, family, description }));
  },

  validatePipeline(text: string) {
    return parsePipeline(text);
  },

  /**
   * Runs a file, keeping it in IndexedDB as it goes (see persist.ts). `onStorage` hears how
   * that goes: a full disk or a missing IndexedDB is told there, and never stops the run.
   */
  async run(
    /** One file, or several read as one run (merged by time in the Logs view). */
    file: File | File[],
    start: StartRun,
    onSnapshot: (snapshot: RunSnapshot) => void,
    onStorage?: (status: StorageStatus) => void,
  ): Promise<RunResult> {
    const config = parsePipeline(start.pipeline);
    if (!config.ok) throw new Error(config.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
    current?.abort();
    const controller = (current = new AbortController());
    const persist = start.persist !== false;
    const store = persist ? await workerStore() : null;
    const settings = clampRetention(start.retention ?? (store?.db ? await loadRetention(store.db).catch(() => DEFAULT_RETENTION) : DEFAULT_RETENTION));
    const caps = { ...runCaps(settings), traces: wholeIn(start.traceCap, 1, MAX_TRACES, settings.tracesPerRun) };
    const workers = wholeIn(start.workers, 1, 64, defaultWorkers());
    latestOutputs = [];
    if (start.keepOutput) await clearOutputs();
    // Where the browser keeps files in memory, a kept output costs memory: it is held to a bound, shared by the ranges.
    const inMemory = start.keepOutput && (await probeOutputStorage()) === 'memory';
    const target = start.keepOutput
      ? (range: number, ranges: number): OutputOptions => ({
          name: outputName(start.runId, range),
          ...(inMemory ? { maxBytes: Math.floor(IN_MEMORY_OUTPUT_BYTES / ranges), limitReason: 'this browser keeps it in memory, not on disk' } : {}),
        })
      : null;
    if (typeof Worker === 'function') {
      let workerPool = pool instanceof WorkerPool && pool.size === workers ? pool : null;
      if (workerPool === null) {
        if (pool instanceof WorkerPool) pool.terminate();
        pool = workerPool = new WorkerPool(workers);
      }
      workerPool.output = target;
    } else {
      // Where workers cannot start (Node, for tests), the ranges are read in this thread.
      pool = inProcessPool(1, target ? (range) => OpfsOutput.open(target(range, 1)) : undefined);
    }
    const run = new LogRun(
      file,
      config.value,
      {
        runId: start.runId,
        ...(Array.isArray(file) ? {} : { fileName: file.name }),
        signal: controller.signal,
        trace: start.trace,
        caps: { traces: caps.traces, errors: caps.errors, events: caps.events },
        ...(typeof start.format === 'string' && start.format ? { format: start.format } : {}),
        ...(Array.isArray(start.customFormats) ? { customFormats: start.customFormats } : {}),
        ...(isTimeZoneOffset(start.timeZoneOffsetMinutes) ? { timeZoneOffsetMinutes: start.timeZoneOffsetMinutes } : {}),
        pool: pool!,
      },
      { onSnapshot },
    );
    latest = run;
    reopened = null;
    let kept: (where: { db: LinesightDatabase; runId: string } | null) => void = () => {};
    latestKept = new Promise((resolve) => (kept = resolve));
    const persister = store
      ? new RunPersister(run, {
          db: store.db,
          reason: store.db ? undefined : store.reason,
          settings,
          caps,
          pipeline: toConfigJson(config.value),
          tracePolicy: start.trace,
          onStatus: (status) => void onStorage?.(status),
        })
      : null;
    await persister?.start();
    let finished = false;
    try {
      const report = await run.execute();
      const final: RunReport = persister ? await persister.finish(report) : { ...report, retention: retentionOf(report, caps) };
      finished = true;
      kept(store?.db && persister?.status.state === 'saved' ? { db: store.db, runId: start.runId } : null);
      // Range workers hand back their output's summary; an in-thread scan, its sink.
      const outputs = run.outputs.flatMap((o) => (o instanceof OpfsOutput ? [o.summary] : o ? [o as OutputSummary] : []));
      latestOutputs = outputs.flatMap((o) => (o.name ? [o.name] : []));
      return { report: final, output: start.keepOutput ? joinOutputs(outputs) : null, storage: persister?.status ?? null };
    } finally {
      kept(null);
      if (!finished) persister?.abandon();
      if (current === controller) current = null;
    }
  },

  cancel(): void {
    current?.abort();
  },

  /** Traces, errors and events of the live or last run (null before any run). */
  observations(): Observations | null {
    return latest?.observations() ?? null;
  },

  /**
   * What a person does with an alert of the live or last run: acknowledge, resolve, or suppress
   * it until a time (epoch ms; null: until the run ends; absent: for an hour). Returns the alerts
   * as they now are (null: no such run or alert). On a run that has ended, the stored run's
   * alerts are updated before this answers (a live run's checkpoints and report carry them).
   */
  async alertAction(id: string, action: AlertUserAction, untilMs?: number | null): Promise<AlertView[] | null> {
    const run = latest;
    if (!run) return null;
    const alerts = run.alerts;
    const now = Date.now();
    const done =
      action === 'acknowledge'
        ? alerts.acknowledge(id, now)
        : action === 'resolve'
          ? alerts.resolve(id, now)
          : action === 'unsuppress'
            ? alerts.unsuppress(id, now)
            : alerts.suppress(id, untilMs === undefined ? now + 3_600_000 : untilMs, now);
    if (!done) return null;
    if (run.status !== 'running') await keepAlerts(run, latestKept);
    return alerts.alerts();
  },

  /**
   * Reads a stored run's file(s) again to show its Logs view (the lines are never stored): its
   * index is built anew at scan speed, with the format the run had. Until the next run (or the
   * next call), the log* methods serve these files. Resolves with what the index knows.
   */
  async logReopen(files: File[], options: { format?: string; customFormats?: unknown[]; timeZoneOffsetMinutes?: number } = {}): Promise<LogIndexInfo | null> {
    const index = new LogRun(files.length === 1 ? files[0] : files, { processors: [] }, {
      ...(options.format ? { format: options.format } : {}),
      ...(options.customFormats ? { customFormats: options.customFormats } : {}),
      ...(isTimeZoneOffset(options.timeZoneOffsetMinutes) ? { timeZoneOffsetMinutes: options.timeZoneOffsetMinutes } : {}),
      pool: (pool ??= typeof Worker === 'function' ? new WorkerPool(defaultWorkers()) : inProcessPool(1)),
      keepOutput: false,
    });
    reopened = index;
    const report = await index.execute();
    if (report.run.status === 'failed') throw new Error(report.run.message ?? 'The file could not be read again.');
    return currentViews()?.info() ?? null;
  },

  /** The Logs view of the live or last run (see engine/logs/types.ts LogSource). */
  logInfo(): Promise<LogIndexInfo | null> {
    return currentViews()?.info() ?? Promise.resolve(null);
  },
  logOpenView(query: LogQuery, onProgress: (progress: LogViewProgress) => void): Promise<number> {
    const views = currentViews();
    if (!views) return Promise.reject(new Error('No log is open yet.'));
    return views.openView(query, onProgress);
  },
  logCloseView(view: number): Promise<void> {
    return currentViews()?.closeView(view) ?? Promise.resolve();
  },
  logRows(view: number, start: number, count: number): Promise<LogRow[]> {
    return currentViews()?.rows(view, start, count) ?? Promise.resolve([]);
  },
  logRowOfLine(view: number, file: number, lineNo: number): Promise<number | null> {
    return currentViews()?.rowOfLine(view, file, lineNo) ?? Promise.resolve(null);
  },
  logRowOfTime(view: number, ts: number): Promise<number | null> {
    return currentViews()?.rowOfTime(view, ts) ?? Promise.resolve(null);
  },
  logNextMatch(view: number, row: number, direction: 1 | -1): Promise<number | null> {
    return currentViews()?.nextMatch(view, row, direction) ?? Promise.resolve(null);
  },
  logFullText(view: number, row: number): Promise<string> {
    return currentViews()?.fullText(view, row) ?? Promise.resolve('');
  },

  /** The last run's output lines as one file (its ranges' files in order), or null. */
  latestOutputFile(): Promise<File | null> {
    return outputFile(latestOutputs, 'latest-output.log');
  },

  /** Where this browser keeps Linesight's files: on disk, in memory (a private window), or nowhere. */
  outputStorage(): Promise<OutputStorage> {
    return probeOutputStorage();
  },
};

/** The ranges' outputs as one: their lines and bytes, and the first problem met. */
function joinOutputs(outputs: OutputSummary[]): OutputSummary {
  const error = outputs.find((o) => o.error)?.error;
  return {
    lines: outputs.reduce((n, o) => n + o.lines, 0),
    bytes: outputs.reduce((n, o) => n + o.bytes, 0),
    ...(error ? { error } : {}),
  };
}

/** One range worker per core the browser reports (at least one). */
function defaultWorkers(): number {
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency;
  return Number.isInteger(cores) && cores > 0 ? Math.min(cores, 16) : 1;
}

export type AlertUserAction = 'acknowledge' | 'resolve' | 'suppress' | 'unsuppress';

export type WorkerApi = typeof api;

/**
 * Writes the ended run's alerts, as they are when the write starts, to its stored copy. A run
 * deleted from the history meanwhile, or a failed write, leaves the engine's answer standing:
 * the action took, only its record in the history is missing.
 */
function keepAlerts(run: LogRun, where: typeof latestKept): Promise<unknown> {
  alertWrites = alertWrites.then(async () => {
    const kept = await where;
    if (kept) await updateRunAlerts(kept.db, kept.runId, run.alerts.alerts()).catch(() => undefined);
  });
  return alertWrites;
}

function wholeIn(value: unknown, min: number, max: number, fallback: number): number {
  const n = typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) ? Math.min(max, Math.max(min, Math.floor(n))) : fallback;
}
