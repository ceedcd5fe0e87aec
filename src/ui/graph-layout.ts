/**
 * Layered (Sugiyama-style, kept small) layout of the pipeline DAG for PipelineGraph.svelte.
 * Pure: node ids and edges in, boxes and edge curves out, so it is tested without a DOM.
 *
 * Pipelines are small (a handful to a few dozen processors), so the aim is a readable
 * picture, not an optimal one: columns by longest path from the roots, rows ordered by a
 * few barycenter sweeps, which removes the crossings a router's branches typically make.
 */

export interface LayoutInput {
  nodes: readonly { id: string }[];
  edges: readonly { from: string; to: string }[];
}

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Horizontal space between columns (edge labels live there). */
  gapX: number;
  /** Vertical space between nodes of one column. */
  gapY: number;
  /** Space around the whole drawing (room for the tag drawn above a node). */
  margin: number;
}

export interface NodeBox {
  id: string;
  /** Column: the longest path from a root, in edges. */
  layer: number;
  /** Position within the column, top to bottom. */
  row: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EdgeCurve {
  from: string;
  to: string;
  /** SVG path data: a cubic curve from the source's right side to the target's left side. */
  d: string;
  /** Where the edge's label goes: the curve's midpoint. */
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  nodes: NodeBox[];
  /** In the order of the input edges (edges naming unknown nodes are left out). */
  edges: EdgeCurve[];
  width: number;
  height: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = { nodeWidth: 176, nodeHeight: 84, gapX: 84, gapY: 28, margin: 18 };

const SWEEPS = 4;

export function layoutGraph(graph: LayoutInput, options: LayoutOptions = DEFAULT_LAYOUT): GraphLayout {
  const { nodeWidth, nodeHeight, gapX, gapY, margin } = options;
  const ids = graph.nodes.map((n) => n.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const n = ids.length;
  const succ: number[][] = ids.map(() => []);
  const pred: number[][] = ids.map(() => []);
  const edges: [number, number][] = [];
  for (const e of graph.edges) {
    const a = index.get(e.from);
    const b = index.get(e.to);
    if (a === undefined || b === undefined || a === b) continue;
    succ[a].push(b);
    pred[b].push(a);
    edges.push([a, b]);
  }

  const layer = longestPathLayers(n, succ, pred);
  const layerCount = n === 0 ? 0 : Math.max(...layer) + 1;

  // Initial order within a column is config order: what the user wrote is the first guess.
  const columns: number[][] = Array.from({ length: layerCount }, () => []);
  for (let i = 0; i < n; i++) columns[layer[i]].push(i);
  const row = new Array<number>(n).fill(0);
  const renumber = (column: number[]) => column.forEach((node, r) => (row[node] = r));
  columns.forEach(renumber);

  // Barycenter sweeps: each node moves towards the mean row of its neighbours in the column
  // it is compared with (left on the way down, right on the way up). Ties keep their order.
  const barycenter = (node: number, neighbours: number[]) =>
    neighbours.length === 0 ? row[node] : neighbours.reduce((sum, m) => sum + row[m], 0) / neighbours.length;
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? columns.slice(1) : columns.slice(0, -1).reverse();
    for (const column of order) {
      const keys = new Map(column.map((node) => [node, barycenter(node, down ? pred[node] : succ[node])]));
      column.sort((a, b) => (keys.get(a) as number) - (keys.get(b) as number) || row[a] - row[b]);
      renumber(column);
    }
  }

  const tallest = Math.max(0, ...columns.map((c) => c.length));
  const stepY = nodeHeight + gapY;
  const boxes: NodeBox[] = ids.map((id, i) => {
    // Shorter columns are centred on the tallest, as DAG viewers draw them.
    const offset = ((tallest - columns[layer[i]].length) * stepY) / 2;
    return {
      id,
      layer: layer[i],
      row: row[i],
      x: margin + layer[i] * (nodeWidth + gapX),
      y: margin + offset + row[i] * stepY,
      width: nodeWidth,
      height: nodeHeight,
    };
  });

  const curves: EdgeCurve[] = edges.map(([a, b]) => {
    const from = boxes[a];
    const to = boxes[b];
    const x1 = from.x + from.width;
    const y1 = from.y + from.height / 2;
    const x2 = to.x;
    const y2 = to.y + to.height / 2;
    const bend = Math.max(24, (x2 - x1) / 2);
    return {
      from: from.id,
      to: to.id,
      d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
      // The midpoint of this symmetric cubic is the midpoint of its ends.
      labelX: (x1 + x2) / 2,
      labelY: (y1 + y2) / 2,
    };
  });

  return {
    nodes: boxes,
    edges: curves,
    width: layerCount === 0 ? 0 : 2 * margin + layerCount * nodeWidth + (layerCount - 1) * gapX,
    height: tallest === 0 ? 0 : 2 * margin + tallest * nodeHeight + (tallest - 1) * gapY,
  };
}

/**
 * Column of each node: 0 for roots, else 1 + the deepest predecessor. The config is validated
 * as a DAG, but a picture must never hang: nodes left on a cycle are placed after the rest.
 */
function longestPathLayers(n: number, succ: number[][], pred: number[][]): number[] {
  const layer = new Array<number>(n).fill(0);
  const waiting = pred.map((p) => p.length);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (waiting[i] === 0) queue.push(i);
  let placed = 0;
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    placed++;
    for (const next of succ[node]) {
      layer[next] = Math.max(layer[next], layer[node] + 1);
      if (--waiting[next] === 0) queue.push(next);
    }
  }
  if (placed < n) {
    const after = Math.max(0, ...queue.map((i) => layer[i])) + 1;
    for (let i = 0; i < n; i++) if (waiting[i] > 0) layer[i] = after;
  }
  return layer;
}
