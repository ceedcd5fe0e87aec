/**
 * A run: a file read through a pipeline. The coordinator decides once how the file is read
 * (scan/plan.ts), hands its byte ranges to a pool of scanners (scan/scanner.ts: workers in the
 * browser, the same code in-process in Node), folds the pieces they report in file order
 * (doc/merge.ts) and looks at the whole run about once a second (health, alerts, series).
 */
import { compileCustomFormats, type FormatIssue } from './formats/custom.ts';
import type { FormatSection } from './formats/stage.ts';
import { DEFAULT_MAX_LINE_BYTES, describeInputError, type BlobLike, type Compression } from './lines/index.ts';
import { RunMerger } from './doc/merge.ts';
import type { LogFile } from './logs/views.ts';
import { RunMetrics } from './metrics/run-metrics.ts';
import type { NamedPoint } from './metrics/series.ts';
import type { TimelineColumns } from './metrics/timeline.ts';
import { EventLog } from './observe/events.ts';
import {
  DEFAULT_CAPS,
  type GraphSection,
  type LogEvent,
  type ObserveCaps,
  type ProcessorErrorItem,
  type Trace,
  type TracePolicy,
} from './observe/types.ts';
import { inputOf, zoneOffsetMinutes, type PipelineConfig } from './pipeline/config.ts';
import { buildGraph, type PipelineGraph } from './pipeline/graph.ts';
import { buildReport, type MetricsReport, type Observations, type Report } from './report/report.ts';
import { cutRanges, cutsToRanges, planInput, type InputPlan } from './scan/plan.ts';
import { RangeScanner, type OutputSink, type ScanInput } from './scan/scanner.ts';
import type { RunPiece, ScanRange, ScanSetup } from './scan/types.ts';
import type { CounterState, RunSnapshot, RunStatus } from './snapshot.ts';
import { LEVELS, type Level } from './types.ts';

export type { OutputSink } from './scan/scanner.ts';

export interface RunOptions {
  runId?: string;
  /** Defaults to the File's name, or "input". */
  fileName?: string;
  maxLineBytes?: number;
  /** Minimum time between snapshots; the UI wants at most 10 a second. */
  snapshotIntervalMs?: number;
  signal?: AbortSignal;
  /** Which lines to trace; absent or null: tracing off (and free). */
  trace?: TracePolicy | null;
  caps?: Partial<ObserveCaps>;
  /** Offset of log timestamps that carry no zone, in minutes east of UTC (default: the config's, else 0: UTC). */
  timeZoneOffsetMinutes?: number;
  /** A format id, or "auto": overrides the config's input format for this run (e.g. picked in the UI). */
  format?: string;
  /**
   * The user's custom formats, as plain JSON specs (see formats/custom.ts): checked here, tried
   * first by detection, and `format` may name one. A bad spec is left out with a
   * `custom_format_refused` event; the run goes on.
   */
  customFormats?: readonly unknown[];
  /** Where ranges are scanned; default: in this thread, one range. */
  pool?: ScanPool;
  /** Where to cut the file (byte positions), instead of the pool's own cuts: for tests. */
  cuts?: readonly number[];
  /** Build the Logs view's index (default true). */
  index?: boolean;
  /** Bytes read from the file at once (default 4 MiB): tests that trickle a file read less. */
  readBytes?: number;
  /** Hand the output lines to the pool's outputs (default true; false for a read that only indexes). */
  keepOutput?: boolean;
}

export interface RunHooks {
  onSnapshot?(snapshot: RunSnapshot): void;
  /** Where the output lines go when the run is scanned in this thread (the default pool). */
  output?: OutputSink;
}

/**
 * Scanners for the ranges of a run: workers in the browser, in-process in Node. `scan` reports a
 * range's pieces in order and resolves when the last one is out (with what the scanner says of
 * its output, e.g. the file it wrote); it rejects only when the scanner itself broke.
 */
export interface ScanPool {
  readonly size: number;
  scan(input: ScanInput, setup: ScanSetup, range: ScanRange, onPiece: (piece: RunPiece) => void, signal: AbortSignal): Promise<unknown>;
}

