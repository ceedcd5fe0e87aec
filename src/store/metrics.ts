/** Metric time series of a run: points written as they come, older points merged once a series passes its cap. */

import { unwrap, type IDBPObjectStore } from 'idb';
import type { LinesightDatabase, LinesightDB, MetricPoint, MetricRow, StoreName, StoredRun } from './schema.ts';
import { runKeyRange } from './tx.ts';

type PointLike = Pick<MetricPoint, 't' | 'count' | 'sum' | 'min' | 'max'>;

/**
 * Brings a series (sorted by `t`) down to `maxPoints` by merging adjacent pairs of its oldest
 * half: counts and sums add up, min of mins, max of maxes, `t` of the older point. Older points
 * are merged, not dropped, so a chart still spans the whole run, with coarser buckets further
 * back. The newest half is left as it is (the same objects), and one round leaves about 3/4 of
 * the points, so a growing series is merged again only after another quarter of the cap.
 *
 * Pure; returns a new array. Extra fields of a point (runId, series) are kept from the older one.
 */
export function mergePoints<P extends PointLike>(points: readonly P[], maxPoints: number): P[] {
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

type MetricsStore = IDBPObjectStore<LinesightDB, StoreName[], 'metrics', 'readwrite'>;

/**
 * Writes `points` of run `run` in the caller's transaction and keeps every touched series under
 * `cap`, updating `run.series` and `run.evicted.metricPoints` (the caller writes `run` back).
 *
 * A point whose `t` is already stored for its series replaces it (a bucket still filling up is
 * sent again). A series is read back only when its count passes the cap, and then only its
 * merged prefix is rewritten.
 */
export async function appendPoints(store: MetricsStore, run: StoredRun, points: readonly MetricPoint[], cap: number): Promise<void> {
  const runId = run.id;
  const raw = unwrap(store);
  const known: Promise<unknown>[] = [];
  const knownSeries: { points: number }[] = [];
  const touched = new Set<string>();
  for (const point of points) {
    const name = point.series;
    const series = Object.hasOwn(run.series, name) ? run.series[name] : (run.series[name] = { points: 0, lastT: -Infinity });
    if (point.t > series.lastT) {
      series.points++;
      series.lastT = point.t;
    } else {
      // Requests run in order: this lookup sees the series before the put below.
      known.push(store.getKey([runId, name, point.t]));
      knownSeries.push(series);
    }
    const row: MetricRow = { runId, ...point };
    raw.put(row);
    touched.add(name);
  }
  const keys = await Promise.all(known);
  for (let i = 0; i < keys.length; i++) if (keys[i] === undefined) knownSeries[i].points++;

  for (const name of touched) {
    const series = run.series[name];
    if (series.points <= cap) continue;
    const stored = await store.getAll(IDBKeyRange.bound([runId, name], [runId, name, []]));
    const merged = mergePoints(stored, cap);
    // mergePoints keeps the newest points as the same objects: only the merged prefix is rewritten.
    let tail = 0;
    while (tail < merged.length && merged[merged.length - 1 - tail] === stored[stored.length - 1 - tail]) tail++;
    const changed = stored.length - tail;
    if (changed > 0) {
      raw.delete(IDBKeyRange.bound([runId, name, stored[0].t], [runId, name, stored[changed - 1].t]));
      for (let i = 0; i < merged.length - tail; i++) raw.put(merged[i]);
    }
    run.evicted.metricPoints += stored.length - merged.length;
    series.points = merged.length;
  }
}

/** A run's metric series by name, points in time order. */
export async function loadMetrics(db: LinesightDatabase, runId: string): Promise<Record<string, MetricPoint[]>> {
  const rows = await db.getAll('metrics', runKeyRange(runId));
  const out: Record<string, MetricPoint[]> = {};
  for (const { runId: _, ...point } of rows) {
    (Object.hasOwn(out, point.series) ? out[point.series] : (out[point.series] = [])).push(point);
  }
  return out;
}
