/**
 * Latency histogram with log-spaced buckets, for per-processor time per line.
 *
 * Why log buckets and not raw samples: a run sees millions of lines, so percentiles must come
 * from a fixed-size summary that can be fed per batch (`record(meanUs, linesInBatch)`), merged
 * across runs or workers, and stored in a report. Buckets growing by a constant factor make
 * the error of a percentile *relative* to the value, which is what matters for latencies that
 * span nine orders of magnitude.
 *
 * Error bound (README-ready): values from 0.01 µs to 1 hour are kept in buckets whose upper
 * edge is 2^(1/16) ≈ 1.0443 times their lower edge (16 buckets per doubling, 616 buckets in
 * all). A percentile is reported as the geometric midpoint of the bucket holding the exact
 * nearest-rank value, so it is within a factor 2^(1/32) of it: **relative error ≤ 2.2 %**
 * (2^(1/32) − 1 = 2.19 %), and it is clamped to the exact min and max. Values below 0.01 µs
 * (timer resolution; 0 included) are counted in one bucket reported as 0; values above 1 hour
 * in the last bucket. `count`, `min`, `max` and `mean` are exact.
 */

/** Buckets per doubling; the bucket width factor is 2^(1/SUB_BUCKETS). */
export const SUB_BUCKETS = 16;
/** The smallest value kept in a log bucket, µs. */
export const MIN_VALUE_US = 0.01;
/** The largest value kept without clamping: one hour, µs. */
export const MAX_VALUE_US = 3_600_000_000;
/** The documented bound on a percentile's relative error (2^(1/32) − 1). */
export const RELATIVE_ERROR = 2 ** (1 / (2 * SUB_BUCKETS)) - 1;

/** Bucket 0 holds values below MIN_VALUE_US; bucket i ≥ 1 holds [MIN·f^(i-1), MIN·f^i). */
const LOG_BUCKETS = Math.ceil(Math.log2(MAX_VALUE_US / MIN_VALUE_US) * SUB_BUCKETS);
export const BUCKET_COUNT = LOG_BUCKETS + 1;
const LAST = BUCKET_COUNT - 1;
const SCALE = SUB_BUCKETS / Math.LN2;
const HALF_STEP = 2 ** (1 / (2 * SUB_BUCKETS));
const STEP = 2 ** (1 / SUB_BUCKETS);

/** Compact, versioned JSON form: sparse bucket indexes (`b`, ascending) and their counts (`c`). */
export interface HistogramJSON {
  v: 1;
  /** Buckets per doubling and lowest value: a reader with other constants must refuse the data. */
  sub: number;
  minUs: number;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  b: number[];
  c: number[];
}

function bucketOf(valueUs: number): number {
  if (!(valueUs >= MIN_VALUE_US)) return 0; // NaN and negatives too: never corrupt an index
  const i = Math.floor(Math.log(valueUs / MIN_VALUE_US) * SCALE) + 1;
  return i > LAST ? LAST : i;
}

/** Geometric midpoint of bucket i (i ≥ 1). */
function midpointOf(i: number): number {
  return MIN_VALUE_US * STEP ** (i - 1) * HALF_STEP;
}

export class LatencyHistogram {
  /** Float64: counts stay exact past 2^32 (a long run fed with per-batch line counts). */
  private readonly counts = new Float64Array(BUCKET_COUNT);
  private total = 0;
  private sum = 0;
  private lo = Infinity;
  private hi = -Infinity;

  get count(): number {
    return this.total;
  }
  /** Exact smallest value recorded; NaN when empty. */
  get min(): number {
    return this.total > 0 ? this.lo : NaN;
  }
  get max(): number {
    return this.total > 0 ? this.hi : NaN;
  }
  get mean(): number {
    return this.total > 0 ? this.sum / this.total : NaN;
  }

  /** `count` lines took `valueUs` each (e.g. a batch's mean time per line). */
  record(valueUs: number, count = 1): void {
    if (!(count > 0) || !(valueUs >= 0)) return;
    this.counts[bucketOf(valueUs)] += count;
    this.total += count;
    this.sum += valueUs * count;
    if (valueUs < this.lo) this.lo = valueUs;
    if (valueUs > this.hi) this.hi = valueUs;
  }

  /** The first `n` values of a columnar buffer. */
  recordMany(values: Float64Array, n = values.length): void {
    const end = n < values.length ? n : values.length;
    const counts = this.counts;
    let lo = this.lo;
    let hi = this.hi;
    let sum = 0;
    let added = 0;
    for (let i = 0; i < end; i++) {
      const v = values[i];
      if (!(v >= 0)) continue;
      counts[bucketOf(v)]++;
      sum += v;
      added++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    this.total += added;
    this.sum += sum;
    this.lo = lo;
    this.hi = hi;
  }

  /**
   * The p-th percentile (0–100), nearest rank: within RELATIVE_ERROR of the exact value at rank
   * ceil(p/100 · count). p ≤ 0 gives the exact min, p ≥ 100 the exact max; NaN when empty.
   */
  percentile(p: number): number {
    const total = this.total;
    if (total === 0 || Number.isNaN(p)) return NaN;
    if (p <= 0) return this.lo;
    if (p >= 100) return this.hi;
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    const counts = this.counts;
    let seen = 0;
    let i = 0;
    for (; i < LAST; i++) {
      seen += counts[i];
      if (seen >= rank) break;
    }
    const estimate = i === 0 ? 0 : midpointOf(i);
    return estimate < this.lo ? this.lo : estimate > this.hi ? this.hi : estimate;
  }

  /** Adds another histogram's data into this one (same constants by construction). */
  merge(other: LatencyHistogram): this {
    if (other.total === 0) return this;
    const counts = this.counts;
    const theirs = other.counts;
    for (let i = 0; i < BUCKET_COUNT; i++) counts[i] += theirs[i];
    this.total += other.total;
    this.sum += other.sum;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
    return this;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sum = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
  }

  toJSON(): HistogramJSON {
    const b: number[] = [];
    const c: number[] = [];
    const counts = this.counts;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      if (counts[i] !== 0) {
        b.push(i);
        c.push(counts[i]);
      }
    }
    const empty = this.total === 0;
    return {
      v: 1,
      sub: SUB_BUCKETS,
      minUs: MIN_VALUE_US,
      count: this.total,
      sum: this.sum,
      min: empty ? null : this.lo,
      max: empty ? null : this.hi,
      b,
      c,
    };
  }

  /** Rebuilds a histogram from `toJSON()`; throws on data made with other constants or damaged. */
  static fromJSON(json: HistogramJSON): LatencyHistogram {
    if (json?.v !== 1 || json.sub !== SUB_BUCKETS || json.minUs !== MIN_VALUE_US) {
      throw new Error('histogram: unsupported layout (version, buckets per doubling or lowest value differ)');
    }
    if (!Array.isArray(json.b) || !Array.isArray(json.c) || json.b.length !== json.c.length) {
      throw new Error('histogram: bucket indexes and counts differ in length');
    }
    const h = new LatencyHistogram();
    let total = 0;
    for (let k = 0; k < json.b.length; k++) {
      const i = json.b[k];
      const n = json.c[k];
      if (!Number.isInteger(i) || i < 0 || i >= BUCKET_COUNT || !(n >= 0)) throw new Error(`histogram: bad bucket ${i}`);
      h.counts[i] += n;
      total += n;
    }
    if (total !== json.count) throw new Error('histogram: bucket counts do not add up to count');
    h.total = total;
    h.sum = json.sum;
    h.lo = json.min ?? Infinity;
    h.hi = json.max ?? -Infinity;
    return h;
  }
}