/** Scans in this thread: `size` ranges at once, interleaved (their reads are asynchronous). */
export function inProcessPool(size = 1, outputFor?: (range: number) => OutputSink | undefined | Promise<OutputSink | undefined>): ScanPool {
  return {
    size,
    async scan(input, setup, range, onPiece, signal) {
      const output = await outputFor?.(range.index);
      await new RangeScanner(setup, output).scan(input, range, onPiece, signal);
      return output;
    },
  };
}

/** How many traces, errors and events a reader has taken so far. */
export interface ObservationCursor {
  traces: number;
  errors: number;
  events: number;
  points: number;
}

export interface Drained {
  traces: Trace[];
  errors: ProcessorErrorItem[];
  events: LogEvent[];
  /** Metric series points (throughput, latency, time share). */
  points: NamedPoint[];
  /** The cursor for the next call: everything seen so far, kept or not. */
  seen: ObservationCursor;
}

/** A scanner reports a piece after this much work at most: live figures follow the pieces. */
const PIECE_MS = 150;
const COUNTER_STATE_EVERY_MS = 500;
/** Series points, health and alert rules: once a second of run time. */
const TICK_EVERY_MS = 1000;
/** The levels timeline is the largest part of a snapshot: refreshed once a second. */
const TIMELINE_EVERY_MS = 1000;

/** Streams a file through the pipeline and returns the run's report (see LogRun). */
export function runLog(source: BlobLike, config: PipelineConfig, options: RunOptions = {}, hooks: RunHooks = {}): Promise<Report> {
  return new LogRun(source, config, options, hooks).execute();
}

/** Why a pipeline must read its lines in file order, or null when its ranges can run apart. */
export function orderedBecause(graph: PipelineGraph, trace: TracePolicy | null): string | null {
  for (const node of graph.nodes) {
    const why = node.module.descriptor.ordered;
    if (why) return `${node.config.id} ${why}`;
    if (node.config.circuit !== null && node.module.descriptor.canFail) {
      return `${node.config.id} has a circuit breaker, which counts its failures in line order`;
    }
  }
  if (trace && trace.mode !== 'all') return trace.mode === 'first' ? 'tracing the first lines follows line order' : 'tracing 1 line in N follows line order';
  return null;
}

/**
 * One run of a file (plain, gzip or zstd) through a pipeline. Input problems end the run as `failed`
 * with a message; everything counted so far is kept. Its traces, errors and events can be read
 * while it runs.
 */
export class LogRun {
  private readonly graph: PipelineGraph;
  private readonly events: EventLog;
  private readonly merger: RunMerger;
  private readonly metrics: RunMetrics;
  private readonly caps: ObserveCaps;
  private readonly refusedFormats: FormatIssue[] = [];
  private readonly customFormats: ReturnType<typeof compileCustomFormats>;
  private readonly acceptedSpecs: unknown[];
  private readonly timeZoneOffsetMinutes: number;
  private readonly startedAt = new Date();
  private readonly t0 = performance.now();
  private readonly interval: number;
  private readonly maxLineBytes: number;
  private readonly runId: string;
  private readonly pool: ScanPool;
  private runStatus: RunStatus = 'running';
  private message?: string;
  private plan: InputPlan | null = null;
  /** Why the run reads its lines in order on one worker, or null. */
  private orderedReason: string | null;
  private workers = 1;
  private compression: Compression = 'none';
  /** File bytes read by each range so far. */
  private readonBytes: number[] = [];
  private counterStates: CounterState[] = [];
  private counterStatesAt = -Infinity;
  private timeline: TimelineColumns | null = null;
  private timelineAt = -Infinity;
  private lastTickAt = 0;
  private lastSnapshotAt = -Infinity;
  /** Series points already sent with a snapshot. */
  private pointsSent = 0;
  private finishedMs?: number;
  /** What each range's scanner said of its output, in file order. */
  outputs: unknown[] = [];

