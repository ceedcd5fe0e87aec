/**
 * A stored run shown with the live run's views: its report, read back from IndexedDB, turned
 * into the shapes those views take (a final snapshot and the observations). Pure functions.
 */
import { initialSnapshot, type AnyReport, type NamedPoint, type Observations, type RunSnapshot, type TimelineColumns, type TimelineSection } from '../worker/client.ts';
import { INTERRUPTED_MESSAGE, type RetentionSection, type StoredReport, type StoredRun, type StoredRunStatus } from '../store/index.ts';

/** What the history shows for a status. A `running` run of this tab is its live run. */
export function statusLabel(status: StoredRunStatus, live = false): string {
  switch (status) {
    case 'completed':
      return 'Completed';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return 'Failed';
    case 'interrupted':
      return 'Interrupted';
    case 'running':
      return live ? 'Running' : 'Running in another tab';
  }
}

/** What the stored-run bar says about a run. */
export interface StoredHead {
  file: { name: string; size: number };
  status: StoredReport['run']['status'];
  startedAt: string;
  durationMs: number;
  bytesRead: number;
  linesRead: number;
  errors: number;
  message?: string;
  retention: RetentionSection;
}

/**
 * A stored run as the run area shows it. It opens in two steps: the run's own record (one row:
 * stats, graph, counters) is drawn at once, then its traces, errors and events (up to tens of
 * thousands of rows) follow; until then `report` and `observations` are null.
 */
export interface StoredRunView {
  runId: string;
  head: StoredHead;
  /** The run's final state in the live views' shape. */
  snapshot: RunSnapshot;
  observations: Observations | null;
  report: StoredReport | null;
  /** Milliseconds from asking to the first step, and to everything (null while loading). */
  firstMs: number;
  loadMs: number | null;
  /** Read from a report file the user imported, not from this device's history. */
  imported?: boolean;
}

/** The first step: from the run's record alone. */
export function headView(run: StoredRun, firstMs: number): StoredRunView {
  const retention = { caps: { ...run.caps }, evicted: { ...run.evicted } };
  if (run.report) {
    const parts = run.report;
    // Same report without its list items: the views that need them wait for the second step.
    const report = { ...parts, traces: { ...parts.traces, items: [] }, errors: { ...parts.errors, items: [] }, events: { ...parts.events, items: [] } };
    const view = storedView({ retention, ...report } as StoredReport, firstMs, null);
    return { ...view, report: null, observations: null };
  }
  const status = run.status === 'running' ? 'running' : 'interrupted';
  const s = run.snapshot;
  return {
    runId: run.id,
    head: {
      file: s.file,
      status,
      startedAt: s.startedAt,
      durationMs: s.elapsedMs,
      bytesRead: s.bytesRead,
      linesRead: s.linesRead,
      errors: s.totals.errors,
      ...(status === 'interrupted' ? { message: INTERRUPTED_MESSAGE } : {}),
      retention,
    },
    snapshot: { ...s, status: 'cancelled', etaMs: null },
    observations: null,
    report: null,
    firstMs,
    loadMs: null,
  };
}

/**
 * A report file the user imported (already checked by parseReport), shown like a stored run.
 * A finished run's report has no `retention`: it kept what its lists hold and dropped none.
 */
export function importedView(report: AnyReport): StoredRunView {
  const retention = report.retention ?? {
    caps: { traces: report.traces.items.length, errors: report.errors.items.length, events: report.events.items.length, metricPoints: 0 },
    evicted: { traces: 0, errors: 0, events: 0, metricPoints: 0 },
  };
  return { ...storedView({ ...report, retention } as StoredReport, 0, 0), imported: true };
}

/** The whole run, once its lists are read too. */
export function storedView(report: StoredReport, firstMs: number, loadMs: number | null): StoredRunView {
  const { run } = report;
  return {
    runId: run.id,
    head: {
      file: run.file,
      status: run.status,
      startedAt: run.startedAt,
      durationMs: run.durationMs,
      bytesRead: run.bytesRead,
      linesRead: run.linesRead,
      errors: report.totals.errors,
      ...(run.message ? { message: run.message } : {}),
      retention: report.retention,
    },
    report,
    snapshot: snapshotOfReport(report),
    observations: { traces: report.traces, errors: report.errors, events: report.events },
    firstMs,
    loadMs,
  };
}

/**
 * The final snapshot a report describes. Its status is only read by the live progress panel,
 * which a stored run does not show; `interrupted` and `running` (another tab) map to
 * `cancelled` there: stopped before the end of the file.
 */
export function snapshotOfReport(report: StoredReport): RunSnapshot {
  const { run } = report;
  const base = initialSnapshot(run.id, run.file, [], run.status === 'interrupted' || run.status === 'running' ? 'cancelled' : run.status);
  const seconds = run.durationMs / 1000;
  return {
    ...base,
    startedAt: run.startedAt,
    elapsedMs: run.durationMs,
    bytesRead: run.bytesRead,
    linesRead: run.linesRead,
    linesPerSec: seconds > 0 ? run.linesRead / seconds : 0,
    bytesPerSec: seconds > 0 ? run.bytesRead / seconds : 0,
    etaMs: null,
    processors: report.processors,
    totals: report.totals,
    input: report.input,
    counters: report.counters,
    graph: report.graph,
    observed: { traces: report.traces.seen, errors: report.errors.total, events: report.events.seen },
    ...(report.levels ? { levels: report.levels } : {}),
    ...(report.timeRange !== undefined ? { timeRange: report.timeRange } : {}),
    ...(report.timeline ? { timeline: timelineColumns(report.timeline, Object.keys(base.levels)) } : {}),
    ...(report.health ? { health: report.health } : {}),
    ...(report.alerts ? { alerts: report.alerts } : {}),
    // Reports made before formats have no `format` section.
    format: report.format ?? null,
    // Every point of the run: a chart of a stored run starts from nothing and takes them all at once.
    points: report.metrics ? pointsOf(report.metrics.series) : [],
    ...(run.message ? { message: run.message } : {}),
  };
}

/** The report's timeline back in the columns charts draw (the inverse of the engine's timelineSection). */
export function timelineColumns(section: TimelineSection, levels: readonly string[]): TimelineColumns {
  const n = section.buckets.length;
  const starts = new Float64Array(n);
  const counts = levels.map(() => new Float64Array(n));
  section.buckets.forEach((bucket, i) => {
    starts[i] = Date.parse(bucket.start) / 1000;
    levels.forEach((level, l) => (counts[l][i] = (bucket.counts as Record<string, number>)[level] ?? 0));
  });
  return { starts, counts, bucketMs: section.bucketMs };
}

function pointsOf(series: Record<string, { t: number; count: number; sum: number; min: number; max: number }[]>): NamedPoint[] {
  const out: NamedPoint[] = [];
  for (const name of Object.keys(series)) for (const point of series[name]) out.push({ series: name, ...point });
  return out;
}
