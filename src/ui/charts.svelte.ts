/**
 * The charts' data: snapshots and reports turned into columnar series for uPlot.
 *
 * Live, every snapshot carries the series points added since the previous one (about one per
 * series a second). They are appended in place to growable Float64Arrays (capacity doubles, so
 * a run of an hour costs a dozen reallocations, not one per point), and a table past MAX_POINTS
 * rows merges the pairs of its oldest quarter in place, like the engine's mergePoints: a chart
 * always spans the whole run, coarser further back. What a chart gets is a set of subarray views
 * over those buffers, rebuilt only when points arrived.
 *
 * The levels timeline comes whole with each snapshot (the engine refreshes it once a second,
 * but every message is a fresh copy), so its stacked columns are rebuilt only when its content
 * changed: one pass over the counts decides, not a pass per frame.
 */
import type { MetricsSection, NamedPoint, Report, RunSnapshot, SeriesPoint, TimelineColumns, TimelineSection } from '../worker/client.ts';

export type AlignedData = [x: Float64Array, ...y: Float64Array[]];
type Level = keyof RunSnapshot['levels'];

/** The engine's LEVELS, in its order: timeline columns are indexed like this. */
export const LEVEL_ORDER = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'UNKNOWN'] as const satisfies readonly Level[];
/**
 * Bottom of the stack first: the levels that matter most sit on the baseline, where a small
 * count is still visible and comparable between bars.
 */
export const STACK_ORDER: readonly Level[] = ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'UNKNOWN'];
/** Rows a table keeps before merging its oldest ones (the engine keeps as many per series). */
export const MAX_POINTS = 10_000;
const MB = 1024 * 1024;

/**
 * Rows of one x column (seconds since the run started) and named y columns that grow together.
 * All series of one chart get their points at the same ticks, so one row per tick aligns them
 * the way uPlot wants; a cell a tick did not fill keeps the value of the row before (never NaN,
 * which would spoil a scale's range).
 */
export class SeriesTable {
  private capacity: number;
  private x: Float64Array;
  /** Points merged into each row: a merged row is the weighted mean of its parts. */
  private weight: Float64Array;
  private readonly cols = new Map<string, Float64Array>();
  /** Column names in the order they first appeared. */
  readonly names: string[] = [];
  length = 0;

  constructor(
    private readonly maxRows = MAX_POINTS,
    initialCapacity = 64,
  ) {
    this.capacity = Math.max(4, initialCapacity);
    this.x = new Float64Array(this.capacity);
    this.weight = new Float64Array(this.capacity);
  }

  /** Sets a cell of the row at `t` (a new row when `t` is past the last one). */
  set(name: string, t: number, value: number, weight = 1): void {
    if (!Number.isFinite(value) || !Number.isFinite(t)) return;
    if (!this.cols.has(name)) this.addColumn(name);
    const n = this.length;
    let row: number;
    if (n > 0 && t <= this.x[n - 1]) {
      // Same tick (or, never expected, an older one: it lands in the latest row rather than reorder).
      row = n - 1;
    } else {
      if (n === this.capacity) this.grow();
      row = n;
      this.x[row] = t;
      this.weight[row] = weight > 0 ? weight : 1;
      for (const c of this.cols.values()) c[row] = row > 0 ? c[row - 1] : 0;
      this.length = n + 1;
    }
    // Looked up after a possible grow(): the column may be a new buffer.
    this.cols.get(name)![row] = value;
    if (this.length > this.maxRows) this.merge();
  }

  column(name: string): Float64Array | undefined {
    const col = this.cols.get(name);
    return col?.subarray(0, this.length);
  }

  /** uPlot's columns: x, then the named columns (missing names give zeros). */
  aligned(names: readonly string[]): AlignedData {
    const n = this.length;
    return [this.x.subarray(0, n), ...names.map((name) => this.cols.get(name)?.subarray(0, n) ?? new Float64Array(n))];
  }

  clear(): void {
    this.length = 0;
    this.cols.clear();
    this.names.length = 0;
  }

  private addColumn(name: string): Float64Array {
    // A series that starts late starts at 0 for the rows before it.
    const col = new Float64Array(this.capacity);
    this.cols.set(name, col);
    this.names.push(name);
    return col;
  }

  private grow(): void {
    this.capacity *= 2;
    const widen = (old: Float64Array) => {
      const next = new Float64Array(this.capacity);
      next.set(old.subarray(0, this.length));
      return next;
    };
    this.x = widen(this.x);
    this.weight = widen(this.weight);
    for (const [name, col] of this.cols) this.cols.set(name, widen(col));
  }

