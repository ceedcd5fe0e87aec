/**
 * The Logs view's index, built while a range is scanned: entries grouped in blocks (at most
 * BLOCK_ENTRIES entries or BLOCK_BYTES bytes), each block with its byte offset, first line and
 * a time base, and per entry one 16-bit code holding its level and its log time relative to the
 * block's base. About 2 bytes per entry: a window of rows is read back from the file itself.
 */
import { LEVELS, type Level } from '../types.ts';

export const BLOCK_ENTRIES = 1024;
export const BLOCK_BYTES = 256 * 1024;

/** Low bits of a code: the level's index in LEVELS. */
const LEVEL_BITS = 3;
const LEVEL_MASK = (1 << LEVEL_BITS) - 1;
/** The rest: the time in units since the block's base; all ones means "no time". */
export const NO_TIME = (1 << (16 - LEVEL_BITS)) - 1;
/**
 * Time units, each dividing the next, so a time rounded down to a unit stays in the same bucket
 * of the levels chart (whose bucket sizes are multiples of these).
 */
export const TIME_UNITS_MS = [1, 10, 100, 1_000, 10_000, 60_000, 600_000, 3_600_000, 86_400_000, 604_800_000] as const;

export interface IndexPart {
  /** Byte offset of each block's first entry, and where the part's last block ends. */
  blockOffsets: Float64Array;
  endOffset: number;
  /** Number (range-local, 0-based) of each block's first line. */
  blockLines: Float64Array;
  /** Entries in each block. */
  blockEntries: Uint16Array;
  /** Time base of each block (a multiple of its unit), NaN when no entry of it has a time. */
  blockBase: Float64Array;
  /** Index into TIME_UNITS_MS. */
  blockUnit: Uint8Array;
  codes: Uint16Array;
  /**
   * Blocks whose entries span several lines: where the block's bitmap of continuation lines
   * starts in `joins` (a word index), -1 for a block of one-line entries. Bit j of a block's
   * bitmap is set when its line j joined the entry above: the entries read back exactly as the
   * scan joined them, without testing a line against the format.
   */
  blockJoins: Int32Array;
  joins: Uint32Array;
  /** Lines in each block. */
  blockLineCount: Uint32Array;
}

const LEVEL_INDEX = new Map<Level, number>(LEVELS.map((level, i) => [level, i]));

export function levelIndexOf(level: Level): number {
  return LEVEL_INDEX.get(level) ?? LEVELS.length - 1;
}

export function codeLevel(code: number): number {
  return code & LEVEL_MASK;
}

/** The entry's time (epoch ms, rounded down to its block's unit), or NaN. */
export function codeTime(code: number, base: number, unit: number): number {
  const t = code >>> LEVEL_BITS;
  return t === NO_TIME ? NaN : base + t * TIME_UNITS_MS[unit];
}

/** Collects entries into blocks; `take()` hands over the blocks so far (a piece's part). */
export class IndexBuilder {
  private offsets: number[] = [];
  private lines: number[] = [];
  private counts: number[] = [];
  private bases: number[] = [];
  private units: number[] = [];
  private codes = new Uint16Array(4096);
  private used = 0;
  /** The open block. */
  private blockEntries = 0;
  private blockStart = 0;
  private readonly times = new Float64Array(BLOCK_ENTRIES);
  private readonly levels = new Uint8Array(BLOCK_ENTRIES);
  private readonly entryLines = new Uint32Array(BLOCK_ENTRIES);
  private joinStarts: number[] = [];
  private lineCounts: number[] = [];
  private joinWords: number[] = [];
  private endOffset = 0;

  /** One entry, in file order: where it starts, its first line's number, its lines, its level and time (NaN: none). */
  add(offset: number, line: number, levelIndex: number, ts: number, lines = 1): void {
    if (this.blockEntries === BLOCK_ENTRIES || (this.blockEntries > 0 && offset - this.blockStart >= BLOCK_BYTES)) this.close();
    if (this.blockEntries === 0) {
      this.blockStart = offset;
      this.offsets.push(offset);
      this.lines.push(line);
    }
    this.times[this.blockEntries] = ts;
    this.levels[this.blockEntries] = levelIndex;
    this.entryLines[this.blockEntries] = lines;
    this.blockEntries++;
  }

  /** The blocks since the last take, the open one closed; `endOffset` where the last block ends (NaN: where the next part starts). */
  take(endOffset: number): IndexPart {
    this.close();
    this.endOffset = endOffset;
    const part: IndexPart = {
      blockOffsets: Float64Array.from(this.offsets),
      endOffset: this.endOffset,
      blockLines: Float64Array.from(this.lines),
      blockEntries: Uint16Array.from(this.counts),
      blockBase: Float64Array.from(this.bases),
      blockUnit: Uint8Array.from(this.units),
      codes: this.codes.slice(0, this.used),
      blockJoins: Int32Array.from(this.joinStarts),
      joins: Uint32Array.from(this.joinWords),
      blockLineCount: Uint32Array.from(this.lineCounts),
    };
    this.joinStarts = [];
    this.joinWords = [];
    this.lineCounts = [];
    this.offsets = [];
    this.lines = [];
    this.counts = [];
    this.bases = [];
    this.units = [];
    this.used = 0;
    return part;
  }

  private close(): void {
    const n = this.blockEntries;
    if (n === 0) return;
    let lo = Infinity;
    let hi = -Infinity;
    const { times, levels } = this;
    for (let i = 0; i < n; i++) {
      const t = times[i];
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    let unit = 0;
    let base = NaN;
    if (lo <= hi) {
      while (unit < TIME_UNITS_MS.length - 1 && Math.floor(hi / TIME_UNITS_MS[unit]) - Math.floor(lo / TIME_UNITS_MS[unit]) >= NO_TIME) unit++;
      base = Math.floor(lo / TIME_UNITS_MS[unit]) * TIME_UNITS_MS[unit];
    }
    if (this.used + n > this.codes.length) {
      const grown = new Uint16Array(Math.max(this.codes.length * 2, this.used + n));
      grown.set(this.codes.subarray(0, this.used));
      this.codes = grown;
    }
    const size = TIME_UNITS_MS[unit];
    for (let i = 0; i < n; i++) {
      const t = times[i];
      let code = NO_TIME;
      if (t === t) code = Math.min(NO_TIME - 1, Math.floor(t / size) - base / size);
      this.codes[this.used++] = (code << LEVEL_BITS) | levels[i];
    }
    // The lines of the block, and which of them joined the entry above.
    let lineCount = 0;
    for (let i = 0; i < n; i++) lineCount += this.entryLines[i];
    this.lineCounts.push(lineCount);
    if (lineCount === n) {
      this.joinStarts.push(-1);
    } else {
      const start = this.joinWords.length;
      const words = new Uint32Array(Math.ceil(lineCount / 32));
      let line = 0;
      for (let i = 0; i < n; i++) {
        for (let k = 1; k < this.entryLines[i]; k++) {
          const j = line + k;
          words[j >>> 5] |= 1 << (j & 31);
        }
        line += this.entryLines[i];
      }
      this.joinStarts.push(start);
      for (const w of words) this.joinWords.push(w);
    }
    this.counts.push(n);
    this.bases.push(base);
    this.units.push(unit);
    this.blockEntries = 0;
  }
}
