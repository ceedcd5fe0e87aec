/**
 * Runs in IndexedDB: created when a run starts, checkpointed about once a second with the items
 * produced since the last checkpoint, finished with the final report, and rebuilt into a report
 * from IndexedDB alone.
 *
 * Per-run caps are enforced on write, inside each checkpoint's transaction: a list keeps the
 * items with `seq` in [evicted, counts) and nothing else, so `kept = counts - evicted` is exact
 * and no later sweep is needed. Writes return a `StoreResult` (see tx.ts); reads throw only
 * when the connection is broken.
 */

import { unwrap } from 'idb';
import type { LogEvent, ProcessorErrorItem, Trace, TracePolicy } from '../engine/observe/types.ts';
import type { AlertView } from '../engine/metrics/alerts.ts';
import type { MetricsSection } from '../engine/metrics/series.ts';
import { metricsReportFromSnapshot, REPORT_SCHEMA, type PipelineConfigJson, type Report } from '../engine/report/report.ts';
import type { RunSnapshot } from '../engine/snapshot.ts';
import { isRunLive } from './locks.ts';
import { appendPoints } from './metrics.ts';
import {
  LIST_KINDS,
  RUN_STORES,
  type ItemRow,
  type LinesightDatabase,
  type ListItems,
  type ListKind,
  type MetricPoint,
  type MetricRow,
  type ReportParts,
  type RetentionSection,
  type RunCaps,
  type RunSummary,
  type StoreName,
  type StoredReport,
  type StoredRun,
} from './schema.ts';
import { fail, runKeyRange, writeTransaction, type StoreResult, type WriteTx } from './tx.ts';

export interface NewRun {
  /** The run's first snapshot (`LogRun.snapshot()`): id, file and start time come from it. */
  snapshot: RunSnapshot;
  pipeline: PipelineConfigJson;
  /** null: tracing off. */
  tracePolicy: TracePolicy | null;
  caps: RunCaps;
}

/** What happened since the last checkpoint. Each item is handed over once, oldest first. */
export interface CheckpointBatch {
  traces?: readonly Trace[];
  errors?: readonly ProcessorErrorItem[];
  events?: readonly LogEvent[];
  metrics?: readonly MetricPoint[];
  /**
   * Totals seen so far (e.g. the snapshot's `observed`), only when the batch skips items: when
   * more than a cap's worth appeared since the last checkpoint, hand over the newest ones and
   * say how many exist; the skipped ones count as evicted. Without it, totals grow by the items given.
   */
  seen?: Partial<Record<ListKind, number>>;
}

/** Limits a write is held to. */
export interface WriteLimits {
  /**
   * The most the run may take once written (`bytesStored`), e.g. the whole storage budget: a
   * write past it is refused with kind `budget` and writes nothing.
   */
  maxBytes?: number;
}

export const INTERRUPTED_MESSAGE = 'The run stopped before it finished (the tab was closed or crashed); this report holds what was saved at its last checkpoint.';
export const RUNNING_MESSAGE = 'The run is still going on in another tab; this report holds its last checkpoint.';

/** Stores a new run (status `running`). Call `enforceBudget` first so runsKept holds with it. */
export async function createRun(db: LinesightDatabase, run: NewRun, limits: WriteLimits = {}): Promise<StoreResult<RunSummary>> {
  const { snapshot } = run;
  const record: StoredRun = {
    id: snapshot.runId,
    fileName: snapshot.file.name,
    fileSize: snapshot.file.size,
    startedAt: snapshot.startedAt,
    finishedAt: null,
    durationMs: snapshot.elapsedMs,
    status: 'running',
    linesRead: snapshot.linesRead,
    errors: snapshot.totals.errors,
    lastCheckpointAt: new Date().toISOString(),
    bytesStored: 0,
    caps: { ...run.caps },
    counts: { traces: 0, errors: 0, events: 0 },
    evicted: { traces: 0, errors: 0, events: 0, metricPoints: 0 },
    snapshot,
    report: null,
    pipeline: run.pipeline,
    tracePolicy: run.tracePolicy,
    errorTally: { byProcessor: {}, byType: {} },
    series: {},
    itemBytes: { traces: 0, errors: 0, events: 0 },
  };
  record.bytesStored = estimateBytes(record);
  return writeTransaction(db, ['runs'], async (tx) => {
    const runs = tx.objectStore('runs');
    if ((await runs.getKey(record.id)) !== undefined) fail('invalid', `A run with id ${record.id} is already stored.`);
    withinLimits(record, limits);
    await runs.add(record);
    return toSummary(record);
  });
}

