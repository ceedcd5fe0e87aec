import { describe, expect, it } from 'vitest';
import {
  DRAWN_LEVELS,
  formatBucket,
  formatUtcRange,
  MAX_POINTS,
  RunCharts,
  SeriesTable,
  stackLevels,
  timelineColumns,
} from '../../src/ui/charts.svelte.ts';
import type { NamedPoint, Report, TimelineColumns } from '../../src/worker/client.ts';

const point = (series: string, t: number, value: number, count = 1): NamedPoint => ({ series, t, count, sum: value * count, min: value, max: value });
/** The points the engine adds at one tick: throughput, then p95 and time share per processor. */
const tick = (t: number, lps: number, ids = ['level', 'filter']): NamedPoint[] => [
  point('lines_per_sec', t, lps),
  point('bytes_per_sec', t, lps * 100),
  ...ids.flatMap((id, i) => [point(`p95_us:${id}`, t, (i + 1) * t), point(`utilization:${id}`, t, i === 0 ? 0.25 : 0.75)]),
];
const values = (a: ArrayLike<number>) => Array.from(a);

describe('RunCharts', () => {
  it('appends each snapshot’s points as rows of columnar series: lines/s and MB/s, p95 and time share per processor', () => {
    const charts = new RunCharts();
    charts.add(tick(1, 1000));
    charts.add(tick(2, 3000));
    const [x, lines, mb] = charts.throughput;
    expect(x).toBeInstanceOf(Float64Array);
    expect(values(x)).toEqual([1, 2]);
    expect(values(lines)).toEqual([1000, 3000]);
    expect(values(mb)).toEqual([100_000 / 1024 / 1024, 300_000 / 1024 / 1024]);
    expect(charts.processors).toEqual(['level', 'filter']);
    expect(charts.latency.map(values)).toEqual([[1, 2], [1, 2], [2, 4]]);
    expect(charts.utilization.map(values)).toEqual([[1, 2], [25, 25], [75, 75]]);
  });

  it('grows its buffers by doubling and hands out views over them: appending allocates only when the capacity runs out', () => {
    const charts = new RunCharts();
    for (let t = 1; t <= 100; t++) charts.add(tick(t, t));
    const buffer = charts.throughput[0].buffer;
    charts.add(tick(101, 101));
    expect(charts.throughput[0].buffer).toBe(buffer); // 128 rows of room: same buffer
    expect(charts.throughput[0].length).toBe(101);
    expect(values(charts.throughput[1]).slice(-3)).toEqual([99, 100, 101]);
  });

  it(`keeps at most ${MAX_POINTS.toLocaleString('en-US')} rows, merging the oldest so the chart still spans the whole run`, () => {
    const charts = new RunCharts();
    const ticks = MAX_POINTS + 2500;
    for (let t = 1; t <= ticks; t++) charts.add([point('lines_per_sec', t, t), point('bytes_per_sec', t, 0)]);
    const [x, lines] = charts.throughput;
    expect(x.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(x[0]).toBe(1);
    expect(x[x.length - 1]).toBe(ticks);
    for (let i = 1; i < x.length; i++) expect(x[i]).toBeGreaterThan(x[i - 1]);
    // Merged rows are means of what they merged: still between the first and last value.
    expect(lines[0]).toBeGreaterThan(1);
    expect(lines[lines.length - 1]).toBe(ticks);
  });

  it('fills at once from a report’s metrics, a point’s value being sum / count, and from its timeline', () => {
    const charts = new RunCharts();
    charts.add(tick(1, 5));
    const report = {
      metrics: {
        intervalMs: 1000,
        series: {
          lines_per_sec: [
            { t: 0, count: 2, sum: 3000, min: 1000, max: 2000 },
            { t: 2, count: 1, sum: 4000, min: 4000, max: 4000 },
          ],
          bytes_per_sec: [
            { t: 0, count: 2, sum: 2 * 1024 * 1024, min: 0, max: 0 },
            { t: 2, count: 1, sum: 3 * 1024 * 1024, min: 0, max: 0 },
          ],
          'p95_us:parse': [
            { t: 0, count: 2, sum: 10, min: 4, max: 6 },
            { t: 2, count: 1, sum: 7, min: 7, max: 7 },
          ],
        },
      },
      timeline: {
        bucketMs: 60_000,
        buckets: [
          { start: '2024-05-01T10:00:00.000Z', counts: { TRACE: 0, DEBUG: 1, INFO: 5, WARN: 2, ERROR: 1, FATAL: 0, UNKNOWN: 0 } },
          { start: '2024-05-01T10:01:00.000Z', counts: { TRACE: 0, DEBUG: 0, INFO: 3, WARN: 0, ERROR: 4, FATAL: 1, UNKNOWN: 2 } },
        ],
      },
    } satisfies Pick<Report, 'metrics' | 'timeline'>;
    expect(RunCharts.hasMetrics(report)).toBe(true);
    charts.fromReport(report);
    expect(charts.throughput.map(values)).toEqual([[0, 2], [1500, 4000], [1, 3]]);
    expect(charts.processors).toEqual(['parse']);
    expect(charts.latency.map(values)).toEqual([[0, 2], [5, 7]]);
    expect(values(charts.levels.starts)).toEqual([Date.parse('2024-05-01T10:00:00Z') / 1000, Date.parse('2024-05-01T10:01:00Z') / 1000]);
    expect(charts.levels.bucketMs).toBe(60_000);
    expect(charts.levels.total).toBe(19);
    expect(RunCharts.hasMetrics({ metrics: { intervalMs: 1000, series: {} } })).toBe(false);
  });

  it('rebuilds a stored run’s charts from its final snapshot, whose points come grouped by series', () => {
    const points = [point('lines_per_sec', 1, 10), point('lines_per_sec', 2, 20), point('bytes_per_sec', 1, 0), point('bytes_per_sec', 2, 0)];
    const charts = RunCharts.ofSnapshot({ points, timeline: { starts: new Float64Array(0), counts: [], bucketMs: 1000 } });
    expect(charts.throughput.map(values)).toEqual([[1, 2], [10, 20], [0, 0]]);
  });

  it('starts empty again when cleared for a new run, zoom included', () => {
    const charts = new RunCharts();
    charts.add(tick(1, 5));
    charts.setTimeline(timeline([[0, 0, 1, 0, 0, 0, 0]]));
    charts.levelsZoom = { min: 0, max: 60 };
    charts.clear();
    expect(charts.throughput[0].length).toBe(0);
    expect(charts.processors).toEqual([]);
    expect(charts.levels.starts.length).toBe(0);
    expect(charts.levelsZoom).toBeNull();
  });

  it('stacks the levels once per timeline change, not per snapshot', () => {
    const charts = new RunCharts();
    charts.setTimeline(timeline([[0, 1, 2, 0, 0, 0, 0]]));
    const first = charts.levels;
    // The same content in a fresh copy (every message is one): nothing is recomputed.
    charts.setTimeline(timeline([[0, 1, 2, 0, 0, 0, 0]]));
    expect(charts.levels).toBe(first);
    charts.setTimeline(timeline([[0, 1, 3, 0, 0, 0, 0]]));
    expect(charts.levels).not.toBe(first);
  });
});

/** Columns for buckets given as count rows (indexed like the engine's LEVELS), a minute apart. */
function timeline(rows: number[][], bucketMs = 60_000): TimelineColumns {
  const start = Date.parse('2024-05-01T10:00:00Z') / 1000;
  return {
    starts: Float64Array.from(rows, (_, i) => start + (i * bucketMs) / 1000),
    counts: Array.from({ length: 7 }, (_, l) => Float64Array.from(rows, (row) => row[l])),
    bucketMs,
  };
}

describe('stackLevels', () => {
  it('draws the whole bar first, then each lower level over it: FATAL and ERROR at the bottom, UNKNOWN on top', () => {
    //                  TRACE DEBUG INFO WARN ERROR FATAL UNKNOWN
    const stacked = stackLevels(timeline([[1, 2, 10, 3, 4, 1, 5], [0, 0, 6, 0, 2, 0, 0]]));
    expect(DRAWN_LEVELS).toEqual(['UNKNOWN', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
    const [x, ...tops] = stacked.stacked;
    expect(x.length).toBe(2);
    const byLevel = Object.fromEntries(DRAWN_LEVELS.map((level, i) => [level, values(tops[i])]));
    expect(byLevel).toEqual({
      UNKNOWN: [26, 8],
      TRACE: [21, 8],
      DEBUG: [20, 8],
      INFO: [18, 8],
      WARN: [8, 2],
      ERROR: [5, 2],
      FATAL: [1, 0],
    });
    expect(stacked.total).toBe(34);
    // Each drawn top minus the next one down is that level's own count.
    expect(tops[0][0] - tops[1][0]).toBe(5);
  });

  it('turns the report’s timeline back into columns', () => {
    const columns = timelineColumns({
      bucketMs: 1000,
      buckets: [{ start: '1970-01-01T00:00:10.000Z', counts: { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6, UNKNOWN: 7 } }],
    });
    expect(values(columns.starts)).toEqual([10]);
    expect(columns.counts.map((c) => c[0])).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('SeriesTable', () => {
  it('merges adjacent pairs of its oldest quarter in place, as weighted means, past its cap', () => {
    const table = new SeriesTable(8, 4);
    for (let t = 0; t < 9; t++) table.set('v', t, t * 10);
    // 9 rows > 8: the oldest 2 pairs merge into 2 rows.
    expect(table.length).toBe(7);
    const [x, v] = table.aligned(['v']);
    expect(values(x)).toEqual([0, 2, 4, 5, 6, 7, 8]);
    expect(values(v)).toEqual([5, 25, 40, 50, 60, 70, 80]);
    // A merged row weighs as much as the rows it holds.
    for (let t = 9; t < 11; t++) table.set('v', t, 0);
    expect(table.length).toBeLessThanOrEqual(8);
  });

  it('fills a cell a tick left empty with the value before it, never NaN', () => {
    const table = new SeriesTable();
    table.set('a', 1, 5);
    table.set('b', 1, 7);
    table.set('a', 2, 6);
    const [, a, b] = table.aligned(['a', 'b']);
    expect(values(a)).toEqual([5, 6]);
    expect(values(b)).toEqual([7, 7]);
  });
});

describe('chart text', () => {
  it('names bucket sizes as people say them and states UTC', () => {
    expect([1000, 10_000, 60_000, 300_000, 3_600_000, 86_400_000, 604_800_000].map(formatBucket)).toEqual([
      '1 s',
      '10 s',
      '1 min',
      '5 min',
      '1 h',
      '1 d',
      '1 w',
    ]);
    expect(formatUtcRange(Date.parse('2015-08-10T21:41:00Z'), Date.parse('2015-08-10T21:42:00Z'))).toBe('2015-08-10 21:41:00 – 21:42:00 UTC');
    expect(formatUtcRange(Date.parse('2015-08-10T23:59:00Z'), Date.parse('2015-08-11T00:00:00Z'))).toBe('2015-08-10 23:59:00 – 2015-08-11 00:00:00 UTC');
  });
});
