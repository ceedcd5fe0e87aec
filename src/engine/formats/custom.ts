/**
 * Formats a user defines: a regular expression with named groups and a timestamp layout.
 *
 *   { "id": "myapp", "name": "My app",
 *     "pattern": "^(?<timestamp>\\S+ \\S+) \\[(?<level>\\w+)\\] (?<component>[\\w.]+) - (?<message>.*)",
 *     "timestampLayout": "yyyy-MM-dd HH:mm:ss.SSS" }
 *
 * Groups `timestamp`, `level`, `message`, `component`, `pid`, `thread` fill those fields; any
 * other named group goes to `extra`. Without a `message` group the whole line is the message;
 * without a `level` group the level is read from the message.
 */
import { extractTimestamp, fractionMs, type TimestampContext } from '../metrics/timestamps.ts';
import type { Result } from '../types.ts';
import { fields, levelFromMessage, levelOf } from './fields.ts';
import { formatById } from './registry.ts';
import { d2, d4, isDigit } from './scan.ts';
import { civil, cursor, isoAt, monthAt, validDate, yearless, zone } from './time.ts';
import { createParseContext, type LogFormat, type ParseContext, type ParsedFields } from './types.ts';

export interface CustomFormatSpec {
  id: string;
  name: string;
  /** A JavaScript regular expression (no slashes, no flags); anchor it with ^ for speed. */
  pattern: string;
  /**
   * How the `timestamp` group is written: tokens yyyy yy MM MMM dd HH mm ss SSS (any number of
   * S: a fraction) Z (zone: Z, +hh:mm, +hhmm), other characters literal ('quoted' for letters;
   * a bare T is literal too); or `iso`, `epoch` (seconds), `epoch_ms`, `auto` (the default:
   * any layout Linesight recognises).
   */
  timestampLayout?: string;
  /** Lines that do not match join the entry above (default: when there is a timestamp group). */
  multiline?: boolean;
  description?: string;
  sample?: string;
}

export interface FormatIssue {
  path: string;
  message: string;
}

/** The keys of a spec; any other is refused. */
export const SPEC_KEYS = ['id', 'name', 'pattern', 'timestampLayout', 'multiline', 'description', 'sample'] as const;
const ROLE_GROUPS = new Set(['timestamp', 'level', 'message', 'component', 'pid', 'thread']);
/** What a format id may be (built-in ids are of the same shape). */
export const FORMAT_ID = /^[a-z0-9][a-z0-9_.-]{0,63}$/i;

/** Parses a timestamp's text into epoch ms, null when it does not fit. */
export type TimestampReader = (text: string, ctx: TimestampContext) => number | null;

const enum Token {
  Literal,
  Year4,
  Year2,
  Month2,
  MonthName,
  Day,
  Hour,
  Minute,
  Second,
  Fraction,
  Zone,
}

interface Step {
  token: Token;
  literal: string;
}

const TOKENS: [string, Token][] = [
  ['yyyy', Token.Year4],
  ['yy', Token.Year2],
  ['MMM', Token.MonthName],
  ['MM', Token.Month2],
  ['dd', Token.Day],
  ['HH', Token.Hour],
  ['mm', Token.Minute],
  ['ss', Token.Second],
  ['Z', Token.Zone],
];

/** Any layout Linesight recognises on its own. */
const AUTO: TimestampReader = (text, ctx) => extractTimestamp(text, ctx);

