import type { CircuitBreaker } from '../observe/circuit.ts';
import { describeError } from '../observe/errors.ts';
import type { ErrorPolicy, TraceStep } from '../observe/types.ts';
import type { ProcessorInstance } from '../processors/types.ts';
import type { LogRecord, TraceInFlight } from '../types.ts';
import { emitsOutput, type GraphEdge, type GraphNode, type PipelineGraph, type WorkMeter } from './graph.ts';

/** What the instrumentation around one processor instance has counted. */
export interface NodeCounters {
  linesIn: number;
  linesOut: number;
  dropped: number;
  errors: number;
  timeMs: number;
  /** Lines that went around the processor while its circuit was open. */
  bypassed: number;
  /** Tries again of failing lines (`onError: {"retry": N}`), whatever their outcome. */
  retries: number;
}

export interface ExecutorHooks {
  /** Every processor error that the error policy then applies to (after the retries, if any). */
  onError?(node: GraphNode, record: LogRecord, error: unknown): void;
  /**
   * A line that failed and was tried again, once its retries are over: `attempts` tries after
   * the first, the last of which `succeeded` or failed with `error`.
   */
  onRetry?(node: GraphNode, record: LogRecord, attempts: number, succeeded: boolean, error?: unknown): void;
  /** A batch's traces, finished. */
  onTraces?(traces: TraceInFlight[]): void;
  /** Whether a line that was not sampled may still be traced because it was dropped or failed. */
  mayForceTrace?(pending: number): boolean;
}

/** A processor error under the `stop` policy: the run ends. */
export class PipelineStopped extends Error {
  override name = 'PipelineStopped';
  /** What the batch's lines before the failing one emitted: they finished their way. */
  output: LogRecord[] = [];
  constructor(
    readonly processor: string,
    readonly lineNo: number,
    readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`Stopped by processor "${processor}" (its error policy is "stop") at line ${lineNo}: ${reason}`);
  }
}

/**
 * Whether performance.now() can time one line at one processor. Browsers coarsen it (Chromium:
 * 100 µs without cross-origin isolation), which would show most steps as 0 µs; there, a traced
 * step gets the processor's mean time per line instead, marked as estimated.
 */
const PRECISE_CLOCK = clockResolutionMs() <= 0.005;

function clockResolutionMs(): number {
  let finest = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    let next = performance.now();
    while (next === start) next = performance.now();
    finest = Math.min(finest, next - start);
  }
  return finest;
}

/** Marks "no error" where `undefined` could be what was thrown. */
const NO_ERROR: unique symbol = Symbol('no error');

/**
 * Runs batches of records through the DAG. Every node handles its whole inbox at once, timed
 * once per batch (never per line; traced lines are timed on their own), in topological order,
 * so a node's inbox is complete when its turn comes.
 */
export class PipelineExecutor {
  readonly counters: NodeCounters[];
  /** Lines that crossed each edge, indexed like graph.edges. */
  readonly edgeLines: Float64Array;
  /** Lines the pipeline has emitted (its output), all batches. */
  outputLines = 0;
  private readonly inboxes: LogRecord[][];
  /** More than one place emits output: merge it back into line order. */
  private readonly multipleOutputs: boolean;
  /** The one edge into each node, or null when it has none or several: enough to rebuild a line's way back. */
  private readonly parentEdge: (GraphEdge | null)[];
  private batchTraces: TraceInFlight[] = [];
  /** Set by a processor error under the `stop` policy; thrown once the batch's earlier lines are through. */
  private stopped: PipelineStopped | null = null;

  constructor(
    private readonly graph: PipelineGraph,
    private readonly instances: ProcessorInstance[],
    /** One breaker per node, null where the circuit is off. */
    private readonly breakers: (CircuitBreaker | null)[] = graph.nodes.map(() => null),
    private readonly hooks: ExecutorHooks = {},
    /** Counts the work of setup (linear in nodes and edges). */
    meter: WorkMeter = { steps: 0 },
  ) {
    this.counters = graph.nodes.map(() => ({ linesIn: 0, linesOut: 0, dropped: 0, errors: 0, timeMs: 0, bypassed: 0, retries: 0 }));
    this.edgeLines = new Float64Array(graph.edges.length);
    this.inboxes = graph.nodes.map(() => []);
    this.multipleOutputs = graph.nodes.filter(emitsOutput).length > 1;
    this.parentEdge = graph.incoming.map((edges) => {
      meter.steps += 1 + edges.length;
      return edges.length === 1 ? edges[0] : null;
    });
  }

