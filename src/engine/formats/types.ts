/** Shapes of log formats: what a parser gives a line, and how a format describes itself. */
import { createTimestampContext, type TimestampContext } from '../metrics/timestamps.ts';
import type { Level } from '../types.ts';

/** What a format's header tells about one line (or one multi-line entry). */
export interface ParsedFields {
  /** Epoch ms; the line's zone when it has one, else the context's. */
  timestamp: number | null;
  /** Normalised. For formats without a level field it is read from the message (levelRaw null). */
  level: Level;
  /** The level as written ("WARNING", "notice", "W", "30"), null when the line has none. */
  levelRaw: string | null;
  /** Logger, tag, program, module. */
  component: string | null;
  pid: string | null;
  thread: string | null;
  /** The rest of the line after the header, trailing whitespace trimmed; joined lines included. */
  message: string;
  /**
   * Every other field: access-log status/bytes (numbers), method, path, ip; all JSON and logfmt
   * keys not used above. Absent (undefined) when a line has none.
   */
  extra?: Record<string, string | number>;
}

/** Grouping for the format list in the UI. */
export type FormatFamily =
  | 'structured'
  | 'syslog'
  | 'web'
  | 'jvm'
  | 'python'
  | 'android'
  | 'native'
  | 'windows'
  | 'hpc'
  | 'generic'
  | 'custom';

/** Per-file parsing state; one per file (detection uses its own). */
export interface ParseContext {
  /** Year of year-less stamps (moves on at a year's end) and the zone of zone-less ones. */
  time: TimestampContext;
}

export function createParseContext(options: { year?: number; timeZoneOffsetMinutes?: number } = {}): ParseContext {
  return { time: createTimestampContext(options) };
}

export interface LogFormat {
  /** Stable: saved in reports and settings. */
  id: string;
  name: string;
  /** One line. */
  description: string;
  family: FormatFamily;
  /**
   * Entries may span lines (stack traces, wrapped text) and each starts with a header line:
   * multi-line joining applies, and continuation lines do not count against the format in
   * detection.
   */
  hasHeaders: boolean;
  /** An example line, for the format list and tests. */
  sample: string;
  /** A cheap pre-check: false means `parse` would return null. */
  detect?(line: string): boolean;
  /**
   * The line's fields, or null when the line is not in this format (the caller counts it).
   * `line` may be a joined entry (lines separated by "\n"): the header is read from its start.
   */
  parse(line: string, ctx: ParseContext): ParsedFields | null;
}
