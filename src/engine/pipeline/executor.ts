import type { ProcessorInstance } from '../processors/types.ts';
import type { LogRecord } from '../types.ts';
import { emitsOutput, type GraphEdge, type GraphNode, type PipelineGraph } from './graph.ts';

/** What the instrumentation around one processor instance has counted. */
export interface NodeCounters {
  linesIn: number;
  linesOut: number;
  dropped: number;
  errors: number;
  timeMs: number;
}

export interface ExecutorHooks {
  /** Called for every processor error; the line is dropped (the default error policy). */
  onError?(node: GraphNode, record: LogRecord, error: unknown): void;
}

/**
 * Runs batches of records through the DAG. Every node handles its whole inbox at once, timed
 * once per batch (never per line), in topological order, so a node's inbox is complete when
 * its turn comes.
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

  constructor(
    private readonly graph: PipelineGraph,
    private readonly instances: ProcessorInstance[],
    private readonly hooks: ExecutorHooks = {},
  ) {
    this.counters = graph.nodes.map(() => ({ linesIn: 0, linesOut: 0, dropped: 0, errors: 0, timeMs: 0 }));
    this.edgeLines = new Float64Array(graph.edges.length);
    this.inboxes = graph.nodes.map(() => []);
    this.multipleOutputs = graph.nodes.filter(emitsOutput).length > 1;
  }

  /** Runs one batch; returns what the last processors emitted, in line order. */
  process(records: LogRecord[]): LogRecord[] {
    const { graph, inboxes } = this;
    const output: LogRecord[] = [];
    graph.roots.forEach((root, i) => {
      inboxes[root] = i === 0 ? records : records.map(cloneRecord);
    });
    for (const index of graph.order) {
      const input = inboxes[index];
      if (input.length === 0) continue;
      inboxes[index] = [];
      const counters = this.counters[index];
      counters.linesIn += input.length;
      const started = performance.now();
      const instance = this.instances[index];
      if (instance.kind === 'map') this.runMap(graph.nodes[index], instance.map, input, output);
      else this.runRouter(graph.nodes[index], instance.route, input, output);
      counters.timeMs += performance.now() - started;
    }
    if (this.multipleOutputs) output.sort((a, b) => a.lineNo - b.lineNo);
    this.outputLines += output.length;
    return output;
  }

  private runMap(
    node: GraphNode,
    map: (record: LogRecord) => LogRecord | null,
    input: LogRecord[],
    output: LogRecord[],
  ): void {
    const counters = this.counters[node.index];
    const edges = node.next;
    for (let i = 0; i < input.length; i++) {
      const record = input[i];
      let result: LogRecord | null;
      try {
        result = map(record);
      } catch (error) {
        counters.errors++;
        this.hooks.onError?.(node, record, error);
        continue;
      }
      if (result === null) {
        counters.dropped++;
        continue;
      }
      counters.linesOut++;
      if (edges.length === 0) output.push(result);
      else this.deliver(edges, result);
    }
  }

  private runRouter(
    node: GraphNode,
    route: (record: LogRecord) => string | null,
    input: LogRecord[],
    output: LogRecord[],
  ): void {
    const counters = this.counters[node.index];
    for (let i = 0; i < input.length; i++) {
      const record = input[i];
      let branch: string | null;
      try {
        branch = route(record);
      } catch (error) {
        counters.errors++;
        this.hooks.onError?.(node, record, error);
        continue;
      }
      if (branch === null) {
        counters.dropped++;
        continue;
      }
      counters.linesOut++;
      const edges = node.branches.get(branch);
      // A route without `next` makes its lines part of the pipeline's output.
      if (!edges || edges.length === 0) output.push(record);
      else this.deliver(edges, record);
    }
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

function cloneRecord(record: LogRecord): LogRecord {
  return { ...record, fields: record.fields && { ...record.fields } };
}
