/** Web servers: Apache/nginx access logs (common, combined), Apache's and nginx's error logs. */
import type { Level } from '../types.ts';
import { fields, levelOf, rest } from './fields.ts';
import { d2, d4, digitsEnd, isDigit, skipSpaces } from './scan.ts';
import { civil, clock, cursor, isoAt, monthAt, validDate, zone } from './time.ts';
import type { LogFormat, ParseContext, ParsedFields } from './types.ts';

// host ident user [time] "request" status bytes — a quoted field may hold escaped quotes.
const COMMON = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)/;
const COMBINED = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"/;

/** `dd/Mon/yyyy:HH:mm:ss zone`: epoch ms or NaN. */
function accessTime(s: string, ctx: ParseContext): number {
  const day = d2(s, 0);
  const month = monthAt(s, 3);
  const year = d4(s, 7);
  if (day < 0 || month === 0 || year < 0 || s.charCodeAt(2) !== 47 || s.charCodeAt(6) !== 47 || s.charCodeAt(11) !== 58) return NaN;
  if (!validDate(year, month, day)) return NaN;
  const ms = clock(s, 12);
  if (ms < 0) return NaN;
  zone(s, cursor.pos + 1);
  return civil(year, month, day, ms, cursor.zone, ctx.time);
}

/** A status says how it went: 5xx is an error, 4xx a warning (as lnav reads access logs). */
function statusLevel(status: number): Level {
  return status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : status >= 100 ? 'INFO' : 'UNKNOWN';
}

function parseAccess(s: string, ctx: ParseContext, combined: boolean): ParsedFields | null {
  const m = (combined ? COMBINED : COMMON).exec(s);
  if (m === null) return null;
  const t = accessTime(m[4], ctx);
  const request = m[5];
  const extra: Record<string, string | number> = { ip: m[1] };
  if (m[3] !== '-') extra.user = m[3];
  // "GET /path HTTP/1.1"; a malformed request ("-", binary junk) keeps only the whole text.
  const sp1 = request.indexOf(' ');
  const sp2 = request.lastIndexOf(' ');
  if (sp1 > 0) {
    extra.method = request.slice(0, sp1);
    if (sp2 > sp1) {
      extra.path = request.slice(sp1 + 1, sp2);
      extra.protocol = request.slice(sp2 + 1);
    } else extra.path = request.slice(sp1 + 1);
  }
  const status = m[6] === '-' ? -1 : Number(m[6]);
  if (status >= 0) extra.status = status;
  extra.bytes = m[7] === '-' ? 0 : Number(m[7]);
  if (combined) {
    if (m[8] !== '-') extra.referer = m[8];
    extra.userAgent = m[9];
  }
  return fields(t === t ? t : null, statusLevel(status), null, null, null, null, request, extra);
}

export const accessCombined: LogFormat = {
  id: 'access-combined',
  name: 'Apache / nginx access log (combined)',
  description: 'host ident user [time] "request" status bytes "referer" "user-agent" (nginx default, Apache combined)',
  family: 'web',
  hasHeaders: false,
  sample: '203.0.113.9 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"',
  detect: (line) => line.includes('] "'),
  parse: (line, ctx) => parseAccess(line, ctx, true),
};

export const accessCommon: LogFormat = {
  id: 'access-common',
  name: 'Apache / nginx access log (common)',
  description: 'host ident user [time] "request" status bytes (NCSA Common Log Format)',
  family: 'web',
  hasHeaders: false,
  sample: '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
  detect: (line) => line.includes('] "'),
  parse: (line, ctx) => parseAccess(line, ctx, false),
};

function isWeekday(s: string, i: number): boolean {
  const w = s.slice(i, i + 3);
  return w === 'Mon' || w === 'Tue' || w === 'Wed' || w === 'Thu' || w === 'Fri' || w === 'Sat' || w === 'Sun';
}

/**
 * Apache's error log: 2.2 `[Sun Dec 04 04:47:44 2005] [error] message` and 2.4
 * `[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 1.2.3.4:5555] AH00124: message`.
 * The module is the component; pid and tid come out of the header; `[client ...]` stays in the
 * message (as in 2.2, where it is part of it) and is also copied to `extra.client`.
 */