/** Compiles a layout such as `yyyy-MM-dd HH:mm:ss.SSS` or `MMM dd HH:mm:ss`. */
export function compileLayout(layout: string): Result<TimestampReader, string> {
  switch (layout) {
    case 'auto':
      return { ok: true, value: AUTO };
    case 'iso':
      return { ok: true, value: (text, ctx) => nullIfNaN(isoAt(text, 0, ctx)) };
    case 'epoch':
    case 'epoch_ms': {
      const scale = layout === 'epoch' ? 1000 : 1;
      return { ok: true, value: (text) => (/^\d+(\.\d+)?$/.test(text) ? Math.round(Number(text) * scale) : null) };
    }
  }
  const steps: Step[] = [];
  const literal = (text: string) => {
    const last = steps[steps.length - 1];
    if (last?.token === Token.Literal) last.literal += text;
    else steps.push({ token: Token.Literal, literal: text });
  };
  let i = 0;
  outer: while (i < layout.length) {
    const c = layout[i];
    if (c === "'") {
      const end = layout.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: `unclosed quote at ${i + 1}` };
      literal(end === i + 1 ? "'" : layout.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (c === 'S') {
      while (layout[i] === 'S') i++;
      steps.push({ token: Token.Fraction, literal: '' });
      continue;
    }
    for (const [text, token] of TOKENS) {
      if (layout.startsWith(text, i)) {
        steps.push({ token, literal: '' });
        i += text.length;
        continue outer;
      }
    }
    if (/[A-Za-z]/.test(c) && c !== 'T') {
      return { ok: false, error: `unknown token "${c}" at ${i + 1} (known: yyyy yy MM MMM dd HH mm ss SSS Z, or iso, epoch, epoch_ms, auto)` };
    }
    literal(c);
    i++;
  }
  const has = (token: Token) => steps.some((step) => step.token === token);
  if (!(has(Token.Month2) || has(Token.MonthName)) || !has(Token.Day) || !has(Token.Hour)) {
    return { ok: false, error: 'a layout needs at least a month (MM or MMM), a day (dd) and an hour (HH)' };
  }
  return { ok: true, value: (text, ctx) => readLayout(steps, text, ctx) };
}

function nullIfNaN(t: number): number | null {
  return t === t ? t : null;
}

function readLayout(steps: readonly Step[], s: string, ctx: TimestampContext): number | null {
  let year = -1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let zoneMinutes = NaN;
  let i = 0;
  for (const step of steps) {
    let v = 0;
    switch (step.token) {
      case Token.Literal:
        if (!s.startsWith(step.literal, i)) return null;
        i += step.literal.length;
        continue;
      case Token.Year4:
        year = d4(s, i);
        if (year < 0) return null;
        i += 4;
        continue;
      case Token.Year2:
        v = d2(s, i);
        if (v < 0) return null;
        year = v < 70 ? 2000 + v : 1900 + v;
        i += 2;
        continue;
      case Token.MonthName:
        month = monthAt(s, i);
        if (month === 0) return null;
        i += 3;
        continue;
      case Token.Fraction:
        if (!isDigit(s.charCodeAt(i))) return null;
        ms = fractionMs(s, i, cursor);
        i = cursor.pos;
        continue;
      case Token.Zone:
        zone(s, i);
        if (cursor.zone !== cursor.zone) return null;
        zoneMinutes = cursor.zone;
        i = cursor.pos;
        continue;
      case Token.Day:
        // syslog pads the day with a blank ("Jul  1"), others drop the zero ("Jul 1").
        if (s.charCodeAt(i) === 32) i++;
        v = d2(s, i);
        if (v >= 0) i += 2;
        else if (isDigit(s.charCodeAt(i))) v = s.charCodeAt(i++) - 48;
        else return null;
        day = v;
        continue;
      default:
        v = d2(s, i);
        if (v < 0) return null;
        i += 2;
        if (step.token === Token.Month2) month = v;
        else if (step.token === Token.Hour) hour = v;
        else if (step.token === Token.Minute) minute = v;
        else second = v;
    }
  }
  if (i !== s.length || hour > 23 || minute > 59 || second > 60 || !validDate(year < 0 ? 2000 : year, month, day)) return null;
  const msOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  return year < 0 ? yearless(month, day, msOfDay, zoneMinutes, ctx) : civil(year, month, day, msOfDay, zoneMinutes, ctx);
}

/** Named groups of a pattern, in order (lookbehinds `(?<=` `(?<!` are not names). */
function groupNames(pattern: string): string[] {
  return [...pattern.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]);
}

