import type { Level } from '../types.ts';

/**
 * Level detection from a raw line, without knowing its format.
 *
 * Mapping choices (documented in the `level` processor's reference):
 * - syslog CRITICAL/CRIT/ALERT/EMERG(ENCY) and PANIC map to FATAL, because they
 *   all mean "worse than error" and FATAL is the only level above ERROR;
 * - java.util.logging SEVERE maps to ERROR (as the SLF4J bridge does), FINE to
 *   DEBUG, FINER/FINEST to TRACE, CONFIG to INFO;
 * - syslog/Apache NOTICE maps to INFO;
 * - Android VERBOSE (V) maps to TRACE, ASSERT (A) to FATAL.
 */
export const LEVEL_WORDS: Readonly<Record<Level, readonly string[]>> = {
  TRACE: ['trace', 'finest', 'finer', 'verbose', 'trc', 'vrb'],
  DEBUG: ['debug', 'fine', 'dbg'],
  INFO: ['info', 'information', 'informational', 'notice', 'config', 'inf'],
  WARN: ['warn', 'warning', 'wrn'],
  ERROR: ['error', 'err', 'severe'],
  FATAL: ['fatal', 'critical', 'crit', 'alert', 'emerg', 'emergency', 'panic', 'ftl', 'crt'],
  UNKNOWN: [],
};

/** Lowercase level word -> level. */
const BY_WORD = new Map<string, Level>();
for (const level of Object.keys(LEVEL_WORDS) as Level[]) {
  for (const word of LEVEL_WORDS[level]) BY_WORD.set(word, level);
}

/** Single-letter levels of Android logcat and glog. */
export const LEVEL_LETTERS: ReadonlyMap<string, Level> = new Map([
  ['V', 'TRACE'],
  ['D', 'DEBUG'],
  ['I', 'INFO'],
  ['W', 'WARN'],
  ['E', 'ERROR'],
  ['F', 'FATAL'],
  ['A', 'FATAL'],
]);

/** pino/bunyan numeric levels, only trusted in a quoted JSON key. (Maps: no inherited keys.) */
const BY_NUMBER: ReadonlyMap<string, Level> = new Map([
  ['10', 'TRACE'],
  ['20', 'DEBUG'],
  ['30', 'INFO'],
  ['40', 'WARN'],
  ['50', 'ERROR'],
  ['60', 'FATAL'],
]);

/**
 * Normalises a level name ("warning", "ERR", "notice", 40, ...) to a Level, or
 * undefined when it is not one. Case-insensitive; single letters are accepted
 * because a field that is known to hold a level (JSON `levelField`) may use them.
 */
export function normalizeLevel(value: unknown): Level | undefined {
  if (typeof value === 'number') return BY_NUMBER.get(String(value));
  if (typeof value !== 'string') return undefined;
  return BY_WORD.get(value.toLowerCase()) ?? LEVEL_LETTERS.get(value.toUpperCase()) ?? BY_NUMBER.get(value);
}

