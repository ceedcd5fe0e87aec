import { registry } from '../processors/registry.ts';
import type { ProcessorInstance, ProcessorModule, RunContext } from '../processors/types.ts';
import type { Result } from '../types.ts';
import type { ConfigIssue, PipelineConfig, ProcessorConfig } from './config.ts';

/** A line path from one processor to another; a router's edges carry their branch. */
export interface GraphEdge {
  /** Position in PipelineGraph.edges, for per-edge counters. */
  index: number;
  from: number;
  to: number;
  branch?: string;
}

export interface GraphNode {
  index: number;
  config: ProcessorConfig;
  module: ProcessorModule;
  /** Map processors: where emitted lines go. Routers: unused (see `branches`). */
  next: GraphEdge[];
  /** Routers: branch name -> edges (none: the branch's lines are pipeline output). */
  branches: Map<string, GraphEdge[]>;
}

/** Whether lines leaving this node can end up as pipeline output. */
export function emitsOutput(node: GraphNode): boolean {
  return node.module.descriptor.kind === 'router'
    ? [...node.branches.values()].some((edges) => edges.length === 0)
    : node.next.length === 0;
}

export interface PipelineGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Node indexes in an order where every edge goes forward. */
  order: number[];
  /** Nodes nobody feeds: they receive every input line. */
  roots: number[];
  /** Edges into each node, indexed like nodes. */
  incoming: GraphEdge[][];
}

/**
 * Counts the elementary steps of setup (a node, an edge or a heap move visited), so tests can
 * hold setup to near-linear in the size of the pipeline by counting, not by timing.
 */
export interface WorkMeter {
  steps: number;
}

/**
 * Turns a validated config into a DAG. Without `next`, a processor passes its lines to the one
 * listed after it, unless that one is already fed by a `next` or a router branch; so a plain list
 * is a chain, and a router's branch targets do not leak into each other.
 */
export function buildGraph(config: PipelineConfig, meter: WorkMeter = { steps: 0 }): Result<PipelineGraph, ConfigIssue[]> {
  const { processors } = config;
  const indexOf = new Map(processors.map((p, i) => [p.id, i]));
  const explicitTargets = new Set<string>();
  for (const p of processors) {
    meter.steps++;
    for (const id of p.next ?? []) explicitTargets.add(id);
    for (const target of branchTargets(p)) explicitTargets.add(target.id);
    meter.steps += p.next?.length ?? 0;
  }

  const issues: ConfigIssue[] = [];
  const edges: GraphEdge[] = [];
  const nodes: GraphNode[] = processors.map((config, index) => {
    const module = registry.get(config.type)!;
    const node: GraphNode = { index, config, module, next: [], branches: new Map() };
    if (module.descriptor.kind === 'router') {
      if (config.next) issues.push({ path: `processors[${index}].next`, message: 'a router sends lines through its routes; name targets in routes[].next and default' });
      // A branch without targets is kept (empty): its lines are pipeline output.
      for (const [branch, ids] of Object.entries(module.branches?.(config.params) ?? {})) {
        node.branches.set(branch, ids.map((id) => {
          meter.steps++;
          const edge = { index: edges.length, from: index, to: indexOf.get(id)!, branch };
          edges.push(edge);
          return edge;
        }));
      }
    } else {
      const following = processors[index + 1];
      const targets = config.next ?? (following && !explicitTargets.has(following.id) ? [following.id] : []);
      for (const id of targets) {
        meter.steps++;
        const edge = { index: edges.length, from: index, to: indexOf.get(id)! };
        edges.push(edge);
        node.next.push(edge);
      }
    }
    return node;
  });

  const outgoing = nodes.map((): GraphEdge[] => []);
  const incoming = nodes.map((): GraphEdge[] => []);
  for (const edge of edges) {
    meter.steps++;
    outgoing[edge.from].push(edge);
    incoming[edge.to].push(edge);
  }
  const order = topologicalOrder(outgoing, incoming, meter);
  if (!order) {
    issues.push({ path: 'processors', message: `the processors form a cycle (${describeCycle(processors, outgoing, meter)}); a pipeline must be a DAG` });
  }
  if (issues.length) return { ok: false, error: issues };
  const roots = nodes.map((n) => n.index).filter((i) => incoming[i].length === 0);
  return { ok: true, value: { nodes, edges, order: order!, roots, incoming } };
}

/** Kahn's algorithm, ties in the config's order (a min-heap of ready nodes); null when there is a cycle. */
function topologicalOrder(outgoing: GraphEdge[][], incoming: GraphEdge[][], meter: WorkMeter): number[] | null {
  const waiting = incoming.map((edges) => edges.length);
  const ready = new MinHeap(meter);
  waiting.forEach((n, i) => {
    if (n === 0) ready.push(i);
  });
  const order: number[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(i);
    for (const e of outgoing[i]) {
      meter.steps++;
      if (--waiting[e.to] === 0) ready.push(e.to);
    }
  }
  return order.length === outgoing.length ? order : null;
}

/** Node indexes, smallest first; each move of a sift counts as a step. */
class MinHeap {
  private readonly items: number[] = [];
  constructor(private readonly meter: WorkMeter) {}

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    let i = items.push(value) - 1;
    while (i > 0) {
      this.meter.steps++;
      const parent = (i - 1) >> 1;
      if (items[parent] <= value) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        this.meter.steps++;
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const child = left + 1 < items.length && items[left + 1] < items[left] ? left + 1 : left;
        if (items[child] >= last) break;
        items[i] = items[child];
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}

/** One cycle, as ids: an iterative depth-first search (colours: 0 new, 1 on the path, 2 done). */
function describeCycle(processors: ProcessorConfig[], outgoing: GraphEdge[][], meter: WorkMeter): string {
  const colour = new Uint8Array(processors.length);
  for (let start = 0; start < processors.length; start++) {
    if (colour[start] !== 0) continue;
    const path: number[] = [start];
    const nextEdge: number[] = [0];
    colour[start] = 1;
    while (path.length > 0) {
      meter.steps++;
      const top = path.length - 1;
      const node = path[top];
      const edge = outgoing[node][nextEdge[top]++];
      if (edge === undefined) {
        colour[node] = 2;
        path.pop();
        nextEdge.pop();
      } else if (colour[edge.to] === 1) {
        return [...path.slice(path.indexOf(edge.to)), edge.to].map((i) => processors[i].id).join(' → ');
      } else if (colour[edge.to] === 0) {
        colour[edge.to] = 1;
        path.push(edge.to);
        nextEdge.push(0);
      }
    }
  }
  return 'unknown';
}

/** Router branch targets, with the config path that names each. */
export function branchTargets(processor: ProcessorConfig): { id: string; path: string; branch: string }[] {
  const module = registry.get(processor.type);
  if (!module?.branches) return [];
  return Object.entries(module.branches(processor.params)).flatMap(([branch, ids]) =>
    ids.map((id) => ({ id, path: branch === 'default' ? 'default' : 'routes', branch })),
  );
}

/** Creates a fresh instance of every processor: state (counts, counters) belongs to one run. */
export function instantiate(graph: PipelineGraph, context: RunContext = { parser: null }): ProcessorInstance[] {
  return graph.nodes.map((node) => node.module.create(node.config.params, context));
}
