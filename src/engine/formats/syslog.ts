/**
 * Syslog: BSD (RFC 3164, what /var/log/messages, auth.log and macOS system.log hold), RFC 5424,
 * and the ISO-stamped BSD layout of journald's short-iso and rsyslog's file format.
 * Loghub's Linux, Mac and OpenSSH samples are RFC 3164 without a priority.
 */
import type { Level } from '../types.ts';
import { fields, levelFromMessage, rest } from './fields.ts';
import { digitsEnd, isDigit, skipSpaces, tokenEnd } from './scan.ts';
import { cursor, isoAt, monthAt, syslogStampAt } from './time.ts';
import type { LogFormat, ParseContext, ParsedFields } from './types.ts';

const SEVERITY_NAMES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const SEVERITY_LEVELS: Level[] = ['FATAL', 'FATAL', 'FATAL', 'ERROR', 'WARN', 'INFO', 'INFO', 'DEBUG'];
const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4',
  'local5', 'local6', 'local7',
];

/** `<PRI>` at 0: its value (0–191) or -1; `cursor.pos` past the `>`. */
function priAt0(s: string): number {
  if (s.charCodeAt(0) !== 60) return -1;
  const end = digitsEnd(s, 1);
  if (end === 1 || end > 4 || s.charCodeAt(end) !== 62) return -1;
  const pri = Number(s.slice(1, end));
  if (pri > 191) return -1;
  cursor.pos = end + 1;
  return pri;
}

function blankOrEnd(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c !== c || c <= 32;
}

/** What readTag found. */
const tag = { component: '', pid: null as string | null, address: null as string | null };
/** A tag is short; looking further would take prose with a colon for one. */
const TAG_MAX = 64;

/**
 * The tag after the host: `prog[pid]: `, `prog: `, or macOS's `prog[pid] (address): `. A tag may
 * hold blanks ("Microsoft Word[14463]:", Linux's "syslogd 1.4.1:"); it ends at the first `:` or
 * `[pid]` followed by a colon and a blank, as Loghub reads it. Returns where the message starts,
 * or -1 when there is no tag.
 */
function readTag(s: string, i: number): number {
  const limit = Math.min(s.length, i + TAG_MAX);
  for (let j = i; j < limit; j++) {
    const c = s.charCodeAt(j);
    if (c === 10) return -1;
    if (c === 58 /* : */) {
      if (j > i && blankOrEnd(s, j + 1)) {
        tag.component = s.slice(i, j);
        tag.pid = null;
        tag.address = null;
        return skipSpaces(s, j + 1);
      }
    } else if (c === 91 /* [ */ && j > i) {
      const close = s.indexOf(']', j + 1);
      if (close < 0) return -1;
      let k = close + 1;
      let address: string | null = null;
      if (s.charCodeAt(k) === 32 && s.charCodeAt(k + 1) === 40 /* ( */) {
        let end = s.indexOf('):', k + 2);
        while (end >= 0 && !blankOrEnd(s, end + 2)) end = s.indexOf('):', end + 1);
        if (end < 0) continue;
        address = s.slice(k + 2, end);
        k = end + 1;
      }
      if (s.charCodeAt(k) === 58 && blankOrEnd(s, k + 1)) {
        tag.component = s.slice(i, j);
        tag.pid = s.slice(j + 1, close);
        tag.address = address;
        return skipSpaces(s, k + 1);
      }
    }
  }
  return -1;
}

/** After the stamp: `host tag: message`, or `tag: message` when the host is missing. */
function hostTagMessage(s: string, i: number, ts: number, pri: number): ParsedFields {
  i = skipSpaces(s, i);
  const hostEnd = tokenEnd(s, i);
  let host: string | null = null;
  // "Mar 14 08:00:00 sshd[12]: ..." (forwarded without a host): that token is the tag.
  if (s.charCodeAt(hostEnd - 1) !== 58) {
    host = s.slice(i, hostEnd);
    i = skipSpaces(s, hostEnd);
  }
  const start = readTag(s, i);
  const message = rest(s, start < 0 ? i : start);
  let extra: Record<string, string | number> | undefined;
  if (host !== null) extra = { host };
  if (start >= 0 && tag.address !== null) (extra ??= {}).address = tag.address;
  let level: Level;
  let levelRaw: string | null = null;
  if (pri >= 0) {
    level = SEVERITY_LEVELS[pri & 7];
    levelRaw = SEVERITY_NAMES[pri & 7];
    (extra ??= {}).facility = FACILITIES[pri >> 3] ?? pri >> 3;
  } else level = levelFromMessage(message);
  return start < 0
    ? fields(ts, level, levelRaw, null, null, null, message, extra)
    : fields(ts, level, levelRaw, tag.component, tag.pid, null, message, extra);
}

/** RFC 3164: `[<PRI>]Mmm dd HH:mm:ss host tag[pid]: message`. */
function parseBsd(s: string, ctx: ParseContext): ParsedFields | null {
  let i = 0;
  const pri = priAt0(s);
  if (pri >= 0) i = cursor.pos;
  else if (s.charCodeAt(0) === 60) return null;
  const ts = syslogStampAt(s, i, ctx.time);
  if (ts !== ts || s.charCodeAt(cursor.pos) !== 32) return null;
  return hostTagMessage(s, cursor.pos, ts, pri);
}

