/**
 * Reading a report file a user dropped (`linesight.report/v1`), which may come from anyone:
 * refused with a message that says what is wrong, never half-read. Order of checks: size of the
 * file, JSON syntax, the shape of the document (forbidden keys, nesting, list sizes), then the
 * schema in `schema/report.schema.json` — the same file the tests validate exports against.
 * Then its texts are held to the caps a run keeps them under (observe/text-caps.ts), before
 * anything renders them: a report may hold a string of hundreds of MB, which no view survives.
 *
 * The result is data for the dashboard to render as text; nothing here makes it safe to use as
 * markup, and nothing should.
 */
import reportSchema from '../../../schema/report.schema.json';
import { capTexts } from '../observe/events.ts';
import { TEXT_CAPS, TextCapper } from '../observe/text-caps.ts';
import { capTrace } from '../observe/traces.ts';
import { MAX_TRACES } from '../observe/types.ts';
import { MAX_ALERT_HISTORY } from '../metrics/alerts.ts';
import type { Result } from '../types.ts';
import { REPORT_SCHEMA, type AnyReport } from './report.ts';
import { checkSchema, describe, join, type Schema } from './schema-check.ts';

/** Size of a report file (bytes, or UTF-16 code units of its text) beyond which it is refused before parsing. */
export const MAX_REPORT_CHARS = 200 * 1024 * 1024;
/**
 * Longest string kept anywhere else in an imported report (ids, counter keys, patterns), in
 * UTF-8 bytes: longer ones are cut too. A name (an object's key) longer than this many
 * characters is refused.
 */
export const MAX_REPORT_STRING_BYTES = 64 * 1024;
/** Containers nested deeper than this are refused: no report is nested past ~8 levels. */
export const MAX_DEPTH = 64;
/** Keys that would reach an object's prototype when the data is merged with Object.assign & co. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * Most items a list may hold: the largest cap the app can be set to, doubled. A report past that
 * was not made by Linesight and would only cost memory.
 */
export const IMPORT_LIMITS = {
  processors: 10_000,
  traces: 2 * MAX_TRACES,
  stepsPerTrace: 10_000,
  errors: 200_000,
  events: 200_000,
  alerts: 10_000,
  alertHistory: 2 * MAX_ALERT_HISTORY,
  timelineBuckets: 100_000,
  series: 10_000,
  pointsPerSeries: 2_000_000,
  counterKeys: 200_000,
  stackFrames: 200,
} as const;

/** An imported report, its texts cut to the caps; `cut`: how many texts that cut (also counted in its sections' `cut`). */
export interface ImportedReport {
  report: AnyReport;
  cut: number;
}

/**
 * Why a report file of `bytes` cannot be imported, in words ("this report is 1.07 GB; Linesight
 * imports reports up to 200 MB"), or null when its size is fine. Ask before reading the file:
 * a browser cannot even hold the text of a file of a few GB.
 */
export function reportSizeIssue(bytes: number): string | null {
  if (bytes <= MAX_REPORT_CHARS) return null;
  return `this report is ${sizeText(bytes)}; Linesight imports reports up to ${sizeText(MAX_REPORT_CHARS)}`;
}

/** Reads a report file's text. */
export function parseReport(text: string): Result<AnyReport, string> {
  const read = readReport(text);
  return read.ok ? { ok: true, value: read.value.report } : read;
}

/** Reads a report file's text, telling how many of its texts were cut to the caps. */
export function readReport(text: string): Result<ImportedReport, string> {
  if (typeof text !== 'string') return { ok: false, error: 'expected the text of a JSON file' };
  const tooLarge = reportSizeIssue(text.length);
  if (tooLarge) return { ok: false, error: tooLarge };
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
  }
  return checkAndCap(value);
}

/** Checks an already parsed value (e.g. from structured clone) the same way, cutting its texts (in place) to the caps. */
export function checkReport(value: unknown): Result<AnyReport, string> {
  const checked = checkAndCap(value);
  return checked.ok ? { ok: true, value: checked.value.report } : checked;
}

