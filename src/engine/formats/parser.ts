/** Parsing a file's lines with its format, keeping the lines that do not fit. */
import { isStandaloneJson } from './detect.ts';
import { PLAIN_FORMAT } from './registry.ts';
import { createParseContext, type LogFormat, type ParseContext, type ParsedFields } from './types.ts';

/** Headers remembered for `parse` at most (a few batches); a miss only costs a second parse. */
const MAX_REMEMBERED = 16_384;
/** How far past the oldest remembered header `parse` looks, in case some entries never came back. */
const LOOKAHEAD = 8;

/**
 * Parses with one format; a line it does not read (the file changed format, a banner, a
 * continuation when joining is off) is counted in `unmatched` and still gets fields, from the
 * plain format, so no line is lost.
 *
 * With multi-line joining, give the joiner `isHeader`: it parses each header line once and
 * `parse` hands the same fields out when the entry comes back unchanged (a joined entry is
 * parsed again, with its continuation lines in the message). Entries come back in the order the
 * joiner emitted them; one that never does (a processor before parse dropped it) is skipped,
 * and the memory is bounded: at worst a line is parsed twice.
 */
export class LineParser {
  matched = 0;
  unmatched = 0;
  /** Header lines isHeader parsed and their fields, oldest first from `next`, waiting for parse() (two columns: no object per line). */
  private rememberedTexts: string[] = [];
  private rememberedFields: ParsedFields[] = [];
  private next = 0;

  constructor(
    readonly format: LogFormat,
    readonly ctx: ParseContext = createParseContext(),
  ) {}

  /**
   * For EntryJoiner: a line starts an entry when it parses, or when it is a one-line JSON object
   * (a sidecar's lines interleaved in a text log are not glued to the entry above).
   */
  readonly isHeader = (text: string): boolean => {
    const detect = this.format.detect;
    const fields = detect === undefined || detect(text) ? this.format.parse(text, this.ctx) : null;
    if (fields === null) return isStandaloneJson(text);
    if (this.rememberedTexts.length - this.next >= MAX_REMEMBERED) this.forget(this.next + 1);
    this.rememberedTexts.push(text);
    this.rememberedFields.push(fields);
    return true;
  };

  parse(text: string): ParsedFields {
    const fields = this.recall(text) ?? this.format.parse(text, this.ctx);
    if (fields !== null) {
      this.matched++;
      return fields;
    }
    this.unmatched++;
    return PLAIN_FORMAT.parse(text, this.ctx) as ParsedFields;
  }

  /** The fields isHeader found for this entry, if it came back unchanged. */
  private recall(text: string): ParsedFields | null {
    const end = Math.min(this.rememberedTexts.length, this.next + LOOKAHEAD);
    for (let k = this.next; k < end; k++) {
      const header = this.rememberedTexts[k];
      const fields = this.rememberedFields[k];
      if (header === text) {
        this.forget(k + 1);
        return fields;
      }
      // The header with continuation lines joined to it: its message changed, parse again.
      if (text.length > header.length && text.charCodeAt(header.length) === 10 && text.startsWith(header)) {
        this.forget(k + 1);
        return null;
      }
    }
    return null;
  }

  /** Drops the remembered headers before `upTo`. */
  private forget(upTo: number): void {
    this.next = upTo;
    // Now and then rather than shifting the array on every entry.
    if (this.next === this.rememberedTexts.length || this.next >= 1024) {
      this.rememberedTexts = this.rememberedTexts.slice(this.next);
      this.rememberedFields = this.rememberedFields.slice(this.next);
      this.next = 0;
    }
  }
}
