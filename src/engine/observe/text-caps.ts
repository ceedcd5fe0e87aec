/**
 * Byte caps on the texts a run keeps (traced lines, error lines and messages, event fields).
 * A line may be 1 MiB and a run keeps up to 10,000 traces, 100,000 errors and 100,000 events:
 * without caps one run could hold gigabytes. With them, what a run keeps is bounded by its
 * item caps times these sizes, whatever the input (see TEXT_CAPS), and imported reports are
 * held to the same sizes (report/import.ts).
 *
 * A cut text keeps its first bytes (never half a character) and ends in a marker that says it
 * was cut and how long it was; the sections count the texts cut (`cut`).
 */

export const TEXT_CAPS = {
  /** Any one kept text, in UTF-8 bytes. */
  text: 4096,
  /** All the texts of one trace together: the line, and its text after each processor that changed it. */
  trace: 16_384,
  /** One stack frame of an error. */
  frame: 512,
} as const;

/**
 * How far a text kept by Linesight may go past its cap: the marker a cut adds. A text within it
 * is not cut again (an imported report made under the same caps stays as it is).
 */
export const CUT_MARK_SLACK = 64;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let scratch = new Uint8Array(TEXT_CAPS.trace);

/** "… [cut: 1,048,576 characters in all]": what a cut text ends with. */
export function cutMark(length: number): string {
  return `… [cut: ${length.toLocaleString('en-US')} characters in all]`;
}

/** The UTF-8 bytes of the cut mark `text` ends with, or 0. */
function markBytes(text: string): number {
  if (!text.endsWith(MARK_END)) return 0;
  const at = text.lastIndexOf(MARK_START);
  // Every character of a mark is ASCII but the ellipsis (3 bytes).
  return at < 0 ? 0 : text.length - at + 2;
}

const MARK_START = '… [cut: ';
const MARK_END = ' characters in all]';

/**
 * Counts the texts it cuts. Every text it returns is a copy of its own: a line read from a
 * chunk is a slice of the chunk's text, and keeping the slice would keep the whole chunk.
 */
export class TextCapper {
  /** Texts cut so far. */
  cut = 0;
  /** UTF-8 bytes of the text the last call kept, its cut mark aside (for budgets over several texts). */
  bytes = 0;

  /** `text` if it fits in `maxBytes` of UTF-8, else its first bytes and a cut mark. */
  keep(text: string, maxBytes: number = TEXT_CAPS.text): string {
    const { whole, written } = encode(text, maxBytes);
    const kept = decoder.decode(scratch.subarray(0, written));
    this.bytes = written;
    if (whole) return kept;
    this.cut++;
    return kept + cutMark(text.length);
  }

  /**
   * Like `keep`, but a text short enough to fit for sure is returned as it is, uncopied: for
   * texts that are not slices of a line (names, messages the engine wrote), where a copy buys nothing.
   */
  cap(text: string, maxBytes: number = TEXT_CAPS.text): string {
    return text.length * 3 <= maxBytes ? text : this.keep(text, maxBytes);
  }

  /**
   * Like `keep`, for a text that may have been kept (and cut) by Linesight already, as in an
   * imported report: one within the cap plus the mark's slack stays as it is, uncopied.
   */
  recheck(text: string, maxBytes: number = TEXT_CAPS.text): string {
    const { whole, written } = encode(text, maxBytes + CUT_MARK_SLACK);
    if (!whole) return this.keep(text, maxBytes);
    this.bytes = written - markBytes(text);
    return text;
  }
}

/** The first `maxBytes` of UTF-8 of `text` into `scratch`; `whole` when nothing was left out. */
function encode(text: string, maxBytes: number): { whole: boolean; written: number } {
  const bytes = Math.max(0, Math.floor(maxBytes));
  if (scratch.length < bytes) scratch = new Uint8Array(bytes);
  // encodeInto stops when the buffer is full, never inside a character: O(maxBytes) on any text.
  const { read, written } = encoder.encodeInto(text, scratch.subarray(0, bytes));
  return { whole: read >= text.length, written };
}
