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
  /** The block starts before the file's first header. */
  leading: boolean;
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
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const eol = reading.lineEnd === 'cr' ? '\r' : '\n';
  for (const block of blocks) {
    const slice = bytes.subarray(block.offset - base, block.end - base);
    // A literal alone, in a block of one-line entries: indexOf over the whole block.
    if (text?.literal && !parser && block.lines === block.entries && !block.leading) {
      const whole = decoder.decode(slice);
      const hay = text.literal.caseSensitive ? whole : whole.toLowerCase();
      const needle = text.literal.needle;
      let line = 0;
      let lineStart = 0;
      let lastLine = -1;
      for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) {
        while (true) {
          const end = hay.indexOf(eol, lineStart);
          if (end === -1 || end >= at) break;
          line++;
          lineStart = end + 1;
        }
        if (line !== lastLine && line < block.entries) {
          set(block.firstEntry + line);
          lastLine = line;
        }
      }
      continue;
    }
    const entries = entriesOf(slice, block.offset, block.firstLine, reading, block.leading);
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
