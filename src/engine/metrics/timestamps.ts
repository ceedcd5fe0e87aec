/**
 * Finds a line's timestamp, for the levels-over-time chart and per-minute alert rules.
 *
 * Called once per line on the hot path, so it never runs a regular expression: it looks at
 * token starts in the first START_WINDOW characters with `charCodeAt`, tries the layout that
 * matched the previous line at the position where it matched first (a file keeps one layout),
 * and only then the others. Layouts (see TIMESTAMP_LAYOUTS):
 *
 * - `iso`: `2024-03-14T08:00:00.123Z`, `+02:00`, `+0200`, no zone, `2024-03-14 08:00:00,123`,
 *   `2024/03/14 08:00:00`, BGL's `2005-06-03-15.42.50.675872`
 * - `yymmdd`: HDFS `081109 203615`
 * - `yy/mm/dd`: Spark and Hadoop log4j `17/06/09 20:10:40`
 * - `mm-dd` (year-less): Android `03-17 16:13:38.811`, Proxifier `[10.30 16:49:06]`
 * - `syslog`: `Mar 14 08:00:00` (year-less; Linux, Mac, OpenSSH), and with a weekday and a
 *   trailing year, ctime and Apache's error log `[Sun Dec 04 04:47:44 2005]`
 * - `epoch`: a 10-digit number of seconds (optionally with a fraction) or 13-digit number of
 *   milliseconds standing alone as a token (BGL, HPC, JSON `"ts":1710403200.5`)
 * - `dd/mon/yyyy`: Apache access `[10/Oct/2000:13:55:36 -0700]`, `14-Mar-2024 08:00:00.123`
 *
 * The time zone written in the line wins; otherwise the context's offset applies (0 = UTC).
 * Year-less layouts take the context's year and move it on when the months go backwards by
 * more than a day (Dec 31 → Jan 1), not when a late line steps back a little across a month
 * boundary. Sub-millisecond digits are truncated. Two-digit years are 2000–2069 or 1970–1999.
 */
import { d2, d4, isDigit } from '../formats/scan.ts';

export interface TimestampContext {
  /** The year of year-less layouts (syslog, Android, Proxifier); moves on at a year's end. */
  year: number;
  /** Minutes east of UTC for timestamps written without a zone (e.g. 120 for UTC+2). */
  timeZoneOffsetMinutes: number;
  /** Month (1–12) of the latest year-less timestamp, 0 before the first. */
  lastMonth: number;
  /** The latest year-less timestamp (local ms), to tell a new year from a line a bit late. */
  lastYearlessMs: number;
  /** The layout (index in TIMESTAMP_LAYOUTS) that matched the last line, -1 before the first. */
  layout: number;
  /** Where in the line it matched. */
  start: number;
}

export const TIMESTAMP_LAYOUTS = ['iso', 'yymmdd', 'yy/mm/dd', 'mm-dd', 'syslog', 'epoch', 'dd/mon/yyyy'] as const;
export type TimestampLayout = (typeof TIMESTAMP_LAYOUTS)[number];

const ISO = 0;
const YYMMDD = 1;
const YY_SLASH = 2;
const MONTH_DAY = 3;
const SYSLOG = 4;
const EPOCH = 5;
const DMY = 6;

/** Timestamps start within this many characters (HPC's epoch is the fifth field, at up to 63). */
export const START_WINDOW = 64;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How late a line may be and still count as late rather than a year away. */
const LATE_MS = 7 * DAY_MS;
/** Epochs accepted: 2001-09-09 (the first 10-digit second) to 2100-01-01. */
const MAX_EPOCH_S = 4_102_444_800;
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function createTimestampContext(options: { year?: number; timeZoneOffsetMinutes?: number } = {}): TimestampContext {
  return {
    year: options.year ?? new Date().getUTCFullYear(),
    timeZoneOffsetMinutes: options.timeZoneOffsetMinutes ?? 0,
    lastMonth: 0,
    lastYearlessMs: NaN,
    layout: -1,
    start: 0,
  };
}

/** The name of the layout that matched last (for tests and diagnostics). */
export function lastLayout(context: TimestampContext): TimestampLayout | null {
  return context.layout >= 0 ? TIMESTAMP_LAYOUTS[context.layout] : null;
}

