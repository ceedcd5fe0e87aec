/** What the worker tells the UI while a run is live: small aggregates, never lines. */

import type { FormatSection } from './formats/stage.ts';
import type { Compression } from './lines/source.ts';
import type { AlertView } from './metrics/alerts.ts';
import type { HealthSection } from './metrics/health.ts';
import type { NamedPoint } from './metrics/series.ts';
import type { TimelineColumns, TimeRange } from './metrics/timeline.ts';
import type { CircuitState, ErrorPolicy, GraphSection } from './observe/types.ts';
import type { Level } from './types.ts';

export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed';

export interface ProcessorStats {
  id: string;
  type: string;
  linesIn: number;
  linesOut: number;
  dropped: number;
  errors: number;
  timeMs: number;
  circuit: CircuitState;
  circuitOpenings: number;
  errorPolicy: ErrorPolicy;
  /** Lines that went around the processor while its circuit was open. */
  bypassed: number;
  /** Tries again of failing lines (`onError: {"retry": N}`); absent in reports made before retries existed. */
  retries?: number;
  /** Percentiles of time per line (µs), from per-batch means; see RunMetrics. */
  p50Us: number;
  p95Us: number;
  p99Us: number;
  /** Share (0–1) of the pipeline's time spent here. */
  utilization: number;
}

export interface Totals {
  /** Lines the pipeline received (lines read). */
  linesIn: number;
  /** Lines the last processors emitted (the pipeline's output). */
  linesOut: number;
  dropped: number;
  errors: number;
}

/** What the line splitter saw in the input. */
export interface InputStats {
  compression: Compression;
  /** Bytes after decompression (equal to bytesRead when not compressed). */
  decodedBytes: number;
  truncatedLines: number;
  invalidUtf8Lines: number;
  maxLineBytes: number;
}

/** Keys counted by a stateful `counter` processor, most frequent first. */
export interface CounterState {
  processor: string;
  counts: [key: string, count: number][];
  /** Distinct keys seen, including ones beyond the kept top ("(other)" counts as one): exact while the counter's table is not full. */
  distinct: number;
  /** Records whose key was longer than the key cap (1 KiB) and was cut to it; absent when none was. */
  cut?: number;
}

export interface RunSnapshot {
  runId: string;
  status: RunStatus;
  file: { name: string; size: number };
  startedAt: string;
  elapsedMs: number;
  bytesRead: number;
  linesRead: number;
  linesPerSec: number;
  bytesPerSec: number;
  /** Estimated time left; null when unknown (e.g. at the start). */
  etaMs: number | null;
  processors: ProcessorStats[];
  totals: Totals;
  input: InputStats;
  counters: CounterState[];
  /** The DAG with the lines that crossed each edge. */
  graph: GraphSection;
  /** How many traces, errors and events exist so far (details: the worker's `observations()`). */
  observed: { traces: number; errors: number; events: number };
  /** Lines per level, all lines as read. */
  levels: Record<Level, number>;
  /** First and last timestamp of the log (ISO 8601); null when no line had one. */
  timeRange: TimeRange | null;
  /** Lines per level per time bucket of the log's own time, as columns for charts. */
  timeline: TimelineColumns;
  health: HealthSection;
  alerts: AlertView[];
  /** Series points (throughput, latency, time share) added since the previous snapshot. */
  points: NamedPoint[];
  /** The detected (or chosen) log format, once known, when the pipeline parses. */
  format: FormatSection | null;
  /** Why the run stopped early or failed, in words a user understands. */
  message?: string;
  /** A run of several files: each one's name, size, lines, entries and format. */
  files?: FileSummary[];
  /** How the file is read: by how many range workers, and why in order by one when it must be. */
  reading?: Reading;
}

export interface Reading {
  workers: number;
  /** E.g. "counter numbers the lines it sees in file order ({count})"; null when ranges run apart. */
  orderedBecause: string | null;
}

export interface FileSummary {
  name: string;
  size: number;
  lines: number;
  entries: number;
  /** The format it was read with; null when it was left out. */
  format: string | null;
  /** Why it was left out (not a text log). */
  skipped?: string;
}

/** A processor's stats before it has seen a line. */
export function initialProcessorStats(id: string, type: string, onError: ErrorPolicy = 'drop'): ProcessorStats {
  return {
    id,
    type,
    linesIn: 0,
    linesOut: 0,
    dropped: 0,
    errors: 0,
    timeMs: 0,
    circuit: 'closed',
    circuitOpenings: 0,
    errorPolicy: onError,
    bypassed: 0,
    retries: 0,
    p50Us: 0,
    p95Us: 0,
    p99Us: 0,
    utilization: 0,
  };
}

/**
 * A run's state before its first update: every processor at zero, so a table can list the
 * pipeline at once (and a run stopped before any update still has a shape).
 */
export function initialSnapshot(
  runId: string,
  file: { name: string; size: number },
  processors: readonly { id: string; type: string; onError?: ErrorPolicy }[] = [],
  status: RunStatus = 'running',
): RunSnapshot {
  return {
    runId,
    status,
    file: { name: file.name, size: file.size },
    startedAt: new Date().toISOString(),
    elapsedMs: 0,
    bytesRead: 0,
    linesRead: 0,
    linesPerSec: 0,
    bytesPerSec: 0,
    etaMs: null,
    processors: processors.map(({ id, type, onError }) => initialProcessorStats(id, type, onError)),
    totals: { linesIn: 0, linesOut: 0, dropped: 0, errors: 0 },
    input: { compression: 'none', decodedBytes: 0, truncatedLines: 0, invalidUtf8Lines: 0, maxLineBytes: 0 },
    counters: [],
    // Edges come with the run's first update (the engine owns how `next` and routes connect).
    graph: { nodes: processors.map(({ id, type }) => ({ id, type })), edges: [] },
    observed: { traces: 0, errors: 0, events: 0 },
    levels: { TRACE: 0, DEBUG: 0, INFO: 0, WARN: 0, ERROR: 0, FATAL: 0, UNKNOWN: 0 },
    timeRange: null,
    timeline: { starts: new Float64Array(0), counts: [], bucketMs: 1000 },
    health: { status: 'HEALTHY', reasons: [], bottleneck: null, recentThroughputLps: 0 },
    alerts: [],
    points: [],
    format: null,
  };
}
