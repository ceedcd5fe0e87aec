import type { CircuitState } from '../observe/types.ts';
import { detectLevel } from '../processors/level-detect.ts';
import { LEVELS, type Level, type LogRecord } from '../types.ts';
import { AlertEngine, BUILT_IN_RULES, MinuteLevels, type AlertChange, type AlertRule, type AlertView } from './alerts.ts';
import { assessHealth, ThroughputWindow, timeShares, type HealthSection } from './health.ts';
import { LatencyHistogram } from './histogram.ts';
import { SeriesRecorder, type MetricsSection, type NamedPoint } from './series.ts';
import { Timeline, type TimelineColumns, type TimelineSection, type TimeRange } from './timeline.ts';
import { createTimestampContext, extractTimestamp, type TimestampContext } from './timestamps.ts';

const LEVEL_INDEX = new Map<Level, number>(LEVELS.map((level, i) => [level, i]));

/** Per-processor latency as the stats table and the report show it. */
export interface LatencyStats {
  p50Us: number;
  p95Us: number;
  p99Us: number;
  /** Share (0–1) of the pipeline's time spent in this processor. */
  utilization: number;
}

/** What a processor looks like to health and alert rules at one moment. */
export interface ProcessorState {
  id: string;
  linesIn: number;
  errors: number;
  timeMs: number;
  circuit: CircuitState;
}

export interface MetricsOptions {
  /** Offset of log timestamps that carry no zone (minutes east of UTC). */
  timeZoneOffsetMinutes?: number;
  rules?: readonly AlertRule[];
  maxPointsPerSeries?: number;
  onAlert?(change: AlertChange): void;
}

/**
 * The numbers behind the charts, health and alerts of one run. Each line is looked at once when
 * it is read (its level and timestamp: the log's own time), each processor once per batch (its
 * time per line), and the whole run about once a second (throughput, health, alert rules).
 *
 * Latency percentiles are of per-batch means (each batch's time per line, weighted by its
 * lines): a browser's clock (100 µs) cannot time one line, and timing each would cost more
 * than most processors.
 */
export class RunMetrics {
  private readonly clock: TimestampContext;
  private readonly timeline = new Timeline();
  private readonly minutes = new MinuteLevels();
  private readonly latency: LatencyHistogram[];
  private readonly throughput = new ThroughputWindow();
  private readonly series: SeriesRecorder;
  private readonly alertEngine: AlertEngine;
  private health: HealthSection = { status: 'HEALTHY', reasons: [], bottleneck: null, recentThroughputLps: 0 };
  private peakMemoryBytes?: number;
  private lastTick = { at: 0, lines: 0, bytes: 0 };

  constructor(processorCount: number, options: MetricsOptions = {}) {
    this.clock = createTimestampContext({ timeZoneOffsetMinutes: options.timeZoneOffsetMinutes });
    this.latency = Array.from({ length: processorCount }, () => new LatencyHistogram());
    this.series = new SeriesRecorder(options.maxPointsPerSeries);
    this.alertEngine = new AlertEngine(options.rules ?? BUILT_IN_RULES, options.onAlert);
    // Lines are counted from the run's start: its first second is a sample like the others.
    this.throughput.sample(0, 0);
  }

