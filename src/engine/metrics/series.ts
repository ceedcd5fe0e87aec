/**
 * Metric time series of a run (throughput, per-processor latency and time share), one point a
 * second of run time. Points carry count/sum/min/max so that merged points stay truthful:
 * a long run keeps at most `maxPoints` per series by merging its oldest points, and a chart
 * still spans the whole run.
 */

import { Ring } from '../observe/ring.ts';

export interface SeriesPoint {
  /** Seconds since the run started. */
  t: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** A point of a named series, as the store and the report keep them. */
export interface NamedPoint extends SeriesPoint {
  series: string;
}

/**
 * Brings a series (sorted by `t`) down to `maxPoints` by merging adjacent pairs of its oldest
 * half: counts and sums add up, min of mins, max of maxes, `t` of the older point. Older points
 * are merged, not dropped, so a chart still spans the whole run, with coarser buckets further
 * back. The newest half is left as it is (the same objects), and one round leaves about 3/4 of
 * the points, so a growing series is merged again only after another quarter of the cap.
 *
 * Pure; returns a new array. Extra fields of a point (runId, series) are kept from the older one.
 */
export function mergePoints<P extends SeriesPoint>(points: readonly P[], maxPoints: number): P[] {
  // With fewer than two points to keep, the last point would have to be merged away.
  const max = Math.max(2, Math.floor(maxPoints));
  let out = points.slice();
  while (out.length > max) {
    const pairs = Math.max(1, Math.floor(out.length / 4));
    const next: P[] = [];
    for (let i = 0; i < pairs; i++) {
      const a = out[2 * i];
      const b = out[2 * i + 1];
      next.push({ ...a, count: a.count + b.count, sum: a.sum + b.sum, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) });
    }
    for (let i = 2 * pairs; i < out.length; i++) next.push(out[i]);
    out = next;
  }
  return out;
}

/** Named series with a cap per series; hands out new points to readers (the persister, the UI). */
export class SeriesRecorder {
  private readonly series = new Map<string, SeriesPoint[]>();
  /** Recent points in the order they came, for readers that catch up now and then. */
  private readonly recent = new Ring<NamedPoint>(10_000);

  constructor(private readonly maxPoints = 10_000) {}

  add(name: string, t: number, value: number): void {
    if (!Number.isFinite(value)) return;
    const point: SeriesPoint = { t, count: 1, sum: value, min: value, max: value };
    let points = this.series.get(name);
    if (points === undefined) this.series.set(name, (points = []));
    points.push(point);
    if (points.length > this.maxPoints) this.series.set(name, mergePoints(points, this.maxPoints));
    this.recent.push({ series: name, ...point });
  }

  /** Points added so far (the cursor of `since`). */
  get seen(): number {
    return this.recent.seen;
  }

  /** Points added after the first `seen`, oldest first. */
  since(seen: number): NamedPoint[] {
    return this.recent.since(seen);
  }

  /** Every series, merged as needed: the report's `metrics`. */
  section(): MetricsSection {
    return { intervalMs: 1000, series: Object.fromEntries([...this.series].map(([name, points]) => [name, points.slice()])) };
  }
}

export interface MetricsSection {
  /** Time between two unmerged points. */
  intervalMs: number;
  series: Record<string, SeriesPoint[]>;
}