/** The line's timestamp as epoch milliseconds, or null when none of the layouts is found. */
export function extractTimestamp(text: string, context: TimestampContext): number | null {
  const cached = context.layout;
  if (cached >= 0) {
    const at = context.start;
    if (at < text.length && (at === 0 || isDelimiter(text.charCodeAt(at - 1)))) {
      const t = parseLayout(cached, text, at, context);
      if (t === t) return t;
    }
  }
  const end = text.length < START_WINDOW ? text.length : START_WINDOW;
  for (let i = 0; i < end; i++) {
    if (i > 0 && !isDelimiter(text.charCodeAt(i - 1))) continue;
    const c = text.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    if (!digit && !(c >= 65 && c <= 90)) continue;
    if (cached >= 0) {
      const t = parseLayout(cached, text, i, context);
      if (t === t) return found(context, cached, i, t);
    }
    if (digit) {
      const n = digitRun(text, i);
      let layout = -1;
      if (n === 4) layout = ISO;
      else if (n === 2) {
        const sep = text.charCodeAt(i + 2);
        if (sep === 47 /* / */ && isDigit(text.charCodeAt(i + 3))) layout = text.charCodeAt(i + 5) === 47 ? YY_SLASH : MONTH_DAY;
        else if (isLetter(text.charCodeAt(i + 3))) layout = DMY;
        else layout = MONTH_DAY;
      } else if (n === 6) layout = YYMMDD;
      else if (n === 10 || n === 13) layout = EPOCH;
      if (layout >= 0 && layout !== cached) {
        const t = parseLayout(layout, text, i, context);
        if (t === t) return found(context, layout, i, t);
      }
    } else if (cached !== SYSLOG) {
      const t = parseLayout(SYSLOG, text, i, context);
      if (t === t) return found(context, SYSLOG, i, t);
    }
  }
  return null;
}

function found(context: TimestampContext, layout: number, start: number, t: number): number {
  context.layout = layout;
  context.start = start;
  return t;
}

/** Epoch ms, or NaN when the layout is not at `i`. */
function parseLayout(layout: number, s: string, i: number, ctx: TimestampContext): number {
  switch (layout) {
    case ISO:
      return parseIso(s, i, ctx);
    case YYMMDD:
      return parseYymmdd(s, i, ctx);
    case YY_SLASH:
      return parseYySlash(s, i, ctx);
    case MONTH_DAY:
      return parseMonthDay(s, i, ctx);
    case SYSLOG:
      return parseSyslog(s, i, ctx);
    case EPOCH:
      return parseEpoch(s, i);
    case DMY:
      return parseDmy(s, i, ctx);
  }
  return NaN;
}

// ---- scratch state: where the last sub-parse ended and the zone it read (no allocation) ----
const scratch = { pos: 0, zoneMinutes: NaN };

/** `YYYY-MM-DD[T| |-]HH:MM:SS[.frac][zone]`; date separators `-`, `/`, `.`. */
function parseIso(s: string, i: number, ctx: TimestampContext): number {
  const year = d4(s, i);
  if (year < 0) return NaN;
  const sep = s.charCodeAt(i + 4);
  if (sep !== 45 && sep !== 47 && sep !== 46) return NaN;
  const month = d2(s, i + 5);
  if (s.charCodeAt(i + 7) !== sep) return NaN;
  const day = d2(s, i + 8);
  if (!validDate(year, month, day)) return NaN;
  const t = s.charCodeAt(i + 10);
  // 'T', ' ', or BGL's '-' before a dotted time
  if (t !== 84 && t !== 32 && t !== 45 && t !== 116) return NaN;
  const ms = parseTime(s, i + 11);
  if (ms < 0) return NaN;
  parseZone(s, scratch.pos);
  return toEpoch(year, month, day, ms, ctx);
}

/** HDFS: `yyMMdd HHmmss`. */
function parseYymmdd(s: string, i: number, ctx: TimestampContext): number {
  if (s.charCodeAt(i + 6) !== 32) return NaN;
  const yy = d2(s, i);
  const month = d2(s, i + 2);
  const day = d2(s, i + 4);
  const h = d2(s, i + 7);
  const m = d2(s, i + 9);
  const sec = d2(s, i + 11);
  if (yy < 0 || h < 0 || m < 0 || sec < 0 || isDigit(s.charCodeAt(i + 13))) return NaN;
  const year = twoDigitYear(yy);
  if (!validDate(year, month, day) || h > 23 || m > 59 || sec > 60) return NaN;
  scratch.zoneMinutes = NaN;
  return toEpoch(year, month, day, ((h * 60 + m) * 60 + sec) * 1000, ctx);
}

