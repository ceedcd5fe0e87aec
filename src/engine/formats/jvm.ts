/**
 * The log4j family: `timestamp LEVEL [thread] logger: message` and its relatives (logback,
 * Spring Boot, Tomcat's JUL one-liner, ZooKeeper's and HDFS's log4j layouts). Hadoop and Spark
 * (Loghub) are plain log4j. All have headers: a stack trace continues the entry above it.
 *
 * Parsers read the header with charCode scans at known positions; the message is the rest of
 * the text, so a joined entry keeps its continuation lines in the message.
 */
import type { TimestampContext } from '../metrics/timestamps.ts';
import { fields, levelToken, levelWordAt, rest } from './fields.ts';
import { closingBracket, componentColon, d2, digitsEnd, isDigit, isSpace, letterEnd, skipSpaces, tokenEnd } from './scan.ts';
import { civil, clock, cursor, isoAt, monthAt, validDate } from './time.ts';
import type { LogFormat, ParseContext, ParsedFields } from './types.ts';

/** `yyyy-MM-dd HH:mm:ss[,.]SSS[zone]` or log4j's short `yy/MM/dd HH:mm:ss` at 0: epoch ms or NaN. */
function stampAt0(s: string, ctx: TimestampContext): number {
  const c4 = s.charCodeAt(4);
  if (c4 === 45 || c4 === 47) return isoAt(s, 0, ctx);
  if (s.charCodeAt(2) !== 47 || s.charCodeAt(5) !== 47 || s.charCodeAt(8) !== 32) return NaN;
  const yy = d2(s, 0);
  const month = d2(s, 3);
  const day = d2(s, 6);
  const year = yy < 70 ? 2000 + yy : 1900 + yy;
  if (yy < 0 || !validDate(year, month, day)) return NaN;
  const ms = clock(s, 9);
  return ms < 0 ? NaN : civil(year, month, day, ms, NaN, ctx);
}

/**
 * The level word at i (optionally in brackets) followed by a blank: the index after it, or -1.
 * The word is left in `levelToken`.
 */
function levelAt(s: string, i: number): number {
  const bracketed = s.charCodeAt(i) === 91;
  const start = bracketed ? i + 1 : i;
  const end = letterEnd(s, start);
  if (bracketed && s.charCodeAt(end) !== 93) return -1;
  if (!levelWordAt(s, start, end)) return -1;
  const after = bracketed ? end + 1 : end;
  const c = s.charCodeAt(after);
  return c === c && c > 32 ? -1 : after;
}

/**
 * The logger and the message after it: `logger: message` or `logger - message`; when the first
 * token is neither, there is no logger and the message starts there.
 */
function loggerAndMessage(s: string, i: number, ts: number | null, thread: string | null, pid: string | null): ParsedFields {
  const end = tokenEnd(s, i);
  let component: string | null = null;
  if (end > i + 1 && s.charCodeAt(end - 1) === 58 /* : */) {
    component = s.slice(i, end - 1);
    i = skipSpaces(s, end);
  } else if (end > i && s.charCodeAt(end) === 32 && s.charCodeAt(end + 1) === 45 && isSpace(s.charCodeAt(end + 2))) {
    component = s.slice(i, end);
    i = skipSpaces(s, end + 3);
  }
  return fields(ts, levelToken.level, levelToken.raw, component, pid, thread, rest(s, i));
}

/** `ts LEVEL [thread] logger: message` (levelFirst) or logback's `ts [thread] LEVEL logger - message`. */
function parseLog4jLike(s: string, ctx: ParseContext, levelFirst: boolean): ParsedFields | null {
  if (!isDigit(s.charCodeAt(0))) return null;
  const ts = stampAt0(s, ctx.time);
  // logback's default pattern writes the time of day only: a header without a date (ts NaN).
  if (ts !== ts && (levelFirst || s.charCodeAt(2) !== 58 || clock(s, 0) < 0)) return null;
  let i = cursor.pos;
  if (!isSpace(s.charCodeAt(i))) return null;
  i = skipSpaces(s, i);
  let thread: string | null = null;
  if (levelFirst) {
    i = levelAt(s, i);
    if (i < 0) return null;
    i = skipSpaces(s, i);
    if (s.charCodeAt(i) === 91) {
      const close = closingBracket(s, i);
      if (close > 0) {
        thread = s.slice(i + 1, close);
        i = skipSpaces(s, close + 1);
      }
    }
  } else {
    if (s.charCodeAt(i) !== 91) return null;
    const close = closingBracket(s, i);
    if (close < 0) return null;
    thread = s.slice(i + 1, close);
    i = levelAt(s, skipSpaces(s, close + 1));
    if (i < 0) return null;
    i = skipSpaces(s, i);
  }
  return loggerAndMessage(s, i, ts === ts ? ts : null, thread, null);
}

