import type { LogRecord } from '../types.ts';
import { detectFormat } from './detect.ts';
import { EntryJoiner } from './multiline.ts';
import { LineParser } from './parser.ts';
import { ALL_FORMATS, formatById } from './registry.ts';
import { createParseContext, type LogFormat, type ParsedFields } from './types.ts';

/** The report's `format` section. */
export interface FormatSection {
  id: string;
  name: string;
  /** Share of the sampled first lines the format parsed (1 when chosen rather than detected). */
  confidence: number;
  /** Chosen by the user (the `parse` processor's `format`), not detected. */
  overridden: boolean;
  /** Lines (entries) that did not fit the format: kept with plain fields. */
  unmatchedLines: number;
  /** Continuation lines joined to the entry before them. */
  multilineJoined: number;
}

export interface FormatStageOptions {
  /** A format id, or "auto". */
  format: string;
  multiline: boolean;
  timeZoneOffsetMinutes?: number;
  /** The user's formats (compiled): detection tries them first, and `format` may name one. */
  customFormats?: readonly LogFormat[];
}

/**
 * Where lines become entries of a format, as they are read: the format is detected on the first
 * batch, continuation lines are joined (holding back the last entry of a batch until the next
 * shows whether lines follow), and each entry is parsed once.
 */
export class FormatStage {
  private detected: { format: LogFormat; confidence: number; overridden: boolean } | null = null;
  private joiner: EntryJoiner | null = null;
  parser: LineParser | null = null;

  constructor(private readonly options: FormatStageOptions) {}

  /** The entries completed by this batch, parsed (level, ts, fields set). */
  push(records: LogRecord[]): LogRecord[] {
    if (this.detected === null) this.start(records);
    return this.parseAll(this.joiner ? this.joiner.push(records) : records);
  }

  /** The entry still held back at the end of the file. */
  finish(): LogRecord[] {
    return this.parseAll(this.joiner ? this.joiner.finish() : []);
  }

  section(): FormatSection | null {
    if (this.detected === null || this.parser === null) return null;
    const { format, confidence, overridden } = this.detected;
    return {
      id: format.id,
      name: format.name,
      confidence: Math.round(confidence * 1000) / 1000,
      overridden,
      unmatchedLines: this.parser.unmatched,
      multilineJoined: this.joiner?.joined ?? 0,
    };
  }

  private start(records: LogRecord[]): void {
    const { format: id, customFormats: custom = [] } = this.options;
    const chosen = id === 'auto' ? undefined : (custom.find((format) => format.id === id) ?? formatById(id));
    if (chosen) {
      this.detected = { format: chosen, confidence: 1, overridden: true };
    } else {
      const detection = detectFormat(records.map((r) => r.text), ALL_FORMATS, custom);
      this.detected = { format: detection.format, confidence: detection.confidence, overridden: false };
    }
    const format = this.detected.format;
    this.parser = new LineParser(format, createParseContext({ timeZoneOffsetMinutes: this.options.timeZoneOffsetMinutes }));
    if (this.options.multiline && format.hasHeaders) this.joiner = new EntryJoiner(this.parser.isHeader);
  }

  private parseAll(entries: LogRecord[]): LogRecord[] {
    const parser = this.parser!;
    for (let i = 0; i < entries.length; i++) {
      const record = entries[i];
      applyFields(record, parser.parse(record.text));
    }
    return entries;
  }
}

/**
 * Puts parsed fields on a record: level and time where the engine looks for them, the rest in
 * `fields` (the record's own fields, then the format's extras, then the common ones, which win).
 *
 * Built without object spread: V8's spread slows to a runtime call per record (about 1 µs) for
 * good once objects of several shapes went through it, which is what a worker that has parsed
 * a few formats sees; parsing then cost twice as much.
 */
export function applyFields(record: LogRecord, fields: ParsedFields): void {
  record.level = fields.level;
  record.ts = fields.timestamp ?? undefined;
  record.fields = fieldsOf(fields, record.fields);
  record.parsedText = record.text;
}

/** A record's `fields` from what its format read (and the fields it had, which the format's override). */
export function fieldsOf(fields: ParsedFields, before?: Record<string, unknown>): Record<string, unknown> {
  const extra = fields.extra;
  if (before === undefined && extra === undefined) {
    // Most text formats: one literal, the same shape for every record.
    return {
      timestamp: fields.timestamp,
      level: fields.level,
      levelRaw: fields.levelRaw,
      component: fields.component,
      pid: fields.pid,
      thread: fields.thread,
      message: fields.message,
    };
  }
  const merged: Record<string, unknown> = {};
  if (before !== undefined) copyKeys(merged, before);
  if (extra !== undefined) copyKeys(merged, extra);
  merged.timestamp = fields.timestamp;
  merged.level = fields.level;
  merged.levelRaw = fields.levelRaw;
  merged.component = fields.component;
  merged.pid = fields.pid;
  merged.thread = fields.thread;
  merged.message = fields.message;
  return merged;
}

/** Own keys of `source` onto `target`, as a spread copies them: "__proto__" stays a plain key. */
function copyKeys(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    if (key === '__proto__') {
      Object.defineProperty(target, key, { value: source[key], enumerable: true, writable: true, configurable: true });
    } else {
      target[key] = source[key];
    }
  }
}
