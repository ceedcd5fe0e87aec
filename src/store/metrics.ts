/** Metric time series of a run: points written as they come, older points merged once a series passes its cap. */

import { unwrap, type IDBPObjectStore } from 'idb';
import type { LinesightDatabase, LinesightDB, MetricPoint, MetricRow, StoreName, StoredRun } from './schema.ts';
import { runKeyRange } from './tx.ts';

export { mergePoints } from '../engine/metrics/series.ts';
import { mergePoints } from '../engine/metrics/series.ts';

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
