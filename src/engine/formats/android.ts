/** Android logcat: `threadtime` (the default of `adb logcat`, Loghub's Android), `time` and `brief`. */
import { LEVEL_LETTERS } from '../processors/level-detect.ts';
import type { Level } from '../types.ts';
import { fields, rest } from './fields.ts';
import { componentColon, d2, d4, digitsEnd, isDigit, skipSpaces } from './scan.ts';
import { civil, clock, cursor, validDate, yearless } from './time.ts';
import type { LogFormat, ParseContext, ParsedFields } from './types.ts';

/** The stamp read by `readStamp`; turned into epoch ms only once the whole header matched. */
const stamp = { year: -1, month: 0, day: 0, ms: 0 };

/**
 * `[yyyy-]MM-dd HH:mm:ss.SSS` at 0 (`logcat -v year` adds the year) into `stamp`: false if absent.
 * The year-less conversion is left for later because it moves the context's year state on.
 */
function readStamp(s: string): boolean {
  let i = 0;
  stamp.year = -1;
  if (s.charCodeAt(4) === 45) {
    stamp.year = d4(s, 0);
    if (stamp.year < 0) return false;
    i = 5;
  }
  stamp.month = d2(s, i);
  stamp.day = d2(s, i + 3);
  if (s.charCodeAt(i + 2) !== 45 || s.charCodeAt(i + 5) !== 32) return false;
  if (!validDate(stamp.year < 0 ? 2000 : stamp.year, stamp.month, stamp.day)) return false;
  stamp.ms = clock(s, i + 6);
  return stamp.ms >= 0;
}

function epoch(ctx: ParseContext): number {
  const { year, month, day, ms } = stamp;
  return year < 0 ? yearless(month, day, ms, NaN, ctx.time) : civil(year, month, day, ms, NaN, ctx.time);
}

function letterLevel(c: number): Level | undefined {
  return LEVEL_LETTERS.get(String.fromCharCode(c));
}

/** The tag ends at its colon; logcat pads short tags with blanks before it. */
function trimTag(s: string, start: number, end: number): string {
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  return s.slice(start, end);
}

/** logcat prints `--------- beginning of main` between buffers: an entry of its own. */
function marker(s: string): ParsedFields | null {
  return s.startsWith('--------- ') ? fields(null, 'UNKNOWN', null, null, null, null, rest(s, 0)) : null;
}

/** threadtime: `MM-dd HH:mm:ss.SSS  pid  tid L tag: message`. */
function parseThreadtime(s: string, ctx: ParseContext): ParsedFields | null {
  if (!isDigit(s.charCodeAt(0))) return marker(s);
  if (!readStamp(s)) return null;
  const pidStart = skipSpaces(s, cursor.pos);
  const pidEnd = digitsEnd(s, pidStart);
  if (pidEnd === pidStart || pidStart === cursor.pos) return null;
  const tidStart = skipSpaces(s, pidEnd);
  const tidEnd = digitsEnd(s, tidStart);
  if (tidEnd === tidStart || tidStart === pidEnd) return null;
  const at = skipSpaces(s, tidEnd);
  const c = s.charCodeAt(at);
  const level = letterLevel(c);
  if (level === undefined || at === tidEnd || s.charCodeAt(at + 1) !== 32) return null;
  const tagStart = skipSpaces(s, at + 1);
  const colon = componentColon(s, tagStart);
  if (colon < 0) return null;
  return fields(epoch(ctx), level, s[at], trimTag(s, tagStart, colon), s.slice(pidStart, pidEnd), s.slice(tidStart, tidEnd), rest(s, skipSpaces(s, colon + 1)));
}

export const logcatThreadtime: LogFormat = {
  id: 'logcat-threadtime',
  name: 'Android logcat (threadtime)',
  description: 'MM-dd HH:mm:ss.SSS pid tid L tag: message (adb logcat default, -v threadtime)',
  family: 'android',
  hasHeaders: false,
  sample: '03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening app wtoken = AppWindowToken{9f4ef63}',
  parse: parseThreadtime,
};

/** `L/tag( pid): message` at i, after the stamp in `stamp` (ctx) or without one (brief: null). */
function levelTagPid(s: string, i: number, ctx: ParseContext | null): ParsedFields | null {
  const level = letterLevel(s.charCodeAt(i));
  if (level === undefined || s.charCodeAt(i + 1) !== 47 /* / */) return null;
  const open = s.indexOf('(', i + 2);
  if (open < 0) return null;
  const pidStart = skipSpaces(s, open + 1);
  const pidEnd = digitsEnd(s, pidStart);
  if (pidEnd === pidStart || s.charCodeAt(pidEnd) !== 41 || s.charCodeAt(pidEnd + 1) !== 58) return null;
  return fields(ctx === null ? null : epoch(ctx), level, s[i], trimTag(s, i + 2, open), s.slice(pidStart, pidEnd), null, rest(s, skipSpaces(s, pidEnd + 2)));
}

export const logcatTime: LogFormat = {
  id: 'logcat-time',
  name: 'Android logcat (time)',
  description: 'MM-dd HH:mm:ss.SSS L/tag( pid): message (adb logcat -v time)',
  family: 'android',
  hasHeaders: false,
  sample: '03-17 16:13:38.811 D/WindowManager( 1702): printFreezingDisplayLogsopening app',
  parse(line, ctx) {
    if (!isDigit(line.charCodeAt(0))) return marker(line);
    if (!readStamp(line) || line.charCodeAt(cursor.pos) !== 32) return null;
    return levelTagPid(line, skipSpaces(line, cursor.pos), ctx);
  },
};

export const logcatBrief: LogFormat = {
  id: 'logcat-brief',
  name: 'Android logcat (brief)',
  description: 'L/tag( pid): message (adb logcat -v brief, no timestamp)',
  family: 'android',
  hasHeaders: false,
  sample: 'D/WindowManager( 1702): printFreezingDisplayLogsopening app',
  parse: (line) => levelTagPid(line, 0, null) ?? marker(line),
};
