import type { CircuitState } from '../observe/types.ts';
import type { Level } from '../types.ts';
import { AlertEngine, BUILT_IN_RULES, type AlertChange, type AlertRule, type AlertView, type MinuteLevels } from './alerts.ts';
import { assessHealth, ThroughputWindow, timeShares, type HealthSection } from './health.ts';
import type { LatencyHistogram } from './histogram.ts';
import { SeriesRecorder, type MetricsSection, type NamedPoint } from './series.ts';
import type { Timeline, TimelineColumns, TimelineSection, TimeRange } from './timeline.ts';

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
  rules?: readonly AlertRule[];
  maxPointsPerSeries?: number;
  onAlert?(change: AlertChange): void;
}

/**
 * The numbers behind the charts, health and alerts of one run, from its merged totals: the
 * entries' levels and log times and each processor's time per batch are counted where the
 * range is scanned; here the whole run is looked at about once a second (throughput, health,
 * alert rules).
 *
 * Latency percentiles are of per-batch means (each batch's time per line, weighted by its
 * lines): a browser's clock (100 µs) cannot time one line, and timing each would cost more
 * than most processors.
 */
export class RunMetrics {
  private readonly throughput = new ThroughputWindow();
  private readonly series: SeriesRecorder;
  private readonly alertEngine: AlertEngine;
  private health: HealthSection = { status: 'HEALTHY', reasons: [], bottleneck: null, recentThroughputLps: 0 };
  private peakMemoryBytes?: number;
  private lastTick = { at: 0, lines: 0, bytes: 0 };

  /**
   * `sources`: the run's merged numbers (doc/merge.ts): the levels timeline and minutes of log
   * time, and each processor's latency histogram.
   */
  constructor(
    private readonly sources: { timeline: Timeline; minutes: MinuteLevels; latency: readonly LatencyHistogram[] },
    options: MetricsOptions = {},
  ) {
    this.series = new SeriesRecorder(options.maxPointsPerSeries);
    this.alertEngine = new AlertEngine(options.rules ?? BUILT_IN_RULES, options.onAlert);
    // Lines are counted from the run's start: its first second is a sample like the others.
    this.throughput.sample(0, 0);
  }

  latencyStats(processors: readonly { timeMs: number }[]): LatencyStats[] {
    const shares = timeShares(processors);
    return this.sources.latency.map((histogram, i) => ({
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
    // The tick at the end of a run that read nothing since the last one is the end, not a stall:
    // a 0 there would end every throughput chart in a drop.
    const endedIdle = !running && totals.lines === this.lastTick.lines && totals.bytes === this.lastTick.bytes;
    if (dt > 0 && !endedIdle) {
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
    if (!running) this.sources.minutes.flush();
    this.alertEngine.evaluate(
      {
        processors: processors.map((p, i) => ({
          id: p.id,
          errorRate: p.linesIn > 0 ? p.errors / p.linesIn : undefined,
          p95Us: latency[i].p95Us,
          circuit: p.circuit,
        })),
        levelMinutes: this.sources.minutes.take(),
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
    return this.sources.timeline.levels();
  }

  timeRange(): TimeRange | null {
    return this.sources.timeline.timeRange();
  }

  timelineSection(): TimelineSection {
    return this.sources.timeline.section();
  }

  timelineColumns(): TimelineColumns {
    return this.sources.timeline.columns();
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
