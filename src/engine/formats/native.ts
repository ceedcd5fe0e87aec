/** Native programs' loggers: glog (C++, also Kubernetes' klog) and Go's standard `log` package. */
import { LEVEL_LETTERS } from '../processors/level-detect.ts';
import { fields, levelFromMessage, rest } from './fields.ts';
import { d2, d4, digitsEnd, isDigit, skipSpaces, tokenEnd } from './scan.ts';
import { civil, clock, cursor, isoAt, validDate, yearless } from './time.ts';
import type { LogFormat, ParseContext, ParsedFields } from './types.ts';

/** `file:line` ending at `end` (exclusive): the index of its colon, or -1. */
function lineColon(s: string, start: number, end: number): number {
  const colon = s.lastIndexOf(':', end - 1);
  return colon > start && colon < end - 1 && digitsEnd(s, colon + 1) === end ? colon : -1;
}

/**
 * glog: `Lmmdd hh:mm:ss.uuuuuu threadid file:line] message` (L one of IWEF); glog 0.7 writes the
 * year too (`Lyyyymmdd`). The thread id may be blank-padded.
 */
function parseGlog(s: string, ctx: ParseContext): ParsedFields | null {
  const c = s.charCodeAt(0);
  if (c !== 73 && c !== 87 && c !== 69 && c !== 70) return null;
  const dateEnd = digitsEnd(s, 1);
  let year = -1;
  let i = 1;
  if (dateEnd === 9) {
    year = d4(s, 1);
    i = 5;
  } else if (dateEnd !== 5) return null;
  const month = d2(s, i);
  const day = d2(s, i + 2);
  if (s.charCodeAt(i + 4) !== 32 || !validDate(year < 0 ? 2000 : year, month, day)) return null;
  const ms = clock(s, i + 5);
  if (ms < 0) return null;
  const threadStart = skipSpaces(s, cursor.pos);
  const threadEnd = digitsEnd(s, threadStart);
  if (threadEnd === threadStart || threadStart === cursor.pos || s.charCodeAt(threadEnd) !== 32) return null;
  const close = s.indexOf('] ', threadEnd);
  const newline = s.indexOf('\n', threadEnd);
  if (close < 0 || (newline >= 0 && close > newline)) return null;
  const colon = lineColon(s, threadEnd + 1, close);
  const ts = year < 0 ? yearless(month, day, ms, NaN, ctx.time) : civil(year, month, day, ms, NaN, ctx.time);
  const raw = s[0];
  return fields(
    ts,
    LEVEL_LETTERS.get(raw) ?? 'UNKNOWN',
    raw,
    s.slice(threadEnd + 1, colon < 0 ? close : colon),
    null,
    s.slice(threadStart, threadEnd),
    rest(s, close + 2),
    colon < 0 ? undefined : { line: Number(s.slice(colon + 1, close)) },
  );
}

export const glog: LogFormat = {
  id: 'glog',
  name: 'glog / klog',
  description: 'Lmmdd hh:mm:ss.uuuuuu thread file:line] message (Google glog, Kubernetes klog)',
  family: 'native',
  hasHeaders: true,
  sample: 'I0314 08:00:00.123456    1234 server.cc:42] Listening on port 8080',
  parse: parseGlog,
};

/**
 * Go's `log` package: `yyyy/MM/dd HH:mm:ss[.micro] [file.go:NN: ]message`. No level field: the
 * level is read from the message.
 */
function parseGoLog(s: string, ctx: ParseContext): ParsedFields | null {
  if (s.charCodeAt(4) !== 47 || !isDigit(s.charCodeAt(0))) return null;
  const ts = isoAt(s, 0, ctx.time);
  if (ts !== ts || s.charCodeAt(cursor.pos) !== 32) return null;
  let i = cursor.pos + 1;
  let component: string | null = null;
  let extra: Record<string, string | number> | undefined;
  // log.Lshortfile / log.Llongfile: "main.go:23: message".
  const end = tokenEnd(s, i);
  if (end > i + 5 && s.charCodeAt(end - 1) === 58) {
    const colon = lineColon(s, i, end - 1);
    if (colon > 0 && s.startsWith('.go', colon - 3)) {
      component = s.slice(i, colon);
      extra = { line: Number(s.slice(colon + 1, end - 1)) };
      i = skipSpaces(s, end);
    }
  }
  const message = rest(s, i);
  return fields(ts, levelFromMessage(message), null, component, null, null, message, extra);
}

export const goLog: LogFormat = {
  id: 'go-log',
  name: "Go's log package",
  description: "yyyy/MM/dd HH:mm:ss[.micro] [file.go:line: ]message (Go's standard logger)",
  family: 'native',
  hasHeaders: true,
  sample: '2024/03/14 08:00:00.123456 main.go:23: listening on :8080',
  parse: parseGoLog,
};
