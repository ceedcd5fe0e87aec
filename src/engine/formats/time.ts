/**
 * Positional timestamp parsing for format parsers. Unlike `extractTimestamp` (which searches a
 * line for any layout), a format knows where its stamp is and what it looks like, so these read
 * at a given index with `charCodeAt` and never allocate. Results are epoch ms; NaN or -1 mean
 * "not here". Where a sub-parse ended (and the zone it read) is left in `cursor`, as
 * metrics/timestamps.ts does with its scratch object: module-level lets cost far more in V8.
 */
import { daysFromCivil, fractionMs, monthAt, validDate, yearless, type TimestampContext } from '../metrics/timestamps.ts';
import { d2, d4, isDigit } from './scan.ts';

export const cursor = { pos: 0, zone: NaN };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export { validDate };

/**
 * `HH:mm:ss` with an optional fraction after `.` or `,` (any number of digits, truncated to ms):
 * the ms of the day, or -1. Sets `cursor.pos` past it.
 */
export function clock(s: string, i: number): number {
  const h = d2(s, i);
  if (h < 0 || h > 23 || s.charCodeAt(i + 2) !== 58) return -1;
  const m = d2(s, i + 3);
  if (m < 0 || m > 59 || s.charCodeAt(i + 5) !== 58) return -1;
  const sec = d2(s, i + 6);
  if (sec < 0 || sec > 60 || isDigit(s.charCodeAt(i + 8))) return -1;
  let ms = ((h * 60 + m) * 60 + sec) * 1000;
  let j = i + 8;
  const f = s.charCodeAt(j);
  if ((f === 46 || f === 44) && isDigit(s.charCodeAt(j + 1))) {
    ms += fractionMs(s, j + 1, cursor);
    j = cursor.pos;
  }
  cursor.pos = j;
  return ms;
}

/**
 * A zone right at i: `Z`, `±HH:MM`, `±HHMM` or `±HH`. Sets `cursor.zone` (minutes east of
 * UTC, NaN when there is none) and moves `cursor.pos` past it when found.
 */
export function zone(s: string, i: number): void {
  cursor.zone = NaN;
  const c = s.charCodeAt(i);
  if (c === 90 /* Z */ || c === 122 /* z */) {
    cursor.zone = 0;
    cursor.pos = i + 1;
    return;
  }
  if (c !== 43 && c !== 45) return;
  const h = d2(s, i + 1);
  if (h < 0 || h > 14) return;
  let m = 0;
  let end = i + 3;
  if (s.charCodeAt(end) === 58) {
    m = d2(s, end + 1);
    end += 3;
  } else if (isDigit(s.charCodeAt(end))) {
    m = d2(s, end);
    end += 2;
  }
  if (m < 0 || m > 59 || isDigit(s.charCodeAt(end))) return;
  cursor.zone = (c === 45 ? -1 : 1) * (h * 60 + m);
  cursor.pos = end;
}

// Consecutive lines share their date: remember the last one's day number.
const lastDate = { key: -1, days: 0 };

function days(year: number, month: number, day: number): number {
  const key = (year * 16 + month) * 32 + day;
  if (key !== lastDate.key) {
    lastDate.key = key;
    lastDate.days = daysFromCivil(year, month, day);
  }
  return lastDate.days;
}

/** Epoch ms of a wall-clock time; `zoneMinutes` NaN means "as written in the user's zone". */
export function civil(year: number, month: number, day: number, msOfDay: number, zoneMinutes: number, ctx: TimestampContext): number {
  const offset = zoneMinutes === zoneMinutes ? zoneMinutes : ctx.timeZoneOffsetMinutes;
  return days(year, month, day) * DAY_MS + msOfDay - offset * MINUTE_MS;
}

/** A year-less stamp: the same rule, on the same TimestampContext fields, as metrics/timestamps.ts. */
export { yearless };

/**
 * `yyyy-MM-dd[T| ]HH:mm:ss[.frac][zone]` at i (date separators `-` or `/`): epoch ms or NaN. Only
 * a zone glued to the time is read; after a blank, "+0000" could as well be the next field.
 */
export function isoAt(s: string, i: number, ctx: TimestampContext): number {
  const year = d4(s, i);
  const sep = s.charCodeAt(i + 4);
  if (year < 0 || (sep !== 45 && sep !== 47) || s.charCodeAt(i + 7) !== sep) return NaN;
  const month = d2(s, i + 5);
  const day = d2(s, i + 8);
  const t = s.charCodeAt(i + 10);
  if ((t !== 84 && t !== 32) || !validDate(year, month, day)) return NaN;
  const ms = clock(s, i + 11);
  if (ms < 0) return NaN;
  zone(s, cursor.pos);
  return civil(year, month, day, ms, cursor.zone, ctx);
}

export { monthAt };

/**
 * Syslog's `Mmm dd HH:mm:ss[.frac]` (day space-padded or not) at i, year-less: epoch ms or NaN;
 * `cursor.pos` is past the time.
 */
export function syslogStampAt(s: string, i: number, ctx: TimestampContext): number {
  const month = monthAt(s, i);
  if (month === 0 || s.charCodeAt(i + 3) !== 32) return NaN;
  let j = i + 4;
  if (s.charCodeAt(j) === 32) j++;
  let day = s.charCodeAt(j) - 48;
  if (day < 0 || day > 9) return NaN;
  j++;
  if (isDigit(s.charCodeAt(j))) day = day * 10 + (s.charCodeAt(j++) - 48);
  if (s.charCodeAt(j) !== 32 || !validDate(2000, month, day)) return NaN;
  const ms = clock(s, j + 1);
  return ms < 0 ? NaN : yearless(month, day, ms, NaN, ctx);
}

/**
 * A number read as an epoch: seconds below 1e11 (until year 5138), milliseconds below 1e14,
 * microseconds below 1e17, else nanoseconds. JSON loggers use all four (zap: float seconds,
 * pino: ms, some Go loggers: ns).
 */
export function epochToMs(value: number): number {
  const abs = Math.abs(value);
  if (abs < 1e11) return Math.round(value * 1000);
  if (abs < 1e14) return Math.round(value);
  if (abs < 1e17) return Math.floor(value / 1000);
  return Math.floor(value / 1e6);
}
