/**
 * Parsing accuracy on the Loghub samples, measured against their ground-truth CSVs. Used by
 * loghub.test.ts, and runnable for the README table:
 *
 *   npx tsx test/engine/formats/accuracy.ts
 */
import { detectFormat, formatById, createParseContext, type ParsedFields } from '../../../src/engine/formats/index.ts';
import type { Level } from '../../../src/engine/types.ts';
import { LOGHUB_SAMPLES, readLoghubLines, readLoghubStructured } from '../processors/loghub.ts';

type Row = Record<string, string>;

/** Year-less samples are read with this year (the CSVs have none either). */
export const YEAR = 2017;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "18:01:47,978", "16:13:38.811", "203615" → ms of the day. */
function clockMs(time: string): number {
  const t = /^\d{6}$/.test(time) ? `${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4)}` : time;
  const [h, m, rest] = t.split(':');
  const [s, frac = '0'] = rest.split(/[.,]/);
  return ((+h * 60 + +m) * 60 + +s) * 1000 + +frac.padEnd(3, '0').slice(0, 3);
}

function yearTracker(): (month: number) => number {
  let year = YEAR;
  let last = 0;
  return (month) => {
    if (month < last) year++;
    last = month;
    return year;
  };
}

function utc(year: number, month: number, day: number, time: string): number {
  return Date.UTC(year, month - 1, day) + clockMs(time);
}

/** How a sample's CSV columns map onto parsed fields. */
interface SampleSpec {
  /** The format detection must pick. */
  format: string;
  /** The CSV's level column, when it holds levels. */
  level?: string;
  /**
   * CSV column → the parsed value it must equal, line by line; a checked name that is no column
   * maps to [parsed value, value wanted from the row].
   */
  columns: Record<string, ((f: ParsedFields) => unknown) | [(f: ParsedFields) => unknown, (row: Row) => unknown]>;
  /**
   * The ground-truth epoch ms of a row, when the CSV has a date and a time; `year` is for
   * year-less rows: YEAR, moved on each time the month goes backwards (Proxifier runs from
   * October to the next July).
   */
  time?: (row: Row, year: (month: number) => number) => number;
  /** Why a column maps where it does, when it is not what its name says. */
  notes?: string;
}

const extra = (key: string) => (f: ParsedFields) => f.extra?.[key];

