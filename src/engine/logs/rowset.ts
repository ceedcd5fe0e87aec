/**
 * A set of entry numbers as a bitset with a rank directory: which entries a view holds, 1 bit
 * per entry, and the view's row r found in a few steps (select), whatever the file's size.
 */

/** Words (of 32 entries) per directory step. */
const STEP_WORDS = 64;

export class RowSet {
  readonly words: Uint32Array;
  /** Set bits before each step of STEP_WORDS words. */
  private directory: Float64Array | null = null;
  private total = -1;

  constructor(readonly size: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array(Math.ceil(size / 32));
  }

  /** No entry. */
  static empty(size: number): RowSet {
    return new RowSet(size);
  }

  /** Every entry in [0, size). */
  static all(size: number): RowSet {
    const set = new RowSet(size);
    set.words.fill(0xffffffff);
    const rest = size % 32;
    if (rest) set.words[set.words.length - 1] = (2 ** rest - 1) >>> 0;
    return set;
  }

  add(entry: number): void {
    this.words[entry >>> 5] |= 1 << (entry & 31);
    this.directory = null;
  }

  remove(entry: number): void {
    this.words[entry >>> 5] &= ~(1 << (entry & 31));
    this.directory = null;
  }

  has(entry: number): boolean {
    return entry >= 0 && entry < this.size && (this.words[entry >>> 5] & (1 << (entry & 31))) !== 0;
  }

  /** Keeps only the entries of `other` too. */
  intersect(other: RowSet): this {
    const n = Math.min(this.words.length, other.words.length);
    for (let i = 0; i < n; i++) this.words[i] &= other.words[i];
    for (let i = n; i < this.words.length; i++) this.words[i] = 0;
    this.directory = null;
    return this;
  }

  /** Sets the bits of `bits` (a bitset of entries from `first`, a multiple of 32). */
  addWords(first: number, bits: Uint32Array): void {
    const at = first >>> 5;
    for (let i = 0; i < bits.length && at + i < this.words.length; i++) this.words[at + i] |= bits[i];
    this.directory = null;
  }

  /** Entries in the set. */
  get count(): number {
    if (this.directory === null) this.index();
    return this.total;
  }

  /** The r-th entry of the set (0-based), or -1. */
  select(r: number): number {
    if (this.directory === null) this.index();
    if (r < 0 || r >= this.total) return -1;
    const dir = this.directory!;
    let lo = 0;
    let hi = dir.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (dir[mid] <= r) lo = mid;
      else hi = mid - 1;
    }
    let left = r - dir[lo];
    for (let w = lo * STEP_WORDS; w < this.words.length; w++) {
      const word = this.words[w];
      const c = popcount(word);
      if (left < c) return w * 32 + nthBit(word, left);
      left -= c;
    }
    return -1;
  }

  /** How many entries of the set come before `entry`: the row it has, or would have. */
  rank(entry: number): number {
    if (this.directory === null) this.index();
    const word = Math.min(entry >>> 5, this.words.length);
    const step = Math.floor(word / STEP_WORDS);
    let n = this.directory![Math.min(step, this.directory!.length - 1)];
    for (let w = step * STEP_WORDS; w < word; w++) n += popcount(this.words[w]);
    if (word < this.words.length && (entry & 31)) n += popcount(this.words[word] & ((1 << (entry & 31)) - 1));
    return n;
  }

  /** The first entry of the set after `entry` (direction 1) or before it (-1), or -1. */
  next(entry: number, direction: 1 | -1): number {
    for (let e = entry + direction; e >= 0 && e < this.size; e += direction) {
      const word = this.words[e >>> 5];
      if (word === 0) {
        // Skip to the next word.
        e = direction === 1 ? (e | 31) : (e & ~31);
        continue;
      }
      if (word & (1 << (e & 31))) return e;
    }
    return -1;
  }

  private index(): void {
    const steps = Math.max(1, Math.ceil(this.words.length / STEP_WORDS));
    const dir = new Float64Array(steps);
    let n = 0;
    for (let s = 0; s < steps; s++) {
      dir[s] = n;
      const end = Math.min(this.words.length, (s + 1) * STEP_WORDS);
      for (let w = s * STEP_WORDS; w < end; w++) n += popcount(this.words[w]);
    }
    this.directory = dir;
    this.total = n;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return (x * 0x01010101) >>> 24;
}

/** Position of the n-th set bit of a word (0-based). */
function nthBit(word: number, n: number): number {
  for (let b = 0; b < 32; b++) {
    if (word & (1 << b)) {
      if (n === 0) return b;
      n--;
    }
  }
  return -1;
}