function checkAndCap(value: unknown): Result<ImportedReport, string> {
  const checked = checkDocument(value);
  if (!checked.ok) return checked;
  return { ok: true, value: { report: checked.value, cut: capReportTexts(checked.value) } };
}

function checkDocument(value: unknown): Result<AnyReport, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`not a Linesight report: expected a JSON object (got ${describe(value)})`);
  }
  const schema = (value as Record<string, unknown>).schema;
  if (schema !== REPORT_SCHEMA) {
    const got = schema === undefined ? 'missing' : describe(schema);
    return fail(`not a Linesight report: schema is ${got} (expected ${JSON.stringify(REPORT_SCHEMA)})`);
  }
  const shape = checkShape(value);
  if (shape !== null) return fail(shape);
  const sizes = checkSizes(value as AnyReport);
  if (sizes !== null) return fail(sizes);
  const issues = checkSchema(value, reportSchema as Schema, reportSchema as Schema, 4);
  if (issues.length > 0) return fail(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '));
  return { ok: true, value: value as AnyReport };
}

function fail(message: string): { ok: false; error: string } {
  return { ok: false, error: message };
}

const SIZE_UNITS = ['KB', 'MB', 'GB', 'TB'];

/** "200 MB", "1.07 GB": the units the app shows sizes in (1 KB = 1,024 bytes), rounded up so a file just over a limit does not read as equal to it. */
function sizeText(bytes: number): string {
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit < 0) return `${bytes} B`;
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  const factor = 10 ** digits;
  return `${String(Math.ceil(value * factor) / factor)} ${SIZE_UNITS[unit]}`;
}

/**
 * Cuts the report's texts (in place) as a run would have kept them: traces, errors and events
 * to TEXT_CAPS (their sections' `cut` grows by what this cut), the run's message likewise, and
 * any other string to MAX_REPORT_STRING_BYTES. Texts Linesight already cut stay as they are.
 * Returns how many texts were cut.
 */
function capReportTexts(report: AnyReport): number {
  const texts = new TextCapper();
  const { traces, errors, events, run } = report;
  const counted = (section: { cut?: number }, cap: () => void) => {
    const before = texts.cut;
    cap();
    if (texts.cut > before) section.cut = (section.cut ?? 0) + texts.cut - before;
  };
  counted(traces, () => traces.items.forEach((trace) => capTrace(trace, texts, true)));
  counted(errors, () => {
    for (const item of errors.items) {
      item.text = texts.recheck(item.text);
      item.message = texts.recheck(item.message);
      if (item.stack) item.stack = item.stack.map((frame) => texts.recheck(frame, TEXT_CAPS.frame));
    }
  });
  counted(events, () => {
    events.items = events.items.map((event) => capTexts(event, texts, true) as typeof event);
  });
  if (typeof run.message === 'string') run.message = texts.recheck(run.message);
  capStrings(report, texts);
  return texts.cut;
}

/** Cuts every string of `root` longer than MAX_REPORT_STRING_BYTES (iteratively, like checkShape). */
function capStrings(root: object, texts: TextCapper): void {
  const stack: object[] = [root];
  const visit = (value: unknown, put: (kept: string) => void) => {
    if (typeof value === 'string') {
      if (value.length * 3 > MAX_REPORT_STRING_BYTES) put(texts.recheck(value, MAX_REPORT_STRING_BYTES));
    } else if (typeof value === 'object' && value !== null) {
      stack.push(value);
    }
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      const list = node as unknown[];
      for (let i = 0; i < list.length; i++) visit(list[i], (kept) => (list[i] = kept));
    } else {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) visit(record[key], (kept) => (record[key] = kept));
    }
  }
}


interface Frame {
  value: object;
  depth: number;
  parent: Frame | null;
  key: string | number;
}

/**
 * Walks every object and list (iteratively: a hostile file may nest a million levels) for
 * prototype keys and depth. Paths are built only for the message.
 */
