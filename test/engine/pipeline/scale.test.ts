import { describe, expect, it } from 'vitest';
import { formatIssues, MAX_PROCESSORS, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { PipelineExecutor } from '../../../src/engine/pipeline/executor.ts';
import { buildGraph, instantiate, type WorkMeter } from '../../../src/engine/pipeline/graph.ts';
import type { LogRecord } from '../../../src/engine/types.ts';

type Shape = (n: number) => unknown[];

const chain: Shape = (n) => Array.from({ length: n }, (_, i) => ({ type: i % 2 ? 'uppercase' : 'lowercase', id: `p${i}` }));
/** Every processor feeds the next two: twice as many edges as processors. */
const ladder: Shape = (n) =>
  Array.from({ length: n }, (_, i) => ({ type: 'uppercase', id: `p${i}`, ...(i + 1 < n ? { next: [`p${i + 1}`, ...(i + 2 < n ? [`p${i + 2}`] : [])] } : {}) }));
/** One router sending each level… to one of n - 1 counters, and a default. */
const fan: Shape = (n) => [
  {
    type: 'router',
    id: 'start',
    routes: Array.from({ length: n - 2 }, (_, i) => ({ branch: `b${i}`, pattern: `k${i}\\b`, next: `c${i}` })),
    default: 'rest',
  },
  ...Array.from({ length: n - 2 }, (_, i) => ({ type: 'counter', id: `c${i}` })),
  { type: 'counter', id: 'rest' },
];

/** Steps of validation, graph building and executor setup, and the graph's size. */
function setupWork(processors: unknown[]): { steps: number; size: number } {
  const meter: WorkMeter = { steps: 0 };
  const parsed = parsePipeline({ processors }, meter);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  const graph = buildGraph(parsed.value, meter);
  if (!graph.ok) throw new Error(formatIssues(graph.error));
  new PipelineExecutor(graph.value, instantiate(graph.value), graph.value.nodes.map(() => null), {}, meter);
  return { steps: meter.steps, size: graph.value.nodes.length + graph.value.edges.length };
}

describe('pipeline setup at the largest size allowed', () => {
  it.each([
    ['a chain', chain],
    ['a ladder of twice as many edges', ladder],
    ['a router fanning out to every other processor', fan],
  ])('is near-linear for %s of 1,000 processors, counted in steps', (_name, shape) => {
    const half = setupWork(shape(MAX_PROCESSORS / 2));
    const full = setupWork(shape(MAX_PROCESSORS));
    // n log n at most: doubling n a little more than doubles the work (quadratic would be 4×, cubic 8×).
    expect(full.steps / half.steps).toBeLessThan(2.4);
    expect(full.steps).toBeLessThan(4 * full.size * Math.log2(full.size));
  });

  it('still runs lines through a chain of 1,000 and traces a dropped line back along it', () => {
    const processors = [...chain(MAX_PROCESSORS - 1), { type: 'filter', id: 'last', pattern: 'keep' }];
    const parsed = parsePipeline({ processors });
    if (!parsed.ok) throw new Error(formatIssues(parsed.error));
    const graph = buildGraph(parsed.value);
    if (!graph.ok) throw new Error(formatIssues(graph.error));
    const traces: string[][] = [];
    const executor = new PipelineExecutor(graph.value, instantiate(graph.value), graph.value.nodes.map(() => null), {
      mayForceTrace: () => true,
      onTraces: (batch) => traces.push(...batch.map((t) => t.steps.map((s) => `${s.processor}:${s.status}`))),
    });
    const records: LogRecord[] = [
      { lineNo: 1, offset: 0, text: 'keep me' },
      { lineNo: 2, offset: 8, text: 'drop me' },
    ];
    expect(executor.process(records).map((r) => r.text)).toEqual(['keep me']);
    expect(traces).toHaveLength(1);
    expect(traces[0]).toHaveLength(MAX_PROCESSORS);
    expect(traces[0][0]).toBe('p0:emit');
    expect(traces[0][MAX_PROCESSORS - 1]).toBe('last:drop');
  });

  it('refuses a pipeline above the maximum, saying why', () => {
    const result = parsePipeline({ processors: chain(MAX_PROCESSORS + 1) });
    if (result.ok) throw new Error('expected a refusal');
    expect(formatIssues(result.error)).toBe(
      'processors: 1,001 processors: a pipeline may have at most 1,000 (beyond that the stats, the graph and traced lines stop being readable or responsive)',
    );
  });
});
