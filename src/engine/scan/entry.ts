/**
 * An entry as the scan hands it to the pipeline: its level and time are read when it is read
 * (every entry needs them: counts, charts, index), its other fields only when a processor asks.
 */
import { fieldsOf } from '../formats/stage.ts';
import type { ParsedFields } from '../formats/types.ts';
import type { Level, LogRecord, TraceInFlight } from '../types.ts';

export class Entry implements LogRecord {
  level: Level | undefined = undefined;
  ts: number | undefined = undefined;
  parsedText: string | undefined = undefined;
  trace: TraceInFlight | undefined = undefined;
  /** What the format read, until `fields` is asked for. */
  private read: ParsedFields | null = null;
  private own: Record<string, unknown> | undefined = undefined;

  constructor(
    public lineNo: number,
    public offset: number,
    public text: string,
    public original: string | undefined,
  ) {}

  get fields(): Record<string, unknown> | undefined {
    const read = this.read;
    if (read !== null) {
      this.read = null;
      this.own = fieldsOf(read);
    }
    return this.own;
  }

  set fields(value: Record<string, unknown> | undefined) {
    this.read = null;
    this.own = value;
  }

  /** The format's reading of the entry: level and time now, the rest on demand. */
  parsed(fields: ParsedFields): void {
    this.level = fields.level;
    this.ts = fields.timestamp ?? undefined;
    this.read = fields;
    this.own = undefined;
    this.parsedText = this.text;
  }
}