function parseApacheError(s: string, ctx: ParseContext): ParsedFields | null {
  if (s.charCodeAt(0) !== 91 || !isWeekday(s, 1) || s.charCodeAt(4) !== 32) return null;
  const month = monthAt(s, 5);
  if (month === 0 || s.charCodeAt(8) !== 32) return null;
  const day = s.charCodeAt(9) === 32 && isDigit(s.charCodeAt(10)) ? s.charCodeAt(10) - 48 : d2(s, 9); // "Dec  4" or "Dec 04"
  if (day < 0 || s.charCodeAt(11) !== 32) return null;
  const ms = clock(s, 12);
  if (ms < 0 || s.charCodeAt(cursor.pos) !== 32) return null;
  const year = d4(s, cursor.pos + 1);
  let i = cursor.pos + 5;
  if (year < 0 || s.charCodeAt(i) !== 93 || !validDate(year, month, day)) return null;
  const ts = civil(year, month, day, ms, NaN, ctx.time);
  i = skipSpaces(s, i + 1);
  if (s.charCodeAt(i) !== 91) return null;
  const close = s.indexOf(']', i);
  if (close < 0) return null;
  const colon = s.lastIndexOf(':', close);
  const levelStart = colon > i ? colon + 1 : i + 1;
  const levelRaw = s.slice(levelStart, close);
  const level = levelOf(levelRaw);
  if (level === 'UNKNOWN') return null;
  const component = colon > i ? s.slice(i + 1, colon) : null;
  i = skipSpaces(s, close + 1);
  let pid: string | null = null;
  let thread: string | null = null;
  if (s.startsWith('[pid ', i)) {
    const end = s.indexOf(']', i);
    if (end > 0) {
      const inner = s.slice(i + 5, end);
      const tid = inner.indexOf(':tid ');
      pid = tid < 0 ? inner : inner.slice(0, tid);
      if (tid >= 0) thread = inner.slice(tid + 5);
      i = skipSpaces(s, end + 1);
    }
  }
  let extra: Record<string, string | number> | undefined;
  if (s.startsWith('[client ', i)) {
    const end = s.indexOf(']', i);
    if (end > 0) extra = { client: s.slice(i + 8, end) };
  }
  return fields(ts, level, levelRaw, component, pid, thread, rest(s, i), extra);
}

export const apacheError: LogFormat = {
  id: 'apache-error',
  name: 'Apache error log',
  description: '[Www Mmm dd HH:mm:ss yyyy] [module:level] [pid N:tid M] message (Apache httpd 2.2 and 2.4)',
  family: 'web',
  hasHeaders: false,
  sample: '[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties',
  detect: (line) => line.charCodeAt(0) === 91,
  parse: parseApacheError,
};

/** nginx: `yyyy/MM/dd HH:mm:ss [level] pid#tid: *connection message`. */
function parseNginxError(s: string, ctx: ParseContext): ParsedFields | null {
  if (s.charCodeAt(4) !== 47 || !isDigit(s.charCodeAt(0))) return null;
  const ts = isoAt(s, 0, ctx.time);
  let i = cursor.pos;
  if (ts !== ts || s.charCodeAt(i) !== 32 || s.charCodeAt(i + 1) !== 91) return null;
  const close = s.indexOf('] ', i + 2);
  if (close < 0) return null;
  const levelRaw = s.slice(i + 2, close);
  const level = levelOf(levelRaw);
  if (level === 'UNKNOWN') return null;
  i = close + 2;
  const pidEnd = digitsEnd(s, i);
  if (pidEnd === i || s.charCodeAt(pidEnd) !== 35 /* # */) return null;
  const tidEnd = digitsEnd(s, pidEnd + 1);
  if (tidEnd === pidEnd + 1 || s.charCodeAt(tidEnd) !== 58) return null;
  const pid = s.slice(i, pidEnd);
  const thread = s.slice(pidEnd + 1, tidEnd);
  i = skipSpaces(s, tidEnd + 1);
  let extra: Record<string, string | number> | undefined;
  if (s.charCodeAt(i) === 42 /* * */) {
    const end = digitsEnd(s, i + 1);
    if (end > i + 1) {
      extra = { connection: Number(s.slice(i + 1, end)) };
      i = skipSpaces(s, end);
    }
  }
  return fields(ts, level, levelRaw, null, pid, thread, rest(s, i), extra);
}

export const nginxError: LogFormat = {
  id: 'nginx-error',
  name: 'nginx error log',
  description: 'yyyy/MM/dd HH:mm:ss [level] pid#tid: *connection message',
  family: 'web',
  hasHeaders: false,
  sample: '2024/03/14 08:00:00 [error] 1234#1234: *9 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.0.0.7, server: localhost, request: "GET /favicon.ico HTTP/1.1"',
  detect: (line) => line.charCodeAt(4) === 47,
  parse: parseNginxError,
};