export const log4j: LogFormat = {
  id: 'log4j',
  name: 'log4j / Log4j 2 / Hadoop / Spark',
  description: 'timestamp LEVEL [thread] logger: message (log4j, Log4j 2, logback with level first, Hadoop, Spark)',
  family: 'jvm',
  hasHeaders: true,
  sample: '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster',
  detect: (line) => isDigit(line.charCodeAt(0)),
  parse: (line, ctx) => parseLog4jLike(line, ctx, true),
};

export const logback: LogFormat = {
  id: 'logback',
  name: 'logback (thread first)',
  description: "timestamp [thread] LEVEL logger - message (logback's default pattern, also time-only)",
  family: 'jvm',
  hasHeaders: true,
  sample: '2024-03-14 08:00:00.123 [main] INFO  com.example.App - Started in 2.3 s',
  detect: (line) => isDigit(line.charCodeAt(0)),
  parse: (line, ctx) => parseLog4jLike(line, ctx, false),
};

/**
 * Spring Boot: `ts  LEVEL pid --- [app] [   thread] logger   : message` (the `[app]` part since
 * Boot 3.2); the thread is right-aligned in its brackets, the logger padded before ` : `.
 */
function parseSpringBoot(s: string, ctx: ParseContext): ParsedFields | null {
  if (!isDigit(s.charCodeAt(0))) return null;
  const ts = isoAt(s, 0, ctx.time);
  if (ts !== ts) return null;
  let i = skipSpaces(s, cursor.pos);
  i = levelAt(s, i);
  if (i < 0) return null;
  i = skipSpaces(s, i);
  const pidEnd = digitsEnd(s, i);
  if (pidEnd === i || s.charCodeAt(pidEnd) !== 32) return null;
  const pid = s.slice(i, pidEnd);
  i = skipSpaces(s, pidEnd);
  if (!s.startsWith('---', i)) return null;
  i = skipSpaces(s, i + 3);
  if (s.charCodeAt(i) !== 91) return null;
  let close = s.indexOf(']', i);
  if (close < 0) return null;
  // Boot 3.2+: the application name comes first; the thread is the second bracket.
  const next = skipSpaces(s, close + 1);
  if (s.charCodeAt(next) === 91) {
    i = next;
    close = s.indexOf(']', i);
    if (close < 0) return null;
  }
  const thread = s.slice(skipSpaces(s, i + 1), close);
  i = skipSpaces(s, close + 1);
  const end = tokenEnd(s, i);
  const colon = skipSpaces(s, end);
  if (s.charCodeAt(colon) !== 58) return null;
  return fields(ts, levelToken.level, levelToken.raw, s.slice(i, end), pid, thread, rest(s, skipSpaces(s, colon + 1)));
}

export const springBoot: LogFormat = {
  id: 'spring-boot',
  name: 'Spring Boot',
  description: 'timestamp LEVEL pid --- [thread] logger : message (Spring Boot console and file logs)',
  family: 'jvm',
  hasHeaders: true,
  sample: '2024-03-14 08:00:00.123  INFO 12345 --- [           main] com.example.App                          : Started App in 2.345 seconds',
  detect: (line) => isDigit(line.charCodeAt(0)) && line.includes(' --- '),
  parse: parseSpringBoot,
};

/** Tomcat's JUL OneLineFormatter: `dd-MMM-yyyy HH:mm:ss.SSS LEVEL [thread] source message`. */
function parseTomcat(s: string, ctx: ParseContext): ParsedFields | null {
  const day = d2(s, 0);
  const month = monthAt(s, 3);
  if (day < 0 || month === 0 || s.charCodeAt(2) !== 45 || s.charCodeAt(6) !== 45 || s.charCodeAt(11) !== 32) return null;
  const year = Number(s.slice(7, 11));
  if (!validDate(year, month, day)) return null;
  const ms = clock(s, 12);
  if (ms < 0 || s.charCodeAt(cursor.pos) !== 32) return null;
  const ts = civil(year, month, day, ms, NaN, ctx.time);
  let i = levelAt(s, cursor.pos + 1);
  if (i < 0) return null;
  i = skipSpaces(s, i);
  if (s.charCodeAt(i) !== 91) return null;
  const close = closingBracket(s, i);
  if (close < 0) return null;
  const thread = s.slice(i + 1, close);
  i = skipSpaces(s, close + 1);
  const end = tokenEnd(s, i);
  return fields(ts, levelToken.level, levelToken.raw, end > i ? s.slice(i, end) : null, null, thread, rest(s, skipSpaces(s, end)));
}

