/**
 * What the Logs view reads: the entries of a run's file(s), a window at a time, through a sparse
 * index built while the run scanned the file (never the whole file in memory). Types only: the
 * worker implements them, the UI renders them.
 */
import type { Level } from '../types.ts';

/** One entry (a line, or a multi-line entry) as the Logs view shows it. */
export interface LogRow {
  /** 0-based position of the row in its view (all entries, or those a filter keeps). */
  row: number;
  /** Which of the run's files (index into `LogIndexInfo.files`). */
  file: number;
  /** 1-based number of the entry's first line in its file. */
  lineNo: number;
  /** Lines in the entry: 1, or more when continuation lines were joined to it. */
  lineCount: number;
  /** Byte offset of the entry's first byte in its (decompressed) file. */
  offset: number;
  /** The entry as in the file (lines joined with "\n"), cut at `LOG_ROW_MAX_CHARS`. */
  text: string;
  /** The entry is longer than `text`. */
  cut: boolean;
  level: Level;
  /** The entry's log time (epoch ms), null when it has none. */
  ts: number | null;
  /** Fields the format gives (component, pid, thread, ...); absent when it gives none. */
  component: string | null;
  /** The message after the header; null when the entry did not fit the format (show `text`). */
  message: string | null;
  /** The entry did not fit the run's format. */
  unmatched: boolean;
  /** Search matches in `text`, as [start, end) UTF-16 offsets, flattened: [s0, e0, s1, e1, ...]. */
  marks: number[];
}

/** The longest entry text a row carries; the view offers the rest on demand. */
export const LOG_ROW_MAX_CHARS = 64 * 1024;

export interface LogFileInfo {
  name: string;
  size: number;
  entries: number;
  lines: number;
}

/** What the index knows about a run's log, for the scrollbar, jumps and the summary. */
export interface LogIndexInfo {
  files: LogFileInfo[];
  /** Entries of all files together: the rows of the unfiltered view. */
  entries: number;
  /** Lines of all files together. */
  lines: number;
  /** First and last log time (epoch ms), null when no entry has one. */
  firstTs: number | null;
  lastTs: number | null;
  /** The file can still be read (a stored run whose file handle is gone cannot show its lines). */
  readable: boolean;
  /** Why not, in the user's words, when not readable. */
  unreadableReason?: string;
}

/** A comparison on a field: `status>=500`, `component:nova.compute` (op "="). */
export interface FieldTerm {
  field: string;
  op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  value: string;
}

/** What a view shows: filters that narrow the rows, and a search that marks (or narrows) them. */
export interface LogQuery {
  /** Free text searched in the entry: literal (case-insensitive unless caseSensitive) or a regular expression. */
  search?: { text: string; regex: boolean; caseSensitive: boolean };
  /** Field terms of the search box (`level:ERROR`, `status>=500`), all of which must hold. */
  fields?: FieldTerm[];
  /** Keep only these levels (absent: all). */
  levels?: Level[];
  /** Keep only entries whose log time is in [from, to) (epoch ms); entries without a time are left out. */
  timeRange?: { from: number; to: number };
  /** Keep only these files (indexes), absent: all. */
  files?: number[];
  /** Keep only entries that did not fit the format. */
  unmatched?: boolean;
  /** Keep only entries that failed in the pipeline (a processor error). */
  failed?: boolean;
  /** Keep only entries of this message pattern (template id). */
  pattern?: string;
  /** true: rows are the matching entries only; false: every row the filters keep, matches marked. */
  onlyMatches: boolean;
}

/** Progress of a view being computed (a search over the whole file runs in the workers). */
export interface LogViewProgress {
  /** Bytes of the file(s) scanned so far, and in all. */
  scannedBytes: number;
  totalBytes: number;
  /** Rows the view holds so far (matching entries when onlyMatches, else rows kept). */
  rows: number;
  /** Entries the search matched so far (equal to rows when onlyMatches). */
  matches: number;
  done: boolean;
  /** Why the view could not be computed (a pattern refused, the file gone), in the user's words. */
  error?: string;
}

/**
 * The Logs view's door to a run's log (the worker implements it; tests use an in-memory one).
 * A view is a numbered list of rows for one query; opening a view stops the search of the view
 * it replaces. While a run is live the unfiltered view grows as lines are read.
 */
export interface LogSource {
  /** What the index knows now; null before the run has read anything. */
  info(): Promise<LogIndexInfo | null>;
  /** Starts computing the rows of a query; progress comes (at most 10 a second) until `done`. */
  openView(query: LogQuery, onProgress: (progress: LogViewProgress) => void): Promise<number>;
  closeView(view: number): Promise<void>;
  /** Rows [start, start + count) of a view, as far as it has them. */
  rows(view: number, start: number, count: number): Promise<LogRow[]>;
  /** The row of the entry holding that line of that file, or the first row after it; null when none. */
  rowOfLine(view: number, file: number, lineNo: number): Promise<number | null>;
  /** The first row at or after that log time (epoch ms), in file order; null when none. */
  rowOfTime(view: number, ts: number): Promise<number | null>;
  /** The next (direction 1) or previous (-1) row with a search match, from `row` (excluded); null when none. */
  nextMatch(view: number, row: number, direction: 1 | -1): Promise<number | null>;
  /** The whole text of an entry whose row was cut. */
  fullText(view: number, row: number): Promise<string>;
}