  /** Running until the run ends; then how it ended. */
  get status(): RunStatus {
    return this.runStatus;
  }

  /** The run's files, in the order given (one run may read several). */
  private readonly sources: readonly BlobLike[];
  /** Each file's plan once its head is read; null for a file left out (not a text log). */
  private plans: (InputPlan | null)[] = [];
  /** Files left out, and why (binary, not text). */
  private readonly skipped: { name: string; reason: string }[] = [];

  constructor(
    source: BlobLike | readonly BlobLike[],
    private readonly config: PipelineConfig,
    private readonly options: RunOptions = {},
    private readonly hooks: RunHooks = {},
  ) {
    const graph = buildGraph(config);
    if (!graph.ok) throw new Error(`invalid pipeline: ${graph.error.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.graph = graph.value;
    this.sources = Array.isArray(source) ? (source as readonly BlobLike[]) : [source as BlobLike];
    if (this.sources.length === 0) throw new Error('a run reads at least one file');
    this.caps = { ...DEFAULT_CAPS, ...options.caps };
    this.runId = options.runId ?? defaultRunId(this.startedAt);
    this.events = new EventLog(this.caps.events);
    this.customFormats = compileCustomFormats(options.customFormats ?? []);
    this.refusedFormats = this.customFormats.issues;
    this.acceptedSpecs = this.customFormats.accepted.map((i) => options.customFormats![i]);
    const input = inputOf(config);
    this.timeZoneOffsetMinutes = options.timeZoneOffsetMinutes ?? (input.timeZone ? (zoneOffsetMinutes(input.timeZone) ?? 0) : 0);
    this.merger = new RunMerger({
      nodes: this.graph.nodes.length,
      edges: this.graph.edges.length,
      trace: options.trace ?? null,
      caps: this.caps,
      anchorTs: null,
      index: options.index ?? true,
      events: this.events,
    });
    this.metrics = new RunMetrics(this.merger, {
      onAlert: ({ alert, action, by }) =>
        this.events.emit(action === 'fired' ? 'warn' : 'info', 'alerts', `alert_${action}`, {
          alert: alert.id,
          severity: alert.severity,
          state: alert.state,
          value: alert.lastValue,
          threshold: alert.threshold,
          by,
        }),
    });
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.interval = options.snapshotIntervalMs ?? 100;
    this.pool = options.pool ?? inProcessPool(1, hooks.output ? () => hooks.output : undefined);
    this.orderedReason = orderedBecause(this.graph, options.trace ?? null);
  }

  async execute(): Promise<Report> {
    const { signal } = this.options;
    this.events.emit('info', 'run', 'run_started', {
      runId: this.runId,
      file: this.fileName(),
      size: this.totalSize(),
      ...(this.sources.length > 1 ? { files: this.sources.map((s) => s.name ?? 'input') } : {}),
      processors: this.config.processors.map((p) => p.id),
      trace: this.options.trace ?? null,
    });
    for (const { path, message } of this.refusedFormats) {
      this.events.emit('warn', 'formats', 'custom_format_refused', { path, message });
    }
    try {
      const input = inputOf(this.config);
      for (const source of this.sources) {
        const plan = await planInput(source, {
          format: this.options.format ?? input.format,
          multiline: input.multiline,
          timeZoneOffsetMinutes: this.timeZoneOffsetMinutes,
          customFormats: this.customFormats.formats,
        });
        if (plan.binary && this.sources.length > 1) {
          // One file of several that is not a text log is left out, said in the event log and at the end.
          const name = source.name ?? 'input';
          this.skipped.push({ name, reason: plan.binary });
          this.events.emit('warn', 'run', 'file_skipped', { file: name, reason: plan.binary });
          this.plans.push(null);
        } else {
          this.plans.push(plan);
        }
      }
      const first = this.plans.find((p) => p !== null) ?? null;
      this.plan = first;
      this.compression = first?.compression ?? 'none';
      if (first === null) {
        this.stop('failed', this.skipped.length ? `No file could be read: ${this.skipped.map((f) => `${f.name}: ${f.reason}`).join(' ')}` : 'No file to read.');
      } else if (first.binary) {
        this.stop('failed', first.binary);
      } else if (signal?.aborted) {
        this.stop('cancelled', 'Cancelled: the lines read so far are counted.');
      } else {
        await this.scanAll();
        const ending = this.merger.ending;
        const left = this.skipped.length ? ` Left out: ${this.skipped.map((f) => `${f.name} (${f.reason})`).join('; ')}` : '';
        if (ending) this.stop(ending.cancelled ? 'cancelled' : 'failed', ending.message + left);
        else if (signal?.aborted) this.stop('cancelled', 'Cancelled: the lines read so far are counted.' + left);
        else this.stop('completed', left ? left.trim() : undefined);
      }
    } catch (error) {
      this.stop('failed', error instanceof ScanBroke ? error.message : describeInputError(error, this.compression));
    }
    const final = this.snapshot();
    this.hooks.onSnapshot?.({ ...final, points: this.newPoints() });
    return buildReport(final, this.config, this.observations(), this.metricsReport(), new Date());
  }

  /** The ranges of one file: one range when it must be read in order (or is compressed), else cut for the pool. */
  private rangesOf(source: BlobLike, plan: InputPlan): { start: number; end: number }[] {
    const stream = plan.compression !== 'none';
    const size = source.size;
    if (stream || this.orderedReason !== null || this.pool.size <= 1 || size === 0) return [{ start: 0, end: stream ? Infinity : size }];
    return this.options.cuts ? cutsToRanges(size, this.options.cuts) : cutRanges(size, this.pool.size);
  }

  /** Every range of every file through the pool, as many at once as it has scanners, pieces folded in file order. */
  private async scanAll(): Promise<void> {
    const ranges: ScanRange[] = [];
    const tasks: { input: ScanInput; setup: ScanSetup }[] = [];
    this.plans.forEach((plan, file) => {
      if (plan === null) return;
      const source = this.sources[file];
      const setup: ScanSetup = {
        pipeline: this.config,
        format: plan.format,
        customFormats: this.acceptedSpecs,
        lineEnd: plan.lineEnd,
        maxLineBytes: this.maxLineBytes,
        timeZoneOffsetMinutes: this.timeZoneOffsetMinutes,
        anchorTs: plan.anchorTs,
        trace: this.options.trace ?? null,
        caps: this.caps,
        keepOutput: this.options.keepOutput ?? true,
        index: this.options.index ?? true,
        pieceMs: Math.min(PIECE_MS, this.interval),
        ...(this.options.readBytes ? { readBytes: this.options.readBytes } : {}),
      };
      const input: ScanInput = plan.compression !== 'none' ? { blob: source, stream: true } : { blob: source };
      for (const { start, end } of this.rangesOf(source, plan)) {
        ranges.push({ index: ranges.length, start, end, of: 0, file });
        tasks.push({ input, setup });
      }
    });
    for (const range of ranges) range.of = ranges.length;
    this.merger.setFiles(ranges.map((r) => r.file));
    this.merger.setAnchor(this.plan?.anchorTs ?? null);
    this.workers = Math.min(this.pool.size, ranges.length);
    const controllers = ranges.map(() => new AbortController());
    const cancelAll = () => controllers.forEach((c) => c.abort());
    this.options.signal?.addEventListener('abort', cancelAll, { once: true });
    this.readonBytes = ranges.map(() => 0);
    this.outputs = ranges.map(() => undefined);
    let broke: unknown = null;
    const running = new Set<Promise<void>>();
    let next = 0;
    const launch = (r: number) => {
      const done = this.pool
        .scan(tasks[r].input, tasks[r].setup, ranges[r], (piece) => this.onPiece(piece, controllers), controllers[r].signal)
        .then(
          (output) => {
            this.outputs[r] = output;
          },
          (error: unknown) => {
            // A scanner that broke (a worker crashed, ran out of memory): the ranges after it cannot be numbered.
            broke ??= error;
            for (let later = r; later < controllers.length; later++) controllers[later].abort();
          },
        )
        .finally(() => running.delete(done));
      running.add(done);
    };
    try {
      while (next < ranges.length || running.size > 0) {
        while (running.size < this.pool.size && next < ranges.length && broke === null && !this.merger.ending && !this.options.signal?.aborted) {
          launch(next++);
        }
        if (running.size === 0) break;
        await Promise.race(running);
      }
    } finally {
      this.options.signal?.removeEventListener('abort', cancelAll);
    }
    if (broke !== null && !this.merger.ending) throw new ScanBroke(broke);
  }

  private onPiece(piece: RunPiece, controllers: AbortController[]): void {
    this.readonBytes[piece.range] = piece.fileBytes;
    this.merger.add(piece);
    const ending = this.merger.ending;
    // A stop, a failure or a cancel in a range: the ranges after it are not the file's any more.
    if (ending) for (let later = ending.range + 1; later < controllers.length; later++) controllers[later].abort();
    const now = performance.now();
    if (now - this.t0 - this.lastTickAt >= TICK_EVERY_MS) this.tick(now - this.t0, true);
    if (now - this.lastSnapshotAt >= this.interval) {
      this.lastSnapshotAt = now;
      this.hooks.onSnapshot?.({ ...this.snapshot(), points: this.newPoints() });
    }
  }

  private stop(status: RunStatus, message?: string): void {
    this.runStatus = status;
    for (const index of this.merger.indexes) index?.compact();
    this.message = message;
    this.finishedMs = performance.now();
    this.tick(this.finishedMs - this.t0, false);
    const fields = { linesRead: this.merger.lines, durationMs: Math.round(this.finishedMs - this.t0), ...(message ? { message } : {}) };
    if (status === 'completed') this.events.emit('info', 'run', 'run_completed', fields);
    else if (status === 'cancelled') this.events.emit('warn', 'run', 'run_cancelled', fields);
    else this.events.emit('error', 'run', 'run_failed', fields);
  }

  private tick(elapsedMs: number, running: boolean): void {
    this.lastTickAt = elapsedMs;
    const processors = this.graph.nodes.map((node) => {
      const counters = this.merger.counters[node.index];
      return {
        id: node.config.id,
        linesIn: counters.linesIn,
        errors: counters.errors,
        timeMs: counters.timeMs,
        circuit: this.merger.circuits?.[node.index]?.state ?? 'closed',
      };
    });
    this.metrics.tick(elapsedMs, { lines: this.merger.linesSeen, bytes: this.bytesRead() }, processors, running);
  }

  private bytesRead(): number {
    let n = 0;
    for (const b of this.readonBytes) n += b;
    return Math.min(n, this.totalSize());
  }

  /** The alert engine, for what users do with alerts (acknowledge, resolve, suppress). */
  get alerts() {
    return this.metrics.alerts;
  }

  /** The Logs view's index of the lines folded so far (null when the run does not build one). */
  get logIndex() {
    return this.merger.index;
  }

  /** Workers the run reads with, and why only one when the pipeline needs line order. */
  get parallelism(): { workers: number; orderedBecause: string | null; compressed: boolean } {
    return { workers: this.workers, orderedBecause: this.orderedReason, compressed: this.compression !== 'none' };
  }

  /** The format the run reads with, resolved (null before the head was read). */
  get inputPlan(): InputPlan | null {
    return this.plan;
  }

  /** The run's first file as the Logs view reads it back (null before its head was read). */
  logFile(): LogFile | null {
    return this.logFiles()[0] ?? null;
  }

  /** Each file the run reads, as the Logs view reads it back: its index and how its entries were read. */
  logFiles(): LogFile[] {
    const files: LogFile[] = [];
    this.plans.forEach((plan, file) => {
      const index = this.merger.indexOf(file);
      if (!plan || !index) return;
      const source = this.sources[file];
      files.push({
        name: source.name ?? 'input',
        size: source.size,
        blob: source,
        index,
        ...(this.sources.length === 1
          ? {
              span: () => {
                const range = this.merger.timeline.timeRange();
                return range ? { first: Date.parse(range.start), last: Date.parse(range.end) } : null;
              },
            }
          : {}),
        reading: {
          format: plan.resolved,
          multiline: plan.format.multiline,
          lineEnd: plan.lineEnd,
          maxLineBytes: this.maxLineBytes,
          timeZoneOffsetMinutes: this.timeZoneOffsetMinutes,
        },
        plan: {
          format: plan.format,
          customFormats: this.acceptedSpecs,
          lineEnd: plan.lineEnd,
          maxLineBytes: this.maxLineBytes,
          timeZoneOffsetMinutes: this.timeZoneOffsetMinutes,
        },
      });
    });
    return files;
  }

  /** Per file: its name, size, lines, entries and format (a run of several files). */
  fileSummaries(): { name: string; size: number; lines: number; entries: number; format: string | null; skipped?: string }[] {
    return this.sources.map((source, file) => {
      const plan = this.plans[file];
      const skipped = this.skipped.find((s) => s.name === (source.name ?? 'input') && plan === null);
      return {
        name: source.name ?? 'input',
        size: source.size,
        lines: this.merger.fileLines[file] ?? 0,
        entries: this.merger.fileEntries[file] ?? 0,
        format: plan?.resolved.id ?? null,
        ...(skipped ? { skipped: skipped.reason } : {}),
      };
    });
  }

  /**
   * Traces, errors and events that came since `cursor` (what the last call returned), for a
   * writer that persists them in batches. `seen` tells how many came, kept or not.
   */
  drain(cursor: ObservationCursor = { traces: 0, errors: 0, events: 0, points: 0 }): Drained {
    const { traces, errors } = this.merger;
    const seen = { traces: traces.seen, errors: errors.total, events: this.events.seen, points: this.metrics.pointsSeen };
    return {
      traces: traces.since(cursor.traces),
      errors: errors.since(cursor.errors),
      events: this.events.since(cursor.events),
      points: this.metrics.pointsSince(cursor.points),
      seen,
    };
  }

  observations(): Observations {
    return { traces: this.merger.traces.section(), errors: this.merger.errors.section(), events: this.events.section() };
  }

  private fileName(): string {
    const first = this.options.fileName ?? this.sources[0].name ?? 'input';
    return this.sources.length === 1 ? first : `${first} and ${this.sources.length - 1} more`;
  }

  private totalSize(): number {
    return this.sources.reduce((n, s) => n + s.size, 0);
  }

  snapshot(): RunSnapshot {
    const now = this.finishedMs ?? performance.now();
    const elapsedMs = now - this.t0;
    const bytesRead = this.runStatus === 'completed' ? this.totalSize() : this.bytesRead();
    const merger = this.merger;
    const lines = this.runStatus === 'running' ? merger.linesSeen : merger.lines;
    const seconds = elapsedMs / 1000;
    const bytesPerSec = seconds > 0 ? bytesRead / seconds : 0;
    const size = this.totalSize();
    const latency = this.metrics.latencyStats(merger.counters);
    const processors = this.graph.nodes.map((node) => {
      const circuit = merger.circuits?.[node.index];
      return {
        id: node.config.id,
        type: node.config.type,
        ...merger.counters[node.index],
        circuit: circuit?.state ?? 'closed',
        circuitOpenings: circuit?.openings ?? 0,
        errorPolicy: node.config.onError,
        ...latency[node.index],
      };
    });
    const errors = processors.reduce((sum, p) => sum + p.errors, 0);
    const dropped = processors.reduce((sum, p) => sum + p.dropped, 0);
    return {
      runId: this.runId,
      status: this.runStatus,
      file: { name: this.fileName(), size },
      startedAt: this.startedAt.toISOString(),
      elapsedMs,
      bytesRead,
      linesRead: lines,
      linesPerSec: seconds > 0 ? lines / seconds : 0,
      bytesPerSec,
      etaMs: this.runStatus === 'running' && bytesPerSec > 0 ? ((size - bytesRead) / bytesPerSec) * 1000 : null,
      processors,
      totals: { linesIn: lines, linesOut: merger.outputLines, dropped, errors },
      input: {
        compression: this.compression,
        decodedBytes: merger.decodedBytes,
        truncatedLines: merger.truncatedLines,
        invalidUtf8Lines: merger.invalidUtf8Lines,
        maxLineBytes: this.maxLineBytes,
      },
      counters: this.counters(now),
      reading: { workers: this.workers, orderedBecause: this.orderedReason },
      graph: this.graphSection(),
      observed: { traces: merger.traces.seen, errors: merger.errors.total, events: this.events.seen },
      levels: this.levels(),
      timeRange: merger.timeline.timeRange(),
      timeline: this.timelineColumns(now),
      health: this.metrics.healthSection(),
      alerts: this.metrics.alertViews(),
      points: [],
      format: this.formatSection(),
      ...(this.message ? { message: this.message } : {}),
      ...(this.sources.length > 1 ? { files: this.fileSummaries() } : {}),
    };
  }

  private levels(): Record<Level, number> {
    const out = {} as Record<Level, number>;
    LEVELS.forEach((level, i) => (out[level] = this.merger.levels[i]));
    return out;
  }

  private formatSection(): FormatSection | null {
    const plan = this.plan;
    if (!plan) return null;
    return {
      id: plan.resolved.id,
      name: plan.resolved.name,
      confidence: plan.format.confidence,
      overridden: plan.format.overridden,
      unmatchedLines: this.merger.unmatchedEntries,
      multilineJoined: this.merger.joinedLines,
    };
  }

  /** The levels timeline as columns for charts, refreshed once a second and at the end. */
  private timelineColumns(now: number): TimelineColumns {
    if (this.timeline === null || this.runStatus !== 'running' || now - this.timelineAt >= TIMELINE_EVERY_MS) {
      this.timelineAt = now;
      this.timeline = this.merger.timeline.columns();
    }
    return this.timeline;
  }

  /** Series points not yet sent with a snapshot: live charts append them. */
  private newPoints(): NamedPoint[] {
    const points = this.metrics.pointsSince(this.pointsSent);
    this.pointsSent = this.metrics.pointsSeen;
    return points;
  }

  /** What the report adds from the metrics: levels, time range, timeline, health, alerts, series. */
  metricsReport(): MetricsReport {
    return {
      levels: this.levels(),
      timeRange: this.merger.timeline.timeRange(),
      timeline: this.merger.timeline.section(),
      health: this.metrics.healthSection(),
      alerts: this.metrics.alertViews(),
      metrics: this.metrics.metricsSection(),
      format: this.formatSection(),
    };
  }

  private graphSection(): GraphSection {
    const { nodes, edges } = this.graph;
    return {
      nodes: nodes.map((n) => ({ id: n.config.id, type: n.config.type })),
      edges: edges.map((e) => ({
        from: nodes[e.from].config.id,
        to: nodes[e.to].config.id,
        ...(e.branch === undefined ? {} : { branch: e.branch }),
        lines: this.merger.edges[e.index],
      })),
    };
  }

  /** Counter states are sorted on demand: refresh them twice a second, and at the end. */
  private counters(now: number): CounterState[] {
    if (this.runStatus === 'running' && now - this.counterStatesAt < COUNTER_STATE_EVERY_MS) return this.counterStates;
    this.counterStatesAt = now;
    this.counterStates = this.graph.nodes.flatMap((node) => {
      const state = this.merger.states[node.index]?.state() as Omit<CounterState, 'processor'> | undefined;
      return state && Array.isArray(state.counts) ? [{ processor: node.config.id, ...state }] : [];
    });
    return this.counterStates;
  }
}

/** A scanner broke (its worker crashed or ran out of memory): the run fails, what was folded stays. */
class ScanBroke extends Error {
  constructor(cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`A worker reading the file stopped unexpectedly (${detail}); the lines counted before it are kept.`);
  }
}

function defaultRunId(startedAt: Date): string {
  // Sortable and readable: 20261122-224100-x7k2
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}
