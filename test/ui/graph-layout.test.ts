import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, layoutGraph, type GraphLayout, type LayoutInput } from '../../src/ui/graph-layout.ts';

const nodes = (...ids: string[]) => ids.map((id) => ({ id }));
const edge = (from: string, to: string) => ({ from, to });

const byId = (layout: GraphLayout) => new Map(layout.nodes.map((n) => [n.id, n]));
const columns = (layout: GraphLayout) => Object.fromEntries(layout.nodes.map((n) => [n.id, n.layer]));

function overlaps(layout: GraphLayout): string[] {
  const found: string[] = [];
  for (const [i, a] of layout.nodes.entries()) {
    for (const b of layout.nodes.slice(i + 1)) {
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      if (!apart) found.push(`${a.id}/${b.id}`);
    }
  }
  return found;
}

/** Pairs of edges between the same two columns whose ends are in opposite orders. */
function crossings(layout: GraphLayout, graph: LayoutInput): number {
  const at = byId(layout);
  const spans = graph.edges.map((e) => [at.get(e.from)!, at.get(e.to)!] as const);
  let count = 0;
  for (const [i, [a, b]] of spans.entries()) {
    for (const [c, d] of spans.slice(i + 1)) {
      if (a.layer !== c.layer || b.layer !== d.layer) continue;
      if ((a.row - c.row) * (b.row - d.row) < 0) count++;
    }
  }
  return count;
}

/** The "Route by level" preset: level → start → three counters. */
const routerDag: LayoutInput = {
  nodes: nodes('level', 'start', 'warn_counter', 'error_counter', 'general'),
  edges: [edge('level', 'start'), edge('start', 'warn_counter'), edge('start', 'error_counter'), edge('start', 'general')],
};

describe('layoutGraph', () => {
  it('puts a chain in one row, one column per processor', () => {
    const layout = layoutGraph({ nodes: nodes('a', 'b', 'c'), edges: [edge('a', 'b'), edge('b', 'c')] });
    expect(columns(layout)).toEqual({ a: 0, b: 1, c: 2 });
    expect(new Set(layout.nodes.map((n) => n.y)).size).toBe(1);
  });

  it('places a router’s targets in the column after it, stacked without overlap', () => {
    const layout = layoutGraph(routerDag);
    expect(columns(layout)).toEqual({ level: 0, start: 1, warn_counter: 2, error_counter: 2, general: 2 });
    expect(overlaps(layout)).toEqual([]);
    const at = byId(layout);
    expect([at.get('warn_counter')!.row, at.get('error_counter')!.row, at.get('general')!.row]).toEqual([0, 1, 2]);
    // The single nodes of shorter columns are centred on the tallest column.
    const mid = at.get('error_counter')!;
    expect(at.get('start')!.y).toBe(mid.y);
  });

  it('assigns columns by the longest path from the roots', () => {
    const layout = layoutGraph({
      nodes: nodes('a', 'b', 'c', 'd'),
      edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('a', 'd')],
    });
    expect(columns(layout)).toEqual({ a: 0, b: 1, c: 2, d: 3 });
  });

  it('reorders rows to undo crossings the config order would make', () => {
    const graph = {
      nodes: nodes('a1', 'a2', 'b1', 'b2'),
      edges: [edge('a1', 'b2'), edge('a2', 'b1')],
    };
    const layout = layoutGraph(graph);
    expect(crossings(layout, graph)).toBe(0);
    expect(overlaps(layout)).toEqual([]);
  });

  it('draws each edge from the right side of its source to the left side of its target, label between', () => {
    const layout = layoutGraph(routerDag);
    const at = byId(layout);
    for (const curve of layout.edges) {
      const from = at.get(curve.from)!;
      const to = at.get(curve.to)!;
      expect(curve.d.startsWith(`M${from.x + from.width},${from.y + from.height / 2} `)).toBe(true);
      expect(curve.d.endsWith(` ${to.x},${to.y + to.height / 2}`)).toBe(true);
      expect(curve.labelX).toBeGreaterThan(from.x + from.width);
      expect(curve.labelX).toBeLessThan(to.x);
    }
  });

  it('sizes the drawing to fit every node with its margin', () => {
    const layout = layoutGraph(routerDag);
    const { margin } = DEFAULT_LAYOUT;
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(margin);
      expect(n.y).toBeGreaterThanOrEqual(margin);
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width - margin);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height - margin);
    }
  });

  it('keeps lone processors and fan-ins apart, and ignores edges to unknown nodes', () => {
    const layout = layoutGraph({
      nodes: nodes('x', 'y', 'z', 'lone'),
      edges: [edge('x', 'z'), edge('y', 'z'), edge('z', 'ghost')],
    });
    expect(columns(layout)).toEqual({ x: 0, y: 0, z: 1, lone: 0 });
    expect(layout.edges).toHaveLength(2);
    expect(overlaps(layout)).toEqual([]);
  });

  it('never hangs on a cycle, and lays out an empty graph as nothing', () => {
    const layout = layoutGraph({ nodes: nodes('a', 'b', 'c'), edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'b')] });
    expect(layout.nodes).toHaveLength(3);
    expect(overlaps(layout)).toEqual([]);
    expect(layoutGraph({ nodes: [], edges: [] })).toEqual({ nodes: [], edges: [], width: 0, height: 0 });
  });
});
