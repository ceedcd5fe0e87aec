/** Shared shapes of the engine. Pure data: no DOM, no worker globals. */

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
  fields?: Record<string, unknown>;
}

/** What the line splitter hands on: the lines of one chunk, columnar. */
export interface LineBatch {
  /** Line number of texts[0]. */
  firstLineNo: number;
  texts: string[];
  /** Byte offset of each line; offsets.length === texts.length. */
  offsets: Float64Array;
}

/** A failure a user can cause (bad config, bad file): a value, not an exception. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };
