import {
  DEFAULT_MAX_LINE_BYTES,
  describeInputError,
  LineSplitter,
  openSource,
  sniffBinary,
  type BlobLike,
} from './lines/index.ts';
import type { PipelineConfig } from './pipeline/config.ts';
import { PipelineExecutor } from './pipeline/executor.ts';
import { buildGraph, instantiate, type PipelineGraph } from './pipeline/graph.ts';
import type { ProcessorInstance } from './processors/types.ts';
import { buildReport, type Report } from './report/report.ts';
import type { CounterState, RunSnapshot, RunStatus } from './snapshot.ts';
import type { LineBatch, LogRecord } from './types.ts';

export interface RunOptions {
  runId?: string;
  /** Defaults to the File's name, or "input". */
  fileName?: string;
  maxLineBytes?: number;
  /** Minimum time between snapshots; the UI wants at most 10 a second. */
  snapshotIntervalMs?: number;
  signal?: AbortSignal;
}

/** Where the pipeline's output lines go, batch by batch (e.g. a file in the worker's private storage). */
export interface OutputSink {
  write(lines: string[]): void | Promise<void>;
  close(): void | Promise<void>;
}

export interface RunHooks {
  onSnapshot?(snapshot: RunSnapshot): void;
  output?: OutputSink;
}

/** How long the loop may work before it lets other tasks (a cancel message) in. */
const YIELD_EVERY_MS = 50;
const COUNTER_STATE_EVERY_MS = 500;


/**
 * Streams a file (plain or gzip) through the pipeline and returns the run's report.
 * Input problems end the run as `failed` with a message; everything counted so far is kept.
 */
export async function runLog(
  source: BlobLike,
  config: PipelineConfig,
  options: RunOptions = {},
  hooks: RunHooks = {},
): Promise<Report> {
  const graph = buildGraph(config);
  if (!graph.ok) throw new Error(`invalid pipeline: ${graph.error.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  const run = new Run(source, graph.value, options, hooks);
  await run.execute();
  return buildReport(run.snapshot(), config, new Date());
}

class Run {
  private readonly instances: ProcessorInstance[];
  private readonly executor: PipelineExecutor;
  private readonly splitter: LineSplitter;
  private readonly startedAt = new Date();
  private readonly t0 = performance.now();
  private readonly interval: number;
  private readonly maxLineBytes: number;
  private status: RunStatus = 'running';
  private message?: string;
  private compression: 'gzip' | 'none' = 'none';
  private bytesRead: () => number = () => 0;
  private counterStates: CounterState[] = [];
  private counterStatesAt = -Infinity;
  private finishedMs?: number;

  constructor(
    private readonly source: BlobLike,
    private readonly graph: PipelineGraph,
    private readonly options: RunOptions,
    private readonly hooks: RunHooks,
  ) {
    this.instances = instantiate(graph);
    this.executor = new PipelineExecutor(graph, this.instances);
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.splitter = new LineSplitter({ maxLineBytes: this.maxLineBytes });
    this.interval = options.snapshotIntervalMs ?? 100;
  }

  async execute(): Promise<void> {
    const { signal } = this.options;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let lastSnapshot = -Infinity;
    let lastYield = performance.now();
    try {
      const input = await openSource(this.source);
      this.compression = input.compression;
      this.bytesRead = input.bytesRead;
      const stream = input.stream.getReader();
      reader = stream;
      let first = true;
      while (true) {
        if (signal?.aborted) return this.stop('cancelled', 'Cancelled: the lines read so far are counted.');
        const { done, value } = await stream.read();
        if (done) break;
        if (first) {
          first = false;
          const binary = sniffBinary(value.subarray(0, 8192));
          if (binary) return this.stop('failed', binary);
        }
        await this.handle(this.splitter.push(value));
        const now = performance.now();
        if (now - lastSnapshot >= this.interval) {
          lastSnapshot = now;
          this.hooks.onSnapshot?.(this.snapshot());
        }
        if (now - lastYield >= YIELD_EVERY_MS) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          lastYield = performance.now();
        }
      }
      await this.handle(this.splitter.finish());
      this.stop('completed');
    } catch (error) {
      this.stop('failed', describeInputError(error, this.compression));
    } finally {
      if (this.status !== 'completed') reader?.cancel().catch(() => {});
      await this.hooks.output?.close();
      this.hooks.onSnapshot?.(this.snapshot());
    }
  }

  private async handle(batch: LineBatch | null): Promise<void> {
    if (!batch) return;
    const { texts, offsets, firstLineNo } = batch;
    const records: LogRecord[] = new Array(texts.length);
    for (let i = 0; i < texts.length; i++) {
      records[i] = { lineNo: firstLineNo + i, offset: offsets[i], text: texts[i] };
    }
    const output = this.executor.process(records);
    if (this.hooks.output && output.length) {
      const lines = new Array<string>(output.length);
      for (let i = 0; i < output.length; i++) lines[i] = output[i].text;
      await this.hooks.output.write(lines);
    }
  }

  private stop(status: RunStatus, message?: string): void {
    this.status = status;
    this.message = message;
    this.finishedMs = performance.now();
  }

  snapshot(): RunSnapshot {
    const now = this.finishedMs ?? performance.now();
    const elapsedMs = now - this.t0;
    const bytesRead = this.bytesRead();
    const { stats } = this.splitter;
    const seconds = elapsedMs / 1000;
    const bytesPerSec = seconds > 0 ? bytesRead / seconds : 0;
    const size = this.source.size;
    const processors = this.graph.nodes.map((node) => ({
      id: node.config.id,
      type: node.config.type,
      ...this.executor.counters[node.index],
    }));
    const errors = processors.reduce((sum, p) => sum + p.errors, 0);
    const dropped = processors.reduce((sum, p) => sum + p.dropped, 0);
    return {
      runId: this.options.runId ?? defaultRunId(this.startedAt),
      status: this.status,
      file: { name: this.options.fileName ?? this.source.name ?? 'input', size },
      startedAt: this.startedAt.toISOString(),
      elapsedMs,
      bytesRead,
      linesRead: stats.lines,
      linesPerSec: seconds > 0 ? stats.lines / seconds : 0,
      bytesPerSec,
      etaMs: this.status === 'running' && bytesPerSec > 0 ? ((size - bytesRead) / bytesPerSec) * 1000 : null,
      processors,
      totals: { linesIn: stats.lines, linesOut: this.executor.outputLines, dropped, errors },
      input: {
        compression: this.compression,
        decodedBytes: stats.bytes,
        truncatedLines: stats.truncatedLines,
        invalidUtf8Lines: stats.invalidUtf8Lines,
        maxLineBytes: this.maxLineBytes,
      },
      counters: this.counters(now),
      ...(this.message ? { message: this.message } : {}),
    };
  }

  /** Counter states are sorted on demand: refresh them twice a second, and at the end. */
  private counters(now: number): CounterState[] {
    if (this.status === 'running' && now - this.counterStatesAt < COUNTER_STATE_EVERY_MS) return this.counterStates;
    this.counterStatesAt = now;
    this.counterStates = this.graph.nodes.flatMap((node) => {
      const state = this.instances[node.index].state?.() as Omit<CounterState, 'processor'> | undefined;
      return state && Array.isArray(state.counts) ? [{ processor: node.config.id, ...state }] : [];
    });
    return this.counterStates;
  }
}

function defaultRunId(startedAt: Date): string {
  // Sortable and readable: 20261122-224100-x7k2
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}
