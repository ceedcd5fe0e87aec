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
}

/**
 * Turns a validated config into a DAG. Without `next`, a processor passes its lines to the one
 * listed after it, unless that one is already fed by a `next` or a router branch; so a plain list
 * is a chain, and a router's branch targets do not leak into each other.
 */
export function buildGraph(config: PipelineConfig): Result<PipelineGraph, ConfigIssue[]> {
  const { processors } = config;
  const indexOf = new Map(processors.map((p, i) => [p.id, i]));
  const explicitTargets = new Set<string>();
  for (const p of processors) {
    for (const id of p.next ?? []) explicitTargets.add(id);
    for (const target of branchTargets(p)) explicitTargets.add(target.id);
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
          const edge = { index: edges.length, from: index, to: indexOf.get(id)!, branch };
          edges.push(edge);
          return edge;
        }));
      }
    } else {
      const following = processors[index + 1];
      const targets = config.next ?? (following && !explicitTargets.has(following.id) ? [following.id] : []);
      for (const id of targets) {
        const edge = { index: edges.length, from: index, to: indexOf.get(id)! };
        edges.push(edge);
        node.next.push(edge);
      }
    }
    return node;
  });

  const order = topologicalOrder(nodes.length, edges);
  if (!order) {
    issues.push({ path: 'processors', message: `the processors form a cycle (${describeCycle(processors, edges)}); a pipeline must be a DAG` });
  }
  if (issues.length) return { ok: false, error: issues };
  const fed = new Set(edges.map((e) => e.to));
  const roots = nodes.map((n) => n.index).filter((i) => !fed.has(i));
  return { ok: true, value: { nodes, edges, order: order!, roots } };
}

/** Kahn's algorithm; null when there is a cycle. Ties keep the config's order. */
function topologicalOrder(count: number, edges: GraphEdge[]): number[] | null {
  const incoming = new Array<number>(count).fill(0);
  for (const e of edges) incoming[e.to]++;
  const ready = incoming.flatMap((n, i) => (n === 0 ? [i] : []));
  const order: number[] = [];
  while (ready.length) {
    ready.sort((a, b) => a - b);
    const i = ready.shift()!;
    order.push(i);
    for (const e of edges) if (e.from === i && --incoming[e.to] === 0) ready.push(e.to);
  }
  return order.length === count ? order : null;
}

function describeCycle(processors: ProcessorConfig[], edges: GraphEdge[]): string {
  // Walk from any node on a cycle until a node repeats.
  const successors = (i: number) => edges.filter((e) => e.from === i).map((e) => e.to);
  for (let start = 0; start < processors.length; start++) {
    const path: number[] = [];
    const onPath = new Set<number>();
    const walk = (i: number): number[] | null => {
      if (onPath.has(i)) return [...path.slice(path.indexOf(i)), i];
      path.push(i);
      onPath.add(i);
      for (const next of successors(i)) {
        const cycle = walk(next);
        if (cycle) return cycle;
      }
      path.pop();
      onPath.delete(i);
      return null;
    };
    const cycle = walk(start);
    if (cycle) return cycle.map((i) => processors[i].id).join(' → ');
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