// Formats whose level is a single letter in a fixed column: a letter anywhere
// else would be far too weak a hint, so only these anchored shapes count.
// logcat threadtime `03-17 16:13:38.811  1702  2395 D Tag: msg`, time `... D/Tag( 12): msg`,
// brief `D/Tag( 12): msg`, and glog `I0102 15:04:05.123456 ...`.
const LETTER_PREFIX =
  /^(?:(?:\d{4}-)?\d\d-\d\d\s+\d\d:\d\d:\d\d\.\d{3}\s+(?:\d+\s+\d+\s+([VDIWEFA])\s|([VDIWEFA])\/)|([VDIWEFA])\/[^\s(:]*\s*\(\s*\d+\):|([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6}\s)/;

// `level=warn`, `"level":"warn"`, `severity: ERROR`, `"level":30`: in a JSON or logfmt
// line the key beats any word elsewhere (a JSON message may well say "ERROR").
// Digits only count after a quoted key, so "battery level: 50" is not an error.
// The key comes first (after a lookbehind) so the engine can skip ahead to it.
const KEYED =
  /(?<![\w.-]["']?)(?:level|lvl|loglevel|log_level|levelname|severity|severity_?text)(["']?)\s*[=:]\s*(?:(["']?)([A-Za-z]+)\2(?![\w-])|(\d\d)(?!\d))/gi;

// The first level word in brackets (`[notice]`, `<warn>`, `[ERR]`; at the end of
// the brackets only in capitals, Serilog's `[15:46:53 ERR]`, because "[the last
// error]" is prose) or an all-caps word of four letters or more (`INFO`,
// `WARNING`, `SEVERE`). A lowercase word in free text ("connection error") is not
// a level.
const CAPS = [...BY_WORD.keys()]
  .filter((word) => word.length >= 4)
  .map((word) => word.toUpperCase())
  .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
const TOKEN = new RegExp(
  `[[<]\\s*([A-Za-z]{3,13})\\s*[\\]>]|\\s([A-Z]{3,13})\\]|\\b(${CAPS.join('|')})\\b`,
  'g',
);

/** All-caps level words of four letters or more (`INFO`, `WARNING`) and their levels, by length and first letter. */
const CAPS_BY_SHAPE = new Map<number, { word: string; level: Level }[]>();
for (const word of CAPS) {
  const shape = capsShape(word.length, word.charCodeAt(0));
  const words = CAPS_BY_SHAPE.get(shape) ?? [];
  words.push({ word, level: BY_WORD.get(word.toLowerCase()) as Level });
  CAPS_BY_SHAPE.set(shape, words);
}

function capsShape(length: number, firstChar: number): number {
  return length * 128 + firstChar;
}

/**
 * Detects the level of a raw log line from common spellings, or UNKNOWN.
 * In order: a single-letter level in its column (Android, glog); for a structured line
 * (JSON, logfmt) its level key; otherwise the first bracketed or all-caps level word, and
 * only when there is none, a level key further on (`app[12]: level=warn ...`).
 */
export function detectLevel(text: string): Level {
  // Most lines put their level right after a timestamp, before any other word: reading that
  // word saves the searches below, and gives the same answer (see leadingLevelWord).
  const leading = leadingLevelWord(text);
  if (leading !== undefined && !isStructured(text)) return leading;
  return searchLevel(text);
}

/** detectLevel without its shortcut: the searches in full. Exported so tests can hold the two equal. */
export function searchLevel(text: string): Level {
  const prefix = LETTER_PREFIX.exec(text);
  if (prefix !== null) {
    return LEVEL_LETTERS.get(prefix[1] ?? prefix[2] ?? prefix[3] ?? prefix[4]) as Level;
  }
  // Each search scans the line; the order keeps the common case (a level word near the
  // start of a plain line) to one short scan.
  if (isStructured(text)) return keyedLevel(text) ?? tokenLevel(text) ?? 'UNKNOWN';
  return tokenLevel(text) ?? keyedLevel(text) ?? 'UNKNOWN';
}

/** How far into a line its first word is looked for. */
const LEADING_WINDOW = 64;

/**
 * The level of a line whose first ASCII letters are an all-caps level word of four letters or
 * more (`2024-03-14 08:00:00,123 WARN [main] ...`, `[12:00:01] ERROR ...`), standing alone.
 * For a line that is not structured, searchLevel answers the same: LETTER_PREFIX needs a
 * single letter before any longer word; and no TOKEN match can start earlier than this word
 * with another word, since there are no letters before it (a bracket or space before it only
 * makes TOKEN capture this same word).
 */
function leadingLevelWord(text: string): Level | undefined {
  const end = text.length < LEADING_WINDOW ? text.length : LEADING_WINDOW;
  let at = 0;
  while (at < end && !isAsciiLetter(text.charCodeAt(at))) at++;
  if (at === end || (at > 0 && isWordChar(text.charCodeAt(at - 1)))) return undefined;
  let stop = at;
  while (stop < text.length && isUpper(text.charCodeAt(stop))) stop++;
  if (stop - at < 4 || stop - at > 13 || (stop < text.length && isWordChar(text.charCodeAt(stop)))) return undefined;
  // Compared in place: slicing the word out would allocate a string per line.
  const words = CAPS_BY_SHAPE.get(capsShape(stop - at, text.charCodeAt(at)));
  if (words !== undefined) for (const { word, level } of words) if (text.startsWith(word, at)) return level;
  return undefined;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isAsciiLetter(c: number): boolean {
  return isUpper(c) || (c >= 97 && c <= 122);
}

/** A character of a regular expression's \w (and so of \b). */
function isWordChar(c: number): boolean {
  return isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 95;
}

/** A JSON object, or logfmt (its first field is `key=value`): a message there may say "ERROR" freely. */
function isStructured(text: string): boolean {
  let start = 0;
  while (start < text.length && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  if (text.charCodeAt(start) === 123 /* { */) return true;
  // An `=` before the first space (not first): one scan that stops at the first space.
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) return false;
    if (c === 61 /* = */) return i > start;
  }
  return false;
}

function keyedLevel(text: string): Level | undefined {
  KEYED.lastIndex = 0;
  for (let m = KEYED.exec(text); m !== null; m = KEYED.exec(text)) {
    const level = m[3] !== undefined ? BY_WORD.get(m[3].toLowerCase()) : m[1] === '"' ? BY_NUMBER.get(m[4]) : undefined;
    if (level !== undefined) return level;
  }
  return undefined;
}

function tokenLevel(text: string): Level | undefined {
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const level = BY_WORD.get((m[1] ?? m[2] ?? m[3]).toLowerCase());
    if (level !== undefined) return level;
  }
  return undefined;
}
