/**
 * Searching a file's entries: a query's text and field terms compiled once, then run over the
 * blocks of the index read back from the file, in the workers. A literal (the common search) is
 * found with indexOf over a whole block; regular expressions and field terms test entry by entry.
 */
import type { ParsedFields } from '../formats/types.ts';
import { LEVELS } from '../types.ts';
import { entriesOf, readerParser, type EntryReading } from './reader.ts';
import type { FieldTerm, LogQuery } from './types.ts';

/** What a scan of the file must look for (the parts of a query the index alone cannot answer). */
export interface EntrySearch {
  search?: LogQuery['search'];
  fields?: FieldTerm[];
  unmatched?: boolean;
}

/** Blocks of the index to search, as the worker gets them (consecutive, file order). */
export interface SearchBlock {
  offset: number;
  end: number;
  /** 0-based first line and first entry of the block. */
  firstLine: number;
  firstEntry: number;
  entries: number;
  lines: number;
  /** The block's bitmap of lines that joined the entry above (bit j: line j), null when every line is an entry. */
  joins: Uint32Array | null;
}

/** Whether line j of a block joined the entry above, from the block's bitmap. */
export function joinsFrom(words: Uint32Array | null): ((line: number) => boolean) | null {
  return words === null ? null : (j) => (words[j >>> 5] & (1 << (j & 31))) !== 0;
}

/** Whether a query needs the file read (not only the index). */
export function needsScan(search: EntrySearch): boolean {
  return (search.search !== undefined && search.search.text !== '') || (search.fields?.length ?? 0) > 0 || search.unmatched === true;
}

/** A compiled search text: finds its matches in a text. */
export interface TextMatcher {
  /** [start, end) pairs of every match, flattened. */
  marks(text: string): number[];
  test(text: string): boolean;
  /** The literal (lowercased when case-insensitive) when the search is one: found over whole blocks. */
  literal: { needle: string; caseSensitive: boolean } | null;
}

/** Compiles a search text; throws an Error with a user's message when the pattern is refused. */
export function compileText(search: NonNullable<LogQuery['search']>): TextMatcher {
  const { text, regex, caseSensitive } = search;
  if (!regex) {
    const needle = caseSensitive ? text : text.toLowerCase();
    const fold = caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();
    return {
      literal: needle.includes('\n') || needle.includes('\r') ? null : { needle, caseSensitive },
      test: (s) => fold(s).includes(needle),
      marks: (s) => {
        const hay = fold(s);
        const out: number[] = [];
        if (needle === '') return out;
        for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) out.push(at, at + needle.length);
        return out;
      },
    };
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(text, caseSensitive ? 'g' : 'gi');
  } catch (error) {
    throw new Error(`This regular expression is not valid: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`);
  }
  const once = new RegExp(pattern.source, caseSensitive ? '' : 'i');
  return {
    literal: null,
    test: (s) => once.test(s),
    marks: (s) => {
      const out: number[] = [];
      pattern.lastIndex = 0;
      for (let m = pattern.exec(s); m !== null; m = pattern.exec(s)) {
        if (m[0] === '') {
          pattern.lastIndex++;
          continue;
        }
        out.push(m.index, m.index + m[0].length);
      }
      return out;
    },
  };
}

/** A field term as a test on an entry's parsed fields. */
export function compileField(term: FieldTerm): (fields: ParsedFields) => boolean {
  const name = term.field.toLowerCase();
  const want = term.value;
  const wantNumber = Number(want);
  const numeric = want.trim() !== '' && Number.isFinite(wantNumber);
  const read = (fields: ParsedFields): unknown => {
    if (name === 'level') return fields.level;
    if (name === 'component' || name === 'logger') return fields.component;
    if (name === 'pid') return fields.pid;
    if (name === 'thread') return fields.thread;
    if (name === 'message' || name === 'msg') return fields.message;
    if (name === 'levelraw') return fields.levelRaw;
    const extra = fields.extra;
    if (!extra) return undefined;
    if (term.field in extra) return extra[term.field];
    for (const key in extra) if (key.toLowerCase() === name) return extra[key];
    return undefined;
  };
  const level = name === 'level' ? normaliseLevel(want) : null;
  return (fields) => {
    const value = read(fields);
    if (value === undefined || value === null) return term.op === '!=';
    if (level !== null && (term.op === '=' || term.op === '!=')) return (value === level) === (term.op === '=');
    const text = String(value);
    if (term.op === '=') return text.toLowerCase() === want.toLowerCase();
    if (term.op === '!=') return text.toLowerCase() !== want.toLowerCase();
    const n = typeof value === 'number' ? value : Number(text);
    if (!numeric || !Number.isFinite(n)) return false;
    switch (term.op) {
      case '<':
        return n < wantNumber;
      case '<=':
        return n <= wantNumber;
      case '>':
        return n > wantNumber;
      case '>=':
        return n >= wantNumber;
    }
  };
}

/** "error", "Err", "WARNING" → the engine's level names; unknown words stay as written (upper case). */
function normaliseLevel(text: string): string {
  const upper = text.trim().toUpperCase();
  if ((LEVELS as readonly string[]).includes(upper)) return upper;
  const aliases: Record<string, string> = { WARNING: 'WARN', ERR: 'ERROR', CRITICAL: 'FATAL', CRIT: 'FATAL', NOTICE: 'INFO', INFORMATION: 'INFO', DBG: 'DEBUG', TRC: 'TRACE' };
  return aliases[upper] ?? upper;
}

/**
 * The entries of `blocks` (read from `bytes`, the file from blocks[0].offset) that the search
 * keeps: a bitset whose bit i is entry `first` + i (`first` a multiple of 32).
 */