export const syslog: LogFormat = {
  id: 'syslog',
  name: 'Syslog (RFC 3164)',
  description: 'Mmm dd HH:mm:ss host program[pid]: message (BSD syslog: /var/log/messages, auth.log, macOS system.log)',
  family: 'syslog',
  hasHeaders: false,
  sample: 'Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186',
  detect: (line) => monthAt(line, line.charCodeAt(0) === 60 ? line.indexOf('>') + 1 : 0) !== 0,
  parse: parseBsd,
};

/** `[<PRI>]yyyy-MM-ddTHH:mm:ss[.frac]zone host tag[pid]: message`. */
function parseIsoSyslog(s: string, ctx: ParseContext): ParsedFields | null {
  let i = 0;
  const pri = priAt0(s);
  if (pri >= 0) i = cursor.pos;
  if (!isDigit(s.charCodeAt(i)) || s.charCodeAt(i + 10) !== 84 /* T */) return null;
  const ts = isoAt(s, i, ctx.time);
  if (ts !== ts || s.charCodeAt(cursor.pos) !== 32) return null;
  return hostTagMessage(s, cursor.pos, ts, pri);
}

export const syslogIso: LogFormat = {
  id: 'syslog-iso',
  name: 'Syslog with ISO timestamps (journald short-iso, rsyslog)',
  description: 'ISO-8601 timestamp host program[pid]: message (journalctl -o short-iso / short-iso-precise, rsyslog file format)',
  family: 'syslog',
  // journalctl indents the continuation lines of a multi-line message.
  hasHeaders: true,
  sample: '2024-03-14T08:00:00+0100 web01 sshd[812]: Accepted publickey for deploy from 10.0.0.5 port 52144 ssh2',
  parse: parseIsoSyslog,
};

/** What `field` read. */
const nil = { value: null as string | null };

/** An RFC 5424 field at i (`-` is nil) into `nil.value`; returns where it ends. */
function field(s: string, i: number): number {
  const end = tokenEnd(s, i);
  nil.value = end === i + 1 && s.charCodeAt(i) === 45 ? null : s.slice(i, end);
  return end;
}

/**
 * Structured data `[id name="value" ...]...` at i into `extra` (params under their own names,
 * escapes `\"`, `\\` and `\]` undone). Returns the index after it, or -1 when malformed.
 */
function structuredData(s: string, i: number, extra: Record<string, string | number>): number {
  while (s.charCodeAt(i) === 91) {
    i++;
    while (i < s.length && s.charCodeAt(i) !== 32 && s.charCodeAt(i) !== 93) i++; // SD-ID
    while (s.charCodeAt(i) === 32) {
      const eq = s.indexOf('="', i + 1);
      if (eq < 0) return -1;
      const name = s.slice(i + 1, eq);
      let j = eq + 2;
      let value = '';
      let from = j;
      for (;; j++) {
        const c = s.charCodeAt(j);
        if (c !== c) return -1;
        if (c === 92 /* \ */) {
          value += s.slice(from, j);
          from = ++j;
        } else if (c === 34) break;
      }
      extra[name] = value + s.slice(from, j);
      i = j + 1;
    }
    if (s.charCodeAt(i) !== 93) return -1;
    i++;
  }
  return i;
}

/** RFC 5424: `<PRI>1 timestamp host app procid msgid [sd...] message`. */
function parse5424(s: string, ctx: ParseContext): ParsedFields | null {
  const pri = priAt0(s);
  if (pri < 0) return null;
  let i = cursor.pos;
  const versionEnd = digitsEnd(s, i);
  if (versionEnd === i || s.charCodeAt(versionEnd) !== 32) return null;
  i = versionEnd + 1;
  let ts: number | null = null;
  if (s.charCodeAt(i) === 45 && s.charCodeAt(i + 1) === 32) i += 1;
  else {
    const t = isoAt(s, i, ctx.time);
    if (t !== t || s.charCodeAt(cursor.pos) !== 32) return null;
    ts = t;
    i = cursor.pos;
  }
  const extra: Record<string, string | number> = {};
  i = field(s, i + 1);
  if (nil.value !== null) extra.host = nil.value;
  i = field(s, i + 1);
  const app = nil.value;
  i = field(s, i + 1);
  const procid = nil.value;
  i = field(s, i + 1);
  if (nil.value !== null) extra.msgid = nil.value;
  if (s.charCodeAt(i) !== 32) return null;
  i++;
  if (s.charCodeAt(i) === 45) i++;
  else if (s.charCodeAt(i) === 91) {
    i = structuredData(s, i, extra);
    if (i < 0) return null;
  } else return null;
  if (s.charCodeAt(i) === 32) i++;
  if (s.charCodeAt(i) === 0xfeff) i++; // the BOM RFC 5424 puts before a UTF-8 message
  extra.facility = FACILITIES[pri >> 3] ?? pri >> 3;
  return fields(ts, SEVERITY_LEVELS[pri & 7], SEVERITY_NAMES[pri & 7], app, procid, null, rest(s, i), extra);
}

export const syslog5424: LogFormat = {
  id: 'syslog-5424',
  name: 'Syslog (RFC 5424)',
  description: '<PRI>1 timestamp host app procid msgid [structured-data] message',
  family: 'syslog',
  hasHeaders: false,
  sample: '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry',
  detect: (line) => line.charCodeAt(0) === 60,
  parse: parse5424,
};