/**
 * Checks a user's format and builds it. Every problem is reported, each with the path of the
 * key (under `path`, e.g. `customFormats[2]`) and a reason a user understands.
 */
export function compileCustomFormat(spec: unknown, path = ''): Result<LogFormat, FormatIssue[]> {
  const compiled = compile(spec, path);
  return compiled.ok ? { ok: true, value: compiled.value.format } : compiled;
}

/** A built format with its parts, for a preview that wants the match itself (its timestamp text). */
interface CompiledFormat {
  format: LogFormat;
  regex: RegExp;
  /** The fields of a line whose first line `m` is the match of. */
  fieldsOf(m: RegExpExecArray, line: string, ctx: ParseContext): ParsedFields;
}

function compile(spec: unknown, path: string): Result<CompiledFormat, FormatIssue[]> {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const issues: FormatIssue[] = [];
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    return { ok: false, error: [{ path: path || '(format)', message: 'a custom format is an object with id, name and pattern' }] };
  }
  const s = spec as Record<string, unknown>;
  for (const key of Object.keys(s)) {
    if (!(SPEC_KEYS as readonly string[]).includes(key)) issues.push({ path: at(key), message: `unknown key (known: ${SPEC_KEYS.join(', ')})` });
  }
  const string = (key: string, required: boolean): string | undefined => {
    const value = s[key];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || value === '') {
      issues.push({ path: at(key), message: required ? 'required: a non-empty string' : 'must be a non-empty string' });
      return undefined;
    }
    return value;
  };
  const id = string('id', true);
  if (id !== undefined && !FORMAT_ID.test(id)) {
    issues.push({ path: at('id'), message: 'letters, digits, "_", "." and "-" only, starting with a letter or digit (at most 64)' });
  } else if (id !== undefined && formatById(id) !== undefined) {
    issues.push({ path: at('id'), message: `"${id}" is a built-in format; choose another id` });
  }
  const name = string('name', true);
  const pattern = string('pattern', true);
  const description = string('description', false);
  const sample = string('sample', false);
  let regex: RegExp | undefined;
  let names: string[] = [];
  if (pattern !== undefined) {
    try {
      regex = new RegExp(pattern);
      names = groupNames(pattern);
    } catch (error) {
      issues.push({ path: at('pattern'), message: `invalid regular expression: ${(error as Error).message}` });
    }
  }
  const hasTimestamp = names.includes('timestamp');
  const layout = string('timestampLayout', false);
  let reader: TimestampReader | undefined;
  if (layout !== undefined) {
    const compiled = compileLayout(layout);
    if (!compiled.ok) issues.push({ path: at('timestampLayout'), message: compiled.error });
    else if (regex !== undefined && !hasTimestamp) {
      issues.push({ path: at('timestampLayout'), message: 'the pattern has no (?<timestamp>...) group for it to read' });
    } else reader = compiled.value;
  } else if (hasTimestamp) reader = AUTO;
  const multiline = s.multiline;
  if (multiline !== undefined && typeof multiline !== 'boolean') issues.push({ path: at('multiline'), message: 'must be true or false' });
  if (issues.length > 0 || regex === undefined || id === undefined || name === undefined) {
    return { ok: false, error: issues };
  }
  const re = regex;
  const extraNames = names.filter((group) => !ROLE_GROUPS.has(group));
  const hasMessage = names.includes('message');
  const fieldsOf = (m: RegExpExecArray, line: string, ctx: ParseContext): ParsedFields => {
    const first = m.input;
    const g = m.groups ?? {};
    let message = hasMessage ? (g.message ?? '') : first;
    if (line.length > first.length) message += line.slice(first.length);
    const raw = g.level;
    const timestamp = reader !== undefined && g.timestamp !== undefined ? reader(g.timestamp, ctx.time) : null;
    let extra: Record<string, string | number> | undefined;
    for (const key of extraNames) if (g[key] !== undefined) (extra ??= {})[key] = g[key];
    return fields(
      timestamp,
      raw === undefined ? levelFromMessage(message) : levelOf(raw),
      raw ?? null,
      g.component ?? null,
      g.pid ?? null,
      g.thread ?? null,
      message,
      extra,
    );
  };
  const format: LogFormat = {
    id,
    name,
    description: description ?? `custom: ${pattern}`,
    family: 'custom',
    hasHeaders: typeof multiline === 'boolean' ? multiline : hasTimestamp,
    sample: sample ?? '',
    parse(line, ctx) {
      // A joined entry: match its first line; the lines after it belong to the message.
      const newline = line.indexOf('\n');
      const m = re.exec(newline < 0 ? line : line.slice(0, newline));
      return m === null ? null : fieldsOf(m, line, ctx);
    },
  };
  return { ok: true, value: { format, regex: re, fieldsOf } };
}

