/**
 * Scans one range of a file: bytes → lines → entries (format, multi-line joining) → level and
 * time of each entry → the pipeline → output. Reports what it did as consecutive pieces (see
 * types.ts), with line numbers counted from the range's start.
 *
 * A range owns the entries whose first line starts in [start, end): it skips the line it starts
 * inside and, when entries span lines, the continuation lines before its first header (the
 * range before reads them), and reads past `end` to the end of its last entry.
 */
import { compileCustomFormats } from '../formats/custom.ts';
import { headerTest, EntryJoiner } from '../formats/multiline.ts';
import { LineParser } from '../formats/parser.ts';
import { ALL_FORMATS, formatById, PLAIN_FORMAT } from '../formats/registry.ts';
import { createParseContext, type LogFormat } from '../formats/types.ts';
import { describeInputError, openSource, type BlobLike, type Compression } from '../lines/source.ts';
import { LineSplitter } from '../lines/splitter.ts';
import { IndexBuilder, levelIndexOf } from '../logs/index-part.ts';
import { LatencyHistogram } from '../metrics/histogram.ts';
import { Timeline } from '../metrics/timeline.ts';
import { CircuitBreaker } from '../observe/circuit.ts';
import { describeError, ErrorCollector } from '../observe/errors.ts';
import { EventLog } from '../observe/events.ts';
import { TraceRecorder } from '../observe/traces.ts';
import type { Trace } from '../observe/types.ts';
import { PipelineExecutor, PipelineStopped, type NodeCounters } from '../pipeline/executor.ts';
import { buildGraph, instantiate, type PipelineGraph } from '../pipeline/graph.ts';
import type { ProcessorInstance, RunContext } from '../processors/types.ts';
import { LEVELS, type LineBatch, type LogRecord, type TraceInFlight } from '../types.ts';
import { Entry } from './entry.ts';
import { nextTask } from './next-task.ts';
import type { RunPiece, ScanRange, ScanSetup } from './types.ts';

/** Where a range worker writes the pipeline's output lines (e.g. a file in private storage). */
export interface OutputSink {
  write(lines: string[]): void | Promise<void>;
  close(): void | Promise<void>;
}

/** What a scan reads: the file itself (a range of it is sliced), or the whole of it as one stream. */
export type ScanInput = { blob: BlobLike; stream?: false } | { blob: BlobLike; stream: true };

/** Bytes read at once from a range (one `slice().arrayBuffer()`, a few per second per worker). */
export const READ_BYTES = 4 << 20;
/** Bytes handed to the splitter at once (see the read loop). */
const SPLIT_BYTES = 64 * 1024;
/**
 * Lines handed to the pipeline at once: enough to time a batch, few enough that little is alive
 * when the young generation is collected (8,192 made collections 4 times as long, in Node).
 */
const BATCH_LINES = 512;
/** How long the scan may work before it lets other tasks (a cancel message) in. */
const YIELD_EVERY_MS = 40;

const LEVEL_COUNT = LEVELS.length;

/** Resolves the plan's format in a worker: a built-in, or one of the user's formats. */
export function formatOfPlan(id: string, customFormats: readonly unknown[]): LogFormat {
  const builtIn = formatById(id);
  if (builtIn) return builtIn;
  const custom = customFormats.length ? compileCustomFormats(customFormats).formats.find((f) => f.id === id) : undefined;
  return custom ?? PLAIN_FORMAT;
}

export class RangeScanner {
  private readonly graph: PipelineGraph;
  private readonly instances: ProcessorInstance[];
  private readonly breakers: (CircuitBreaker | null)[];
  private readonly executor: PipelineExecutor;
  private readonly format: LogFormat;
  private readonly parser: LineParser;
  private readonly joiner: EntryJoiner | null;
  /** The header test for range boundaries: the same answer as the joiner's, with a context of its own. */
  private readonly startsEntry: (text: string) => boolean;
  private readonly context: RunContext;
  private readonly tracing: boolean;
  private readonly lastCounters: NodeCounters[];
  private lastEdges: Float64Array;
  private lastOutput = 0;
  // What the current piece collects; replaced when it is reported.
  private piece!: PieceCollector;
  private readonly heads = new HeadColumns();
  /** Lines (entries' first lines) that failed in a processor, in the batch being processed. */
  private readonly failedLines = new Set<number>();
  /** The last line (range-local) of the entry a `stop` policy ended the scan at, and the byte after it. */
  private stopLine = 0;
  private stopEnd = 0;