export const tomcat: LogFormat = {
  id: 'tomcat',
  name: 'Tomcat / java.util.logging one-line',
  description: 'dd-MMM-yyyy HH:mm:ss.SSS LEVEL [thread] source message (catalina.out)',
  family: 'jvm',
  hasHeaders: true,
  sample: '14-Mar-2024 08:00:00.123 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [1234] milliseconds',
  detect: (line) => isDigit(line.charCodeAt(0)) && line.charCodeAt(2) === 45,
  parse: parseTomcat,
};

/**
 * ZooKeeper's log4j layout `%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m`. The bracket holds the thread,
 * the class and the line; a thread name may contain colons (`QuorumPeer[myid=1]/0:0:0:0:...:2181`),
 * so the class is after the last colon and the line after the last `@`.
 */
function parseZookeeper(s: string, ctx: ParseContext): ParsedFields | null {
  if (!isDigit(s.charCodeAt(0))) return null;
  const ts = isoAt(s, 0, ctx.time);
  if (ts !== ts) return null;
  let i = cursor.pos;
  if (s.charCodeAt(i) !== 32 || s.charCodeAt(i + 1) !== 45 || s.charCodeAt(i + 2) !== 32) return null;
  i = levelAt(s, skipSpaces(s, i + 3));
  if (i < 0) return null;
  i = skipSpaces(s, i);
  if (s.charCodeAt(i) !== 91) return null;
  const close = s.indexOf('] - ', i);
  if (close < 0) return null;
  const at = s.lastIndexOf('@', close);
  const colon = s.lastIndexOf(':', at > i ? at : close);
  let thread: string;
  let component: string | null = null;
  let extra: Record<string, string | number> | undefined;
  if (at > i && colon > i) {
    thread = s.slice(i + 1, colon);
    component = s.slice(colon + 1, at);
    const line = s.slice(at + 1, close);
    extra = { line: /^\d+$/.test(line) ? Number(line) : line };
  } else thread = s.slice(i + 1, close);
  return fields(ts, levelToken.level, levelToken.raw, component, null, thread, rest(s, skipSpaces(s, close + 3)), extra);
}

export const zookeeper: LogFormat = {
  id: 'zookeeper',
  name: 'ZooKeeper (log4j)',
  description: 'timestamp - LEVEL [thread:Class@line] - message (ZooKeeper and other log4j %t:%C@%L layouts)',
  family: 'jvm',
  hasHeaders: true,
  sample: '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200',
  detect: (line) => isDigit(line.charCodeAt(0)) && line.includes(' - '),
  parse: parseZookeeper,
};

/** HDFS (Loghub): `yyMMdd HHmmss pid LEVEL component: message`. */
function parseHdfs(s: string, ctx: ParseContext): ParsedFields | null {
  const yy = d2(s, 0);
  const month = d2(s, 2);
  const day = d2(s, 4);
  const h = d2(s, 7);
  const m = d2(s, 9);
  const sec = d2(s, 11);
  if (yy < 0 || s.charCodeAt(6) !== 32 || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60 || s.charCodeAt(13) !== 32) return null;
  const year = yy < 70 ? 2000 + yy : 1900 + yy;
  if (!validDate(year, month, day)) return null;
  const pidEnd = digitsEnd(s, 14);
  if (pidEnd === 14 || s.charCodeAt(pidEnd) !== 32) return null;
  let i = levelAt(s, pidEnd + 1);
  if (i < 0) return null;
  i = skipSpaces(s, i);
  const colon = componentColon(s, i);
  if (colon < 0) return null;
  const ts = civil(year, month, day, ((h * 60 + m) * 60 + sec) * 1000, NaN, ctx.time);
  return fields(ts, levelToken.level, levelToken.raw, s.slice(i, colon), s.slice(14, pidEnd), null, rest(s, skipSpaces(s, colon + 1)));
}

export const hdfs: LogFormat = {
  id: 'hdfs',
  name: 'HDFS (Hadoop 0.x)',
  description: 'yyMMdd HHmmss pid LEVEL component: message (HDFS data node and name node logs)',
  family: 'jvm',
  hasHeaders: true,
  sample: '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
  detect: (line) => isDigit(line.charCodeAt(0)) && line.charCodeAt(6) === 32,
  parse: parseHdfs,
};