/** log4j `yy/MM/dd HH:mm:ss`. */
function parseYySlash(s: string, i: number, ctx: TimestampContext): number {
  if (s.charCodeAt(i + 2) !== 47 || s.charCodeAt(i + 5) !== 47) return NaN;
  const yy = d2(s, i);
  const month = d2(s, i + 3);
  const day = d2(s, i + 6);
  const t = s.charCodeAt(i + 8);
  if (yy < 0 || (t !== 32 && t !== 84)) return NaN;
  const year = twoDigitYear(yy);
  if (!validDate(year, month, day)) return NaN;
  const ms = parseTime(s, i + 9);
  if (ms < 0) return NaN;
  parseZone(s, scratch.pos);
  return toEpoch(year, month, day, ms, ctx);
}

/** Year-less `MM-DD HH:mm:ss.SSS` (Android) or `MM.DD HH:mm:ss` (Proxifier), also `MM/DD`. */
function parseMonthDay(s: string, i: number, ctx: TimestampContext): number {
  const sep = s.charCodeAt(i + 2);
  if ((sep !== 45 && sep !== 46 && sep !== 47) || isDigit(s.charCodeAt(i - 1))) return NaN;
  const month = d2(s, i);
  const day = d2(s, i + 3);
  if (s.charCodeAt(i + 5) !== 32 || !validDate(2000, month, day)) return NaN;
  const ms = parseTime(s, i + 6);
  if (ms < 0) return NaN;
  parseZone(s, scratch.pos);
  return yearless(month, day, ms, scratch.zoneMinutes, ctx);
}

/** `[Www ]Mmm d HH:mm:ss[.SSS][ yyyy]`: syslog (year-less) and ctime. */
function parseSyslog(s: string, i: number, ctx: TimestampContext): number {
  let month = monthAt(s, i);
  if (month === 0) {
    if (!isWeekday(s, i) || s.charCodeAt(i + 3) !== 32) return NaN;
    i += 4;
    month = monthAt(s, i);
    if (month === 0) return NaN;
  }
  if (s.charCodeAt(i + 3) !== 32) return NaN;
  let j = i + 4;
  if (s.charCodeAt(j) === 32) j++; // space-padded day: "Jul  1"
  let day = digit(s, j);
  if (day < 0) return NaN;
  j++;
  const d2 = digit(s, j);
  if (d2 >= 0) {
    day = day * 10 + d2;
    j++;
  }
  if (s.charCodeAt(j) !== 32 || !validDate(2000, month, day)) return NaN;
  const ms = parseTime(s, j + 1);
  if (ms < 0) return NaN;
  j = scratch.pos;
  scratch.zoneMinutes = NaN;
  if (s.charCodeAt(j) === 32) {
    const year = d4(s, j + 1);
    if (year >= 0 && !isDigit(s.charCodeAt(j + 5))) {
      if (!validDate(year, month, day)) return NaN;
      return toEpoch(year, month, day, ms, ctx);
    }
  }
  return yearless(month, day, ms, scratch.zoneMinutes, ctx);
}

/** 10-digit seconds (optionally `.fraction`) or 13-digit milliseconds, alone as a token. */
function parseEpoch(s: string, i: number): number {
  const n = digitRun(s, i);
  let value = 0;
  for (let k = 0; k < n; k++) value = value * 10 + (s.charCodeAt(i + k) - 48);
  let j = i + n;
  let ms: number;
  if (n === 10) {
    if (value < 1e9 || value > MAX_EPOCH_S) return NaN;
    ms = value * 1000;
    if (s.charCodeAt(j) === 46 && isDigit(s.charCodeAt(j + 1))) {
      ms += fractionMs(s, j + 1, scratch);
      j = scratch.pos;
    }
  } else if (n === 13) {
    if (value < 1e12 || value > MAX_EPOCH_S * 1000) return NaN;
    ms = value;
  } else return NaN;
  const next = s.charCodeAt(j);
  if (isDigit(next) || isLetter(next) || next === 95 /* _ */ || next === 46 /* . */) return NaN;
  return ms;
}