function checkShape(root: object): string | null {
  const stack: Frame[] = [{ value: root, depth: 0, parent: null, key: '' }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth > MAX_DEPTH) return `${pathOf(frame)}: nested too deeply (more than ${MAX_DEPTH} levels)`;
    if (Array.isArray(frame.value)) {
      const list = frame.value as unknown[];
      for (let i = 0; i < list.length; i++) {
        const item = list[i];
        if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: frame.depth + 1, parent: frame, key: i });
      }
      continue;
    }
    for (const key of Object.keys(frame.value)) {
      if (FORBIDDEN_KEYS.includes(key)) {
        return `refused: ${pathOf({ value: {}, depth: 0, parent: frame, key })} is a key that could change how objects behave (${JSON.stringify(key)})`;
      }
      // A name cannot be cut without changing what it names.
      if (key.length > MAX_REPORT_STRING_BYTES) {
        return `${pathOf(frame)}: a name of ${key.length.toLocaleString('en-US')} characters, longer than any Linesight report holds (at most ${MAX_REPORT_STRING_BYTES.toLocaleString('en-US')})`;
      }
      const item = (frame.value as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) stack.push({ value: item, depth: frame.depth + 1, parent: frame, key });
    }
  }
  return null;
}

function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | null = frame; f !== null && f.parent !== null; f = f.parent) keys.push(f.key);
  let path = '';
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    path = typeof key === 'number' ? `${path}[${key}]` : join(path, key);
  }
  return path || 'the report';
}

/** Lists over the caps (plus margin); runs before the schema so a huge list is not walked item by item. */
function checkSizes(report: AnyReport): string | null {
  const L = IMPORT_LIMITS;
  const r = report as unknown as Record<string, Record<string, unknown> | undefined>;
  const checks: [string, unknown, number][] = [
    ['processors', r.processors, L.processors],
    ['pipeline.processors', r.pipeline?.processors, L.processors],
    ['graph.nodes', r.graph?.nodes, L.processors],
    ['graph.edges', r.graph?.edges, L.processors * 4],
    ['traces.items', r.traces?.items, L.traces],
    ['errors.items', r.errors?.items, L.errors],
    ['events.items', r.events?.items, L.events],
    ['alerts', r.alerts, L.alerts],
    ['timeline.buckets', r.timeline?.buckets, L.timelineBuckets],
    ['counters', r.counters, L.processors],
  ];
  for (const [path, list, max] of checks) {
    if (Array.isArray(list) && list.length > max) return tooMany(path, list.length, max);
  }
  return (
    eachList(r.traces?.items, 'traces.items', 'steps', L.stepsPerTrace) ??
    eachList(r.errors?.items, 'errors.items', 'stack', L.stackFrames) ??
    eachList(r.alerts, 'alerts', 'history', L.alertHistory) ??
    eachList(r.counters, 'counters', 'counts', L.counterKeys) ??
    seriesSizes(r.metrics?.series)
  );
}

function eachList(list: unknown, path: string, field: string, max: number): string | null {
  if (!Array.isArray(list)) return null;
  for (let i = 0; i < list.length; i++) {
    const inner = (list[i] as Record<string, unknown> | null)?.[field];
    if (Array.isArray(inner) && inner.length > max) return tooMany(`${path}[${i}].${field}`, inner.length, max);
  }
  return null;
}

function seriesSizes(series: unknown): string | null {
  if (typeof series !== 'object' || series === null) return null;
  const names = Object.keys(series);
  if (names.length > IMPORT_LIMITS.series) return tooMany('metrics.series', names.length, IMPORT_LIMITS.series);
  for (const name of names) {
    const points = (series as Record<string, unknown>)[name];
    if (Array.isArray(points) && points.length > IMPORT_LIMITS.pointsPerSeries) {
      return tooMany(join('metrics.series', name), points.length, IMPORT_LIMITS.pointsPerSeries);
    }
  }
  return null;
}

function tooMany(path: string, count: number, max: number): string {
  return `${path}: ${count.toLocaleString('en-US')} items, more than any Linesight report holds (at most ${max.toLocaleString('en-US')})`;
}
