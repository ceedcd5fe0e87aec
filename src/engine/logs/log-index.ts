/**
 * The index of a whole file, from the index parts of its pieces in file order: where each block
 * of entries starts, its first line and first entry, and every entry's level and time code.
 */
import { codeLevel, codeTime, type IndexPart } from './index-part.ts';

/** A growable typed column. */
class Column<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(256);
  }
  push(values: ArrayLike<number>, add = 0): void {
    this.reserve(values.length);
    for (let i = 0; i < values.length; i++) this.data[this.length + i] = values[i] + add;
    this.length += values.length;
  }
  pushOne(value: number): void {
    this.reserve(1);
    this.data[this.length++] = value;
  }
  /** Bytes the values take (the column may hold room for more). */
  get bytes(): number {
    return this.length * this.data.BYTES_PER_ELEMENT;
  }
  /** Lets go of the room for more (once nothing more comes). */
  compact(): void {
    if (this.data.length > this.length) this.data = this.data.slice(0, this.length) as T;
  }
  private reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = this.make(size);
    grown.set(this.data.subarray(0, this.length) as never);
    this.data = grown;
  }
}

export class LogIndex {
  private readonly offsets = new Column((n) => new Float64Array(n));
  private readonly lines = new Column((n) => new Float64Array(n));
  /** Entry number (0-based) of each block's first entry. */
  private readonly firstEntries = new Column((n) => new Float64Array(n));
  private readonly bases = new Column((n) => new Float64Array(n));
  private readonly units = new Column((n) => new Uint8Array(n));
  private readonly codes = new Column((n) => new Uint16Array(n));
  /** Where the last block ends (the end of the last entry read). */
  endOffset = 0;
  /** Lines of the file indexed so far (the merge sets it). */
  linesTotal = 0;
  /** Per block: where its bitmap of continuation lines starts in `joinWords`, -1 when it has none. */
  private readonly joinStarts = new Column((n) => new Float64Array(n));
  private readonly joinWords = new Column((n) => new Uint32Array(n));
  private readonly lineCounts = new Column((n) => new Float64Array(n));

  /** Entries that failed in a processor: a bitset, 1 bit per entry. */
  private failedWords = new Column((n) => new Uint32Array(n));
  private failedCount = 0;

  /** Marks entries (numbered from `firstEntry`) as failed in the pipeline. */
  markFailed(entries: readonly number[], firstEntry: number): void {
    for (const local of entries) {
      const e = firstEntry + local;
      const word = e >>> 5;
      while (this.failedWords.length <= word) this.failedWords.pushOne(0);
      const bit = 1 << (e & 31);
      if ((this.failedWords.data[word] & bit) === 0) {
        this.failedWords.data[word] |= bit;
        this.failedCount++;
      }
    }
  }

  /** Entries that failed in a processor, as 32-bit words (bit i of word w: entry 32w + i). */
  failedBits(): Uint32Array {
    return this.failedWords.data.slice(0, this.failedWords.length);
  }

  get failedEntries(): number {
    return this.failedCount;
  }

  /** A piece's part; its lines are numbered from `lineOffset`, its entries from `entryOffset`. */
  append(part: IndexPart, lineOffset: number, entryOffset: number): void {
    let entry = entryOffset;
    for (let b = 0; b < part.blockOffsets.length; b++) {
      this.firstEntries.pushOne(entry);
      entry += part.blockEntries[b];
    }
    this.offsets.push(part.blockOffsets);
    this.lines.push(part.blockLines, lineOffset);
    this.bases.push(part.blockBase);
    this.units.push(part.blockUnit);
    this.codes.push(part.codes);
    const wordBase = this.joinWords.length;
    for (let b = 0; b < part.blockJoins.length; b++) this.joinStarts.pushOne(part.blockJoins[b] < 0 ? -1 : part.blockJoins[b] + wordBase);
    this.joinWords.push(part.joins);
    this.lineCounts.push(part.blockLineCount);
    if (part.endOffset === part.endOffset) this.endOffset = part.endOffset;
    else if (part.blockOffsets.length) this.endOffset = Math.max(this.endOffset, part.blockOffsets[part.blockOffsets.length - 1]);
  }

  get entries(): number {
    return this.codes.length;
  }

  get blocks(): number {
    return this.offsets.length;
  }

  /** Lets go of the columns' room for more: the run has ended. */
  compact(): void {
    for (const column of [this.offsets, this.lines, this.firstEntries, this.bases, this.units, this.codes, this.joinStarts, this.joinWords, this.lineCounts, this.failedWords]) column.compact();
  }

  /** Bytes the index's values take. */
  get bytes(): number {
    return (
      this.offsets.bytes + this.lines.bytes + this.firstEntries.bytes + this.bases.bytes + this.units.bytes + this.codes.bytes +
      this.joinStarts.bytes + this.joinWords.bytes + this.lineCounts.bytes + this.failedWords.bytes
    );
  }

  /** The block holding entry `entry` (0-based). */
  blockOf(entry: number): number {
    const first = this.firstEntries.data;
    let lo = 0;
    let hi = this.offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (first[mid] <= entry) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The block holding line `line` (0-based), i.e. the last block starting at or before it. */
  blockOfLine(line: number): number {
    const lines = this.lines.data;
    let lo = 0;
    let hi = this.offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid] <= line) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Whether line `j` of block `b` joined the entry above (a reader of the block needs no format
   * to join its lines back as the scan did); null when every line of the block is an entry.
   */
  joinsOf(b: number): ((line: number) => boolean) | null {
    const start = this.joinStarts.data[b];
    if (start < 0) return null;
    const words = this.joinWords.data;
    return (j) => (words[start + (j >>> 5)] & (1 << (j & 31))) !== 0;
  }

  /** Block `b`'s bitmap of continuation lines (a copy, for a worker), null when it has none. */
  joinWordsOf(b: number): Uint32Array | null {
    const start = this.joinStarts.data[b];
    if (start < 0) return null;
    return this.joinWords.data.slice(start, start + Math.ceil(this.lineCounts.data[b] / 32));
  }

  /** Lines in block `b`. */
  linesOf(b: number): number {
    return this.lineCounts.data[b];
  }

  block(b: number): { offset: number; end: number; firstLine: number; firstEntry: number; entries: number } {
    const firstEntry = this.firstEntries.data[b];
    const next = b + 1 < this.offsets.length;
    return {
      offset: this.offsets.data[b],
      end: next ? this.offsets.data[b + 1] : this.endOffset,
      firstLine: this.lines.data[b],
      firstEntry,
      entries: (next ? this.firstEntries.data[b + 1] : this.codes.length) - firstEntry,
    };
  }

  baseOf(b: number): number {
    return this.bases.data[b];
  }

  unitOf(b: number): number {
    return this.units.data[b];
  }

  levelOf(entry: number): number {
    return codeLevel(this.codes.data[entry]);
  }

  /** The entry's log time (epoch ms, to its block's unit), NaN when it has none. */
  timeOf(entry: number, block = this.blockOf(entry)): number {
    return codeTime(this.codes.data[entry], this.bases.data[block], this.units.data[block]);
  }

  /** The per-entry codes (level and time), for filters that scan every entry. */
  get entryCodes(): Uint16Array {
    return this.codes.data.subarray(0, this.codes.length);
  }
}
