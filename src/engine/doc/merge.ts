/**
 * Folds the pieces of a run (scan/types.ts) into its totals, in file order: range 0's pieces,
 * then range 1's, ... A piece of a later range that arrives early waits for the ranges before
 * it, so line numbers become global (each range's lines are numbered from its start) and capped
 * samples keep the most recent items in line order: the answer one pass over the file gives.
 */
import { LogIndex } from '../logs/log-index.ts';
import { MinuteLevels } from '../metrics/alerts.ts';
import { LatencyHistogram } from '../metrics/histogram.ts';
import { Timeline } from '../metrics/timeline.ts';
import { ErrorCollector } from '../observe/errors.ts';
import { EventLog } from '../observe/events.ts';
import { TraceRecorder } from '../observe/traces.ts';
import type { CircuitState, ObserveCaps, TracePolicy } from '../observe/types.ts';
import type { NodeCounters } from '../pipeline/executor.ts';
import { StateAccumulator } from '../processors/merge.ts';
import type { PartialState } from '../processors/types.ts';
import { LEVELS } from '../types.ts';
import type { RunPiece } from '../scan/types.ts';

const LEVEL_COUNT = LEVELS.length;

export interface MergeOptions {
  nodes: number;
  edges: number;
  trace: TracePolicy | null;
  caps: ObserveCaps;
  anchorTs: number | null;
  /** Keep the Logs view's index. */
  index: boolean;
  /** Events of the run itself (run_started, alerts) go to the same log. */
  events: EventLog;
}

/** Where a run stopped before its end: a `stop` policy or an input failure, at a global line. */
export interface RunEnding {
  range: number;
  message: string;
  cancelled: boolean;
}

export class RunMerger {
  lines = 0;
  entries = 0;
  decodedBytes = 0;
  truncatedLines = 0;
  invalidUtf8Lines = 0;
  unmatchedEntries = 0;
  joinedLines = 0;
  outputLines = 0;
  readonly levels = new Float64Array(LEVEL_COUNT);
  readonly timeline: Timeline;
  readonly minutes = new MinuteLevels();
  readonly counters: NodeCounters[];
  readonly latency: LatencyHistogram[];
  readonly edges: Float64Array;
  readonly traces: TraceRecorder;
  readonly errors: ErrorCollector;
  readonly events: EventLog;
  /** The Logs view's index of each file (none when the run keeps no index). */
  readonly indexes: LogIndex[] = [];
  /** Lines and entries of each file folded so far. */
  readonly fileLines: number[] = [];
  readonly fileEntries: number[] = [];
  /** The file of each range (all ranges of file 0, then of file 1, ...). */
  private fileOf: readonly number[] = [0];
  private readonly indexing: boolean;
  circuits: { state: CircuitState; openings: number }[] | null = null;
  /** Per processor, its state gathered from the pieces (processors that keep one). */
  readonly states: (StateAccumulator | undefined)[] = [];
  /** Set by the first piece (in file order) that ends the run early. */
  ending: RunEnding | null = null;
  /** Lines of pieces received but not folded yet (their ranges wait for earlier ones). */
  private waitingLines = 0;
  private readonly waiting = new Map<number, RunPiece[]>();
  /** The range whose pieces fold now. */
  private current = 0;
  /** Lines of the ranges before the current one: the current range's line numbers start after them. */
  private lineOffset = 0;
  private entryOffset = 0;

  constructor(options: MergeOptions) {
    this.timeline = new Timeline({ anchor: options.anchorTs ?? undefined });
    this.counters = Array.from({ length: options.nodes }, () => ({ linesIn: 0, linesOut: 0, dropped: 0, errors: 0, timeMs: 0, bypassed: 0, retries: 0 }));
    this.latency = Array.from({ length: options.nodes }, () => new LatencyHistogram());
    this.edges = new Float64Array(options.edges);
    this.traces = new TraceRecorder(options.trace, options.caps.traces);
    this.errors = new ErrorCollector(options.caps.errors);
    this.events = options.events;
    this.indexing = options.index;
  }

  /** The file each range belongs to, in range order (a run of several files). */
  setFiles(fileOf: readonly number[]): void {
    this.fileOf = fileOf.length ? fileOf : [0];
  }

  /** The index of file `file` (made on first use). */
  indexOf(file: number): LogIndex | null {
    if (!this.indexing) return null;
    return (this.indexes[file] ??= new LogIndex());
  }

  /** The index of the first (or only) file. */
  get index(): LogIndex | null {
    return this.indexOf(0);
  }

  /** The file's first timestamp, once the head has been read: outliers are judged against it. */
  setAnchor(ts: number | null): void {
    if (ts !== null) this.timeline.setAnchor(ts);
  }

  /** Lines counted so far, those of pieces still waiting included (progress). */
  get linesSeen(): number {
    return this.lines + this.waitingLines;
  }

  /** The range every earlier range has been folded before: the next to fold. */
  get nextRange(): number {
    return this.current;
  }