/**
 * Saves a checkpoint of a live run in ONE transaction: the snapshot, the new items (with
 * increasing `seq`) and metric points, with the caps enforced on the way (one key-range delete
 * per list; items that would be evicted at once are never written).
 *
 * `caps` (default: the run's) replaces the caps in force, e.g. after a change in Settings;
 * lowering a cap evicts on this write, raising it brings nothing back.
 */
export async function checkpointRun(
  db: LinesightDatabase,
  runId: string,
  snapshot: RunSnapshot,
  batch: CheckpointBatch,
  caps?: RunCaps,
  limits: WriteLimits = {},
): Promise<StoreResult<RunSummary>> {
  const kinds = LIST_KINDS.filter((kind) => (batch[kind]?.length ?? 0) > 0 || batch.seen?.[kind] !== undefined);
  const metrics = batch.metrics ?? [];
  const stores: StoreName[] = ['runs', ...kinds, ...(metrics.length ? (['metrics'] as const) : [])];
  return writeTransaction(db, stores, async (tx) => {
    const runs = tx.objectStore('runs');
    const run = await runs.get(runId);
    if (!run) fail('missing', `Run ${runId} is no longer stored (deleted or evicted).`);
    if (run.status !== 'running' && run.status !== 'interrupted') fail('invalid', `Run ${runId} has already finished.`);
    if (snapshot.runId !== runId) fail('invalid', `The snapshot is of run ${snapshot.runId}, not ${runId}.`);
    if (caps) run.caps = { ...caps };
    for (const kind of kinds) {
      appendItems(unwrap(tx.objectStore(kind)), run, kind, batch[kind] ?? [], batch.seen?.[kind]);
    }
    if (batch.errors) tallyErrors(run, batch.errors);
    if (metrics.length) await appendPoints(tx.objectStore('metrics'), run, metrics, run.caps.metricPoints);
    // A checkpoint proves the run is alive, even if a tab without Web Locks marked it interrupted.
    run.status = 'running';
    run.snapshot = snapshot;
    run.durationMs = snapshot.elapsedMs;
    run.linesRead = snapshot.linesRead;
    run.errors = snapshot.totals.errors;
    run.lastCheckpointAt = new Date().toISOString();
    run.bytesStored = estimateBytes(run);
    withinLimits(run, limits);
    await runs.put(run);
    return toSummary(run);
  });
}

