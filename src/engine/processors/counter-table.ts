/**
 * A counter's keys, bounded in bytes whatever the input, and mergeable: the pool counts each
 * byte range of a file on its own and merges the tables in file order into exactly what one
 * counter over the whole file holds.
 */

/** What keeps a counter's memory bounded. */
export interface CounterCaps {
  /** Longest key kept, in UTF-8 bytes: a longer key is cut to this (and the cut counted). */
  keyBytes: number;
  /** UTF-8 bytes of all the keys a counter holds: once a new key does not fit, new keys count under "(other)". */
  tableBytes: number;
  /** Keys a counter holds: past this, new keys count under "(other)". */
  keys: number;
}

export const COUNTER_CAPS: Readonly<CounterCaps> = Object.freeze({ keyBytes: 1024, tableBytes: 8 * 1024 * 1024, keys: 100_000 });
export const OTHER_KEY = '(other)';

/** A counter's whole state over a stretch of the file (plain data: it crosses postMessage). */
export interface CounterTable {
  caps: CounterCaps;
  /** Keys in the order they were first seen (cut to `caps.keyBytes`), and their counts. */
  keys: string[];
  counts: number[];
  /** Records counted under "(other)": their key was new once the table was full. */
  other: number;
  /** Records whose key was longer than `caps.keyBytes` and was cut to it. */
  cut: number;
  /** UTF-8 bytes of the keys held. */
  bytes: number;
  /** The table takes no new keys any more: one did not fit. */
  full: boolean;
  /**
   * False only for a merge in which a range after the first filled its own table: keys that an
   * earlier range held and that came back after that point are in its "(other)" count instead
   * of their own (one counter over the whole file would have counted them under their keys).
   */
  exact: boolean;
}

/** What a snapshot shows of a counter: its top keys, most frequent first. */
export interface CounterSummary {
  counts: [key: string, count: number][];
  /** Keys held, "(other)" included when present: exact while the table is not full. */
  distinct: number;
  /** Records whose key was cut to the key cap; absent when none was. */
  cut?: number;
}

/** UTF-8 bytes of a string (a lone surrogate counts 3, as the U+FFFD it encodes to). */
function utf8Bytes(text: string, limit = Infinity): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Length (UTF-16 units) of the longest start of `text` within `maxBytes` of UTF-8, not splitting a character. */
function cutLength(text: string, maxBytes: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const size = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += pair ? 2 : 1;
  }
  return i;
}

/**
 * A copy of the text that shares nothing with it. A key is often a slice of its line, and
 * engines keep the whole line alive behind a slice: 300 keys cut from 1 MB lines would hold
 * 300 MB. (JSON keeps lone surrogates, which TextDecoder would replace.)
 */
function detached(text: string): string {
  return text.length < 16 ? text : JSON.parse(JSON.stringify(text));
}

export class KeyCounter {
  private readonly index = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly counts: number[] = [];
  private other = 0;
  private cut = 0;
  private bytes = 0;
  private full = false;
  private exact = true;

  constructor(readonly caps: CounterCaps = COUNTER_CAPS) {}

  /** Counts one record under `key`. */
  add(key: string): void {
    const at = this.index.get(key);
    if (at !== undefined) {
      this.counts[at]++;
      return;
    }
    // Each UTF-16 unit is 1 to 3 bytes of UTF-8: only keys that may be too long are measured.
    if (key.length * 3 > this.caps.keyBytes && (key.length > this.caps.keyBytes || utf8Bytes(key, this.caps.keyBytes) > this.caps.keyBytes)) {
      this.cut++;
      const short = key.slice(0, cutLength(key, this.caps.keyBytes));
      const known = this.index.get(short);
      if (known !== undefined) this.counts[known]++;
      else this.admit(short, 1);
      return;
    }
    this.admit(key, 1);
  }

  /** A key not held yet, of the right length: held while it fits, else counted under "(other)". */
  private admit(key: string, count: number): void {
    const bytes = utf8Bytes(key);
    if (this.full || this.keys.length >= this.caps.keys || this.bytes + bytes > this.caps.tableBytes) {
      this.full = true;
      this.other += count;
      return;
    }
    const own = detached(key);
    this.index.set(own, this.keys.length);
    this.keys.push(own);
    this.counts.push(count);
    this.bytes += bytes;
  }

  /** Adds a table that follows this one in the file (see mergeCounterStates). */
  merge(part: CounterTable, first: boolean): void {
    for (let k = 0; k < part.keys.length; k++) {
      const key = part.keys[k];
      const at = this.index.get(key);
      if (at !== undefined) this.counts[at] += part.counts[k];
      else this.admit(key, part.counts[k]);
    }
    this.other += part.other;
    this.cut += part.cut;
    // A range that filled its own table leaves the whole file's table full by then too.
    if (part.full) this.full = true;
    if (!part.exact || (part.full && !first)) this.exact = false;
  }

  table(): CounterTable {
    return {
      caps: { ...this.caps },
      keys: [...this.keys],
      counts: [...this.counts],
      other: this.other,
      cut: this.cut,
      bytes: this.bytes,
      full: this.full,
      exact: this.exact,
    };
  }

  summary(top: number): CounterSummary {
    return counterSummary(this.table(), top);
  }
}

/**
 * The tables of consecutive stretches of one file, in file order, as one table: the caps apply
 * in file order, so the result is what one counter over the whole file holds (see `exact` for
 * the one case where it cannot be).
 */
export function mergeCounterStates(parts: readonly CounterTable[]): CounterTable {
  const merged = new KeyCounter(parts[0]?.caps ?? COUNTER_CAPS);
  parts.forEach((part, i) => merged.merge(part, i === 0));
  return merged.table();
}

/** The `top` most frequent keys (ties by key), "(other)" among them when it counted anything. */
export function counterSummary(table: CounterTable, top: number): CounterSummary {
  const rows: [string, number][] = table.keys.map((key, i) => [key, table.counts[i]]);
  if (table.other > 0) {
    // A key that is literally "(other)" shares its row.
    const own = rows.find(([key]) => key === OTHER_KEY);
    if (own) own[1] += table.other;
    else rows.push([OTHER_KEY, table.other]);
  }
  const distinct = rows.length;
  rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const summary: CounterSummary = { counts: rows.slice(0, top), distinct };
  if (table.cut > 0) summary.cut = table.cut;
  return summary;
}