  /** Merges adjacent pairs of the oldest quarter in place: about 3/4 of the rows stay. */
  private merge(): void {
    const n = this.length;
    const pairs = Math.max(1, Math.floor(n / 4));
    const { x, weight } = this;
    const cols = [...this.cols.values()];
    for (let i = 0; i < pairs; i++) {
      const a = 2 * i;
      const b = a + 1;
      const wa = weight[a];
      const wb = weight[b];
      const w = wa + wb;
      for (const c of cols) c[i] = (c[a] * wa + c[b] * wb) / w;
      x[i] = x[a];
      weight[i] = w;
    }
    const from = 2 * pairs;
    x.copyWithin(pairs, from, n);
    weight.copyWithin(pairs, from, n);
    for (const c of cols) c.copyWithin(pairs, from, n);
    this.length = n - pairs;
  }
}

/** The levels timeline as uPlot draws it: cumulative columns, top of the stack first. */
export interface LevelsChart {
  /** [starts (epoch s), cumulative of STACK_ORDER top-down...]: series i+1 is DRAWN_LEVELS[i]'s top edge. */
  stacked: AlignedData;
  /** Raw counts per level (indexed like LEVEL_ORDER), for legends and tables. */
  counts: Float64Array[];
  starts: Float64Array;
  bucketMs: number;
  /** Lines in the timeline (timed lines). */
  total: number;
}

/** Series order of the stacked chart: drawn first is the whole bar, then each lower part over it. */
export const DRAWN_LEVELS: readonly Level[] = STACK_ORDER.toReversed();

/**
 * Stacks the timeline's per-level columns into cumulative ones, drawn tallest first so each
 * level's bar covers the part of the previous one that belongs to the levels under it.
 * Precomputed once per timeline change; drawing is then plain bars.
 */
export function stackLevels(timeline: TimelineColumns): LevelsChart {
  const n = timeline.starts.length;
  const counts = LEVEL_ORDER.map((_, l) => timeline.counts[l] ?? new Float64Array(n));
  const cumulative: Float64Array[] = [];
  let running = new Float64Array(n);
  for (const level of STACK_ORDER) {
    const col = counts[LEVEL_ORDER.indexOf(level as (typeof LEVEL_ORDER)[number])];
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) next[i] = running[i] + col[i];
    cumulative.push(next);
    running = next;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += running[i];
  return { stacked: [timeline.starts, ...cumulative.toReversed()], counts, starts: timeline.starts, bucketMs: timeline.bucketMs, total };
}

/** The report's timeline (ISO starts, counts by level name) back in column form. */
export function timelineColumns(section: TimelineSection): TimelineColumns {
  const n = section.buckets.length;
  const starts = new Float64Array(n);
  const counts = LEVEL_ORDER.map(() => new Float64Array(n));
  section.buckets.forEach((bucket, i) => {
    starts[i] = Date.parse(bucket.start) / 1000;
    LEVEL_ORDER.forEach((level, l) => (counts[l][i] = bucket.counts[level] ?? 0));
  });
  return { starts, counts, bucketMs: section.bucketMs };
}

/** What changes when the timeline's content does: bucket size, span, and every count (they only grow). */
function timelineKey(timeline: TimelineColumns): string {
  let sum = 0;
  for (const col of timeline.counts) for (let i = 0; i < col.length; i++) sum += col[i];
  const n = timeline.starts.length;
  return `${timeline.bucketMs}:${n}:${n ? timeline.starts[0] : 0}:${sum}`;
}

const LATENCY_PREFIX = 'p95_us:';
const SHARE_PREFIX = 'utilization:';

/** A zoom of the levels chart (epoch seconds, like its x). */
export interface XRange {
  min: number;
  max: number;
}

/**
 * The charts of the shown run. The session feeds it (`update` per snapshot, `fromReport` for a
 * finished or stored run) and clears it when a run starts; the Charts tab only reads.
 */
export class RunCharts {
  /** lines/s and MB/s over the run's time (seconds since it started). */
  throughput = $state.raw<AlignedData>([new Float64Array(0), new Float64Array(0), new Float64Array(0)]);
  /** p95 of time per line (µs) per processor; series in `processors` order. */
  latency = $state.raw<AlignedData>([new Float64Array(0)]);
  /** Time share (0–100 %) per processor. */
  utilization = $state.raw<AlignedData>([new Float64Array(0)]);
  /** Processor ids of the latency and utilization series, in the order they appeared. */
  processors = $state.raw<string[]>([]);
  levels = $state.raw<LevelsChart>(stackLevels({ starts: new Float64Array(0), counts: [], bucketMs: 1000 }));
  /** The levels chart's zoom; null shows every bucket. Kept here so it survives switching tabs. */
  levelsZoom = $state.raw<XRange | null>(null);

  private readonly rates = new SeriesTable();
  private readonly p95 = new SeriesTable();
  private readonly shares = new SeriesTable();
  private timelineKey = '';