  /** Starts tracing a record (call before `process`). */
  trace(record: LogRecord): void {
    const trace: TraceInFlight = { lineNo: record.lineNo, offset: record.offset, ts: record.ts, text: record.text, steps: [], emitted: false, failed: false };
    record.trace = trace;
    this.batchTraces.push(trace);
  }

  /** Runs one batch; returns what the last processors emitted, in line order. */
  process(records: LogRecord[]): LogRecord[] {
    const { graph, inboxes } = this;
    const output: LogRecord[] = [];
    graph.roots.forEach((root, i) => {
      inboxes[root] = i === 0 ? records : records.map(cloneRecord);
    });
    try {
      for (const index of graph.order) {
        const input = inboxes[index];
        if (input.length === 0) continue;
        inboxes[index] = [];
        const counters = this.counters[index];
        counters.linesIn += input.length;
        const started = performance.now();
        try {
          this.runNode(graph.nodes[index], input, output, started);
        } finally {
          counters.timeMs += performance.now() - started;
        }
      }
      for (let i = 0; i < output.length; i++) {
        const trace = output[i].trace;
        if (trace !== undefined) trace.emitted = true;
      }
      if (this.stopped !== null) {
        if (this.multipleOutputs) output.sort((a, b) => a.lineNo - b.lineNo);
        this.outputLines += output.length;
        this.stopped.output = output;
        throw this.stopped;
      }
    } catch (error) {
      for (let i = 0; i < inboxes.length; i++) inboxes[i] = [];
      throw error;
    } finally {
      this.finishTraces();
    }
    if (this.multipleOutputs) output.sort((a, b) => a.lineNo - b.lineNo);
    this.outputLines += output.length;
    return output;
  }

  private runNode(node: GraphNode, input: LogRecord[], output: LogRecord[], now: number): void {
    const instance = this.instances[node.index];
    const counters = this.counters[node.index];
    const breaker = this.breakers[node.index];
    const policy = node.config.onError;
    // A config kept from before retries existed has none.
    const retry = node.config.retry > 0 ? node.config.retry : 0;
    const id = node.config.id;
    const isRouter = instance.kind === 'router';
    // Asked once per batch: an untraced drop costs nothing more when tracing is off or full.
    const mayForce = this.hooks.mayForceTrace?.(this.batchTraces.length) ?? false;
    for (let i = 0; i < input.length; i++) {
      const record = input[i];
      const trace = record.trace;
      if (breaker !== null && breaker.state !== 'closed' && !breaker.allow(now)) {
        this.bypass(node, record, output);
        continue;
      }
      const before = record.text;
      const t0 = trace === undefined ? 0 : performance.now();
      let result: LogRecord | null = null;
      let branch: string | null = null;
      let failure: unknown = NO_ERROR;
      let attempts = 0;
      for (;;) {
        try {
          if (isRouter) {
            branch = instance.route(record);
            result = branch === null ? null : record;
          } else {
            result = instance.map(record);
          }
          failure = NO_ERROR;
          break;
        } catch (error) {
          failure = error;
          if (attempts === retry) break;
          attempts++;
          record.text = before;
        }
      }
      if (attempts > 0) {
        counters.retries += attempts;
        if (failure === NO_ERROR) this.hooks.onRetry?.(node, record, attempts, true);
        else this.hooks.onRetry?.(node, record, attempts, false, failure);
      }
      if (failure !== NO_ERROR) {
        counters.errors++;
        breaker?.failure(now);
        this.hooks.onError?.(node, record, failure);
        const traced = this.step(record, node, 'error', t0, { error: errorText(failure) });
        if (policy === 'pass') {
          record.text = before;
          this.forward(node, record, output, isRouter ? 'default' : null);
          continue;
        }
        if (traced !== undefined) traced.failed = true;
        if (policy === 'stop') {
          // Lines after this one never reached the processor; lines before it finish their way.
          counters.linesIn -= input.length - i - 1;
          this.stopped = new PipelineStopped(id, record.lineNo, failure);
          return;
        }
        continue;
      }
      breaker?.success();
      if (result === null) {
        counters.dropped++;
        if (trace !== undefined || mayForce) this.step(record, node, 'drop', t0);
        continue;
      }
      counters.linesOut++;
      if (trace !== undefined) {
        this.step(result, node, isRouter ? 'route' : 'emit', t0, {
          ...(branch === null ? {} : { branch }),
          ...(result.text === before ? {} : { text: result.text }),
        });
      }
      this.forward(node, result, output, branch);
    }
  }