/** `dd/Mon/yyyy:HH:mm:ss zone` (Apache access), `dd-Mon-yyyy HH:mm:ss.SSS`, `dd Mon yyyy HH:mm:ss`. */
function parseDmy(s: string, i: number, ctx: TimestampContext): number {
  const day = d2(s, i);
  const sep = s.charCodeAt(i + 2);
  if (day < 0 || (sep !== 47 && sep !== 45 && sep !== 32)) return NaN;
  const month = monthAt(s, i + 3);
  if (month === 0 || s.charCodeAt(i + 6) !== sep) return NaN;
  const year = d4(s, i + 7);
  const t = s.charCodeAt(i + 11);
  if (year < 0 || (t !== 58 && t !== 32) || !validDate(year, month, day)) return NaN;
  const ms = parseTime(s, i + 12);
  if (ms < 0) return NaN;
  parseZone(s, scratch.pos);
  return toEpoch(year, month, day, ms, ctx);
}

/** `HH:mm:ss[.frac|,frac]` (or dotted `HH.mm.ss`): ms of the day, -1 if absent; sets `scratch.pos`. */
function parseTime(s: string, i: number): number {
  const h = d2(s, i);
  const sep = s.charCodeAt(i + 2);
  if (h < 0 || h > 23 || (sep !== 58 && sep !== 46)) return -1;
  const m = d2(s, i + 3);
  if (m < 0 || m > 59 || s.charCodeAt(i + 5) !== sep) return -1;
  const sec = d2(s, i + 6);
  if (sec < 0 || sec > 60 || isDigit(s.charCodeAt(i + 8))) return -1;
  let ms = ((h * 60 + m) * 60 + sec) * 1000;
  scratch.pos = i + 8;
  const f = s.charCodeAt(scratch.pos);
  if ((f === 46 || f === 44) && isDigit(s.charCodeAt(scratch.pos + 1))) ms += fractionMs(s, scratch.pos + 1, scratch);
  return ms;
}

/**
 * The first three digits of a fraction as ms; consumes all its digits: `end.pos` goes past them
 * (this module's scratch, or formats/' cursor). Shared with formats/.
 */
export function fractionMs(s: string, i: number, end: { pos: number }): number {
  let ms = 0;
  let k = 0;
  while (isDigit(s.charCodeAt(i + k))) {
    if (k < 3) ms = ms * 10 + (s.charCodeAt(i + k) - 48);
    k++;
  }
  for (let p = k; p < 3; p++) ms *= 10;
  end.pos = i + k;
  return ms;
}

/**
 * A zone right after the time: `Z`, `±HH:MM`, `±HHMM`, `±HH`, or after one space `±HHMM`,
 * `±HH:MM`, `UTC`, `GMT`. Sets `scratch.zoneMinutes` (NaN when none).
 */
function parseZone(s: string, i: number): void {
  scratch.zoneMinutes = NaN;
  let c = s.charCodeAt(i);
  if (c === 90 /* Z */ && !isLetter(s.charCodeAt(i + 1))) {
    scratch.zoneMinutes = 0;
    return;
  }
  let spaced = false;
  if (c === 32) {
    spaced = true;
    i++;
    c = s.charCodeAt(i);
    if ((c === 85 && s.charCodeAt(i + 1) === 84 && s.charCodeAt(i + 2) === 67) || (c === 71 && s.charCodeAt(i + 1) === 77 && s.charCodeAt(i + 2) === 84)) {
      if (!isLetter(s.charCodeAt(i + 3))) scratch.zoneMinutes = 0;
      return;
    }
  }
  if (c !== 43 && c !== 45) return;
  const h = d2(s, i + 1);
  if (h < 0 || h > 14) return;
  let m = 0;
  let next: number;
  if (s.charCodeAt(i + 3) === 58) {
    m = d2(s, i + 4);
    next = i + 6;
  } else if (isDigit(s.charCodeAt(i + 3))) {
    m = d2(s, i + 3);
    next = i + 5;
  } else {
    if (spaced) return; // " -07" is too easily a field ("- 12 ..."): require minutes after a space
    next = i + 3;
  }
  if (m < 0 || m > 59 || isDigit(s.charCodeAt(next))) return;
  scratch.zoneMinutes = (c === 45 ? -1 : 1) * (h * 60 + m);
}

