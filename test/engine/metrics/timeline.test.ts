import { describe, expect, it } from 'vitest';
import { BUCKET_LADDER_MS, DEFAULT_MAX_BUCKETS, Timeline } from '../../../src/engine/metrics/timeline.ts';
import { LEVELS } from '../../../src/engine/types.ts';

const T0 = Date.UTC(2024, 2, 14, 8, 0, 0);
const INFO = LEVELS.indexOf('INFO');
const ERROR = LEVELS.indexOf('ERROR');
const UNKNOWN = LEVELS.indexOf('UNKNOWN');

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sumOfBuckets(timeline: Timeline): Record<string, number> {
  const sums: Record<string, number> = Object.fromEntries(LEVELS.map((l) => [l, 0]));
  for (const b of timeline.section().buckets) for (const l of LEVELS) sums[l] += b.counts[l];
  return sums;
}

describe('Timeline', () => {
  it('starts with 1-second buckets and counts lines per level per bucket', () => {
    const t = new Timeline();
    t.add(T0 + 100, INFO);
    t.add(T0 + 900, ERROR);
    t.add(T0 + 2500, INFO);
    const { bucketMs, buckets } = t.section();
    expect(bucketMs).toBe(1000);
    expect(buckets.map((b) => b.start)).toEqual(['2024-03-14T08:00:00.000Z', '2024-03-14T08:00:01.000Z', '2024-03-14T08:00:02.000Z']);
    expect(buckets[0].counts).toEqual({ TRACE: 0, DEBUG: 0, INFO: 1, WARN: 0, ERROR: 1, FATAL: 0, UNKNOWN: 0 });
    expect(buckets[1].counts.INFO + buckets[1].counts.ERROR).toBe(0);
    expect(buckets[2].counts.INFO).toBe(1);
  });

  it('moves to the next coarser bucket size when the span needs more than 600 buckets, keeping totals exact', () => {
    const t = new Timeline();
    for (let s = 0; s < 2 * 3600; s++) t.add(T0 + s * 1000, s % 10 === 0 ? ERROR : INFO);
    const { bucketMs, buckets } = t.section();
    // 2 h: 7200 one-second buckets, 720 ten-second ones, 120 one-minute ones.
    expect(bucketMs).toBe(60_000);
    expect(buckets).toHaveLength(120);
    expect(buckets.every((b) => b.counts.INFO === 54 && b.counts.ERROR === 6)).toBe(true);
    expect(sumOfBuckets(t)).toMatchObject({ INFO: 6480, ERROR: 720 });
    expect(t.levels()).toMatchObject({ INFO: 6480, ERROR: 720 });
  });

  it('after merging holds exactly what bucketing every line at the final size gives', () => {
    const rnd = random(9);
    const t = new Timeline();
    const lines: [number, number][] = [];
    for (let i = 0; i < 50_000; i++) {
      // mostly forward, some late lines, over about three days
      const ms = T0 + Math.floor(i * 5000 + (rnd() < 0.1 ? -rnd() * 3_600_000 : rnd() * 4000));
      const level = Math.floor(rnd() * LEVELS.length);
      lines.push([ms, level]);
      t.add(ms, level);
    }
    const { bucketMs, buckets } = t.section();
    expect(BUCKET_LADDER_MS).toContain(bucketMs);
    expect(buckets.length).toBeLessThanOrEqual(DEFAULT_MAX_BUCKETS);
    const first = Math.floor(Math.min(...lines.map(([ms]) => ms)) / bucketMs);
    const expected = buckets.map(() => new Array<number>(LEVELS.length).fill(0));
    for (const [ms, level] of lines) expected[Math.floor(ms / bucketMs) - first][level]++;
    expect(buckets.map((b) => LEVELS.map((l) => b.counts[l]))).toEqual(expected);
    expect(Date.parse(buckets[0].start)).toBe(first * bucketMs);
  });

  it('picks the finest size that fits: an hour of log fits in 10-second buckets, a day in 5-minute ones', () => {
    const hour = new Timeline();
    hour.add(T0, INFO);
    hour.add(T0 + 3_599_000, INFO);
    expect(hour.bucketMs).toBe(10_000);
    const day = new Timeline();
    day.add(T0, INFO);
    day.add(T0 + 86_399_000, INFO);
    expect(day.bucketMs).toBe(300_000);
  });

  it('stays within the bucket cap whatever the span (nine years of lines)', () => {
    const t = new Timeline();
    const year = 365 * 86_400_000;
    for (let i = 0; i <= 100_000; i++) t.add(T0 + (i / 100_000) * 9 * year, INFO);
    expect(t.section().buckets.length).toBeLessThanOrEqual(DEFAULT_MAX_BUCKETS);
    expect(t.bucketMs).toBe(604_800_000);
    expect(sumOfBuckets(t).INFO).toBe(100_001);
  });

  it('honours a smaller cap', () => {
    const t = new Timeline({ maxBuckets: 60 });
    t.add(T0, INFO);
    t.add(T0 + 60_000, INFO);
    expect(t.bucketMs).toBe(10_000);
  });

  it('puts a late line in its own earlier bucket, also before the first line', () => {
    const t = new Timeline();
    t.add(T0 + 5000, INFO);
    t.add(T0 + 7000, INFO);
    t.add(T0 + 5500, ERROR);
    t.add(T0 + 1000, ERROR);
    const { buckets } = t.section();
    expect(buckets[0].start).toBe('2024-03-14T08:00:01.000Z');
    expect(buckets).toHaveLength(7);
    expect(buckets[0].counts.ERROR).toBe(1);
    expect(buckets[4].counts).toMatchObject({ INFO: 1, ERROR: 1 });
    expect(buckets[6].counts.INFO).toBe(1);
  });

  it('reports the time range as the earliest and latest timestamps, not the first and last lines', () => {
    const t = new Timeline();
    expect(t.timeRange()).toBeNull();
    t.add(T0 + 5000, INFO);
    t.add(T0 + 1234, INFO);
    t.add(T0 + 9000, INFO);
    t.add(T0 + 8000, INFO);
    expect(t.timeRange()).toEqual({ start: '2024-03-14T08:00:01.234Z', end: '2024-03-14T08:00:09.000Z' });
  });

  it('counts lines without a timestamp in the levels but not in any bucket', () => {
    const t = new Timeline();
    t.addUntimed(ERROR);
    t.addUntimed(INFO);
    t.add(T0, INFO);
    expect(t.levels()).toMatchObject({ INFO: 2, ERROR: 1 });
    expect(t.untimed).toBe(2);
    expect(sumOfBuckets(t)).toMatchObject({ INFO: 1, ERROR: 0 });
  });

  it('counts a timestamp more than ten years from the first as untimed, keeping the bucket size', () => {
    const t = new Timeline();
    t.add(T0, INFO);
    t.add(T0 + 2000, INFO);
    t.add(Date.UTC(1970, 0, 1), ERROR);
    t.add(T0 + 11 * 365 * 86_400_000, ERROR);
    t.add(Number.NaN, INFO);
    expect(t.bucketMs).toBe(1000);
    expect(t.untimed).toBe(3);
    expect(t.levels()).toMatchObject({ INFO: 3, ERROR: 2 });
    expect(t.timeRange()).toEqual({ start: '2024-03-14T08:00:00.000Z', end: '2024-03-14T08:00:02.000Z' });
  });

  it('counts an unknown level index as UNKNOWN', () => {
    const t = new Timeline();
    t.add(T0, 99);
    t.addUntimed(-1);
    expect(t.levels().UNKNOWN).toBe(2);
    expect(t.section().buckets[0].counts.UNKNOWN).toBe(1);
    expect(UNKNOWN).toBe(LEVELS.length - 1);
  });

  it('gives columnar copies for charts: starts in epoch seconds and one column per level', () => {
    const t = new Timeline();
    t.add(T0, INFO);
    t.add(T0 + 2000, ERROR);
    const { starts, counts, bucketMs } = t.columns();
    expect(bucketMs).toBe(1000);
    expect(Array.from(starts)).toEqual([T0 / 1000, T0 / 1000 + 1, T0 / 1000 + 2]);
    expect(counts).toHaveLength(LEVELS.length);
    expect(Array.from(counts[INFO])).toEqual([1, 0, 0]);
    expect(Array.from(counts[ERROR])).toEqual([0, 0, 1]);
    counts[INFO][0] = 42;
    expect(t.columns().counts[INFO][0]).toBe(1);
  });

  it('is empty before any line', () => {
    const t = new Timeline();
    expect(t.section()).toEqual({ bucketMs: 1000, buckets: [] });
    expect(t.columns().starts.length).toBe(0);
    expect(Object.values(t.levels()).every((n) => n === 0)).toBe(true);
  });
});
