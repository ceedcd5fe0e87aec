import type { LineBatch } from '../types.ts';

/** What ends a line: LF (with CRLF read as one end), or a lone CR (old Mac files, some devices). */
export type LineEnd = 'lf' | 'cr';

export interface LineSplitterOptions {
  /** Longest line kept, in bytes (terminator excluded); longer lines are cut. Default 1 MiB. */
  maxLineBytes?: number;
  /** Default 'lf'; see detectLineEnd. */
  lineEnd?: LineEnd;
}

/**
 * How the lines of a file end, from its first bytes: CR only when there are lone CRs and no LF
 * at all (a CRLF file has as many LFs as CRs, and a LF file may carry a stray CR in a line).
 */
export function detectLineEnd(head: Uint8Array): LineEnd {
  if (head.indexOf(LF) !== -1) return 'lf';
  return head.indexOf(CR) !== -1 ? 'cr' : 'lf';
}

export interface SplitterStats {
  lines: number;
  /** Input bytes pushed so far, terminators included. */
  bytes: number;
  truncatedLines: number;
  /** Lines whose kept bytes hold invalid UTF-8 (each line counted once). */
  invalidUtf8Lines: number;
}

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

const LF = 10;
const CR = 13;
const REPLACEMENT = '\uFFFD';

// ignoreBOM keeps U+FEFF in the text: chunks are decoded separately, and a BOM
// stripped at the start of every decode call would drop real characters mid-file
// and put the line lengths out of step with the bytes.
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const strict = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });

/**
 * Splits a stream of UTF-8 bytes into lines (LF or CRLF; or CR in 'cr' mode), in batches of one chunk's lines.
 *
 * Hot path: one indexOf/lastIndexOf to find the span of whole lines in a chunk, one
 * TextDecoder call for that span, one String#split, then a byte check per line to
 * place it (a scan only for lines with multi-byte characters). Only the unfinished
 * line at the end of a chunk is copied, and at most maxLineBytes + 1 of it.
 *
 * Pitfalls:
 * - A final line without newline is only emitted by finish(); its trailing "\r" is
 *   kept, since it is not part of a CRLF.
 * - Invalid UTF-8 is judged on the bytes kept: bytes cut off a long line are not read.
 * - A UTF-8 BOM is removed from the first line's text (its offset still counts it).
 */
export class LineSplitter {
  private readonly cap: number;
  /** The byte that ends a line, and the one stripped beside it: LF and a CR before it, or CR and a LF after it. */
  private readonly eol: number;
  private readonly crMode: boolean;
  private carry: Uint8Array;
  /** Bytes of the unfinished line held in `carry` (≤ cap + 1). */
  private carryLen = 0;
  /** All bytes of the unfinished line, including those beyond the cap that were dropped. */
  private lineBytes = 0;
  private lineStart = 0;
  private nLines = 0;
  private nBytes = 0;
  private nTruncated = 0;
  private nInvalid = 0;
  /** Indexes, in the batch being built, of lines cut at the cap and of lines with invalid UTF-8. */
  private truncatedAt: number[] = [];
  private invalidAt: number[] = [];