export const SPECS: Record<(typeof LOGHUB_SAMPLES)[number], SampleSpec> = {
  Android: {
    format: 'logcat-threadtime',
    level: 'Level',
    columns: { Component: (f) => f.component, Pid: (f) => f.pid, Tid: (f) => f.thread },
    time: (r, year) => utc(year(+r.Date.slice(0, 2)), +r.Date.slice(0, 2), +r.Date.slice(3), r.Time),
  },
  Apache: {
    format: 'apache-error',
    level: 'Level',
    columns: {},
    time: (r) => {
      const [, mon, day, time, year] = r.Time.split(/\s+/);
      return utc(+year, MONTHS.indexOf(mon) + 1, +day, time);
    },
  },
  BGL: {
    format: 'bgl',
    level: 'Level',
    columns: { Component: (f) => f.component, Node: extra('node'), Type: extra('type') },
    // The Time column is local (PDT/PST); the Timestamp column is the epoch of the same second.
    time: (r) => +r.Timestamp * 1000 + +r.Time.slice(20, 23),
    notes: 'time = the epoch column plus the fraction of the (local-time) Time column',
  },
  HDFS: {
    format: 'hdfs',
    level: 'Level',
    columns: { Component: (f) => f.component, Pid: (f) => f.pid },
    time: (r) => utc(2000 + +r.Date.slice(0, 2), +r.Date.slice(2, 4), +r.Date.slice(4), r.Time),
  },
  HPC: {
    format: 'hpc',
    columns: { Component: (f) => f.component, Node: extra('node'), State: extra('state'), LogId: (f) => String(f.extra?.logId) },
    time: (r) => +r.Time * 1000,
  },
  Hadoop: {
    format: 'log4j',
    level: 'Level',
    columns: { Component: (f) => f.component, Process: (f) => f.thread },
    time: (r) => utc(+r.Date.slice(0, 4), +r.Date.slice(5, 7), +r.Date.slice(8), r.Time),
  },
  Linux: {
    format: 'syslog',
    columns: { Component: (f) => f.component, PID: (f) => f.pid ?? '', Level: extra('host') },
    time: (r, year) => utc(year(MONTHS.indexOf(r.Month) + 1), MONTHS.indexOf(r.Month) + 1, +r.Date, r.Time),
    notes: 'the CSV\'s "Level" column is the host ("combo"): it is checked against extra.host; levels are not checked',
  },
  Mac: {
    format: 'syslog',
    columns: { Component: (f) => f.component, PID: (f) => f.pid ?? '', User: extra('host'), Address: (f) => f.extra?.address ?? '' },
    time: (r, year) => utc(year(MONTHS.indexOf(r.Month) + 1), MONTHS.indexOf(r.Month) + 1, +r.Date, r.Time),
    notes: 'the CSV\'s "User" column is the host',
  },
  OpenSSH: {
    format: 'syslog',
    columns: { Component: extra('host'), Pid: (f) => f.pid, 'component "sshd"': [(f) => f.component, () => 'sshd'] },
    time: (r, year) => utc(year(MONTHS.indexOf(r.Date) + 1), MONTHS.indexOf(r.Date) + 1, +r.Day, r.Time),
    notes: 'the CSV\'s "Component" column is the host ("LabSZ"; its template has "sshd" literal): checked against extra.host, and component is "sshd"',
  },
  Proxifier: {
    format: 'proxifier',
    columns: { Program: (f) => f.component },
    time: (r, year) => utc(year(+r.Time.slice(0, 2)), +r.Time.slice(0, 2), +r.Time.slice(3, 5), r.Time.slice(6)),
    notes: 'year-less, and it runs from 10.30 to 07.27: the last line is in the next year (the truth moves the year on when the month goes backwards, as the parser does)',
  },
  Spark: {
    format: 'log4j',
    level: 'Level',
    columns: { Component: (f) => f.component },
    time: (r) => utc(2000 + +r.Date.slice(0, 2), +r.Date.slice(3, 5), +r.Date.slice(6), r.Time),
  },
  Zookeeper: {
    format: 'zookeeper',
    level: 'Level',
    columns: {
      'Node:Component': [(f) => `${f.thread}:${f.component}`, (r) => `${r.Node}:${r.Component}`],
      Id: (f) => String(f.extra?.line),
    },
    time: (r) => utc(+r.Date.slice(0, 4), +r.Date.slice(5, 7), +r.Date.slice(8), r.Time),
    notes:
      'the CSV splits "[thread:Class@line]" at the first colon, though thread names hold colons ' +
      '("QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181"); we split at the last: thread + ":" + component equals Node + ":" + Component',
  },
};

/** The ground truth's level spellings, normalised as the issue says (independently of the engine). */
const TRUTH_LEVELS: Record<string, Level> = {
  V: 'TRACE', D: 'DEBUG', I: 'INFO', W: 'WARN', E: 'ERROR', F: 'FATAL', A: 'FATAL',
  TRACE: 'TRACE', DEBUG: 'DEBUG', INFO: 'INFO', NOTICE: 'INFO', WARN: 'WARN', WARNING: 'WARN',
  ERROR: 'ERROR', SEVERE: 'ERROR', FATAL: 'FATAL', FAILURE: 'FATAL', CRITICAL: 'FATAL',
};

export interface SampleResult {
  sample: string;
  expected: string;
  detected: string;
  confidence: number;
  lines: number;
  /** Lines the expected format parsed. */
  parsed: number;
  messages: number;
  /** Per checked column: lines equal. */
  columns: Record<string, number>;
  levelsEqual: boolean | null;
  levels: { parsed: Record<string, number>; truth: Record<string, number> } | null;
  firstLastEqual: boolean | null;
  firstLast: { parsed: [number | null, number | null]; truth: [number, number] } | null;
  mismatches: string[];
}