  /** Sends a line on: down a router branch, or a map's edges, or out of the pipeline. */
  private forward(node: GraphNode, record: LogRecord, output: LogRecord[], branch: string | null): void {
    const edges = branch === null ? node.next : node.branches.get(branch);
    if (edges === undefined) return; // a router branch with no route (e.g. no default): nowhere to go
    if (edges.length === 0) output.push(record);
    else this.deliver(edges, record);
  }

  /** The circuit is open: the line goes around the processor or is dropped, as configured. */
  private bypass(node: GraphNode, record: LogRecord, output: LogRecord[]): void {
    const counters = this.counters[node.index];
    counters.bypassed++;
    const pass = node.config.circuit?.whileOpen !== 'drop';
    const trace = record.trace;
    if (trace !== undefined) {
      trace.steps.push({ processor: node.config.id, status: pass ? 'emit' : 'drop', durationUs: 0, bypassed: true });
    }
    if (!pass) {
      counters.dropped++;
      return;
    }
    counters.linesOut++;
    const isRouter = node.module.descriptor.kind === 'router';
    this.forward(node, record, output, isRouter ? 'default' : null);
  }

  /**
   * Records a step of a traced line; a line that is not traced but ends in a drop or an error is
   * traced after the fact while the cap allows, its earlier steps rebuilt from the graph.
   */
  private step(
    record: LogRecord,
    node: GraphNode,
    status: TraceStep['status'],
    t0: number,
    extra?: Partial<TraceStep>,
  ): TraceInFlight | undefined {
    let trace: TraceInFlight | undefined = record.trace;
    if (trace !== undefined) {
      trace.steps.push(
        PRECISE_CLOCK
          ? { processor: node.config.id, status, durationUs: (performance.now() - t0) * 1000, ...extra }
          : { processor: node.config.id, status, durationUs: this.meanUs(node.index), estimated: true, ...extra },
      );
      return trace;
    }
    // Traces of this batch reach the recorder at its end: count them against the cap now.
    if (status === 'emit' || status === 'route' || !this.hooks.mayForceTrace?.(this.batchTraces.length)) return undefined;
    trace = {
      lineNo: record.lineNo,
      offset: record.offset,
      ts: record.ts,
      text: record.original ?? record.text,
      steps: this.wayTo(node).map((edge) => ({
        processor: this.graph.nodes[edge.from].config.id,
        status: edge.branch === undefined ? 'emit' : 'route',
        ...(edge.branch === undefined ? {} : { branch: edge.branch }),
        durationUs: this.meanUs(edge.from),
        estimated: true,
      })),
      emitted: false,
      failed: false,
    };
    trace.steps.push({ processor: node.config.id, status, durationUs: this.meanUs(node.index), estimated: true, ...extra });
    // A line that goes on (error policy `pass`) records the rest of its way too.
    record.trace = trace;
    this.batchTraces.push(trace);
    return trace;
  }

  /** The edges that led to `node`, root first, as far back as each node has a single way in. */
  private wayTo(node: GraphNode): GraphEdge[] {
    const way: GraphEdge[] = [];
    let edge = this.parentEdge[node.index];
    // A DAG has no way back to a node; the bound only guards against a malformed graph.
    while (edge !== null && way.length < this.parentEdge.length) {
      way.push(edge);
      edge = this.parentEdge[edge.from];
    }
    return way.reverse();
  }

  private meanUs(index: number): number {
    const { timeMs, linesIn } = this.counters[index];
    return linesIn > 0 ? (timeMs * 1000) / linesIn : 0;
  }

  private finishTraces(): void {
    if (this.batchTraces.length === 0) return;
    const traces = this.batchTraces;
    this.batchTraces = [];
    this.hooks.onTraces?.(traces);
  }

  /** The first target gets the record itself; others get copies, so branches cannot see each other's changes. */
  private deliver(edges: GraphEdge[], record: LogRecord): void {
    for (let e = 0; e < edges.length; e++) {
      const edge = edges[e];
      this.edgeLines[edge.index]++;
      this.inboxes[edge.to].push(e === 0 ? record : cloneRecord(record));
    }
  }
}

function errorText(error: unknown): string {
  const { type, message } = describeError(error);
  return `${type}: ${message}`;
}

function cloneRecord(record: LogRecord): LogRecord {
  return { ...record, fields: record.fields && { ...record.fields } };
}

export type { ErrorPolicy };