  constructor(options: LineSplitterOptions = {}) {
    const cap = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(cap) || cap < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${cap}`);
    }
    this.cap = cap;
    this.crMode = options.lineEnd === 'cr';
    this.eol = this.crMode ? CR : LF;
    // Grown on demand: most lines are short, and a splitter per file should not cost 1 MiB up front.
    this.carry = new Uint8Array(Math.min(cap + 1, 4096));
  }

  get stats(): SplitterStats {
    return {
      lines: this.nLines,
      bytes: this.nBytes,
      truncatedLines: this.nTruncated,
      invalidUtf8Lines: this.nInvalid,
    };
  }

  /** Memory held for the unfinished line; bounded by maxLineBytes + 1 whatever the line length. */
  get bufferedBytes(): number {
    return this.carry.byteLength;
  }

  /** The lines this chunk completes, or null. The chunk is not kept: the caller may reuse it. */
  push(chunk: Uint8Array): LineBatch | null {
    const base = this.nBytes;
    const len = chunk.length;
    this.nBytes += len;

    const eol = this.eol;
    const first = chunk.indexOf(eol);
    if (first === -1) {
      this.append(chunk, 0, len, base);
      return null;
    }

    let head: string | null = null;
    let headOffset = 0;
    let start = 0;
    if (this.lineBytes > 0) {
      this.append(chunk, 0, first, base);
      head = this.takeCarried(true, 0);
      headOffset = this.lineStart;
      start = first + 1;
    }

    const last = chunk.lastIndexOf(eol);
    const h = head === null ? 0 : 1;
    let texts: string[] = [];
    let offsets: Float64Array;
    if (last < start) {
      // The only newline in the chunk ended the carried line.
      offsets = new Float64Array(h);
    } else {
      const text = lenient.decode(chunk.subarray(start, last));
      texts = text.split(this.crMode ? '\r' : '\n');
      offsets = new Float64Array(texts.length + h);
      this.placeLines(chunk, start, texts, offsets, h, base, text.indexOf(REPLACEMENT) !== -1);
    }

    if (head !== null) {
      texts.unshift(head);
      offsets[0] = headOffset;
    }
    this.append(chunk, last + 1, len, base);
    return this.batch(texts, offsets);
  }

  /** The last line when the input does not end with a newline, or null. */
  finish(): LineBatch | null {
    if (this.lineBytes === 0) return null;
    const text = this.takeCarried(false, 0);
    const offsets = new Float64Array(1);
    offsets[0] = this.lineStart;
    return this.batch([text], offsets);
  }

  /**
   * Finds the bytes of each decoded line of chunk[start, last], strips CRs, and
   * re-reads from bytes the rare lines over the cap or holding U+FFFD.
   */
  private placeLines(
    chunk: Uint8Array,
    start: number,
    texts: string[],
    offsets: Float64Array,
    h: number,
    base: number,
    hasReplacement: boolean,
  ): void {
    const cap = this.cap;
    const n = texts.length;
    let p = start;
    for (let k = 0; k < n; k++) {
      let t = texts[k];
      const tl = t.length;
      // A line takes at least as many bytes as UTF-16 units (decoding never expands),
      // and none of its bytes is a LF: so a LF right after tl bytes means the line is
      // exactly tl bytes long, which spares a scan for the common ASCII line.
      const eol = this.eol;
      let e = p + tl;
      if (chunk[e] !== eol) e = chunk.indexOf(eol, e);
      let from = p;
      let end = e;
      if (this.crMode) {
        // CR mode: the LF of a stray CRLF belongs to the line end before it.
        if (e > p && chunk[p] === LF) {
          from = p + 1;
          t = t.slice(1);
          texts[k] = t;
        }
      } else if (e > p && chunk[e - 1] === CR) {
        end = e - 1;
        t = t.slice(0, tl - 1);
        texts[k] = t;
      }
      offsets[h + k] = base + from;
      if (end - from > cap || (hasReplacement && t.indexOf(REPLACEMENT) !== -1)) {
        texts[k] = this.decodeLine(chunk.subarray(from, end), end - from, h + k);
      }
      p = e + 1;
    }
  }

  /** Adds chunk[from, to) to the unfinished line, keeping at most cap + 1 bytes of it. */
  private append(chunk: Uint8Array, from: number, to: number, base: number): void {
    const n = to - from;
    if (n <= 0) return;
    if (this.lineBytes === 0) this.lineStart = base + from;
    this.lineBytes += n;
    // cap + 1: a line of exactly cap bytes still needs room for the "\r" of its CRLF.
    const room = this.cap + 1 - this.carryLen;
    if (room <= 0) return;
    const take = n < room ? n : room;
    const need = this.carryLen + take;
    if (need > this.carry.length) {
      let size = this.carry.length * 2;
      while (size < need) size *= 2;
      const grown = new Uint8Array(Math.min(size, this.cap + 1));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(chunk.subarray(from, from + take), this.carryLen);
    this.carryLen = need;
  }

  /** Decodes and clears the unfinished line; `terminated` when a newline ended it. */
  private takeCarried(terminated: boolean, index: number): string {
    const total = this.lineBytes;
    let contentLen = total;
    let skip = 0;
    if (this.crMode) {
      if (total > 0 && this.carry[0] === LF) skip = 1;
    } else if (terminated && total <= this.cap + 1 && this.carry[total - 1] === CR) {
      // Past cap + 1 bytes the line is too long with or without a "\r", and its last byte is not held.
      contentLen--;
    }
    if (skip) this.lineStart += skip;
    const text = this.decodeLine(skip ? this.carry.subarray(skip) : this.carry, contentLen - skip, index);
    this.carryLen = 0;
    this.lineBytes = 0;
    return text;
  }

  /**
   * Decodes one line's content (terminator removed) of `contentLen` bytes, of which
   * `bytes` holds at least min(contentLen, cap); cuts it to the cap and counts problems.
   */
  private decodeLine(bytes: Uint8Array, contentLen: number, index: number): string {
    let end = contentLen;
    if (contentLen > this.cap) {
      end = charBoundary(bytes, this.cap);
      this.nTruncated++;
      this.truncatedAt.push(index);
    }
    const view = bytes.subarray(0, end);
    const text = lenient.decode(view);
    // U+FFFD also comes from valid EF BF BD; only a strict decode tells them apart.
    if (text.indexOf(REPLACEMENT) !== -1 && !isValidUtf8(view)) {
      this.nInvalid++;
      this.invalidAt.push(index);
    }
    return text;
  }

  private batch(texts: string[], offsets: Float64Array): LineBatch | null {
    const n = texts.length;
    if (n === 0) return null;
    const firstLineNo = this.nLines + 1;
    this.nLines += n;
    if (firstLineNo === 1 && texts[0].charCodeAt(0) === 0xfeff) texts[0] = texts[0].slice(1);
    const batch: LineBatch = { firstLineNo, texts, offsets };
    if (this.truncatedAt.length) {
      batch.truncated = this.truncatedAt;
      this.truncatedAt = [];
    }
    if (this.invalidAt.length) {
      batch.invalid = this.invalidAt;
      this.invalidAt = [];
    }
    return batch;
  }
}

/** The largest end ≤ cut that does not split a UTF-8 sequence starting before cut. */
function charBoundary(b: Uint8Array, cut: number): number {
  // A sequence is at most 4 bytes long, so only the 3 bytes before the cut can start one that crosses it.
  for (let i = cut - 1; i >= 0 && i >= cut - 3; i--) {
    const x = b[i];
    if (x < 0x80) return cut;
    if (x >= 0xc0) {
      const size = x >= 0xf0 ? 4 : x >= 0xe0 ? 3 : 2;
      return i + size > cut ? i : cut;
    }
  }
  return cut;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
