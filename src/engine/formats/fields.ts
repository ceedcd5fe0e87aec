/** Small helpers every parser uses: building ParsedFields, levels, messages. */
import { detectLevel, normalizeLevel } from '../processors/level-detect.ts';
import type { Level } from '../types.ts';
import { trimmedEnd } from './scan.ts';
import type { ParsedFields } from './types.ts';

/** All keys always present, in one order: one object shape keeps V8's property access fast. */
export function fields(
  timestamp: number | null,
  level: Level,
  levelRaw: string | null,
  component: string | null,
  pid: string | null,
  thread: string | null,
  message: string,
  extra?: Record<string, string | number>,
): ParsedFields {
  return { timestamp, level, levelRaw, component, pid, thread, message, extra };
}

/**
 * Spellings beyond LEVEL_WORDS seen in formats we parse: BGL's FAILURE is its most severe
 * level; Apache 2.4 has trace1..trace8.
 */
const MORE_WORDS: ReadonlyMap<string, Level> = new Map([
  ['failure', 'FATAL'],
  ['trace1', 'TRACE'],
  ['trace2', 'TRACE'],
  ['trace3', 'TRACE'],
  ['trace4', 'TRACE'],
  ['trace5', 'TRACE'],
  ['trace6', 'TRACE'],
  ['trace7', 'TRACE'],
  ['trace8', 'TRACE'],
]);

// A file uses a handful of spellings, so a map keyed by the raw token saves the lowercase copy
// normalizeLevel makes; bounded because a wrong format could feed it any word.
const cache = new Map<string, Level>();
const CACHE_MAX = 256;

/** The level of a token that is meant to be one; UNKNOWN when it is no level word. */
export function levelOf(raw: string): Level {
  let level = cache.get(raw);
  if (level === undefined) {
    level = normalizeLevel(raw) ?? MORE_WORDS.get(raw.toLowerCase()) ?? 'UNKNOWN';
    if (cache.size < CACHE_MAX) cache.set(raw, level);
  }
  return level;
}

/**
 * The level words text headers write most, as constants: `levelAt` compares in place and hands
 * out these strings, so the usual line allocates and hashes no level token at all.
 */
const COMMON_WORDS: readonly string[] = [
  'INFO', 'WARN', 'ERROR', 'DEBUG', 'TRACE', 'FATAL', 'WARNING', 'SEVERE', 'CRITICAL', 'NOTICE',
  'info', 'warn', 'error', 'debug', 'trace', 'fatal', 'warning', 'notice', 'Info', 'Warning', 'Error',
];
const COMMON_LEVELS: readonly Level[] = COMMON_WORDS.map((word) => levelOf(word));

/** What `levelWordAt` read. */
export const levelToken = { raw: '', level: 'UNKNOWN' as Level };

/**
 * Whether s[start..end) is a level word (three letters or more); sets `levelToken`. Common
 * spellings are matched in place without a copy.
 */
export function levelWordAt(s: string, start: number, end: number): boolean {
  const n = end - start;
  if (n < 3) return false;
  for (let k = 0; k < COMMON_WORDS.length; k++) {
    const word = COMMON_WORDS[k];
    if (word.length === n && s.startsWith(word, start)) {
      levelToken.raw = word;
      levelToken.level = COMMON_LEVELS[k];
      return true;
    }
  }
  levelToken.raw = s.slice(start, end);
  levelToken.level = levelOf(levelToken.raw);
  return levelToken.level !== 'UNKNOWN';
}

/**
 * The level of a token in a text header's level column: a word only (three letters or more),
 * so that "A" or "30" in that column does not pass for a level in a format that writes words.
 */
export function levelWord(raw: string): Level {
  return raw.length >= 3 ? levelOf(raw) : 'UNKNOWN';
}

/** A level read from free text, for formats whose header has none. */
export function levelFromMessage(message: string): Level {
  return detectLevel(message);
}

/** s[from..] with trailing whitespace trimmed (Loghub's Content is the stripped rest of the line). */
export function rest(s: string, from: number): string {
  const end = trimmedEnd(s);
  return from >= end ? '' : s.slice(from, end);
}