export function searchBlocks(
  bytes: Uint8Array,
  blocks: readonly SearchBlock[],
  reading: EntryReading,
  search: EntrySearch,
): { first: number; bits: Uint32Array } {
  const first = (blocks[0]?.firstEntry ?? 0) & ~31;
  const last = blocks.length ? blocks[blocks.length - 1].firstEntry + blocks[blocks.length - 1].entries : first;
  const bits = new Uint32Array(Math.ceil((last - first) / 32) + 1);
  const set = (entry: number) => {
    const i = entry - first;
    bits[i >>> 5] |= 1 << (i & 31);
  };
  const text = search.search && search.search.text !== '' ? compileText(search.search) : null;
  const fields = (search.fields ?? []).map(compileField);
  const parser = fields.length || search.unmatched ? readerParser(reading) : null;
  const base = blocks[0]?.offset ?? 0;
  const eolByte = reading.lineEnd === 'cr' ? 13 : 10;
  const literalBytes = text?.literal ? asciiFinder(text.literal.needle, text.literal.caseSensitive) : null;
  for (const block of blocks) {
    const slice = bytes.subarray(block.offset - base, block.end - base);
    // A literal alone: found in the block's bytes, each match placed on its line, the line on its entry.
    if (literalBytes && !parser) {
      const joins = block.joins;
      let line = 0;
      let entry = 0;
      let lineStart = 0;
      let lastEntry = -1;
      for (let at = literalBytes.find(slice, 0); at !== -1; at = literalBytes.find(slice, at + 1)) {
        while (true) {
          const end = slice.indexOf(eolByte, lineStart);
          if (end === -1 || end >= at) break;
          line++;
          // A line that joined the entry above starts no entry of its own.
          if (joins === null || (joins[line >>> 5] & (1 << (line & 31))) === 0) entry++;
          lineStart = end + 1;
        }
        if (entry !== lastEntry && entry < block.entries) {
          set(block.firstEntry + entry);
          lastEntry = entry;
          // The rest of this line cannot add a match to this entry: skip to its end.
          const end = slice.indexOf(eolByte, at);
          if (end === -1) break;
          at = end;
        }
      }
      continue;
    }
    const entries = entriesOf(slice, block.offset, block.firstLine, reading, joinsFrom(block.joins));
    for (let k = 0; k < entries.length && k < block.entries; k++) {
      const entry = entries[k];
      if (text && !text.test(entry.text)) continue;
      if (parser) {
        const before = parser.unmatched;
        const parsed = parser.parse(entry.text);
        if (search.unmatched && parser.unmatched === before) continue;
        if (!fields.every((f) => f(parsed))) continue;
      }
      set(block.firstEntry + k);
    }
  }
  return { first, bits };
}

/**
 * Finds an ASCII text in bytes (its first byte by the native indexOf, then the rest compared,
 * letters folded when case does not matter): no decoding, for the common literal search.
 * Null for a text with other characters (it is searched in decoded text).
 */
export function asciiFinder(needle: string, caseSensitive: boolean): { find(bytes: Uint8Array, from: number): number } | null {
  if (needle.length === 0) return null;
  const codes = new Uint8Array(needle.length);
  for (let i = 0; i < needle.length; i++) {
    const c = needle.charCodeAt(i);
    if (c > 0x7e || c === 10 || c === 13) return null;
    codes[i] = caseSensitive ? c : lower(c);
  }
  const n = codes.length;
  // Look for the needle's rarest byte (by how often it is in log text), then compare the rest.
  let anchor = 0;
  for (let i = 1; i < n; i++) if (commonness(codes[i]) < commonness(codes[anchor])) anchor = i;
  const a = codes[anchor];
  const aUpper = !caseSensitive && a >= 97 && a <= 122 ? a - 32 : -1;
  const matchesAt = (bytes: Uint8Array, at: number): boolean => {
    if (at < 0 || at + n > bytes.length) return false;
    for (let k = 0; k < n; k++) {
      const b = bytes[at + k];
      if ((caseSensitive ? b : lower(b)) !== codes[k]) return false;
    }
    return true;
  };
  if (aUpper < 0) {
    return {
      find(bytes, from) {
        for (let at = bytes.indexOf(a, from + anchor); at !== -1; at = bytes.indexOf(a, at + 1)) if (matchesAt(bytes, at - anchor)) return at - anchor;
        return -1;
      },
    };
  }
  return {
    find(bytes, from) {
      // The next place either case of the anchor letter is, tried in order.
      let lo = bytes.indexOf(a, from + anchor);
      let up = bytes.indexOf(aUpper, from + anchor);
      while (lo !== -1 || up !== -1) {
        const at = up === -1 || (lo !== -1 && lo < up) ? lo : up;
        if (matchesAt(bytes, at - anchor)) return at - anchor;
        if (at === lo) lo = bytes.indexOf(a, at + 1);
        else up = bytes.indexOf(aUpper, at + 1);
      }
      return -1;
    },
  };
}

/** How common an (ASCII, lowercased) byte is in log text: letters by English frequency, space and digits most. */
function commonness(c: number): number {
  if (c === 32) return 100;
  if (c >= 48 && c <= 57) return 60;
  const at = 'etaoinsrhldcumfpgwybvkxjqz'.indexOf(String.fromCharCode(c));
  if (at !== -1) return 50 - at;
  if (c >= 65 && c <= 90) return 10;
  // Punctuation: some common in logs (.:-/,=), the rest rare.
  return '.:-/,=_[]()'.includes(String.fromCharCode(c)) ? 40 : 5;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