/**
 * A user's list of formats, as a run gets it: each spec is checked on its own; a bad one is
 * left out with its issues (under `customFormats[i]`), never failing the others or the run.
 */
export function compileCustomFormats(specs: readonly unknown[]): { formats: LogFormat[]; accepted: number[]; issues: FormatIssue[] } {
  const formats: LogFormat[] = [];
  /** The index in `specs` of each format. */
  const accepted: number[] = [];
  const issues: FormatIssue[] = [];
  specs.forEach((spec, i) => {
    const path = `customFormats[${i}]`;
    const compiled = compileCustomFormat(spec, path);
    if (!compiled.ok) issues.push(...compiled.error);
    else if (formats.some((format) => format.id === compiled.value.id)) {
      issues.push({ path: `${path}.id`, message: `"${compiled.value.id}" is the id of an earlier custom format` });
    } else {
      formats.push(compiled.value);
      accepted.push(i);
    }
  });
  return { formats, accepted, issues };
}

/** What a format makes of one sample line. */
export interface LinePreview {
  line: string;
  /** The line's fields when it is an entry of the format; null when it does not match. */
  fields: ParsedFields | null;
  /** Why it does not match, or what is off in a match (a timestamp the layout cannot read). */
  problem: string | null;
}

export interface FormatPreview {
  format: LogFormat;
  lines: LinePreview[];
  /** Lines that fit wholly: the pattern matched and their timestamp was read (no `problem`). */
  matched: number;
}

/** Lines a preview looks at: enough to check a format, few enough to stay instant while typing. */
export const PREVIEW_MAX_LINES = 50;

/**
 * Tries a spec on sample lines before it is saved: each non-empty line with its fields, or why
 * it does not fit. Lines are read one by one, as headers (a joined entry's first line).
 */
export function previewCustomFormat(spec: unknown, sample: readonly string[]): Result<FormatPreview, FormatIssue[]> {
  const compiled = compile(spec, '');
  if (!compiled.ok) return compiled;
  const { format, regex, fieldsOf } = compiled.value;
  const { timestampLayout } = spec as CustomFormatSpec;
  const ctx = createParseContext();
  const lines: LinePreview[] = [];
  let matched = 0;
  for (const line of sample) {
    if (line.trim() === '') continue;
    if (lines.length === PREVIEW_MAX_LINES) break;
    // Matched once: the match gives the fields and the timestamp's text alike.
    const m = regex.exec(line);
    const fields = m === null ? null : fieldsOf(m, line, ctx);
    let problem: string | null = null;
    if (m === null || fields === null) {
      problem = format.hasHeaders
        ? 'does not match the pattern: in a run it joins the entry above (multi-line)'
        : 'does not match the pattern: in a run it is counted as not fitting';
    } else {
      const stamp = m.groups?.timestamp;
      if (stamp !== undefined && fields.timestamp === null) {
        problem = `timestamp "${stamp}" does not fit the layout ${timestampLayout ? `"${timestampLayout}"` : 'auto'}`;
      }
    }
    if (problem === null) matched++;
    lines.push({ line, fields, problem });
  }
  return { ok: true, value: { format, lines, matched } };
}
