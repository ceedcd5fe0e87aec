import { describe, expect, it } from 'vitest';
import {
  BUCKET_COUNT,
  LatencyHistogram,
  MAX_VALUE_US,
  MIN_VALUE_US,
  RELATIVE_ERROR,
  type HistogramJSON,
} from '../../../src/engine/metrics/histogram.ts';

/** Deterministic PRNG (mulberry32): the same samples on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exact nearest-rank percentile of sorted values: the one the estimate is bounded against. */
function exact(sorted: Float64Array, p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

function distribution(name: string, n: number): Float64Array {
  const rnd = random(42);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rnd();
    if (name === 'uniform') values[i] = 1 + u * 999;
    else if (name === 'exponential') values[i] = -50 * Math.log(1 - u);
    // bimodal: 90 % fast lines around 20 µs, 10 % slow ones around 5 ms
    else values[i] = rnd() < 0.9 ? 15 + u * 10 : 4000 + u * 2000;
  }
  return values;
}

const BOUND = RELATIVE_ERROR + 1e-12;

describe('LatencyHistogram', () => {
  it('documents a relative error bound of about 2.2 %', () => {
    expect(RELATIVE_ERROR).toBeGreaterThan(0.0218);
    expect(RELATIVE_ERROR).toBeLessThan(0.022);
  });

  for (const name of ['uniform', 'exponential', 'bimodal']) {
    it(`estimates p50, p95 and p99 of a ${name} distribution within the bound`, () => {
      const values = distribution(name, 100_000);
      const h = new LatencyHistogram();
      h.recordMany(values, values.length);
      const sorted = values.slice().sort();
      for (const p of [50, 95, 99]) {
        const truth = exact(sorted, p);
        const estimate = h.percentile(p);
        expect(Math.abs(estimate - truth) / truth, `p${p}: ${estimate} vs ${truth}`).toBeLessThanOrEqual(BOUND);
      }
      expect(h.count).toBe(100_000);
      expect(h.min).toBe(sorted[0]);
      expect(h.max).toBe(sorted[sorted.length - 1]);
      expect(h.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
    });
  }

  it('keeps the bound for any value from 0.01 µs to one hour', () => {
    // Neighbours far below and above so that clamping to min/max cannot hide a bad midpoint.
    for (let v = MIN_VALUE_US * 1.001; v < MAX_VALUE_US; v *= 1.37) {
      const h = new LatencyHistogram();
      h.record(MIN_VALUE_US / 2);
      h.record(v, 100);
      h.record(MAX_VALUE_US);
      const estimate = h.percentile(50);
      expect(Math.abs(estimate - v) / v, `value ${v}`).toBeLessThanOrEqual(BOUND);
    }
  });

  it('reports the p50 of a bimodal mix in the fast mode and the p99 in the slow one', () => {
    const h = new LatencyHistogram();
    h.record(20, 900);
    h.record(5000, 100);
    expect(h.percentile(50)).toBeCloseTo(20, -1);
    expect(h.percentile(90)).toBeLessThan(21);
    expect(h.percentile(91)).toBeGreaterThan(4800);
  });

  it('counts a batch recorded with a count like the same values recorded one by one', () => {
    const batched = new LatencyHistogram();
    const single = new LatencyHistogram();
    batched.record(12.5, 1000);
    batched.record(800, 10);
    for (let i = 0; i < 1000; i++) single.record(12.5);
    for (let i = 0; i < 10; i++) single.record(800);
    expect(batched.toJSON()).toEqual(single.toJSON());
    expect(batched.mean).toBeCloseTo((12.5 * 1000 + 8000) / 1010, 9);
  });

  it('reports values below 0.01 µs (zero included) as 0 and clamps p0 and p100 to the exact min and max', () => {
    const h = new LatencyHistogram();
    h.record(0, 60);
    h.record(3, 40);
    expect(h.percentile(50)).toBe(0);
    expect(h.percentile(0)).toBe(0);
    expect(h.percentile(100)).toBe(3);
    expect(h.percentile(99)).toBeCloseTo(3, 1);
  });

  it('keeps values above one hour in the last bucket without losing the exact max', () => {
    const h = new LatencyHistogram();
    h.record(MAX_VALUE_US * 10);
    h.record(1);
    expect(h.max).toBe(MAX_VALUE_US * 10);
    expect(h.percentile(99)).toBeLessThanOrEqual(MAX_VALUE_US * 10);
    expect(h.percentile(99)).toBeGreaterThan(MAX_VALUE_US * 0.9);
  });

  it('ignores negative, NaN and zero-count records', () => {
    const h = new LatencyHistogram();
    h.record(-1);
    h.record(Number.NaN);
    h.record(5, 0);
    h.recordMany(new Float64Array([Number.NaN, -3, 7]), 3);
    expect(h.count).toBe(1);
    expect(h.min).toBe(7);
  });

  it('records only the first n values of a buffer', () => {
    const h = new LatencyHistogram();
    h.recordMany(new Float64Array([1, 2, 3, 1000]), 3);
    expect(h.count).toBe(3);
    expect(h.max).toBe(3);
  });

  it('is empty until something is recorded: NaN statistics', () => {
    const h = new LatencyHistogram();
    expect(h.count).toBe(0);
    expect(h.percentile(50)).toBeNaN();
    expect(h.min).toBeNaN();
    expect(h.mean).toBeNaN();
  });

  it('merges into the same histogram as recording everything in one', () => {
    const values = distribution('exponential', 20_000);
    const all = new LatencyHistogram();
    all.recordMany(values, values.length);
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.recordMany(values.subarray(0, 7000), 7000);
    b.recordMany(values.subarray(7000), 13_000);
    a.merge(b).merge(new LatencyHistogram());
    const merged = a.toJSON();
    const direct = all.toJSON();
    expect(merged.b).toEqual(direct.b);
    expect(merged.c).toEqual(direct.c);
    expect([merged.count, merged.min, merged.max]).toEqual([direct.count, direct.min, direct.max]);
    expect(merged.sum).toBeCloseTo(direct.sum, 6);
    for (const p of [50, 95, 99]) expect(a.percentile(p)).toBe(all.percentile(p));
  });

  it('round-trips through compact JSON: sparse buckets, same percentiles', () => {
    const h = new LatencyHistogram();
    h.recordMany(distribution('bimodal', 10_000), 10_000);
    const json = JSON.parse(JSON.stringify(h)) as HistogramJSON;
    expect(json.b.length).toBeLessThan(BUCKET_COUNT / 2);
    expect(json.b.length).toBe(json.c.length);
    const back = LatencyHistogram.fromJSON(json);
    for (const p of [0, 1, 50, 95, 99, 99.9, 100]) expect(back.percentile(p)).toBe(h.percentile(p));
    expect([back.count, back.min, back.max, back.mean]).toEqual([h.count, h.min, h.max, h.mean]);
    expect(LatencyHistogram.fromJSON(new LatencyHistogram().toJSON()).count).toBe(0);
  });

  it('refuses JSON made with another layout or whose counts do not add up', () => {
    const json = new LatencyHistogram().toJSON();
    expect(() => LatencyHistogram.fromJSON({ ...json, sub: 8 })).toThrow(/layout/);
    expect(() => LatencyHistogram.fromJSON({ ...json, b: [1], c: [2], count: 3 })).toThrow(/add up/);
    expect(() => LatencyHistogram.fromJSON({ ...json, b: [BUCKET_COUNT], c: [1], count: 1 })).toThrow(/bad bucket/);
  });
});