  /** Takes a piece; folds it (and any that waited for it) when its turn has come. */
  add(piece: RunPiece): void {
    if (piece.range < this.current) throw new Error(`piece of range ${piece.range} after that range ended`);
    if (piece.range > this.current) {
      const queue = this.waiting.get(piece.range) ?? [];
      queue.push(piece);
      this.waiting.set(piece.range, queue);
      this.waitingLines += piece.lines;
      return;
    }
    this.fold(piece);
    // Pieces that waited for the ranges now folded.
    let queue: RunPiece[] | undefined;
    while ((queue = this.waiting.get(this.current)) !== undefined) {
      this.waiting.delete(this.current);
      const range = this.current;
      for (const next of queue) {
        this.waitingLines -= next.lines;
        this.fold(next);
      }
      // A range whose last piece has not come yet: the rest of its pieces fold as they come.
      if (this.current === range) return;
    }
  }

  /** Whether a range is done: all its pieces folded. */
  folded(range: number): boolean {
    return range < this.current;
  }

  private fold(piece: RunPiece): void {
    if (this.ending !== null) return;
    const file = this.fileOf[piece.range] ?? 0;
    const several = this.fileOf.length > 0 && this.fileOf[this.fileOf.length - 1] > 0;
    // Line numbers count from each file's start.
    const offset = this.lineOffset;
    this.lines += piece.lines;
    this.entries += piece.entries;
    this.decodedBytes += piece.bytes;
    this.truncatedLines += piece.truncatedLines;
    this.invalidUtf8Lines += piece.invalidUtf8Lines;
    this.unmatchedEntries += piece.unmatchedEntries;
    this.joinedLines += piece.joinedLines;
    this.outputLines += piece.outputLines;
    for (let l = 0; l < LEVEL_COUNT; l++) this.levels[l] += piece.levels[l];
    this.timeline.absorb(piece.timeline);
    const minutes = piece.minutes;
    for (let i = 0; i < minutes.length; i += 1 + LEVEL_COUNT) {
      for (let l = 0; l < LEVEL_COUNT; l++) if (minutes[i + 1 + l]) this.minutes.addMany(minutes[i] * 60_000, l, minutes[i + 1 + l]);
    }
    piece.processors.forEach((delta, i) => {
      const c = this.counters[i];
      c.linesIn += delta.linesIn;
      c.linesOut += delta.linesOut;
      c.dropped += delta.dropped;
      c.errors += delta.errors;
      c.timeMs += delta.timeMs;
      c.bypassed += delta.bypassed;
      c.retries += delta.retries;
    });
    piece.latency.forEach((json, i) => {
      if (json.count > 0) this.latency[i].merge(LatencyHistogram.fromJSON(json));
    });
    for (let e = 0; e < piece.edges.length; e++) this.edges[e] += piece.edges[e];
    piece.states.forEach((part, i) => {
      if (part !== null && part !== undefined) (this.states[i] ??= new StateAccumulator()).add(part as PartialState);
    });
    this.traces.absorb(several ? piece.traces.map((t) => ({ ...t, file })) : piece.traces, piece.tracesSeen, offset, piece.tracesCut);
    this.errors.absorb(several ? { ...piece.errors, items: piece.errors.items.map((e) => ({ ...e, file })) } : { ...piece.errors }, offset);
    this.events.absorb(several ? piece.events.map((e) => (typeof e.lineNo === 'number' ? { ...e, file } : e)) : piece.events, piece.eventsSeen, offset, piece.eventsCut);
    if (piece.circuits) this.circuits = piece.circuits;
    const firstEntry = this.entryOffset + this.entriesOfRange;
    const index = this.indexOf(file);
    this.fileLines[file] = (this.fileLines[file] ?? 0) + piece.lines;
    this.fileEntries[file] = (this.fileEntries[file] ?? 0) + piece.entries;
    if (piece.index) index?.append(piece.index, offset, firstEntry);
    if (piece.failedEntries) index?.markFailed(piece.failedEntries, firstEntry);
    if (index) index.linesTotal = this.fileLines[file];
    this.entriesOfRange += piece.entries;
    if (piece.stopped || piece.failure) {
      this.ending = { range: piece.range, message: piece.stopped ? globalStop(piece.stopped, offset) : piece.failure!, cancelled: false };
    } else if (piece.cancelled) {
      this.ending = { range: piece.range, message: 'Cancelled: the lines read so far are counted.', cancelled: true };
    }
    if (piece.last) {
      this.current++;
      const nextFile = this.fileOf[this.current];
      if (nextFile !== undefined && nextFile !== file) {
        this.lineOffset = 0;
        this.entryOffset = 0;
      } else {
        this.lineOffset = this.fileLines[file];
        this.entryOffset += this.entriesOfRange;
      }
      this.entriesOfRange = 0;
    }
  }

  private entriesOfRange = 0;
}

/** The stop message with the line number of the whole file. */
function globalStop(stopped: { message: string; lineNo: number }, offset: number): string {
  return offset === 0 ? stopped.message : stopped.message.replace(`at line ${stopped.lineNo}:`, `at line ${stopped.lineNo + offset}:`);
}