/** Aborts the write (nothing of it is written) when the run would pass `maxBytes`. */
function withinLimits(run: StoredRun, { maxBytes }: WriteLimits): void {
  if (maxBytes === undefined || run.bytesStored <= maxBytes) return;
  fail('budget', `Run ${run.id} would take about ${megabytes(run.bytesStored)} MB, more than ${megabytes(maxBytes)} MB.`, run.bytesStored);
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/**
 * Appends `items` to a list of `run` and evicts below the cap, keeping the rows contiguous:
 * seq in [evicted, counts). Writes go to the raw store without a promise each; a failure aborts
 * the transaction and surfaces through `tx.done`.
 */
function appendItems<K extends ListKind>(store: IDBObjectStore, run: StoredRun, kind: K, items: readonly ListItems[K][], seen: number | undefined): void {
  const runId = run.id;
  const given = items.length;
  const before = run.counts[kind];
  const end = Math.max(before + given, seen ?? 0);
  const first = end - given;
  const oldFloor = run.evicted[kind];
  // Items skipped by the caller (first > before) leave a hole: what lies below it goes too, so kept stays counts - evicted.
  const floor = Math.max(oldFloor, end - run.caps[kind], first > before ? first : 0);
  if (floor > oldFloor) store.delete(IDBKeyRange.bound([runId, oldFloor], [runId, floor], false, true));
  for (let i = Math.max(0, floor - first); i < given; i++) {
    const row: ItemRow<ListItems[K]> = { runId, seq: first + i, item: items[i] };
    store.put(row);
  }
  const kept = before - oldFloor;
  if (given > 0) run.itemBytes[kind] = (run.itemBytes[kind] * kept + sampleBytes(items)) / (kept + given);
  run.counts[kind] = end;
  run.evicted[kind] = floor;
}

function tallyErrors(run: StoredRun, errors: readonly ProcessorErrorItem[]): void {
  const { byProcessor, byType } = run.errorTally;
  for (const { processor, type } of errors) {
    byProcessor[processor] = (Object.hasOwn(byProcessor, processor) ? byProcessor[processor] : 0) + 1;
    byType[type] = (Object.hasOwn(byType, type) ? byType[type] : 0) + 1;
  }
}

export interface FinishOptions extends WriteLimits {
  /**
   * The checkpoints handed over the very items of the report (as RunPersister's do, from the
   * same run, with `seen`): the rows stored for them stay, and only the items that came since
   * the last checkpoint are written. A full disk has room for that much more than for every item
   * again (browsers count what a transaction writes, not what it frees).
   */
  reuseCheckpoints?: boolean;
}

/**
 * Stores the final report of a run. The report is the truth: its lists replace the checkpointed
 * items (one transaction, up to the caps' worth of puts), so `loadRun` gives back exactly this
 * report, stacks and all, whatever the checkpoints saw (see `reuseCheckpoints` for the cheaper way).
 */
export async function finishRun(db: LinesightDatabase, runId: string, report: Report, options: FinishOptions = {}): Promise<StoreResult<RunSummary>> {
  return writeTransaction(db, ['runs', ...LIST_KINDS], async (tx) => {
    const runs = tx.objectStore('runs');
    const run = await runs.get(runId);
    if (!run) fail('missing', `Run ${runId} is no longer stored (deleted or evicted).`);
    if (report.run.id !== runId) fail('invalid', `The report is of run ${report.run.id}, not ${runId}.`);
    const lists: { [K in ListKind]: readonly ListItems[K][] } = { traces: report.traces.items, errors: report.errors.items, events: report.events.items };
    const seen: Record<ListKind, number> = { traces: report.traces.seen, errors: report.errors.total, events: report.events.seen };
    for (const kind of LIST_KINDS) {
      const store = unwrap(tx.objectStore(kind));
      const items = lists[kind];
      const base = Math.max(0, seen[kind] - items.length);
      // Rows [base, stored) hold these very items when the checkpoints were the run's own.
      const stored = options.reuseCheckpoints ? Math.min(Math.max(run.counts[kind], base), base + items.length) : base;
      if (options.reuseCheckpoints) {
        if (base > 0) store.delete(IDBKeyRange.bound([runId, 0], [runId, base], false, true));
        store.delete(IDBKeyRange.bound([runId, stored], [runId, []]));
      } else {
        store.delete(runKeyRange(runId));
      }
      for (let i = stored - base; i < items.length; i++) store.put({ runId, seq: base + i, item: items[i] });
      run.counts[kind] = base + items.length;
      run.evicted[kind] = base;
      if (items.length) run.itemBytes[kind] = sampleBytes(items) / items.length;
    }
    // Spreading keeps the report's key order, so an export of the stored run reads like the live one.
    run.report = { ...report, traces: withoutItems(report.traces), errors: withoutItems(report.errors), events: withoutItems(report.events) };
    run.status = report.run.status;
    run.finishedAt = report.run.finishedAt;
    run.durationMs = report.run.durationMs;
    run.linesRead = report.run.linesRead;
    run.errors = report.totals.errors;
    run.lastCheckpointAt = new Date().toISOString();
    run.bytesStored = estimateBytes(run);
    withinLimits(run, options);
    await runs.put(run);
    return toSummary(run);
  });
}

/**
 * Replaces the alerts of a finished run's report: what the user did with them after the run
 * ended (acknowledged, resolved, suppressed), audit trail and all, so the history shows it. A
 * run not finished is refused: its checkpoints and final report carry their own alerts.
 */
export async function updateRunAlerts(db: LinesightDatabase, runId: string, alerts: readonly AlertView[]): Promise<StoreResult<RunSummary>> {
  return writeTransaction(db, ['runs'], async (tx) => {
    const runs = tx.objectStore('runs');
    const run = await runs.get(runId);
    if (!run) fail('missing', `Run ${runId} is no longer stored (deleted or evicted).`);
    if (!run.report) fail('invalid', `Run ${runId} has not finished: its alerts are written with its report.`);
    run.report = { ...run.report, alerts: [...alerts] };
    run.bytesStored = estimateBytes(run);
    await runs.put(run);
    return toSummary(run);
  });
}

function withoutItems<S extends { items: unknown }>(section: S): Omit<S, 'items'> {
  const { items: _items, ...rest } = section;
  return rest;
}

/** The Runs history, newest first. */
export async function listRuns(db: LinesightDatabase): Promise<RunSummary[]> {
  const runs = await db.getAllFromIndex('runs', 'by-startedAt');
  return runs.reverse().map(toSummary);
}

/** The whole stored record of a run (snapshot, report parts, bookkeeping). */
export async function getRun(db: LinesightDatabase, runId: string): Promise<StoredRun | undefined> {
  return db.get('runs', runId);
}

/**
 * The report of a stored run, from IndexedDB alone: a finished run's report exactly as given
 * to `finishRun` (plus `retention` when it had none); a run that never finished, its last
 * checkpoint as a report with status `interrupted` (or `running` while another tab runs it).
 */
export async function loadRun(db: LinesightDatabase, runId: string): Promise<StoredReport | null> {
  const tx = db.transaction(['runs', 'metrics', ...LIST_KINDS]);
  const range = runKeyRange(runId);
  const [run, traces, errors, events, points] = await Promise.all([
    tx.objectStore('runs').get(runId),
    tx.objectStore('traces').getAll(range),
    tx.objectStore('errors').getAll(range),
    tx.objectStore('events').getAll(range),
    tx.objectStore('metrics').getAll(range),
  ]);
  if (!run) return null;
  const items = { traces: traces.map((r) => r.item), errors: errors.map((r) => r.item), events: events.map((r) => r.item) };
  return run.report ? finishedReport(run, run.report, items) : checkpointReport(run, items, seriesOf(points));
}

type Items = { [K in ListKind]: ListItems[K][] };

function finishedReport(run: StoredRun, parts: ReportParts, items: Items): StoredReport {
  const report = {
    ...parts,
    traces: { ...parts.traces, items: items.traces },
    errors: { ...parts.errors, items: items.errors },
    events: { ...parts.events, items: items.events },
  };
  return 'retention' in report ? (report as StoredReport) : { ...report, retention: retentionOf(run) };
}

/** Same keys in the same order as the engine's `buildReport`. */
function checkpointReport(run: StoredRun, items: Items, metrics: MetricsSection): StoredReport {
  const s = run.snapshot;
  const running = run.status === 'running';
  return {
    schema: REPORT_SCHEMA,
    generatedAt: run.lastCheckpointAt,
    run: {
      id: run.id,
      file: s.file,
      status: running ? 'running' : 'interrupted',
      startedAt: s.startedAt,
      finishedAt: run.lastCheckpointAt,
      bytesRead: s.bytesRead,
      linesRead: s.linesRead,
      durationMs: s.elapsedMs,
      message: running ? RUNNING_MESSAGE : INTERRUPTED_MESSAGE,
    },
    pipeline: run.pipeline,
    processors: s.processors,
    totals: s.totals,
    input: s.input,
    counters: s.counters,
    traces: {
      enabled: run.tracePolicy !== null,
      policy: run.tracePolicy,
      seen: run.counts.traces,
      kept: items.traces.length,
      items: items.traces,
    },
    errors: { total: run.counts.errors, ...run.errorTally, items: items.errors },
    events: { seen: run.counts.events, kept: items.events.length, items: items.events },
    graph: s.graph,
    ...metricsReportFromSnapshot(s, metrics),
    retention: retentionOf(run),
  };
}

/** Stored rows as the report's `metrics`: points per series, oldest first. */
function seriesOf(rows: readonly MetricRow[]): MetricsSection {
  const series: MetricsSection['series'] = {};
  for (const { series: name, t, count, sum, min, max } of rows) {
    (Object.hasOwn(series, name) ? series[name] : (series[name] = [])).push({ t, count, sum, min, max });
  }
  return { intervalMs: 1000, series };
}

function retentionOf(run: StoredRun): RetentionSection {
  return { caps: { ...run.caps }, evicted: { ...run.evicted } };
}

/** Deletes a run and every row of it, in one transaction. `value`: whether it was stored. */
export async function deleteRun(db: LinesightDatabase, runId: string): Promise<StoreResult<boolean>> {
  return writeTransaction(db, [...RUN_STORES], async (tx) => {
    const existed = (await tx.objectStore('runs').getKey(runId)) !== undefined;
    deleteRunIn(tx, runId);
    return existed;
  });
}

/** Deletes a run's rows from every run store, in the caller's transaction (not awaited: `tx.done` tells). */
export function deleteRunIn(tx: WriteTx, runId: string): void {
  for (const name of RUN_STORES) unwrap(tx.objectStore(name)).delete(name === 'runs' ? runId : runKeyRange(runId));
}

/** Deletes every run and its rows. Settings and saved pipelines stay. */
export async function clearAll(db: LinesightDatabase): Promise<StoreResult<void>> {
  return writeTransaction(db, [...RUN_STORES], (tx) => {
    for (const name of RUN_STORES) unwrap(tx.objectStore(name)).clear();
  });
}

/**
 * Turns `running` runs that nobody runs any more into `interrupted` (call once at start-up).
 * `isLive` defaults to the Web Locks check. Liveness is asked outside the transaction (awaiting
 * a lock inside would commit it), so a run that checkpointed meanwhile is left alone.
 * `value`: the ids marked.
 */
export async function markInterrupted(
  db: LinesightDatabase,
  isLive: (runId: string) => Promise<boolean> = (id) => isRunLive(id),
): Promise<StoreResult<string[]>> {
  const running = (await db.getAll('runs')).filter((run) => run.status === 'running');
  const dead: StoredRun[] = [];
  for (const run of running) if (!(await isLive(run.id))) dead.push(run);
  if (!dead.length) return { ok: true, value: [] };
  return writeTransaction(db, ['runs'], async (tx) => {
    const runs = tx.objectStore('runs');
    const marked: string[] = [];
    for (const seen of dead) {
      const run = await runs.get(seen.id);
      if (!run || run.status !== 'running' || run.lastCheckpointAt !== seen.lastCheckpointAt) continue;
      run.status = 'interrupted';
      await runs.put(run);
      marked.push(run.id);
    }
    return marked;
  });
}

export function toSummary(run: StoredRun): RunSummary {
  return {
    id: run.id,
    fileName: run.fileName,
    fileSize: run.fileSize,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.durationMs,
    status: run.status,
    linesRead: run.linesRead,
    errors: run.errors,
    lastCheckpointAt: run.lastCheckpointAt,
    bytesStored: run.bytesStored,
    caps: { ...run.caps },
    counts: { ...run.counts },
    evicted: { ...run.evicted },
  };
}

/** About how much a checkpoint of `snapshot` with `batch` writes, as bytesStored counts (the quota recovery's `needBytes`). */
export function checkpointBytes(snapshot: RunSnapshot, batch: CheckpointBatch): number {
  let bytes = 512 + jsonLength(snapshot);
  for (const kind of LIST_KINDS) {
    const items = batch[kind] ?? [];
    bytes += sampleBytes(items) + items.length * ROW_OVERHEAD;
  }
  return Math.round(bytes + (batch.metrics?.length ?? 0) * METRIC_ROW_BYTES);
}

/** Per stored row beyond its JSON: the key and the record's framing. */
const ROW_OVERHEAD = 48;
const METRIC_ROW_BYTES = 120;

/** What a run holds, in characters of JSON (an estimate; see RunSummary.bytesStored). */
function estimateBytes(run: StoredRun): number {
  let bytes = 512 + jsonLength(run.snapshot) + jsonLength(run.pipeline) + (run.report ? jsonLength(run.report) : 0);
  for (const kind of LIST_KINDS) bytes += (run.counts[kind] - run.evicted[kind]) * (run.itemBytes[kind] + ROW_OVERHEAD);
  for (const name of Object.keys(run.series)) bytes += run.series[name].points * METRIC_ROW_BYTES;
  return Math.round(bytes);
}

/** Measures a few items spread over the batch: stringifying all of them would cost more than storing them. */
function sampleBytes(items: readonly unknown[]): number {
  const n = items.length;
  if (n === 0) return 0;
  const samples = Math.min(n, 8);
  let bytes = 0;
  for (let i = 0; i < samples; i++) bytes += jsonLength(items[Math.floor((i * n) / samples)]);
  return (bytes / samples) * n;
}

function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}
