/** Windows: the component-based servicing log (CBS.log) and Proxifier's log (Loghub). */
import { fields, levelFromMessage, levelWord, rest } from './fields.ts';
import { d2, isDigit, skipSpaces, tokenEnd } from './scan.ts';
import { clock, cursor, isoAt, validDate, yearless } from './time.ts';
import type { LogFormat, ParseContext, ParsedFields } from './types.ts';

/** CBS: `yyyy-MM-dd HH:mm:ss, Level   Component   message` (Level and component padded). */
function parseCbs(s: string, ctx: ParseContext): ParsedFields | null {
  if (!isDigit(s.charCodeAt(0))) return null;
  const ts = isoAt(s, 0, ctx.time);
  let i = cursor.pos;
  if (ts !== ts || s.charCodeAt(i) !== 44 || s.charCodeAt(i + 1) !== 32) return null;
  i += 2;
  const levelEnd = tokenEnd(s, i);
  const levelRaw = s.slice(i, levelEnd);
  const level = levelWord(levelRaw);
  if (level === 'UNKNOWN') return null;
  i = skipSpaces(s, levelEnd);
  const end = tokenEnd(s, i);
  if (end === i) return null;
  return fields(ts, level, levelRaw, s.slice(i, end), null, null, rest(s, skipSpaces(s, end)));
}

export const windowsCbs: LogFormat = {
  id: 'windows-cbs',
  name: 'Windows CBS',
  description: 'yyyy-MM-dd HH:mm:ss, Level Component message (Windows component-based servicing, CBS.log)',
  family: 'windows',
  hasHeaders: false,
  sample: '2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505 with Core: C:\\Windows\\winsxs\\cbscore.dll',
  parse: parseCbs,
};

/** Proxifier: `[MM.dd HH:mm:ss] program - message` (year-less; the program may hold blanks). */
function parseProxifier(s: string, ctx: ParseContext): ParsedFields | null {
  if (s.charCodeAt(0) !== 91 || s.charCodeAt(3) !== 46 || s.charCodeAt(6) !== 32) return null;
  const month = d2(s, 1);
  const day = d2(s, 4);
  if (!validDate(2000, month, day)) return null;
  const ms = clock(s, 7);
  if (ms < 0 || s.charCodeAt(cursor.pos) !== 93 || s.charCodeAt(cursor.pos + 1) !== 32) return null;
  const start = cursor.pos + 2;
  const dash = s.indexOf(' - ', start);
  if (dash <= start) return null;
  const message = rest(s, skipSpaces(s, dash + 3));
  return fields(yearless(month, day, ms, NaN, ctx.time), levelFromMessage(message), null, s.slice(start, dash), null, null, message);
}

export const proxifier: LogFormat = {
  id: 'proxifier',
  name: 'Proxifier',
  description: '[MM.dd HH:mm:ss] program - message (Proxifier connection log)',
  family: 'windows',
  hasHeaders: false,
  sample: '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
  detect: (line) => line.charCodeAt(0) === 91,
  parse: parseProxifier,
};
