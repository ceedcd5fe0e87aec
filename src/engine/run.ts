import {
  DEFAULT_MAX_LINE_BYTES,
  describeInputError,
  LineSplitter,
  openSource,
  sniffBinary,
  type BlobLike,
  type Compression,
} from './lines/index.ts';
import { compileCustomFormats, type FormatIssue } from './formats/custom.ts';
import { FormatStage } from './formats/stage.ts';
import { RunMetrics } from './metrics/run-metrics.ts';
import type { NamedPoint } from './metrics/series.ts';
import type { TimelineColumns } from './metrics/timeline.ts';
import { CircuitBreaker } from './observe/circuit.ts';
import { describeError, ErrorCollector } from './observe/errors.ts';
import { EventLog } from './observe/events.ts';
import { TraceRecorder } from './observe/traces.ts';
import {
  DEFAULT_CAPS,
  type GraphSection,
  type LogEvent,
  type ObserveCaps,
  type ProcessorErrorItem,
  type Trace,
  type TracePolicy,
} from './observe/types.ts';
import type { PipelineConfig } from './pipeline/config.ts';
import { PipelineExecutor, PipelineStopped, type NodeCounters } from './pipeline/executor.ts';
import { buildGraph, instantiate, type PipelineGraph } from './pipeline/graph.ts';
import type { ProcessorInstance, RunContext } from './processors/types.ts';
import { buildReport, type MetricsReport, type Observations, type Report } from './report/report.ts';
import type { CounterState, RunSnapshot, RunStatus } from './snapshot.ts';
import type { LineBatch, LogRecord, TraceInFlight } from './types.ts';

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
  /** Offset of log timestamps that carry no zone, in minutes east of UTC (default 0: UTC). */
  timeZoneOffsetMinutes?: number;
  /** A format id, or "auto": overrides the `parse` processor's `format` for this run (e.g. picked in the UI). */
  format?: string;
  /**
   * The user's custom formats, as plain JSON specs (see formats/custom.ts): checked here, tried
   * first by detection, and `format` may name one. A bad spec is left out with a
   * `custom_format_refused` event; the run goes on.
   */
  customFormats?: readonly unknown[];
}

/** Where the pipeline's output lines go, batch by batch (e.g. a file in the worker's private storage). */
export interface OutputSink {
  write(lines: string[]): void | Promise<void>;
  close(): void | Promise<void>;
}

export interface RunHooks {
  onSnapshot?(snapshot: RunSnapshot): void;
  output?: OutputSink;
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

/** How long the loop may work before it lets other tasks (a cancel message) in. */
const YIELD_EVERY_MS = 50;
const COUNTER_STATE_EVERY_MS = 500;
/** Series points, health and alert rules: once a second of run time. */
const TICK_EVERY_MS = 1000;
/** The levels timeline is the largest part of a snapshot: refreshed once a second. */
const TIMELINE_EVERY_MS = 1000;

/** Streams a file through the pipeline and returns the run's report (see LogRun). */
export function runLog(source: BlobLike, config: PipelineConfig, options: RunOptions = {}, hooks: RunHooks = {}): Promise<Report> {
  return new LogRun(source, config, options, hooks).execute();
}

/**
 * One run of a file (plain, gzip or zstd) through a pipeline. Input problems end the run as `failed`
 * with a message; everything counted so far is kept. Its traces, errors and events can be read
 * while it runs.
 */
export class LogRun {
  private readonly graph: PipelineGraph;
  private readonly instances: ProcessorInstance[];
  private readonly breakers: (CircuitBreaker | null)[];
  private readonly executor: PipelineExecutor;
  private readonly splitter: LineSplitter;
  private readonly traces: TraceRecorder;
  private readonly errors: ErrorCollector;
  private readonly events: EventLog;
  private readonly metrics: RunMetrics;
  /** Present when the pipeline has a `parse` processor: lines become parsed entries as read. */
  private readonly format: FormatStage | null;
  /** Why custom formats were left out, told in the event log once the run starts. */
  private readonly refusedFormats: FormatIssue[] = [];
  private readonly context: RunContext = { parser: null };
  private readonly startedAt = new Date();
  private readonly t0 = performance.now();
  private readonly interval: number;
  private readonly maxLineBytes: number;
  private readonly runId: string;
  private runStatus: RunStatus = 'running';

  /** Running until the run ends; then how it ended. */
  get status(): RunStatus {
    return this.runStatus;
  }
  private message?: string;
  private compression: Compression = 'none';
  private bytesRead: () => number = () => 0;
  private counterStates: CounterState[] = [];
  private counterStatesAt = -Infinity;
  private timeline: TimelineColumns | null = null;
  private timelineAt = -Infinity;
  private lastTickAt = 0;
  /** Series points already sent with a snapshot. */
  private pointsSent = 0;
  private finishedMs?: number;