  /** Level and log time of each line as read, before any processor changes it. */
  ingest(records: LogRecord[]): void {
    const { clock, timeline, minutes } = this;
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      // Parsed entries come with their level and time; plain lines are looked at here.
      const parsed = record.parsedText !== undefined;
      const level = parsed ? record.level! : detectLevel(record.text);
      record.level = level;
      const levelIndex = LEVEL_INDEX.get(level)!;
      const ts = parsed ? (record.ts ?? null) : extractTimestamp(record.text, clock);
      if (ts === null) {
        timeline.addUntimed(levelIndex);
      } else {
        record.ts = ts;
        timeline.add(ts, levelIndex);
        minutes.add(ts, levelIndex);
      }
    }
  }

  /** One processor's share of one batch. */
  recordBatch(index: number, linesIn: number, elapsedMs: number): void {
    if (linesIn > 0) this.latency[index].record((elapsedMs * 1000) / linesIn, linesIn);
  }

  latencyStats(processors: readonly { timeMs: number }[]): LatencyStats[] {
    const shares = timeShares(processors);
    return this.latency.map((histogram, i) => ({
      p50Us: round(histogram.count ? histogram.percentile(50) : 0),
      p95Us: round(histogram.count ? histogram.percentile(95) : 0),
      p99Us: round(histogram.count ? histogram.percentile(99) : 0),
      utilization: round(shares[i] ?? 0, 4),
    }));
  }

  /**
   * About once a second of run time: a point per series, then health and the alert rules.
   * `done` ends the log's last minute so its levels are judged too.
   */
  tick(elapsedMs: number, totals: { lines: number; bytes: number }, processors: readonly ProcessorState[], running: boolean): void {
    const t = Math.round(elapsedMs / 100) / 10;
    const dt = (elapsedMs - this.lastTick.at) / 1000;
    if (dt > 0) {
      this.series.add('lines_per_sec', t, (totals.lines - this.lastTick.lines) / dt);
      this.series.add('bytes_per_sec', t, (totals.bytes - this.lastTick.bytes) / dt);
    }
    this.lastTick = { at: elapsedMs, ...totals };
    const latency = this.latencyStats(processors);
    processors.forEach((p, i) => {
      this.series.add(`p95_us:${p.id}`, t, latency[i].p95Us);
      this.series.add(`utilization:${p.id}`, t, latency[i].utilization);
    });
    this.throughput.sample(elapsedMs, totals.lines);
    this.peakMemoryBytes = Math.max(this.peakMemoryBytes ?? 0, memoryBytes() ?? 0) || undefined;
    this.health = assessHealth({
      processors,
      throughput: { recentLps: this.throughput.samples(), recentMeanLps: this.throughput.recentLps, peakLps: this.throughput.peakLps, elapsedMs, running },
      peakMemoryBytes: this.peakMemoryBytes,
    });
    if (!running) this.minutes.flush();
    this.alertEngine.evaluate(
      {
        processors: processors.map((p, i) => ({
          id: p.id,
          errorRate: p.linesIn > 0 ? p.errors / p.linesIn : undefined,
          p95Us: latency[i].p95Us,
          circuit: p.circuit,
        })),
        levelMinutes: this.minutes.take(),
        throughputLps: this.throughput.recentLps,
      },
      Date.now(),
    );
  }

  get pointsSeen(): number {
    return this.series.seen;
  }

  /** Series points added after the first `seen`. */
  pointsSince(seen: number): NamedPoint[] {
    return this.series.since(seen);
  }

  get alerts(): AlertEngine {
    return this.alertEngine;
  }

  levels(): Record<Level, number> {
    return this.timeline.levels();
  }

  timeRange(): TimeRange | null {
    return this.timeline.timeRange();
  }

  timelineSection(): TimelineSection {
    return this.timeline.section();
  }

  timelineColumns(): TimelineColumns {
    return this.timeline.columns();
  }

  healthSection(): HealthSection {
    return this.health;
  }

  alertViews(): AlertView[] {
    return this.alertEngine.alerts();
  }

  metricsSection(): MetricsSection {
    return this.series.section();
  }
}

/** Heap in use where the browser tells (Chromium's performance.memory) or Node's process. */
function memoryBytes(): number | undefined {
  const perf = performance as Performance & { memory?: { usedJSHeapSize: number } };
  if (perf.memory) return perf.memory.usedJSHeapSize;
  const proc = (globalThis as { process?: { memoryUsage?: () => { heapUsed: number } } }).process;
  return proc?.memoryUsage?.().heapUsed;
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
