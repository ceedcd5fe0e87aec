/** Structured lines: JSON objects (one per line) and logfmt `key=value` pairs. */
import { normalizeLevel } from '../processors/level-detect.ts';
import type { Level } from '../types.ts';
import { fields, levelFromMessage, levelOf } from './fields.ts';
import { isDigit, skipSpaces, trimmedEnd } from './scan.ts';
import { epochToMs, isoAt } from './time.ts';
import type { LogFormat, ParseContext, ParsedFields } from './types.ts';

const enum Role {
  Time,
  Level,
  Message,
  Component,
  Pid,
  Thread,
}

/**
 * Well-known keys of JSON and logfmt loggers (pino, bunyan, zap, zerolog, logrus, slog, Serilog
 * CLEF, ECS/Logstash, structlog). The first key found for a role takes it; the others go to
 * `extra` like any other key.
 */
const ROLES: ReadonlyMap<string, Role> = new Map([
  ['time', Role.Time],
  ['timestamp', Role.Time],
  ['@timestamp', Role.Time],
  ['ts', Role.Time],
  ['datetime', Role.Time],
  ['@t', Role.Time],
  ['level', Role.Level],
  ['severity', Role.Level],
  ['lvl', Role.Level],
  ['loglevel', Role.Level],
  ['log_level', Role.Level],
  ['levelname', Role.Level],
  ['log.level', Role.Level],
  ['@l', Role.Level],
  ['msg', Role.Message],
  ['message', Role.Message],
  ['@m', Role.Message],
  ['@message', Role.Message],
  ['event', Role.Message],
  ['logger', Role.Component],
  ['logger_name', Role.Component],
  ['loggerName', Role.Component],
  ['log.logger', Role.Component],
  ['component', Role.Component],
  ['module', Role.Component],
  ['name', Role.Component],
  ['pid', Role.Pid],
  ['thread', Role.Thread],
  ['thread_name', Role.Thread],
  ['threadName', Role.Thread],
]);

/** What `assign` collected for one line. */
const acc = {
  timestamp: null as number | null,
  level: 'UNKNOWN' as Level,
  levelRaw: null as string | null,
  message: null as string | null,
  component: null as string | null,
  pid: null as string | null,
  thread: null as string | null,
  extra: undefined as Record<string, string | number> | undefined,
  seen: 0,
};

function reset(): void {
  acc.timestamp = null;
  acc.level = 'UNKNOWN';
  acc.levelRaw = null;
  acc.message = null;
  acc.component = null;
  acc.pid = null;
  acc.thread = null;
  acc.extra = undefined;
  acc.seen = 0;
}

/** ISO text, epoch digits, or (rarely) anything Date.parse reads. */
function timeOf(value: unknown, ctx: ParseContext): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? epochToMs(value) : null;
  if (typeof value !== 'string') return null;
  if (isDigit(value.charCodeAt(0))) {
    const t = isoAt(value, 0, ctx.time);
    if (t === t) return t;
    const n = Number(value);
    if (n === n) return epochToMs(n);
  }
  const t = Date.parse(value);
  return t === t ? t : null;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Gives one key its role, or puts it in `extra` (numbers stay numbers; objects as JSON text). */
function assign(key: string, value: unknown, ctx: ParseContext): void {
  const role = ROLES.get(key);
  if (role !== undefined && (acc.seen & (1 << role)) === 0 && value !== null && value !== undefined) {
    acc.seen |= 1 << role;
    switch (role) {
      case Role.Time:
        acc.timestamp = timeOf(value, ctx);
        return;
      case Role.Level:
        // pino/bunyan write numbers (30 = info); anything else is a name.
        acc.levelRaw = text(value);
        acc.level = (typeof value === 'number' ? normalizeLevel(value) : levelOf(acc.levelRaw)) ?? 'UNKNOWN';
        return;
      case Role.Message:
        acc.message = text(value);
        return;
      case Role.Component:
        acc.component = text(value);
        return;
      case Role.Pid:
        acc.pid = text(value);
        return;
      case Role.Thread:
        acc.thread = text(value);
        return;
    }
  }
  if (value === null || value === undefined) return;
  (acc.extra ??= {})[key] = typeof value === 'number' ? value : text(value);
}

