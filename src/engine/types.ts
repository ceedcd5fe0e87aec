/** Shared shapes of the engine. Pure data: no DOM, no worker globals. */

import type { TraceStep } from './observe/types.ts';

export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'UNKNOWN'] as const;
export type Level = (typeof LEVELS)[number];

/** One log line as it travels through the pipeline. Processors may change `text`, `level`, `fields`. */
export interface LogRecord {
  /** 1-based line number in the (decompressed) input. */
  lineNo: number;
  /** Byte offset of the line's first byte in the (decompressed) input. */
  offset: number;
  text: string;
  level?: Level;
  /** The line's own time (epoch ms), when it has a timestamp. */
  ts?: number;
  fields?: Record<string, unknown>;
  /** The text the run's parser read `level`, `ts` and `fields` from (a reference): a `parse` processor re-parses only when the text changed since. */
  parsedText?: string;
  /** The line as read, kept (a reference, not a copy) only while tracing is on. */
  original?: string;
  /** Set on lines being traced: the executor records each step here. */
  trace?: TraceInFlight;
}

/** A trace being recorded; fan-out copies of a line share it. */
export interface TraceInFlight {
  lineNo: number;
  offset: number;
  ts?: number;
  text: string;
  steps: TraceStep[];
  /** Some copy of the line left the pipeline / failed somewhere. */
  emitted: boolean;
  failed: boolean;
}

/** What the line splitter hands on: the lines of one chunk, columnar. */
export interface LineBatch {
  /** Line number of texts[0]. */
  firstLineNo: number;
  texts: string[];
  /** Byte offset of each line; offsets.length === texts.length. */
  offsets: Float64Array;
  /** Indexes of the lines cut at the longest line kept, ascending; absent when none. */
  truncated?: number[];
  /** Indexes of the lines holding invalid UTF-8 (replaced), ascending; absent when none. */
  invalid?: number[];
}

/** A failure a user can cause (bad config, bad file): a value, not an exception. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };
