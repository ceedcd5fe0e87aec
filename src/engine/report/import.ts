/**
 * Reading a report file a user dropped (`linesight.report/v1`), which may come from anyone:
 * refused with a message that says what is wrong, never half-read. Order of checks: size of the
 * text, JSON syntax, the shape of the document (forbidden keys, nesting, list sizes), then the
 * schema in `schema/report.schema.json` — the same file the tests validate exports against.
 *
 * The result is data for the dashboard to render as text; nothing here makes it safe to use as
 * markup, and nothing should.
 */
import reportSchema from '../../../schema/report.schema.json';
import { MAX_TRACES } from '../observe/types.ts';
import { MAX_ALERT_HISTORY } from '../metrics/alerts.ts';
import type { Result } from '../types.ts';
import { REPORT_SCHEMA, type AnyReport } from './report.ts';
import { checkSchema, describe, join, type Schema } from './schema-check.ts';

/** Text (UTF-16 code units) beyond which a file is refused before parsing. */
export const MAX_REPORT_CHARS = 200 * 1024 * 1024;
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

/** Reads a report file's text. */
export function parseReport(text: string): Result<AnyReport, string> {
  if (typeof text !== 'string') return fail('expected the text of a JSON file');
  if (text.length > MAX_REPORT_CHARS) {
    return fail(`the file is too large (${megabytes(text.length)} MB of text; at most ${megabytes(MAX_REPORT_CHARS)} MB)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return fail(`not valid JSON: ${(error as Error).message}`);
  }
  return checkReport(value);
}

/** Checks an already parsed value (e.g. from structured clone) the same way. */
export function checkReport(value: unknown): Result<AnyReport, string> {
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

function fail(message: string): Result<AnyReport, string> {
  return { ok: false, error: message };
}

/** Rounded up to a tenth, so a file just over the limit does not read as equal to it. */
function megabytes(chars: number): string {
  return String(Math.ceil((chars / (1024 * 1024)) * 10) / 10);
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
