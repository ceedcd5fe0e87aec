/**
 * The run's health at a glance (the report's `health`): one status, the reasons in words a user
 * understands, and the bottleneck. A pure function of counters the run already keeps, so the
 * live view, the finished report and a stored run all agree.
 *
 * Rules (defaults in DEFAULT_HEALTH_THRESHOLDS):
 * - a processor's errors above 1 % of its lines → DEGRADED; above 10 % → UNHEALTHY;
 * - an open (or half-open: still on trial) circuit → DEGRADED; more than one, or an open circuit
 *   on the bottleneck → UNHEALTHY, because then the pipeline is mostly going around itself or its
 *   slowest stage is failing;
 * - throughput collapse: after the warm-up, while the run is live, the recent mean below 20 % of
 *   the run's peak → DEGRADED (the run still moves; a stall is a symptom to look at, not a failure).
 * The bottleneck is the processor with the largest share of processing time; its lines/s is
 * linesIn / (timeMs / 1000), i.e. what it could sustain alone.
 */

import type { CircuitState } from '../observe/types.ts';

export type HealthStatus = 'HEALTHY' | 'DEGRADED' | 'UNHEALTHY';

export interface ProcessorHealthInput {
  id: string;
  linesIn: number;
  errors: number;
  timeMs: number;
  circuit: CircuitState;
}

export interface HealthThresholds {
  /** Share of a processor's lines (0–1) failing above which the run is DEGRADED. */
  errorRate: number;
  /** ...and above which it is UNHEALTHY. */
  errorRateUnhealthy: number;
  /** Recent mean throughput below this share of the peak is a collapse. */
  collapseRatio: number;
  /** No collapse is called before the run is this old (JIT, first reads, first paint). */
  warmupMs: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = Object.freeze({
  errorRate: 0.01,
  errorRateUnhealthy: 0.1,
  collapseRatio: 0.2,
  warmupMs: 5000,
});

export interface HealthInput {
  processors: readonly ProcessorHealthInput[];
  throughput?: {
    /** Lines/s samples of the recent window (e.g. ThroughputWindow.samples()). */
    recentLps: ArrayLike<number>;
    /** The recent window's mean lines/s when known (ThroughputWindow.recentLps); default: the mean of the samples. */
    recentMeanLps?: number;
    /** The run's highest sample so far. */
    peakLps: number;
    elapsedMs: number;
    /** A finished run slows down at its end by nature: no collapse is called then. Default true. */
    running?: boolean;
  };
  /** Where the browser reports it (performance.memory, measureUserAgentSpecificMemory). */
  peakMemoryBytes?: number;
  thresholds?: Partial<HealthThresholds>;
  /** Error-rate thresholds of single processors, by id. */
  processorThresholds?: Record<string, Partial<Pick<HealthThresholds, 'errorRate' | 'errorRateUnhealthy'>>>;
}

export interface Bottleneck {
  processor: string;
  linesPerSec: number;
}

export interface HealthSection {
  status: HealthStatus;
  reasons: string[];
  bottleneck: Bottleneck | null;
  recentThroughputLps: number;
  peakMemoryBytes?: number;
}

const RANK: Record<HealthStatus, number> = { HEALTHY: 0, DEGRADED: 1, UNHEALTHY: 2 };

export function assessHealth(input: HealthInput): HealthSection {
  const t = { ...DEFAULT_HEALTH_THRESHOLDS, ...input.thresholds };
  const reasons: string[] = [];
  let status: HealthStatus = 'HEALTHY';
  const raise = (to: HealthStatus, reason: string) => {
    if (RANK[to] > RANK[status]) status = to;
    reasons.push(reason);
  };

  const { processors } = input;
  const shares = timeShares(processors);
  let top = -1;
  for (let i = 0; i < processors.length; i++) if (shares[i] > 0 && (top < 0 || shares[i] > shares[top])) top = i;
  const bottleneck: Bottleneck | null =
    top < 0 ? null : { processor: processors[top].id, linesPerSec: processors[top].linesIn / (processors[top].timeMs / 1000) };

  const tripped = processors.filter((p) => p.circuit !== 'closed');
  for (const p of tripped) {
    const onBottleneck = top >= 0 && p === processors[top];
    const what = p.circuit === 'open' ? 'is open' : 'is half-open (trying a line after failures)';
    raise(
      tripped.length > 1 || onBottleneck ? 'UNHEALTHY' : 'DEGRADED',
      `circuit of '${p.id}' ${what}${onBottleneck ? ", and it is the bottleneck" : ''}`,
    );
  }

  for (const p of processors) {
    if (!(p.linesIn > 0) || !(p.errors > 0)) continue;
    const own = input.processorThresholds?.[p.id];
    const degraded = own?.errorRate ?? t.errorRate;
    const unhealthy = own?.errorRateUnhealthy ?? t.errorRateUnhealthy;
    const rate = p.errors / p.linesIn;
    const what = `errors in '${p.id}': ${percent(rate)} of lines (threshold ${percent(degraded)}`;
    if (rate > unhealthy) raise('UNHEALTHY', `${what}, unhealthy above ${percent(unhealthy)})`);
    else if (rate > degraded) raise('DEGRADED', `${what})`);
  }

  let recentThroughputLps = 0;
  const tp = input.throughput;
  if (tp !== undefined) {
    recentThroughputLps = tp.recentMeanLps ?? mean(tp.recentLps);
    const live = tp.running ?? true;
    if (live && tp.elapsedMs >= t.warmupMs && tp.recentLps.length > 0 && tp.peakLps > 0 && recentThroughputLps < t.collapseRatio * tp.peakLps) {
      raise(
        'DEGRADED',
        `throughput collapsed: ${grouped(recentThroughputLps)} lines/s lately, ${percent(recentThroughputLps / tp.peakLps)} of the peak ${grouped(tp.peakLps)} lines/s`,
      );
    }
  }

  return {
    status,
    reasons,
    bottleneck,
    recentThroughputLps,
    ...(input.peakMemoryBytes === undefined ? {} : { peakMemoryBytes: input.peakMemoryBytes }),
  };
}

/** Each processor's share of all processing time (0–1): the stats table's `utilization`. */
export function timeShares(processors: readonly { timeMs: number }[]): number[] {
  let total = 0;
  for (const p of processors) if (p.timeMs > 0) total += p.timeMs;
  return processors.map((p) => (total > 0 && p.timeMs > 0 ? p.timeMs / total : 0));
}

/**
 * Lines/s over fixed sample intervals of the run's wall time, the recent ones kept in a ring:
 * the input of the collapse rule and of the `throughput_lps` alert. Feed it at every snapshot;
 * it makes a sample once `sampleMs` have passed, so rates are not noise from 100 ms slices.
 */
export class ThroughputWindow {
  private readonly ring: Float64Array;
  private next = 0;
  private size = 0;
  private lastAt = NaN;
  private lastLines = 0;
  private peak = 0;
  private readonly sampleMs: number;
  private readonly windowMs: number;
  /** The first call and the latest one: until they are a window apart, the window is all there is. */
  private firstAt = NaN;
  private firstLines = 0;
  private latestAt = NaN;
  private latestLines = 0;