  constructor(
    private readonly setup: ScanSetup,
    private readonly output?: OutputSink,
  ) {
    const graph = buildGraph(setup.pipeline);
    if (!graph.ok) throw new Error(`invalid pipeline: ${graph.error.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.graph = graph.value;
    this.format = formatOfPlan(setup.format.id, setup.customFormats);
    const ctx = createParseContext({ timeZoneOffsetMinutes: setup.timeZoneOffsetMinutes });
    this.parser = new LineParser(this.format, ctx);
    this.joiner = setup.format.multiline && this.format.hasHeaders ? new EntryJoiner(this.parser.isHeader) : null;
    this.startsEntry = this.joiner ? headerTest(this.format, createParseContext({ timeZoneOffsetMinutes: setup.timeZoneOffsetMinutes })) : () => true;
    this.context = { parser: this.parser, timeZoneOffsetMinutes: setup.timeZoneOffsetMinutes };
    this.instances = instantiate(this.graph, this.context);
    this.tracing = setup.trace !== null;
    this.newPiece();
    this.breakers = this.graph.nodes.map(({ config: processor }) =>
      processor.circuit === null
        ? null
        : new CircuitBreaker(processor.circuit, ({ from, to, reason }) =>
            this.piece.events.emit(to === 'open' ? 'warn' : 'info', processor.id, 'circuit_state_change', { from, to, reason }),
          ),
    );
    this.executor = new PipelineExecutor(this.graph, this.instances, this.breakers, {
      onError: (node, record, error) => {
        this.failedLines.add(record.lineNo);
        const item = this.piece.errors.add(node.config.id, record.lineNo, record.text, error);
        if (record.ts !== undefined) item.ts = record.ts;
        this.piece.events.emit('warn', node.config.id, 'processor_error', { lineNo: record.lineNo, type: item.type, message: item.message });
      },
      onRetry: (node, record, attempts, succeeded, error) => {
        this.piece.events.emit(succeeded ? 'info' : 'warn', node.config.id, 'processor_retry', {
          lineNo: record.lineNo,
          attempts,
          outcome: succeeded ? 'succeeded' : 'failed',
          ...(succeeded ? {} : describeError(error)),
        });
      },
      onTraces: (traces) => {
        for (const trace of traces) this.piece.traces.add(finishTrace(trace));
      },
      mayForceTrace: (pending) => this.piece.traces.enabled && this.piece.traces.kept + pending < this.piece.traces.cap,
    });
    this.lastCounters = this.executor.counters.map((c) => ({ ...c }));
    this.lastEdges = this.executor.edgeLines.slice();
  }

  /** The formats known to this build, for tests that check a plan resolves. */
  static readonly formats = ALL_FORMATS;

  /**
   * Scans the range, reporting pieces as it goes (the last one with `last: true`). Input errors
   * and a `stop` policy end the scan with a last piece saying so; cancelling ends it quietly.
   */
  async scan(input: ScanInput, range: ScanRange, emit: (piece: RunPiece) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
    const { setup } = this;
    const splitter = new LineSplitter({ maxLineBytes: setup.maxLineBytes, lineEnd: setup.lineEnd });
    const skipFirstLine = !input.stream && range.start > 0;
    // Reading from the byte before the range tells whether the range starts a line.
    const readFrom = skipFirstLine ? range.start - 1 : 0;
    let compression: Compression = 'none';
    let reader: AsyncIterator<Uint8Array>;
    let fileBytes: () => number;
    if (input.stream) {
      const source = await openSource(input.blob);
      compression = source.compression;
      const stream = source.stream.getReader();
      reader = { next: async () => { const r = await stream.read(); return r.done ? { done: true, value: undefined } : { done: false, value: r.value }; }, return: async () => { await stream.cancel().catch(() => {}); return { done: true, value: undefined }; } };
      fileBytes = source.bytesRead;
    } else {
      const chunks = readChunks(input.blob, readFrom, setup.readBytes ?? READ_BYTES);
      reader = chunks;
      fileBytes = () => chunks.position - readFrom;
    }

    // Continuation lines at the start belong to the entry the range before reads.
    let started = !(skipFirstLine && this.joiner);
    let dropFirst = skipFirstLine;
    let localLines = 0;
    let truncated = 0;
    let invalid = 0;
    let ownedFrom = NaN;
    let ownedTo = NaN;
    let pending: LogRecord[] = [];
    // The first piece as soon as the first lines are through: a view can show them at once.
    let lastPieceAt = -Infinity;
    const end = range.end;
    const pieceDone = async (last: boolean, extra: Partial<RunPiece> = {}) => {
      const p = this.piece;
      p.lines = localLines;
      p.truncatedLines = truncated;
      p.invalidUtf8Lines = invalid;
      const owned = last && ownedFrom === ownedFrom ? ownedTo - ownedFrom : 0;
      await emit({ ...this.takePiece(range.index, last, fileBytes(), owned, last ? ownedTo : NaN), ...extra });
      truncated = 0;
      invalid = 0;
      lastPieceAt = performance.now();
    };
    let lastYield = performance.now();
    const flush = async () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      await this.process(batch);
      // Awaiting promises alone never lets a message in: a new task does.
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await nextTask();
        lastYield = performance.now();
      }
    };
    /** Whether the line is the range's own, and not past its end: counts it and queues it. */
    const take = (text: string, offset: number): boolean => {
      if (dropFirst) {
        dropFirst = false;
        // The range starts inside this line (or right at its end): it is the range before's.
        if (offset < range.start) return true;
      }
      if (!started) {
        if (!this.startsEntry(text)) return true;
        started = true;
      }
      // The first entry at or after the range's end is the next range's first.
      if (offset >= end && this.startsEntry(text)) {
        ownedTo = offset;
        return false;
      }
      if (ownedFrom !== ownedFrom) ownedFrom = offset;
      localLines++;
      pending.push(this.record(localLines, offset, text));
      return true;
    };

    /** A batch of lines through `take`; false once the range has ended (or was cancelled). */
    const handle = async (batch: LineBatch | null): Promise<boolean> => {
      if (!batch) return true;
      const { texts, offsets } = batch;
      const first = localLines;
      let going = true;
      let i = 0;
      for (; i < texts.length; i++) {
        if (!take(texts[i], offsets[i] + readFrom)) {
          going = false;
          break;
        }
        if (pending.length >= BATCH_LINES) {
          await flush();
          if (performance.now() - lastPieceAt >= setup.pieceMs) await pieceDone(false);
          if (signal?.aborted) {
            going = false;
            break;
          }
        }
      }
      // Lines cut or damaged that this range owns (not those before its start or after its end).
      if (batch.truncated || batch.invalid) {
        const skipped = i - (localLines - first);
        truncated += countBetween(batch.truncated, skipped, i);
        invalid += countBetween(batch.invalid, skipped, i);
      }
      return going;
    };

    try {
      let ended = false;
      while (!ended) {
        if (signal?.aborted) break;
        const next = await reader.next();
        if (next.done) break;
        // Decoding is fast in pieces of tens of kilobytes and ten times slower past a megabyte
        // (measured in Chromium and Node): the splitter gets the chunk a piece at a time.
        const chunk = next.value;
        for (let from = 0; from < chunk.length && !ended; from += SPLIT_BYTES) {
          ended = !(await handle(splitter.push(chunk.subarray(from, Math.min(chunk.length, from + SPLIT_BYTES)))));
        }
        await flush();
        if (performance.now() - lastPieceAt >= setup.pieceMs) await pieceDone(false);
      }
      if (!ended && !signal?.aborted) {
        const tail = splitter.finish();
        const before = localLines;
        if (!tail || take(tail.texts[0], tail.offsets[0] + readFrom)) {
          ownedTo = readFrom + splitter.stats.bytes;
          if (tail && localLines > before) {
            truncated += tail.truncated?.length ?? 0;
            invalid += tail.invalid?.length ?? 0;
          }
        }
      }
      if (ownedTo !== ownedTo) ownedTo = readFrom + splitter.stats.bytes;
      await flush();
      // Cancelled or not, the entry held back for continuation lines is read in full.
      await this.process(this.joiner ? this.joiner.finish() : [], true);
      await this.output?.close();
      await pieceDone(true, signal?.aborted ? { cancelled: true } : {});
    } catch (error) {
      if (ownedTo !== ownedTo) ownedTo = readFrom + splitter.stats.bytes;
      if (error instanceof PipelineStopped) {
        await this.output?.close();
        localLines = this.stopLine;
        ownedTo = this.stopEnd;
        truncated = invalid = 0;
        await pieceDone(true, { stopped: { message: error.message, lineNo: error.lineNo } });
        return;
      }
      // The input broke off: the entry held back for continuation lines was read in full.
      let stopped: RunPiece['stopped'];
      try {
        await flush();
        await this.process(this.joiner ? this.joiner.finish() : [], true);
      } catch (inner) {
        if (inner instanceof PipelineStopped) stopped = { message: inner.message, lineNo: inner.lineNo };
      }
      await this.output?.close();
      await pieceDone(true, { failure: describeInputError(error, compression), ...(stopped ? { stopped } : {}) });
    } finally {
      await reader.return?.();
    }
  }

  private record(lineNo: number, offset: number, text: string): Entry {
    return new Entry(lineNo, offset, text, this.tracing ? text : undefined);
  }

  /** Lines → entries (joined, parsed) → level and time → pipeline → output. */
  private async process(lines: LogRecord[], joined = false): Promise<void> {
    const entries = joined || !this.joiner ? lines : this.joiner.push(lines);
    const n = entries.length;
    if (n === 0) return;
    const { parser, piece } = this;
    // What the input stage read, kept before any processor changes level, time or text.
    const head = this.heads.reserve(n);
    for (let i = 0; i < n; i++) {
      const record = entries[i];
      const before = parser.unmatched;
      (record as Entry).parsed(parser.parse(record.text));
      head.level[i] = levelIndexOf(record.level!);
      head.ts[i] = record.ts ?? NaN;
      head.unmatched[i] = parser.unmatched - before;
      head.lines[i] = linesIn(record.text);
    }
    const traces = this.piece.traces;
    if (traces.enabled) {
      for (let i = 0; i < n; i++) if (traces.samples(entries[i].lineNo)) this.executor.trace(entries[i]);
    }
    const before = this.executor.counters.map((c) => ({ ...c }));
    let counted = n;
    let out: LogRecord[];
    try {
      out = this.executor.process(entries);
    } catch (error) {
      // A stop: the entries after the failing one never were, for the run as for its counts.
      if (error instanceof PipelineStopped) {
        let at = 0;
        while (at < n - 1 && entries[at].lineNo !== error.lineNo) at++;
        counted = at + 1;
        this.stopLine = entries[at].lineNo + head.lines[at] - 1;
        this.stopEnd = entries[at].offset + utf8Length(entries[at].text) + 1;
        await this.write(error.output);
      }
      throw error;
    } finally {
      this.stagesCompleted(before);
      const failed = this.failedLines;
      for (let i = 0; i < counted; i++) {
        if (failed.size && failed.has(entries[i].lineNo)) piece.failed.push(piece.entries);
        piece.count(entries[i], head.level[i], head.ts[i], head.unmatched[i], head.lines[i]);
      }
      failed.clear();
    }
    await this.write(out);
  }

  private async write(out: LogRecord[]): Promise<void> {
    if (!this.output || !this.setup.keepOutput || out.length === 0) return;
    const texts = new Array<string>(out.length);
    for (let i = 0; i < out.length; i++) texts[i] = out[i].text;
    await this.output.write(texts);
  }

  /** One `stage_completed` event per processor that saw lines in this batch, and its latency. */
  private stagesCompleted(before: NodeCounters[]): void {
    const counters = this.executor.counters;
    for (let index = 0; index < counters.length; index++) {
      const after = counters[index];
      const recordsIn = after.linesIn - before[index].linesIn;
      if (recordsIn === 0) continue;
      const elapsedMs = after.timeMs - before[index].timeMs;
      this.piece.latency[index].record((elapsedMs * 1000) / recordsIn, recordsIn);
      this.piece.events.emit('debug', this.graph.nodes[index].config.id, 'stage_completed', {
        recordsIn,
        recordsOut: after.linesOut - before[index].linesOut,
        elapsedMs: Math.round(elapsedMs * 1000) / 1000,
        throughputRps: elapsedMs > 0 ? Math.round((recordsIn / elapsedMs) * 1000) : null,
      });
    }
  }

  private newPiece(): void {
    const caps = this.setup.caps;
    this.piece = new PieceCollector(this.graph.nodes.length, caps, this.setup, this.setup.index);
  }

  /** The piece so far, handed over; a fresh one starts. */
  private takePiece(range: number, last: boolean, fileBytes: number, bytes: number, endOffset: number): RunPiece {
    const p = this.piece;
    const counters = this.executor.counters;
    const processors = counters.map((c, i) => {
      const b = this.lastCounters[i];
      const delta = {
        linesIn: c.linesIn - b.linesIn,
        linesOut: c.linesOut - b.linesOut,
        dropped: c.dropped - b.dropped,
        errors: c.errors - b.errors,
        timeMs: c.timeMs - b.timeMs,
        bypassed: c.bypassed - b.bypassed,
        retries: c.retries - b.retries,
      };
      this.lastCounters[i] = { ...c };
      return delta;
    });
    const edges = Array.from(this.executor.edgeLines, (n, i) => n - this.lastEdges[i]);
    this.lastEdges = this.executor.edgeLines.slice();
    const outputLines = this.executor.outputLines - this.lastOutput;
    this.lastOutput = this.executor.outputLines;
    const tracesSection = p.traces.section();
    const errorsSection = p.errors.section();
    const eventsSection = p.events.section();
    const piece: RunPiece = {
      range,
      last,
      lines: p.lines - p.linesBefore,
      entries: p.entries,
      bytes,
      fileBytes,
      truncatedLines: p.truncatedLines,
      invalidUtf8Lines: p.invalidUtf8Lines,
      unmatchedEntries: p.unmatchedEntries,
      joinedLines: p.joinedLines,
      levels: Array.from(p.levels),
      timeline: p.timeline.part(),
      minutes: p.minutes,
      processors,
      latency: p.latency.map((h) => h.toJSON()),
      edges,
      outputLines,
      states: this.instances.map((instance) => instance.takePartial?.() ?? null),
      traces: tracesSection.items,
      tracesSeen: tracesSection.seen,
      tracesCut: tracesSection.cut ?? 0,
      errors: { total: errorsSection.total, byProcessor: errorsSection.byProcessor, byType: errorsSection.byType, items: errorsSection.items, cut: errorsSection.cut ?? 0 },
      events: eventsSection.items,
      eventsSeen: eventsSection.seen,
      eventsCut: eventsSection.cut ?? 0,
      ...(p.index ? { index: p.index.take(endOffset) } : {}),
      ...(p.failed.length ? { failedEntries: p.failed } : {}),
      ...(this.breakers.some((b) => b !== null)
        ? { circuits: this.breakers.map((b) => ({ state: b?.state ?? 'closed', openings: b?.openings ?? 0 })) }
        : {}),
    };
    const next = new PieceCollector(this.graph.nodes.length, this.setup.caps, this.setup, this.setup.index, p);
    this.piece = next;
    return piece;
  }
}

/** What one piece collects. Line and byte totals run on; the piece reports its differences. */
class PieceCollector {
  lines = 0;
  linesBefore = 0;
  entries = 0;
  truncatedLines = 0;
  invalidUtf8Lines = 0;
  unmatchedEntries = 0;
  joinedLines = 0;
  readonly levels = new Float64Array(LEVEL_COUNT);
  readonly timeline: Timeline;
  readonly minutes: number[] = [];
  private minute = NaN;
  private minuteAt = -1;
  readonly latency: LatencyHistogram[];
  readonly traces: TraceRecorder;
  readonly errors: ErrorCollector;
  readonly events: EventLog;
  readonly index: IndexBuilder | null;
  /** Entries (numbered in the piece) that failed in a processor. */
  readonly failed: number[] = [];

  constructor(nodes: number, caps: ScanSetup['caps'], setup: ScanSetup, indexing: boolean, before?: PieceCollector) {
    this.timeline = new Timeline({ anchor: setup.anchorTs ?? undefined });
    this.latency = Array.from({ length: nodes }, () => new LatencyHistogram());
    this.traces = new TraceRecorder(setup.trace, caps.traces);
    this.errors = new ErrorCollector(caps.errors);
    this.events = new EventLog(caps.events);
    this.index = before?.index ?? (indexing ? new IndexBuilder() : null);
    if (before) this.lines = this.linesBefore = before.lines;
  }

  /** An entry as read: its level and time feed the counts, the timeline, the minutes and the index. */
  count(record: LogRecord, level: number, ts: number, unmatched: number, lines: number): void {
    this.entries++;
    this.levels[level]++;
    this.unmatchedEntries += unmatched;
    this.joinedLines += lines - 1;
    if (ts !== ts) {
      this.timeline.addUntimed(level);
    } else {
      this.timeline.add(ts, level);
      const minute = Math.floor(ts / 60_000);
      if (minute !== this.minute) {
        this.minute = minute;
        this.minuteAt = this.minutes.length;
        this.minutes.push(minute, 0, 0, 0, 0, 0, 0, 0);
      }
      this.minutes[this.minuteAt + 1 + level]++;
    }
    this.index?.add(record.offset, record.lineNo - 1, level, ts, lines);
  }
}

const encoder = new TextEncoder();

/** Bytes of a text in UTF-8 (ASCII without encoding it). */
function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return encoder.encode(text).length;
  return text.length;
}

/** Lines of an entry's text: 1, and one more per joined line. */
function linesIn(text: string): number {
  let n = 1;
  let at = text.indexOf('\n');
  while (at !== -1) {
    n++;
    at = text.indexOf('\n', at + 1);
  }
  return n;
}

/** Scratch columns for one batch of entries, grown as needed and reused. */
class HeadColumns {
  level = new Uint8Array(0);
  ts = new Float64Array(0);
  unmatched = new Uint8Array(0);
  lines = new Float64Array(0);
  reserve(n: number): this {
    if (this.level.length < n) {
      const size = Math.max(n, this.level.length * 2, 1024);
      this.level = new Uint8Array(size);
      this.ts = new Float64Array(size);
      this.unmatched = new Uint8Array(size);
      this.lines = new Float64Array(size);
    }
    return this;
  }
}

/** How many of the ascending indexes are in [from, to). */
function countBetween(indexes: number[] | undefined, from: number, to: number): number {
  if (!indexes) return 0;
  let n = 0;
  for (const i of indexes) if (i >= from && i < to) n++;
  return n;
}

/** A trace's final status: emitted if any copy left the pipeline, else error if it failed, else dropped. */
function finishTrace({ lineNo, offset, ts, text, steps, emitted, failed }: TraceInFlight): Trace {
  const status = emitted ? 'emitted' : failed ? 'error' : 'dropped';
  return ts === undefined ? { lineNo, offset, text, status, steps } : { lineNo, offset, ts, text, status, steps };
}

/** Chunks of a file from `from` to its end, one read ahead; `position` is how far it has read. */
function readChunks(blob: BlobLike, from: number, readBytes: number): AsyncIterator<Uint8Array> & { position: number } {
  let position = from;
  let ahead: Promise<Uint8Array> | null = null;
  const read = (at: number): Promise<Uint8Array> =>
    blob
      .slice(at, Math.min(blob.size, at + readBytes))
      .arrayBuffer()
      .then((buffer) => new Uint8Array(buffer));
  return {
    get position() {
      return position;
    },
    async next() {
      if (position >= blob.size) return { done: true, value: undefined };
      const chunk = await (ahead ?? read(position));
      position += chunk.length;
      ahead = position < blob.size ? read(position) : null;
      // A file that shrank while it was read ends here.
      if (chunk.length === 0) return { done: true, value: undefined };
      return { done: false, value: chunk };
    },
    async return() {
      ahead?.catch(() => {});
      ahead = null;
      return { done: true, value: undefined };
    },
  };
}
