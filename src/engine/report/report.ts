import type { PipelineConfig } from '../pipeline/config.ts';
import type { FormatSection } from '../formats/stage.ts';
import type { AlertView } from '../metrics/alerts.ts';
import type { HealthSection } from '../metrics/health.ts';
import type { MetricsSection } from '../metrics/series.ts';
import { timelineSection, type TimelineSection, type TimeRange } from '../metrics/timeline.ts';
import type { ErrorsSection, EventsSection, GraphSection, TracesSection } from '../observe/types.ts';
import type { Level } from '../types.ts';
import type { CounterState, FileSummary, InputStats, ProcessorStats, Reading, RunSnapshot, Totals } from '../snapshot.ts';

export const REPORT_SCHEMA = 'linesight.report/v1';

/** A pipeline config in the JSON form users write; it loads back unchanged. */
export interface PipelineConfigJson {
  input?: { format: string; multiline: boolean; timeZone?: string };
  processors: ({ type: string; id: string; next?: string[] } & Record<string, unknown>)[];
}

/**
 * The canonical serialized state of one run. Field names are a contract (DESIGN.md):
 * extend, never rename.
 */
export interface Report {
  schema: typeof REPORT_SCHEMA;
  generatedAt: string;
  run: {
    id: string;
    file: { name: string; size: number };
    status: 'completed' | 'cancelled' | 'failed';
    startedAt: string;
    finishedAt: string;
    bytesRead: number;
    linesRead: number;
    durationMs: number;
    /** Why the run stopped early or failed. */
    message?: string;
    /** Absent in reports made before the pool of workers. */
    reading?: Reading;
  };
  pipeline: PipelineConfigJson;
  processors: ProcessorStats[];
  totals: Totals;
  input: InputStats;
  counters: CounterState[];
  traces: TracesSection;
  errors: ErrorsSection;
  events: EventsSection;
  graph: GraphSection;
  levels: Record<Level, number>;
  timeRange: TimeRange | null;
  timeline: TimelineSection;
  health: HealthSection;
  alerts: AlertView[];
  /** Series over the run's time: lines_per_sec, bytes_per_sec, p95_us:<id>, utilization:<id>. */
  metrics: MetricsSection;
  /** The log format, when the pipeline parses (a `parse` processor); null otherwise. */
  format: FormatSection | null;
  /** A run of several files: each one's name, size, lines, entries and format. */
  files?: FileSummary[];
}

/**
 * A run's status as a report file may carry it: a stored run is also `interrupted` (its tab went
 * away) or `running` (another tab still runs it; the report is its last checkpoint).
 */
export type AnyReportStatus = Report['run']['status'] | 'interrupted' | 'running';

/** Items per list a stored run keeps, or that were evicted (metric points: merged). */
export interface RetentionCounts {
  traces: number;
  errors: number;
  events: number;
  metricPoints: number;
}

/**
 * Any `linesight.report/v1` document: a finished run's Report, or a stored run's (with
 * `retention` and the wider status). Exports and imports take this shape.
 */
export type AnyReport = Omit<Report, 'run'> & {
  run: Omit<Report['run'], 'status'> & { status: AnyReportStatus };
  retention?: { caps: RetentionCounts; evicted: RetentionCounts };
};

/** The report's sections that come from the run's metrics (charts, health, alerts). */
export type MetricsReport = Pick<Report, 'levels' | 'timeRange' | 'timeline' | 'health' | 'alerts' | 'metrics' | 'format'>;

/** The run's traces, errors and events: what the Journeys, Errors and Events views show. */
export interface Observations {
  traces: TracesSection;
  errors: ErrorsSection;
  events: EventsSection;
}

export function toConfigJson(config: PipelineConfig): PipelineConfigJson {
  return {
    ...(config.input ? { input: { ...config.input } } : {}),
    processors: config.processors.map(({ type, id, next, onError, retry, circuit, params }) => ({
      type,
      id,
      ...(next ? { next } : {}),
      ...params,
      // Configs from before retries have no `retry`.
      onError: retry > 0 ? { retry, then: onError } : onError,
      circuit: circuit ?? false,
    })),
  };
}

/** The report of a finished run, from its last snapshot. */
export function buildReport(
  final: RunSnapshot,
  config: PipelineConfig,
  observations: Observations,
  metrics: MetricsReport,
  finishedAt: Date,
): Report {
  if (final.status === 'running') throw new Error('a report describes a finished run');
  return {
    schema: REPORT_SCHEMA,
    generatedAt: finishedAt.toISOString(),
    run: {
      id: final.runId,
      file: final.file,
      status: final.status,
      startedAt: final.startedAt,
      finishedAt: finishedAt.toISOString(),
      bytesRead: final.bytesRead,
      linesRead: final.linesRead,
      durationMs: final.elapsedMs,
      ...(final.message ? { message: final.message } : {}),
      ...(final.reading ? { reading: final.reading } : {}),
    },
    pipeline: toConfigJson(config),
    processors: final.processors,
    totals: final.totals,
    input: final.input,
    counters: final.counters,
    ...observations,
    graph: final.graph,
    ...metrics,
    ...(final.files ? { files: final.files } : {}),
  };
}

/**
 * The metrics sections from a snapshot alone, for a run whose engine is gone (stopped by force,
 * or interrupted): everything but the series, which the caller may have kept.
 */
export function metricsReportFromSnapshot(snapshot: RunSnapshot, metrics: MetricsSection = { intervalMs: 1000, series: {} }): MetricsReport {
  return {
    levels: snapshot.levels,
    timeRange: snapshot.timeRange,
    timeline: timelineSection(snapshot.timeline),
    health: snapshot.health,
    alerts: snapshot.alerts,
    metrics,
    format: snapshot.format,
  };
}

/** The download name the UI uses: `linesight-report-<run id>.json`. */
export function reportFileName(report: Report): string {
  return `linesight-report-${report.run.id}.json`;
}