function finish(fallbackMessage: string): ParsedFields {
  const message = acc.message ?? fallbackMessage;
  const level = acc.levelRaw === null ? levelFromMessage(message) : acc.level;
  return fields(acc.timestamp, level, acc.levelRaw, acc.component, acc.pid, acc.thread, message, acc.extra);
}

/** A JSON object per line (NDJSON); a line that is not one object is not this format. */
function parseJson(s: string, ctx: ParseContext): ParsedFields | null {
  const start = skipSpaces(s, 0);
  const end = trimmedEnd(s);
  if (s.charCodeAt(start) !== 123 || s.charCodeAt(end - 1) !== 125) return null;
  let value: unknown;
  try {
    value = JSON.parse(s);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  reset();
  const object = value as Record<string, unknown>;
  for (const key in object) assign(key, object[key], ctx);
  return finish('');
}

export const jsonLines: LogFormat = {
  id: 'json',
  name: 'JSON lines',
  description: 'one JSON object per line: time/timestamp/@timestamp/ts, level/severity/lvl (pino numbers too), msg/message; other keys as fields',
  family: 'structured',
  hasHeaders: false,
  sample: '{"time":"2024-03-14T08:00:00.123Z","level":"warn","logger":"db","msg":"slow query","took_ms":1234}',
  detect: (line) => line.charCodeAt(skipSpaces(line, 0)) === 123,
  parse: parseJson,
};

function isKeyChar(c: number): boolean {
  // letters, digits, _ . - @ / : (keys like "log.level", "http.status", "@timestamp")
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 46 || c === 45 || c === 64 || c === 47;
}

/**
 * logfmt: `key=value key="quoted \"value\"" ...` (logrus, slog's TextHandler, Heroku, Grafana).
 * Every token must be a pair, and a line needs two pairs or one well-known key, so prose with
 * one "=" in it is not taken for logfmt.
 */
function parseLogfmt(s: string, ctx: ParseContext): ParsedFields | null {
  const n = trimmedEnd(s);
  let i = 0;
  while (s.charCodeAt(i) === 32) i++;
  reset();
  let pairs = 0;
  let known = false;
  while (i < n) {
    const keyStart = i;
    while (i < n && isKeyChar(s.charCodeAt(i))) i++;
    if (i === keyStart || s.charCodeAt(i) !== 61) return null;
    const key = s.slice(keyStart, i);
    i++;
    let value: string;
    if (s.charCodeAt(i) === 34) {
      let j = i + 1;
      let from = j;
      value = '';
      for (;; j++) {
        const c = s.charCodeAt(j);
        if (j >= n) return null;
        if (c === 92) {
          value += s.slice(from, j);
          const e = s.charCodeAt(j + 1);
          value += e === 110 ? '\n' : e === 116 ? '\t' : s[j + 1];
          from = ++j + 1;
        } else if (c === 34) break;
      }
      value += s.slice(from, j);
      i = j + 1;
      if (i < n && s.charCodeAt(i) !== 32) return null;
    } else {
      const start = i;
      while (i < n && s.charCodeAt(i) !== 32) i++;
      value = s.slice(start, i);
    }
    if (ROLES.has(key)) known = true;
    assign(key, value, ctx);
    pairs++;
    while (s.charCodeAt(i) === 32) i++;
  }
  if (pairs < 2 && !known) return null;
  return finish(n < s.length ? s.slice(0, n) : s);
}

export const logfmt: LogFormat = {
  id: 'logfmt',
  name: 'logfmt',
  description: 'key=value pairs (logrus, Go slog TextHandler, Heroku): time/ts, level/lvl, msg/message; other keys as fields',
  family: 'structured',
  hasHeaders: false,
  sample: 'time=2024-03-14T08:00:00.123Z level=warn msg="slow query" component=db took_ms=1234',
  parse: parseLogfmt,
};