  constructor(options: { windowMs?: number; sampleMs?: number } = {}) {
    this.sampleMs = options.sampleMs ?? 1000;
    this.windowMs = options.windowMs ?? 10_000;
    this.ring = new Float64Array(Math.max(1, Math.round(this.windowMs / this.sampleMs)));
  }

  /** `linesTotal` lines read since the start, at `nowMs` (any monotonic clock). */
  sample(nowMs: number, linesTotal: number): void {
    this.latestAt = nowMs;
    this.latestLines = linesTotal;
    if (this.lastAt !== this.lastAt) {
      this.firstAt = this.lastAt = nowMs;
      this.firstLines = this.lastLines = linesTotal;
      return;
    }
    const dt = nowMs - this.lastAt;
    if (dt < this.sampleMs) return;
    const lps = ((linesTotal - this.lastLines) / dt) * 1000;
    this.lastAt = nowMs;
    this.lastLines = linesTotal;
    this.ring[this.next] = lps;
    this.next = (this.next + 1) % this.ring.length;
    if (this.size < this.ring.length) this.size++;
    if (lps > this.peak) this.peak = lps;
  }

  get peakLps(): number {
    return this.peak;
  }

  /**
   * Mean lines/s of the recent window: of its samples, or, while less than a window has passed
   * since the first call, of all that time (a run shorter than a sample has a throughput too).
   * 0 before any time has passed.
   */
  get recentLps(): number {
    const span = this.latestAt - this.firstAt;
    if (span < this.windowMs) return span > 0 ? ((this.latestLines - this.firstLines) / span) * 1000 : 0;
    return mean(this.samples());
  }

  /** The recent samples, oldest first (a copy). */
  samples(): Float64Array {
    const out = new Float64Array(this.size);
    const start = (this.next - this.size + this.ring.length) % this.ring.length;
    for (let i = 0; i < this.size; i++) out[i] = this.ring[(start + i) % this.ring.length];
    return out;
  }
}

function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/** 0.125 → "12.5%", 0.0104 → "1.04%", 0.01 → "1%". */
export function percent(share: number): string {
  const p = share * 100;
  const text = p >= 10 ? p.toFixed(1) : p.toFixed(2);
  return `${text.includes('.') ? text.replace(/\.?0+$/, '') : text}%`;
}

/** 15000 → "15,000" (same in every locale: reasons are stored in reports). */
function grouped(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
