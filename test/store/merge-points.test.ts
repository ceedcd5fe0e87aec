import { describe, expect, it } from 'vitest';
import { mergePoints } from '../../src/store/metrics.ts';
import type { MetricPoint } from '../../src/store/schema.ts';

/** One point per second; value i observed i % 7 + 1 times. */
function series(n: number): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => ({ series: 'lines', t: i * 1000, count: (i % 7) + 1, sum: i * 10, min: i, max: i * 2 }));
}

const total = (points: MetricPoint[], key: 'count' | 'sum') => points.reduce((s, p) => s + p[key], 0);

describe('mergePoints', () => {
  it('halves the oldest half and keeps the first and last time, the total count and sum', () => {
    const points = series(1001);
    const merged = mergePoints(points, 1000);

    // 1001 points: the oldest 500 become 250 pairs, the newest 501 stay.
    expect(merged).toHaveLength(751);
    expect(merged[0].t).toBe(points[0].t);
    expect(merged.at(-1)!.t).toBe(points.at(-1)!.t);
    expect(total(merged, 'count')).toBe(total(points, 'count'));
    expect(total(merged, 'sum')).toBe(total(points, 'sum'));
    expect(merged.slice(250)).toEqual(points.slice(500));
    // The newest half is not copied: a caller can tell which points changed.
    expect(merged[250]).toBe(points[500]);
  });

  it('merges a pair into sum of counts and sums, min of mins, max of maxes, t of the older point', () => {
    const a: MetricPoint = { series: 's', t: 10, count: 2, sum: 5, min: 1, max: 4 };
    const b: MetricPoint = { series: 's', t: 20, count: 3, sum: 30, min: 0, max: 20 };
    const c: MetricPoint = { series: 's', t: 30, count: 1, sum: 1, min: 1, max: 1 };
    expect(mergePoints([a, b, c], 2)).toEqual([{ series: 's', t: 10, count: 5, sum: 35, min: 0, max: 20 }, c]);
  });

  it('merges again until a series far over the cap fits, still spanning the whole run', () => {
    const points = series(10_000);
    const merged = mergePoints(points, 1000);
    expect(merged.length).toBeLessThanOrEqual(1000);
    expect(merged.length).toBeGreaterThan(500);
    expect(merged[0].t).toBe(0);
    expect(merged.at(-1)!.t).toBe(9_999_000);
    expect(total(merged, 'count')).toBe(total(points, 'count'));
    expect(Math.min(...merged.map((p) => p.min))).toBe(0);
    expect(Math.max(...merged.map((p) => p.max))).toBe(9_999 * 2);
    // Still in time order.
    expect(merged.every((p, i) => i === 0 || p.t > merged[i - 1].t)).toBe(true);
  });

  it('leaves a series at or under the cap as it is, in a new array', () => {
    const points = series(100);
    const merged = mergePoints(points, 100);
    expect(merged).toEqual(points);
    expect(merged).not.toBe(points);
  });
});