  constructor(
    private readonly source: BlobLike,
    private readonly config: PipelineConfig,
    private readonly options: RunOptions = {},
    private readonly hooks: RunHooks = {},
  ) {
    const graph = buildGraph(config);
    if (!graph.ok) throw new Error(`invalid pipeline: ${graph.error.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.graph = graph.value;
    const caps = { ...DEFAULT_CAPS, ...options.caps };
    this.runId = options.runId ?? defaultRunId(this.startedAt);
    this.traces = new TraceRecorder(options.trace ?? null, caps.traces);
    this.errors = new ErrorCollector(caps.errors);
    this.events = new EventLog(caps.events);
    this.metrics = new RunMetrics(this.graph.nodes.length, {
      timeZoneOffsetMinutes: options.timeZoneOffsetMinutes,
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
    const parse = config.processors.find((p) => p.type === 'parse');
    const custom = parse && options.customFormats?.length ? compileCustomFormats(options.customFormats) : null;
    if (custom) this.refusedFormats = custom.issues;
    this.format = parse
      ? new FormatStage({
          format: options.format ?? (parse.params.format as string),
          multiline: parse.params.multiline as boolean,
          timeZoneOffsetMinutes: options.timeZoneOffsetMinutes,
          customFormats: custom?.formats,
        })
      : null;
    this.instances = instantiate(this.graph, this.context);
    this.breakers = this.graph.nodes.map(({ config: processor }) =>
      processor.circuit === null
        ? null
        : new CircuitBreaker(processor.circuit, ({ from, to, reason }) =>
            this.events.emit(to === 'open' ? 'warn' : 'info', processor.id, 'circuit_state_change', { from, to, reason }),
          ),
    );
    this.executor = new PipelineExecutor(this.graph, this.instances, this.breakers, {
      onError: (node, record, error) => {
        const item = this.errors.add(node.config.id, record.lineNo, record.text, error);
        if (record.ts !== undefined) item.ts = record.ts;
        this.events.emit('warn', node.config.id, 'processor_error', { lineNo: record.lineNo, type: item.type, message: item.message });
      },
      onRetry: (node, record, attempts, succeeded, error) => {
        this.events.emit(succeeded ? 'info' : 'warn', node.config.id, 'processor_retry', {
          lineNo: record.lineNo,
          attempts,
          outcome: succeeded ? 'succeeded' : 'failed',
          ...(succeeded ? {} : describeError(error)),
        });
      },
      onTraces: (traces) => {
        for (const trace of traces) this.traces.add(finishTrace(trace));
      },
      mayForceTrace: (pending) => this.traces.enabled && this.traces.kept + pending < this.traces.cap,
    });
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.splitter = new LineSplitter({ maxLineBytes: this.maxLineBytes });
    this.interval = options.snapshotIntervalMs ?? 100;
  }

  async execute(): Promise<Report> {
    const { signal } = this.options;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let lastSnapshot = -Infinity;
    let lastYield = performance.now();
    this.events.emit('info', 'run', 'run_started', {
      runId: this.runId,
      file: this.fileName(),
      size: this.source.size,
      processors: this.config.processors.map((p) => p.id),
      trace: this.options.trace ?? null,
    });
    for (const { path, message } of this.refusedFormats) {
      this.events.emit('warn', 'formats', 'custom_format_refused', { path, message });
    }
    try {
      const input = await openSource(this.source);
      this.compression = input.compression;
      this.bytesRead = input.bytesRead;
      const stream = input.stream.getReader();
      reader = stream;
      let first = true;
      let ending: { status: RunStatus; message: string } | null = null;
      while (true) {
        if (signal?.aborted) {
          ending = { status: 'cancelled', message: 'Cancelled: the lines read so far are counted.' };
          break;
        }
        const { done, value } = await stream.read();
        if (done) break;
        if (first) {
          first = false;
          const binary = sniffBinary(value.subarray(0, 8192));
          if (binary) {
            ending = { status: 'failed', message: binary };
            break;
          }
        }
        await this.handle(this.splitter.push(value));
        const now = performance.now();
        if (now - this.t0 - this.lastTickAt >= TICK_EVERY_MS) this.tick(now - this.t0, true);
        if (now - lastSnapshot >= this.interval) {
          lastSnapshot = now;
          this.emitSnapshot();
        }
        if (now - lastYield >= YIELD_EVERY_MS) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          lastYield = performance.now();
        }
      }
      if (ending === null) await this.handle(this.splitter.finish());
      await this.flushEntries();
      this.stop(ending?.status ?? 'completed', ending?.message);
    } catch (error) {
      let message = error instanceof PipelineStopped ? error.message : describeInputError(error, this.compression);
      if (!(error instanceof PipelineStopped)) {
        // The input broke off: the entry held back for continuation lines was read in full.
        try {
          await this.flushEntries();
        } catch (stopped) {
          if (stopped instanceof PipelineStopped) message = stopped.message;
        }
      }
      this.stop('failed', message);
    } finally {
      if (this.runStatus !== 'completed') reader?.cancel().catch(() => {});
      await this.hooks.output?.close();
    }
    const final = this.snapshot();
    this.hooks.onSnapshot?.({ ...final, points: this.newPoints() });
    return buildReport(final, this.config, this.observations(), this.metricsReport(), new Date());
  }

  /** The last entry, held back in case continuation lines followed: nothing read is left out. */
  private async flushEntries(): Promise<void> {
    if (this.format) await this.process(this.format.finish());
  }

  private async handle(batch: LineBatch | null): Promise<void> {
    if (!batch) return;
    const { texts, offsets, firstLineNo } = batch;
    const tracing = this.traces.enabled;
    const records: LogRecord[] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i];
      // Every field present from the start: one object shape for all records keeps V8 fast.
      records[i] = {
        lineNo: firstLineNo + i,
        offset: offsets[i],
        text,
        level: undefined,
        ts: undefined,
        fields: undefined,
        parsedText: undefined,
        original: tracing ? text : undefined,
        trace: undefined,
      };
    }
    await this.process(this.format ? this.format.push(records) : records);
  }

  /** Records (lines, or parsed entries) through metrics, tracing and the pipeline, then to the output. */
  private async process(records: LogRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (this.format) this.context.parser = this.format.parser;
    this.metrics.ingest(records);
    const tracing = this.traces.enabled;
    if (tracing) {
      for (let i = 0; i < records.length; i++) if (this.traces.samples(records[i].lineNo)) this.executor.trace(records[i]);
    }
    const before = this.executor.counters.map((c) => ({ ...c }));
    let output: LogRecord[];
    try {
      output = this.executor.process(records);
    } finally {
      this.stagesCompleted(before);
    }
    if (this.hooks.output && output.length) {
      const lines = new Array<string>(output.length);
      for (let i = 0; i < output.length; i++) lines[i] = output[i].text;
      await this.hooks.output.write(lines);
    }
  }

  /** One `stage_completed` event per processor that saw lines in this batch. */
  private stagesCompleted(before: NodeCounters[]): void {
    this.executor.counters.forEach((after, index) => {
      const recordsIn = after.linesIn - before[index].linesIn;
      if (recordsIn === 0) return;
      const elapsedMs = after.timeMs - before[index].timeMs;
      this.metrics.recordBatch(index, recordsIn, elapsedMs);
      this.events.emit('debug', this.graph.nodes[index].config.id, 'stage_completed', {
        recordsIn,
        recordsOut: after.linesOut - before[index].linesOut,
        elapsedMs: round(elapsedMs, 3),
        throughputRps: elapsedMs > 0 ? Math.round((recordsIn / elapsedMs) * 1000) : null,
      });
    });
  }

  private stop(status: RunStatus, message?: string): void {
    this.runStatus = status;
    this.message = message;
    this.finishedMs = performance.now();
    this.tick(this.finishedMs - this.t0, false);
    const { linesRead, elapsedMs } = { linesRead: this.splitter.stats.lines, elapsedMs: this.finishedMs - this.t0 };
    const fields = { linesRead, durationMs: Math.round(elapsedMs), ...(message ? { message } : {}) };
    if (status === 'completed') this.events.emit('info', 'run', 'run_completed', fields);
    else if (status === 'cancelled') this.events.emit('warn', 'run', 'run_cancelled', fields);
    else this.events.emit('error', 'run', 'run_failed', fields);
  }

  private tick(elapsedMs: number, running: boolean): void {
    this.lastTickAt = elapsedMs;
    const processors = this.graph.nodes.map((node) => {
      const counters = this.executor.counters[node.index];
      return {
        id: node.config.id,
        linesIn: counters.linesIn,
        errors: counters.errors,
        timeMs: counters.timeMs,
        circuit: this.breakers[node.index]?.state ?? 'closed',
      };
    });
    this.metrics.tick(elapsedMs, { lines: this.splitter.stats.lines, bytes: this.bytesRead() }, processors, running);
  }

  /** The alert engine, for what users do with alerts (acknowledge, resolve, suppress). */
  get alerts() {
    return this.metrics.alerts;
  }

  /**
   * Traces, errors and events that came since `cursor` (what the last call returned), for a
   * writer that persists them in batches. `seen` tells how many came, kept or not.
   */
  drain(cursor: ObservationCursor = { traces: 0, errors: 0, events: 0, points: 0 }): Drained {
    const seen = { traces: this.traces.seen, errors: this.errors.total, events: this.events.seen, points: this.metrics.pointsSeen };
    return {
      traces: this.traces.since(cursor.traces),
      errors: this.errors.since(cursor.errors),
      events: this.events.since(cursor.events),
      points: this.metrics.pointsSince(cursor.points),
      seen,
    };
  }

  observations(): Observations {
    return { traces: this.traces.section(), errors: this.errors.section(), events: this.events.section() };
  }

  private fileName(): string {
    return this.options.fileName ?? this.source.name ?? 'input';
  }

  snapshot(): RunSnapshot {
    const now = this.finishedMs ?? performance.now();
    const elapsedMs = now - this.t0;
    const bytesRead = this.bytesRead();
    const { stats } = this.splitter;
    const seconds = elapsedMs / 1000;
    const bytesPerSec = seconds > 0 ? bytesRead / seconds : 0;
    const size = this.source.size;
    const latency = this.metrics.latencyStats(this.executor.counters);
    const processors = this.graph.nodes.map((node) => {
      const breaker = this.breakers[node.index];
      return {
        id: node.config.id,
        type: node.config.type,
        ...this.executor.counters[node.index],
        circuit: breaker?.state ?? 'closed',
        circuitOpenings: breaker?.openings ?? 0,
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
      linesRead: stats.lines,
      linesPerSec: seconds > 0 ? stats.lines / seconds : 0,
      bytesPerSec,
      etaMs: this.runStatus === 'running' && bytesPerSec > 0 ? ((size - bytesRead) / bytesPerSec) * 1000 : null,
      processors,
      totals: { linesIn: stats.lines, linesOut: this.executor.outputLines, dropped, errors },
      input: {
        compression: this.compression,
        decodedBytes: stats.bytes,
        truncatedLines: stats.truncatedLines,
        invalidUtf8Lines: stats.invalidUtf8Lines,
        maxLineBytes: this.maxLineBytes,
      },
      counters: this.counters(now),
      graph: this.graphSection(),
      observed: { traces: this.traces.seen, errors: this.errors.total, events: this.events.seen },
      levels: this.metrics.levels(),
      timeRange: this.metrics.timeRange(),
      timeline: this.timelineColumns(now),
      health: this.metrics.healthSection(),
      alerts: this.metrics.alertViews(),
      points: [],
      format: this.format?.section() ?? null,
      ...(this.message ? { message: this.message } : {}),
    };
  }

  /** The levels timeline as columns for charts, refreshed once a second and at the end. */
  private timelineColumns(now: number): TimelineColumns {
    if (this.timeline === null || this.runStatus !== 'running' || now - this.timelineAt >= TIMELINE_EVERY_MS) {
      this.timelineAt = now;
      this.timeline = this.metrics.timelineColumns();
    }
    return this.timeline;
  }

  /** A snapshot for the UI, with the series points it has not had yet (live charts append them). */
  private emitSnapshot(): void {
    this.hooks.onSnapshot?.({ ...this.snapshot(), points: this.newPoints() });
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
      levels: this.metrics.levels(),
      timeRange: this.metrics.timeRange(),
      timeline: this.metrics.timelineSection(),
      health: this.metrics.healthSection(),
      alerts: this.metrics.alertViews(),
      metrics: this.metrics.metricsSection(),
      format: this.format?.section() ?? null,
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
        lines: this.executor.edgeLines[e.index],
      })),
    };
  }

  /** Counter states are sorted on demand: refresh them twice a second, and at the end. */
  private counters(now: number): CounterState[] {
    if (this.runStatus === 'running' && now - this.counterStatesAt < COUNTER_STATE_EVERY_MS) return this.counterStates;
    this.counterStatesAt = now;
    this.counterStates = this.graph.nodes.flatMap((node) => {
      const state = this.instances[node.index].state?.() as Omit<CounterState, 'processor'> | undefined;
      return state && Array.isArray(state.counts) ? [{ processor: node.config.id, ...state }] : [];
    });
    return this.counterStates;
  }
}

/** A trace's final status: emitted if any copy left the pipeline, else error if it failed, else dropped. */
function finishTrace({ lineNo, offset, ts, text, steps, emitted, failed }: TraceInFlight): Trace {
  const status = emitted ? 'emitted' : failed ? 'error' : 'dropped';
  return ts === undefined ? { lineNo, offset, text, status, steps } : { lineNo, offset, ts, text, status, steps };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function defaultRunId(startedAt: Date): string {
  // Sortable and readable: 20261122-224100-x7k2
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}
