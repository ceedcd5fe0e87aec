import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { PipelineExecutor } from '../../../src/engine/pipeline/executor.ts';
import { buildGraph, instantiate } from '../../../src/engine/pipeline/graph.ts';
import type { LogRecord } from '../../../src/engine/types.ts';

function pipeline(config: unknown) {
  const parsed = parsePipeline(config);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  const graph = buildGraph(parsed.value);
  if (!graph.ok) throw new Error(formatIssues(graph.error));
  const executor = new PipelineExecutor(graph.value, instantiate(graph.value));
  const stats = (id: string) => executor.counters[graph.value.nodes.findIndex((n) => n.config.id === id)];
  const edge = (from: string, to: string) => {
    const nodes = graph.value.nodes;
    const e = graph.value.edges.find((x) => nodes[x.from].config.id === from && nodes[x.to].config.id === to);
    if (!e) throw new Error(`no edge ${from} -> ${to}`);
    return executor.edgeLines[e.index];
  };
  return { executor, graph: graph.value, stats, edge };
}

function records(...texts: string[]): LogRecord[] {
  return texts.map((text, i) => ({ lineNo: i + 1, offset: i * 100, text }));
}

const ROUTE_BY_LEVEL = {
  processors: [
    { type: 'level', id: 'level' },
    {
      type: 'router',
      id: 'start',
      routes: [
        { branch: 'warn', levels: ['WARN'], next: 'warn_counter' },
        { branch: 'error', levels: ['ERROR', 'FATAL'], next: 'error_counter' },
      ],
      default: 'general',
    },
    { type: 'counter', id: 'warn_counter' },
    { type: 'counter', id: 'error_counter' },
    { type: 'counter', id: 'general' },
  ],
};

describe('PipelineExecutor', () => {
  it('runs a list as a chain', () => {
    const { executor, stats } = pipeline({
      processors: [
        { type: 'line_counter', id: 'counter', format: 'Line {count}: {line}' },
        { type: 'uppercase', id: 'uppercase' },
        { type: 'filter', id: 'important_filter', pattern: 'IMPORTANT' },
      ],
    });
    const out = executor.process(records('an important thing', 'noise', 'important too'));
    expect(out.map((r) => r.text)).toEqual(['LINE 1: AN IMPORTANT THING', 'LINE 3: IMPORTANT TOO']);
    expect(stats('counter')).toMatchObject({ linesIn: 3, linesOut: 3, dropped: 0 });
    expect(stats('important_filter')).toMatchObject({ linesIn: 3, linesOut: 2, dropped: 1 });
    expect(executor.outputLines).toBe(2);
  });

  it('keeps counting across batches', () => {
    const { executor, stats } = pipeline({ processors: [{ type: 'line_counter', format: '{count}' }] });
    executor.process(records('a', 'b'));
    const out = executor.process(records('c'));
    expect(out[0].text).toBe('3');
    expect(stats('line_counter').linesIn).toBe(3);
  });

  it('routes start → warn/error/general and counts lines on every edge', () => {
    const { executor, stats, edge, graph } = pipeline(ROUTE_BY_LEVEL);
    const out = executor.process(
      records('2024-01-01 WARN disk almost full', '2024-01-01 ERROR boom', 'INFO hello', 'FATAL dead', 'INFO again'),
    );
    expect(edge('level', 'start')).toBe(5);
    expect(edge('start', 'warn_counter')).toBe(1);
    expect(edge('start', 'error_counter')).toBe(2);
    expect(edge('start', 'general')).toBe(2);
    expect(stats('general').linesIn).toBe(2);
    // Branch targets listed one after another do not feed each other.
    expect(graph.edges.some((e) => graph.nodes[e.from].config.id === 'warn_counter')).toBe(false);
    // All three branches end the pipeline: the output is merged back in line order.
    expect(out.map((r) => r.lineNo)).toEqual([1, 2, 3, 4, 5]);
  });

  it('drops unmatched lines at a router without a default', () => {
    const { executor, stats } = pipeline({
      processors: [{ type: 'router', id: 'r', routes: [{ branch: 'err', pattern: 'ERR', next: 'u' }] }, { type: 'uppercase', id: 'u' }],
    });
    const out = executor.process(records('ERR one', 'ok'));
    expect(out.map((r) => r.text)).toEqual(['ERR ONE']);
    expect(stats('r')).toMatchObject({ linesIn: 2, linesOut: 1, dropped: 1 });
  });

  it('gives each branch of a fan-out its own copy of the line', () => {
    const { executor } = pipeline({
      processors: [
        { type: 'filter', id: 'all', pattern: '.', next: ['up', 'down'] },
        { type: 'uppercase', id: 'up' },
        { type: 'lowercase', id: 'down' },
      ],
    });
    const out = executor.process(records('MiXeD'));
    expect(out.map((r) => r.text).sort()).toEqual(['MIXED', 'mixed']);
  });

  it('counts a processor error and drops the line', () => {
    const { executor, stats } = pipeline({ processors: [{ type: 'json', id: 'json' }, { type: 'uppercase' }] });
    const out = executor.process(records('{"a":1}', 'not json', '{"b":2}'));
    expect(out).toHaveLength(2);
    expect(stats('json')).toMatchObject({ linesIn: 3, linesOut: 2, errors: 1, dropped: 0 });
    expect(stats('uppercase').linesIn).toBe(2);
  });

  it('measures time per processor', () => {
    const { executor, stats } = pipeline({ processors: [{ type: 'filter', pattern: '(a+)+b' }] });
    executor.process(records(...Array.from({ length: 2000 }, (_, i) => `line ${i} aaaaaaaaaaaa`)));
    expect(stats('filter').timeMs).toBeGreaterThan(0);
  });

  it('chains explicitly with next, skipping the listed order', () => {
    const { executor } = pipeline({
      processors: [
        { type: 'uppercase', id: 'a', next: 'c' },
        { type: 'line_counter', id: 'b', format: 'never {line}' },
        { type: 'line_counter', id: 'c', format: 'c:{line}' },
      ],
    });
    // b has no input: it is a root of its own and receives every line too.
    const out = executor.process(records('x'));
    expect(out.map((r) => r.text).sort()).toEqual(['c:X', 'never x']);
  });
});