  /** A new run: nothing from the previous one may linger. */
  clear(): void {
    this.rates.clear();
    this.p95.clear();
    this.shares.clear();
    this.timelineKey = '';
    this.levelsZoom = null;
    this.publish(true);
    this.levels = stackLevels({ starts: new Float64Array(0), counts: [], bucketMs: 1000 });
  }

  /** One live snapshot: its new points, and the timeline if it changed. */
  update(snapshot: Pick<RunSnapshot, 'points' | 'timeline'>): void {
    this.add(snapshot.points);
    this.setTimeline(snapshot.timeline);
  }

  /** Appends series points (a snapshot's `points`). */
  add(points: readonly NamedPoint[]): void {
    if (points.length === 0) return;
    let named = false;
    for (const p of points) named = this.addPoint(p.series, p) || named;
    this.publish(named);
  }

  setTimeline(timeline: TimelineColumns | null | undefined): void {
    if (!timeline) return;
    const key = timelineKey(timeline);
    if (key === this.timelineKey) return;
    this.timelineKey = key;
    this.levels = stackLevels(timeline);
  }

  /** Fills everything from a finished or stored run's report (point value = sum / count). */
  fromReport(report: Pick<Report, 'metrics' | 'timeline'>): void {
    this.rates.clear();
    this.p95.clear();
    this.shares.clear();
    this.loadMetrics(report.metrics);
    this.publish(true);
    if (report.timeline) {
      this.timelineKey = '';
      this.setTimeline(timelineColumns(report.timeline));
    }
  }

  /**
   * Charts of a finished run shown as a whole (a stored run's final snapshot carries every point
   * at once, grouped by series: they are put back in time order, one row per tick).
   */
  static ofSnapshot(snapshot: Pick<RunSnapshot, 'points' | 'timeline'>): RunCharts {
    const charts = new RunCharts();
    charts.add(snapshot.points.toSorted((a, b) => a.t - b.t));
    charts.setTimeline(snapshot.timeline);
    return charts;
  }

  /** Whether a report carries series to show (a run stopped by force has none). */
  static hasMetrics(report: Pick<Report, 'metrics'>): boolean {
    return Object.keys(report.metrics?.series ?? {}).length > 0;
  }

  private loadMetrics(metrics: MetricsSection | undefined): void {
    if (!metrics) return;
    // One row per tick across series: interleave the series' points by time.
    const all: { series: string; point: SeriesPoint }[] = [];
    for (const [series, points] of Object.entries(metrics.series)) for (const point of points) all.push({ series, point });
    all.sort((a, b) => a.point.t - b.point.t);
    for (const { series, point } of all) this.addPoint(series, point);
  }

  /** Whether the point started a new named column (a processor first seen). */
  private addPoint(series: string, p: SeriesPoint): boolean {
    const count = p.count > 0 ? p.count : 1;
    const value = p.sum / count;
    if (series === 'lines_per_sec') this.rates.set('lines', p.t, value, count);
    else if (series === 'bytes_per_sec') this.rates.set('mb', p.t, value / MB, count);
    else if (series.startsWith(LATENCY_PREFIX)) return this.setNamed(this.p95, series.slice(LATENCY_PREFIX.length), p.t, value, count);
    else if (series.startsWith(SHARE_PREFIX)) return this.setNamed(this.shares, series.slice(SHARE_PREFIX.length), p.t, value * 100, count);
    return false;
  }

  private setNamed(table: SeriesTable, name: string, t: number, value: number, count: number): boolean {
    const before = table.names.length;
    table.set(name, t, value, count);
    return table.names.length !== before;
  }

  private publish(names: boolean): void {
    if (names) {
      const ids = [...this.p95.names];
      for (const id of this.shares.names) if (!ids.includes(id)) ids.push(id);
      this.processors = ids;
    }
    const ids = this.processors;
    this.throughput = this.rates.aligned(['lines', 'mb']);
    this.latency = this.p95.aligned(ids);
    this.utilization = this.shares.aligned(ids);
  }
}

/** "1 s", "10 s", "1 min", "6 h", "1 d", "4 w": the bucket ladder's sizes as people say them. */
export function formatBucket(ms: number): string {
  const units: [number, string][] = [
    [604_800_000, 'w'],
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  return `${ms} ms`;
}

/** Epoch ms as UTC wall time: "2015-10-18 18:01:47" (".123" when it has ms), zone stated by callers. */
export function formatUtc(ms: number, withMs = ms % 1000 !== 0): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withMs ? 23 : 19)}`;
}

/** A time range in UTC, the second end shortened to the time when it is on the same day. */
export function formatUtcRange(startMs: number, endMs: number): string {
  const withMs = startMs % 1000 !== 0 || endMs % 1000 !== 0;
  const a = formatUtc(startMs, withMs);
  const b = formatUtc(endMs, withMs);
  return `${a} – ${a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b} UTC`;
}