function count(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

export function evaluate(sample: (typeof LOGHUB_SAMPLES)[number]): SampleResult {
  const spec = SPECS[sample];
  const lines = readLoghubLines(sample);
  const rows = readLoghubStructured(sample);
  const detection = detectFormat(lines);
  const format = formatById(spec.format);
  if (format === undefined) throw new Error(`no format ${spec.format}`);
  const ctx = createParseContext({ year: YEAR });
  const parsed = lines.map((line) => format.parse(line, ctx));
  const mismatches: string[] = [];
  const note = (what: string, i: number, got: unknown, want: unknown) => {
    if (mismatches.length < 12) mismatches.push(`${what} line ${i + 1}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  };
  let messages = 0;
  const columns: Record<string, number> = Object.fromEntries(Object.keys(spec.columns).map((c) => [c, 0]));
  parsed.forEach((f, i) => {
    const row = rows[i];
    if (f === null) {
      note('unparsed', i, lines[i], row.Content);
      return;
    }
    if (f.message === row.Content) messages++;
    else note('message', i, f.message, row.Content);
    for (const [column, check] of Object.entries(spec.columns)) {
      const [get, wanted] = typeof check === 'function' ? [check, (r: Row) => r[column]] : check;
      const got = get(f);
      const want = wanted(row);
      if (got === want) columns[column]++;
      else note(column, i, got, want);
    }
  });
  let levels: SampleResult['levels'] = null;
  if (spec.level !== undefined) {
    levels = {
      parsed: count(parsed.map((f) => f?.level ?? 'unparsed')),
      truth: count(rows.map((r) => TRUTH_LEVELS[r[spec.level as string].toUpperCase()] ?? `?${r[spec.level as string]}`)),
    };
  }
  let firstLast: SampleResult['firstLast'] = null;
  if (spec.time !== undefined) {
    const year = yearTracker();
    const truth = rows.map((row) => spec.time!(row, year));
    firstLast = {
      parsed: [parsed[0]?.timestamp ?? null, parsed[parsed.length - 1]?.timestamp ?? null],
      truth: [truth[0], truth[truth.length - 1]],
    };
  }
  return {
    sample,
    expected: spec.format,
    detected: detection.format.id,
    confidence: detection.confidence,
    lines: lines.length,
    parsed: parsed.filter((f) => f !== null).length,
    messages,
    columns,
    levelsEqual: levels && sameCounts(levels.parsed, levels.truth),
    levels,
    firstLastEqual: firstLast && firstLast.parsed[0] === firstLast.truth[0] && firstLast.parsed[1] === firstLast.truth[1],
    firstLast,
    mismatches,
  };
}

function pct(n: number, of: number): string {
  return n === of ? '100%' : `${((100 * n) / of).toFixed(1)}%`;
}

/** The README table: one row per sample. */
export function accuracyTable(results: SampleResult[]): string {
  const head =
    '| Sample | Format detected | Confidence | Lines parsed | Message = Content | Fields = CSV | Level counts | First/last time |\n' +
    '|---|---|---|---|---|---|---|---|\n';
  return (
    head +
    results
      .map((r) => {
        const fieldCols = Object.entries(r.columns).map(([c, n]) => `${c} ${pct(n, r.lines)}`).join(', ') || '—';
        const detected = r.detected === r.expected ? `\`${r.detected}\`` : `\`${r.detected}\` (want \`${r.expected}\`)`;
        const yes = (v: boolean | null) => (v === null ? '—' : v ? 'equal' : 'DIFFERENT');
        return `| ${r.sample} | ${detected} | ${r.confidence.toFixed(2)} | ${pct(r.parsed, r.lines)} | ${pct(r.messages, r.lines)} | ${fieldCols} | ${yes(r.levelsEqual)} | ${yes(r.firstLastEqual)} |`;
      })
      .join('\n')
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = LOGHUB_SAMPLES.map(evaluate);
  console.log(accuracyTable(results));
  const notes = LOGHUB_SAMPLES.filter((s) => SPECS[s].notes).map((s) => `- ${s}: ${SPECS[s].notes}`);
  console.log(`\n${notes.join('\n')}`);
  for (const r of results) if (r.mismatches.length) console.log(`\n${r.sample}:\n  ${r.mismatches.join('\n  ')}`);
}