function toEpoch(year: number, month: number, day: number, msOfDay: number, ctx: TimestampContext): number {
  const local = daysFromCivil(year, month, day) * DAY_MS + msOfDay;
  const offset = scratch.zoneMinutes === scratch.zoneMinutes ? scratch.zoneMinutes : ctx.timeZoneOffsetMinutes;
  return local - offset * MINUTE_MS;
}

/**
 * Year-less (syslog, logcat, glog, Proxifier): the context's year, moved on when the months go
 * backwards by more than a day; a line up to a week late across the year's end keeps the year
 * before. `zoneMinutes` NaN means "as written in the context's zone". Shared with formats/.
 */
export function yearless(month: number, day: number, msOfDay: number, zoneMinutes: number, ctx: TimestampContext): number {
  let local = daysFromCivil(ctx.year, month, day) * DAY_MS + msOfDay;
  const last = ctx.lastYearlessMs;
  if (month < ctx.lastMonth && local < last - DAY_MS) {
    ctx.year++;
    local = daysFromCivil(ctx.year, month, day) * DAY_MS + msOfDay;
  } else if (month > ctx.lastMonth && local > last + LATE_MS) {
    // A line a bit late from just before the year's end (Dec 31 after Jan 1): last year's, and
    // it must not move the latest month on, or the next January line would roll the year again.
    const previous = daysFromCivil(ctx.year - 1, month, day) * DAY_MS + msOfDay;
    if (previous > last - LATE_MS) local = previous;
  }
  if (!(local <= last)) {
    ctx.lastYearlessMs = local;
    ctx.lastMonth = month;
  }
  const offset = zoneMinutes === zoneMinutes ? zoneMinutes : ctx.timeZoneOffsetMinutes;
  return local - offset * MINUTE_MS;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** A calendar date that exists (Feb 29 in leap years only). Shared with formats/. */
export function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month]) return false;
  return month !== 2 || day < 29 || isLeap(year);
}

function twoDigitYear(yy: number): number {
  return yy < 70 ? 2000 + yy : 1900 + yy;
}

/** Characters after which a timestamp may start. */
function isDelimiter(c: number): boolean {
  switch (c) {
    case 32: // space
    case 9: // tab
    case 91: // [
    case 40: // (
    case 60: // <
    case 62: // >
    case 123: // {
    case 34: // "
    case 39: // '
    case 61: // =
    case 44: // ,
    case 58: // :
    case 124: // |
    case 59: // ;
      return true;
  }
  return false;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57 ? c - 48 : -1;
}

/** Length of the run of digits at i (capped at 14: longer runs are no timestamp we know). */
function digitRun(s: string, i: number): number {
  let n = 0;
  while (n < 14 && isDigit(s.charCodeAt(i + n))) n++;
  return n;
}

/** 1–12 for a three-letter English month name at i (any case), else 0. */
export function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i) | 32;
  const b = s.charCodeAt(i + 1) | 32;
  const c = s.charCodeAt(i + 2) | 32;
  switch (a) {
    case 106: // j
      if (b === 97 && c === 110) return 1;
      if (b === 117) return c === 110 ? 6 : c === 108 ? 7 : 0;
      return 0;
    case 102: // f
      return b === 101 && c === 98 ? 2 : 0;
    case 109: // m
      return b === 97 ? (c === 114 ? 3 : c === 121 ? 5 : 0) : 0;
    case 97: // a
      return b === 112 && c === 114 ? 4 : b === 117 && c === 103 ? 8 : 0;
    case 115: // s
      return b === 101 && c === 112 ? 9 : 0;
    case 111: // o
      return b === 99 && c === 116 ? 10 : 0;
    case 110: // n
      return b === 111 && c === 118 ? 11 : 0;
    case 100: // d
      return b === 101 && c === 99 ? 12 : 0;
  }
  return 0;
}

function isWeekday(s: string, i: number): boolean {
  const a = s.charCodeAt(i) | 32;
  const b = s.charCodeAt(i + 1) | 32;
  const c = s.charCodeAt(i + 2) | 32;
  switch (a) {
    case 109: // mon
      return b === 111 && c === 110;
    case 116: // tue thu
      return (b === 117 && c === 101) || (b === 104 && c === 117);
    case 119: // wed
      return b === 101 && c === 100;
    case 102: // fri
      return b === 114 && c === 105;
    case 115: // sat sun
      return (b === 97 && c === 116) || (b === 117 && c === 110);
  }
  return false;
}
