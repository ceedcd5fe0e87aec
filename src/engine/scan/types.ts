/**
 * The pieces a run is made of. A file is read as byte ranges (one per task of the worker pool,
 * or the whole file as one stream when it is compressed or the pipeline is ordered); each
 * range is scanned in file order and reported as consecutive PIECES: partial run documents
 * holding what the piece's entries added (counts, histograms, capped samples, index blocks),
 * with line numbers counted from the range's start. Folding the pieces of every range in file
 * order (doc/merge.ts) gives exactly what one pass over the whole file gives.
 *
 * Everything here crosses a worker boundary: plain data and typed arrays only.
 */
import type { HistogramJSON } from '../metrics/histogram.ts';
import type { TimelinePart } from '../metrics/timeline.ts';
import type { LineEnd } from '../lines/splitter.ts';
import type { NodeCounters } from '../pipeline/executor.ts';
import type { PipelineConfig } from '../pipeline/config.ts';
import type { CircuitState, LogEvent, ObserveCaps, ProcessorErrorItem, Trace, TracePolicy } from '../observe/types.ts';
import type { IndexPart } from '../logs/index-part.ts';

/** The format every range reads with, decided once on the head of the file. */
export interface FormatPlan {
  /** A built-in or custom format id. */
  id: string;
  confidence: number;
  /** Chosen by the user rather than detected. */
  overridden: boolean;
  multiline: boolean;
}

/** What every range of a run shares: set once by the coordinator, the same for all workers. */
export interface ScanSetup {
  pipeline: PipelineConfig;
  format: FormatPlan;
  /** The user's custom formats (plain specs): a worker compiles them to read `format.id`. */
  customFormats: readonly unknown[];
  lineEnd: LineEnd;
  maxLineBytes: number;
  timeZoneOffsetMinutes: number;
  /** The first timestamp of the file's head: a time farther than 10 years from it is a bad parse. */
  anchorTs: number | null;
  trace: TracePolicy | null;
  caps: ObserveCaps;
  /** Write the pipeline's output lines (the worker's sink decides where). */
  keepOutput: boolean;
  /** Build the Logs view's index of the range. */
  index: boolean;
  /** A piece is reported after this much work at most (ms). */
  pieceMs: number;
  /** Bytes read from the file at once (default 4 MiB). */
  readBytes?: number;
}

/** One range of the file: the entries whose first line starts in [start, end). */
export interface ScanRange {
  /** Position in file order. */
  index: number;
  start: number;
  /** Exclusive; the file's size (or Infinity for a stream of unknown length) for the last range. */
  end: number;
  /** How many ranges the run's files are cut into in all. */
  of: number;
  /** Which of the run's files (0 for a run of one). */
  file: number;
}

/** Per-level counts, indexed like LEVELS. */
export type LevelColumn = number[];

/** Errors of a piece: exact counts, and the most recent items (capped). */
export interface ErrorsPart {
  /** Texts cut to the caps. */
  cut?: number;
  total: number;
  byProcessor: Record<string, number>;
  byType: Record<string, number>;
  items: ProcessorErrorItem[];
}

export interface RunPiece {
  range: number;
  /** The range's last piece: nothing more comes from it. */
  last: boolean;
  /** Physical lines and entries (after joining) the piece consumed. */
  lines: number;
  entries: number;
  /** Decoded bytes the piece consumed, line ends included. */
  bytes: number;
  /** File bytes read so far by this range (compressed bytes for a compressed stream): progress. */
  fileBytes: number;
  truncatedLines: number;
  invalidUtf8Lines: number;
  unmatchedEntries: number;
  joinedLines: number;
  levels: LevelColumn;
  timeline: TimelinePart;
  /** Per-minute level counts of log time, as runs in entry order: [minute, c0..c6, minute, ...]. */
  minutes: number[];
  processors: NodeCounters[];
  latency: HistogramJSON[];
  edges: number[];
  outputLines: number;
  /** Per processor, what its state gained in the piece (processors that keep one), else null. */
  states: unknown[];
  traces: Trace[];
  tracesSeen: number;
  /** Texts cut to the caps in the piece's traces and events. */
  tracesCut: number;
  eventsCut: number;
  errors: ErrorsPart;
  events: LogEvent[];
  eventsSeen: number;
  /** Circuit breakers' states after the piece, per processor (runs with circuits are read in one range). */
  circuits?: { state: CircuitState; openings: number }[];
  /** A processor with the `stop` policy failed: the run ends at this line (range-local number). */
  stopped?: { message: string; lineNo: number };
  /** The scan was cancelled: this is the last piece, and the run ends after it. */
  cancelled?: boolean;
  /** Reading failed (a damaged file, a vanished one): the run ends with this message. */
  failure?: string;
  index?: IndexPart;
  /** Entries of the piece (numbered from its first, 0-based) that failed in a processor. */
  failedEntries?: number[];
}
