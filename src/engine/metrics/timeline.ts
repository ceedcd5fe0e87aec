/**
 * Lines per level per bucket of the log's own time: the stacked levels chart and the report's
 * `timeline`, `timeRange` and `levels` sections.
 *
 * Memory is bounded whatever the file: like lnav's histogram, the bucket starts at 1 s and,
 * when the span needs more than `maxBuckets` buckets, moves up a fixed ladder (1 s, 10 s, 1 min,
 * 5 min, 15 min, 1 h, 6 h, 1 d, 1 w, 4 w, 52 w) and merges in place. Every size divides the next
 * and buckets are aligned on the epoch, so a coarse bucket is exactly a union of fine ones and
 * merged totals stay exact. Counts are columnar (one Float64Array per level) for uPlot.
 * A timestamp more than 10 years away from the first one is counted as untimed, so one bad
 * parse cannot blow the bucket size up to weeks.
 */

import { LEVELS, type Level } from '../types.ts';

export const BUCKET_LADDER_MS = [
  1_000, 10_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000, 2_419_200_000,
  31_449_600_000,
] as const;
export const DEFAULT_MAX_BUCKETS = 600;
/** Farther than this from the first timestamp: treated as a bad parse, counted untimed. */
export const OUTLIER_MS = 10 * 365.25 * 86_400_000;

const LEVEL_COUNT = LEVELS.length;

export type LevelCounts = Record<Level, number>;

export interface TimelineBucket {
  /** ISO 8601. */
  start: string;
  counts: LevelCounts;
}

export interface TimelineSection {
  bucketMs: number;
  buckets: TimelineBucket[];
}

export interface TimeRange {
  start: string;
  end: string;
}

/** A timeline as plain data: buckets of `size` ms from bucket number `origin`, per level. */
export interface TimelinePart {
  size: number;
  origin: number;
  /** counts[level][i] for bucket origin + i. */
  counts: number[][];
  untimed: number[];
  /** Earliest and latest time counted, or null when none. */
  lo: number | null;
  hi: number | null;
}

export interface TimelineColumns {
  /** Bucket starts, epoch seconds (uPlot's x). */
  starts: Float64Array;
  /** One column per level, indexed like LEVELS. */
  counts: Float64Array[];
  bucketMs: number;
}

/** The report's form of the timeline (ISO starts, counts by level name) from its columns. */
export function timelineSection({ starts, counts, bucketMs }: TimelineColumns): TimelineSection {
  const buckets: TimelineBucket[] = new Array(starts.length);
  for (let i = 0; i < starts.length; i++) {
    const byLevel = {} as LevelCounts;
    for (let l = 0; l < LEVEL_COUNT; l++) byLevel[LEVELS[l]] = counts[l][i];
    buckets[i] = { start: new Date(starts[i] * 1000).toISOString(), counts: byLevel };
  }
  return { bucketMs, buckets };
}

export class Timeline {
  private readonly maxBuckets: number;
  private rung = 0;
  private size: number = BUCKET_LADDER_MS[0];
  /** Bucket number (floor(epochMs / size)) of column index 0. */
  private origin = 0;
  /** Buckets in use; 0 until the first timestamp. */
  private used = 0;
  private readonly cols: Float64Array[];
  private readonly totals = new Float64Array(LEVEL_COUNT);
  private readonly untimedCounts = new Float64Array(LEVEL_COUNT);
  private first = NaN;
  private lo = Infinity;
  private hi = -Infinity;

  /**
   * `anchor`: the time a timestamp is judged an outlier against (the file's first timestamp,
   * when known), so each range of a file judges alike; otherwise the first timestamp counted.
   */
  constructor(options: { maxBuckets?: number; anchor?: number } = {}) {
    // A span is at most 20 years (±10 around the first timestamp): 22 buckets of 52 weeks.
    this.maxBuckets = Math.max(32, Math.floor(options.maxBuckets ?? DEFAULT_MAX_BUCKETS));
    this.cols = Array.from({ length: LEVEL_COUNT }, () => new Float64Array(this.maxBuckets));
    if (options.anchor !== undefined && Number.isFinite(options.anchor)) this.anchor = options.anchor;
  }

  private anchor = NaN;

  /** Sets the time outliers are judged against, before anything is counted. */
  setAnchor(ts: number): void {
    if (Number.isFinite(ts) && this.first !== this.first) this.anchor = ts;
  }

  /** Current bucket size, ms. */
  get bucketMs(): number {
    return this.size;
  }

  /** Lines without a usable timestamp, all levels. */
  get untimed(): number {
    let n = 0;
    for (let l = 0; l < LEVEL_COUNT; l++) n += this.untimedCounts[l];
    return n;
  }

  /** One line at `epochMs` with level `levelIndex` (an index into LEVELS; others count as UNKNOWN). */
  add(epochMs: number, levelIndex: number): void {
    const level = levelIndex >= 0 && levelIndex < LEVEL_COUNT ? levelIndex | 0 : LEVEL_COUNT - 1;
    if (!Number.isFinite(epochMs)) return this.addUntimed(level);
    if (this.first !== this.first) this.first = this.anchor === this.anchor ? this.anchor : epochMs;
    if (!(Math.abs(epochMs - this.first) <= OUTLIER_MS)) return this.addUntimed(level);
    this.count(epochMs, level, 1);
  }

  /** `n` lines at `epochMs`; `extreme`: the time is a line's own (a bucket start is not). */
  private count(epochMs: number, level: number, n: number, extreme = true): void {
    if (this.used === 0) {
      this.origin = Math.floor(epochMs / this.size);
      this.used = 1;
    }
    let index = Math.floor(epochMs / this.size) - this.origin;
    if (index < 0 || index >= this.used) index = this.makeRoom(epochMs);
    this.cols[level][index] += n;
    this.totals[level] += n;
    if (!extreme) return;
    if (epochMs < this.lo) this.lo = epochMs;
    if (epochMs > this.hi) this.hi = epochMs;
  }

  /** What this timeline counted, as plain data (a range's piece). */
  part(): TimelinePart {
    const counts: number[][] = this.cols.map((col) => Array.from(col.subarray(0, this.used)));
    return {
      size: this.size,
      origin: this.origin,
      counts,
      untimed: Array.from(this.untimedCounts),
      lo: this.used ? this.lo : null,
      hi: this.used ? this.hi : null,
    };
  }

  /**
   * Adds another timeline's counts (a piece of the same file). Buckets are aligned on the epoch
   * and each size divides the next, so the sum is the timeline one pass would have built.
   */
  absorb(part: TimelinePart): void {
    for (let l = 0; l < LEVEL_COUNT; l++) {
      const n = part.untimed[l];
      if (n) {
        this.untimedCounts[l] += n;
        this.totals[l] += n;
      }
    }
    if (part.lo === null || part.hi === null) return;
    if (this.first !== this.first) this.first = this.anchor === this.anchor ? this.anchor : part.lo;
    while (this.size < part.size) {
      if (this.used === 0) {
        this.rung++;
        this.size = BUCKET_LADDER_MS[this.rung];
      } else this.coarsen();
    }
    // The extremes first: the window then grows (and coarsens) once, not bucket by bucket.
    this.count(part.lo, 0, 0);
    this.count(part.hi, 0, 0);
    for (let l = 0; l < LEVEL_COUNT; l++) {
      const col = part.counts[l];
      for (let i = 0; i < col.length; i++) if (col[i]) this.count((part.origin + i) * part.size, l, col[i], false);
    }
  }

  addUntimed(levelIndex: number): void {
    const level = levelIndex >= 0 && levelIndex < LEVEL_COUNT ? levelIndex | 0 : LEVEL_COUNT - 1;
    this.untimedCounts[level]++;
    this.totals[level]++;
  }

  /** Grows the window to cover `epochMs`, coarsening while it would exceed the cap; its column index. */
  private makeRoom(epochMs: number): number {
    let bucket = Math.floor(epochMs / this.size);
    let lo = Math.min(this.origin, bucket);
    let hi = Math.max(this.origin + this.used - 1, bucket);
    while (hi - lo + 1 > this.maxBuckets) {
      this.coarsen();
      bucket = Math.floor(epochMs / this.size);
      lo = Math.min(this.origin, bucket);
      hi = Math.max(this.origin + this.used - 1, bucket);
    }
    if (lo < this.origin) {
      const shift = this.origin - lo;
      for (let l = 0; l < LEVEL_COUNT; l++) {
        const col = this.cols[l];
        col.copyWithin(shift, 0, this.used);
        col.fill(0, 0, shift);
      }
      this.origin = lo;
      this.used += shift;
    }
    if (hi >= this.origin + this.used) this.used = hi - this.origin + 1;
    return bucket - this.origin;
  }

  /** Next size on the ladder; each new bucket is the sum of the old ones it covers. */
  private coarsen(): void {
    const ratio = BUCKET_LADDER_MS[this.rung + 1] / this.size;
    this.rung++;
    this.size = BUCKET_LADDER_MS[this.rung];
    const newOrigin = Math.floor(this.origin / ratio);
    // Destination index never exceeds the source index, so merging in place is safe.
    for (let l = 0; l < LEVEL_COUNT; l++) {
      const col = this.cols[l];
      for (let i = 0; i < this.used; i++) {
        const v = col[i];
        col[i] = 0;
        col[Math.floor((this.origin + i) / ratio) - newOrigin] += v;
      }
    }
    const last = Math.floor((this.origin + this.used - 1) / ratio);
    this.origin = newOrigin;
    this.used = last - newOrigin + 1;
  }

  /** The report's `timeline`: every bucket from the first to the last, empty ones included. */
  section(): TimelineSection {
    return timelineSection(this.columns());
  }

  /** The report's `timeRange`: earliest and latest timestamp (not first and last line), or null. */
  timeRange(): TimeRange | null {
    if (this.used === 0) return null;
    return { start: new Date(this.lo).toISOString(), end: new Date(this.hi).toISOString() };
  }

  /** The report's `levels`: every line counted, timed or not. */
  levels(): LevelCounts {
    const out = {} as LevelCounts;
    for (let l = 0; l < LEVEL_COUNT; l++) out[LEVELS[l]] = this.totals[l];
    return out;
  }

  /** Copies for a chart (safe to transfer). */
  columns(): TimelineColumns {
    const starts = new Float64Array(this.used);
    const seconds = this.size / 1000;
    for (let i = 0; i < this.used; i++) starts[i] = (this.origin + i) * seconds;
    const counts = this.cols.map((col) => col.slice(0, this.used));
    return { starts, counts, bucketMs: this.size };
  }
}
