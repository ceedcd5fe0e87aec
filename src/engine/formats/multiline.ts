/** Joining multi-line entries (stack traces, wrapped text) into one record, batch by batch. */
import type { LogRecord } from '../types.ts';
import { isStandaloneJson } from './detect.ts';
import { createParseContext, type LogFormat, type ParseContext } from './types.ts';

export const DEFAULT_MAX_ENTRY_LINES = 1000;
/** Counted in UTF-16 code units (string length), close enough to bytes for a safety cap. */
export const DEFAULT_MAX_ENTRY_CHARS = 1 << 20;

export interface JoinOptions {
  maxLines?: number;
  maxChars?: number;
}

/**
 * The header test for a format: a line starts an entry when it parses. A one-line JSON object
 * also stands alone, so a sidecar's JSON lines interleaved in a text log are not glued to the
 * entry above. The context is the joiner's own (year-less stamps move its state on exactly as
 * the parser's, since both see the header lines in the same order).
 */
export function headerTest(format: LogFormat, ctx: ParseContext = createParseContext()): (text: string) => boolean {
  const detect = format.detect;
  return (text) => ((detect === undefined || detect(text)) && format.parse(text, ctx) !== null) || isStandaloneJson(text);
}

/**
 * Streams records into entries. A header line starts an entry; any other line is appended to
 * the current entry's text with "\n" and its record disappears (counted in `joined`). The
 * entry is the header's record, keeping its lineNo and offset. Because the next line may
 * still continue it, the last entry is held back until a header arrives or `finish()` is
 * called; entries come out in input order. Lines before the first header stay entries of
 * their own. An entry is cut at `maxLines` lines or `maxChars` characters: the line that would
 * pass the cap starts a new entry (counted in `capped`), so a file with no headers at all costs
 * bounded memory.
 */
export class EntryJoiner {
  /** Continuation lines merged into an entry. */
  joined = 0;
  /** Entries cut short by a cap. */
  capped = 0;
  private head: LogRecord | null = null;
  private parts: string[] = [];
  private chars = 0;
  private readonly maxLines: number;
  private readonly maxChars: number;

  constructor(
    private readonly isHeader: (text: string) => boolean,
    options: JoinOptions = {},
  ) {
    this.maxLines = options.maxLines ?? DEFAULT_MAX_ENTRY_LINES;
    this.maxChars = options.maxChars ?? DEFAULT_MAX_ENTRY_CHARS;
  }

  /** Complete entries so far (possibly none, possibly some from earlier batches). */
  push(records: readonly LogRecord[]): LogRecord[] {
    const out: LogRecord[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      const text = record.text;
      if (this.isHeader(text)) {
        this.flush(out);
        this.start(record);
      } else if (this.head === null) {
        out.push(record);
      } else if (this.parts.length + 1 >= this.maxLines || this.chars + 1 + text.length > this.maxChars) {
        this.flush(out);
        this.capped++;
        this.start(record);
      } else {
        this.parts.push(text);
        this.chars += 1 + text.length;
        this.joined++;
      }
    }
    return out;
  }

  /** The entry held back, at the end of the input. */
  finish(): LogRecord[] {
    const out: LogRecord[] = [];
    this.flush(out);
    return out;
  }

  private start(record: LogRecord): void {
    this.head = record;
    this.chars = record.text.length;
  }

  private flush(out: LogRecord[]): void {
    const head = this.head;
    if (head === null) return;
    if (this.parts.length > 0) {
      // One join at the end: appending line by line would copy the entry over and over.
      const text = `${head.text}\n${this.parts.join('\n')}`;
      head.text = text;
      if (head.original !== undefined) head.original = text;
      this.parts = [];
    }
    out.push(head);
    this.head = null;
  }
}
