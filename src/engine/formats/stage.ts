import type { LogRecord } from '../types.ts';
import { detectFormat } from './detect.ts';
import { EntryJoiner } from './multiline.ts';
import { LineParser } from './parser.ts';
import { formatById } from './registry.ts';
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
    const chosen = this.options.format === 'auto' ? undefined : formatById(this.options.format);
    if (chosen) {
      this.detected = { format: chosen, confidence: 1, overridden: true };
    } else {
      const detection = detectFormat(records.map((r) => r.text));
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

/** Puts parsed fields on a record: level and time where the engine looks for them, the rest in `fields`. */
export function applyFields(record: LogRecord, fields: ParsedFields): void {
  record.level = fields.level;
  record.ts = fields.timestamp ?? undefined;
  record.fields = {
    ...record.fields,
    ...fields.extra,
    timestamp: fields.timestamp,
    level: fields.level,
    levelRaw: fields.levelRaw,
    component: fields.component,
    pid: fields.pid,
    thread: fields.thread,
    message: fields.message,
  };
  record.parsedText = record.text;
}
