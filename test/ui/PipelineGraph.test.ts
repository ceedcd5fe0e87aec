import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import PipelineGraph from '../../src/ui/PipelineGraph.svelte';
import type { GraphSection } from '../../src/worker/client.ts';
import { stats } from './fixtures.ts';

const graph: GraphSection = {
  nodes: [
    { id: 'level', type: 'level' },
    { id: 'start', type: 'router' },
    { id: 'warn_counter', type: 'counter' },
    { id: 'error_counter', type: 'counter' },
    { id: 'json', type: 'json' },
  ],
  edges: [
    { from: 'level', to: 'start', lines: 1000 },
    { from: 'start', to: 'warn_counter', branch: 'warn', lines: 120 },
    { from: 'start', to: 'error_counter', branch: 'error', lines: 40 },
    { from: 'start', to: 'json', branch: 'default', lines: 840 },
  ],
};

const processors = [
  stats('level', 'level', { linesIn: 1000, linesOut: 1000, timeMs: 10 }),
  stats('start', 'router', { linesIn: 1000, linesOut: 1000, timeMs: 5 }),
  stats('warn_counter', 'counter', { linesIn: 120, linesOut: 120, timeMs: 1 }),
  stats('error_counter', 'counter', { linesIn: 40, linesOut: 40, timeMs: 4 }),
  stats('json', 'json', { linesIn: 840, linesOut: 300, errors: 540, timeMs: 80, circuit: 'open', circuitOpenings: 2 }),
];

describe('PipelineGraph', () => {
  it('draws a node per processor with its type and counts, and labels each edge with its lines and branch', () => {
    const { container } = render(PipelineGraph, { graph, processors });
    const svg = container.querySelector('svg') as SVGSVGElement;
    const texts = [...svg.querySelectorAll('text')].map((t) => t.textContent);
    for (const id of ['level', 'start', 'warn_counter', 'error_counter', 'json']) expect(texts).toContain(id);
    expect(texts).toContain('router');
    expect(texts).toContain('840 → 300');
    expect(texts).toContain('540 err');
    expect(texts).toEqual(expect.arrayContaining(['1,000', '120 [warn]', '40 [error]', '840 [default]']));
    expect(svg.querySelectorAll('.edge path')).toHaveLength(4);
  });

  it('shows each processor’s share of the time as a percentage', () => {
    const { container } = render(PipelineGraph, { graph, processors });
    const texts = [...container.querySelectorAll('svg text')].map((t) => t.textContent);
    expect(texts).toContain('80%'); // json: 80 of 100 ms
    expect(texts).toContain('1.0%'); // warn_counter
  });

  it('marks an open circuit and the slowest processor in words, not only colour', () => {
    const { container } = render(PipelineGraph, { graph, processors });
    const json = [...container.querySelectorAll('g.node')].find((g) => g.querySelector('.id')?.textContent === 'json')!;
    expect(json.classList.contains('open')).toBe(true);
    expect(within(json as HTMLElement).getByText('circuit open')).toBeTruthy();
    expect(within(json as HTMLElement).getByText('slowest')).toBeTruthy();
    expect(container.querySelectorAll('svg .slow')).toHaveLength(1);
  });

  it('is an image with a summary for screen readers, and lists nodes and edges in hidden tables', () => {
    render(PipelineGraph, { graph, processors });
    const img = screen.getByRole('img');
    expect(img.getAttribute('aria-label')).toBe('Pipeline graph: 5 processors, 4 edges; slowest: json; circuit open: json');

    const nodesTable = screen.getByRole('table', { name: 'Pipeline graph processors' });
    const json = within(nodesTable).getByRole('rowheader', { name: 'json' }).closest('tr')!;
    expect([...json.cells].map((c) => c.textContent)).toEqual(['json', 'json', '840', '300', '540', '80%', 'slowest, circuit open']);

    const edgesTable = screen.getByRole('table', { name: 'Pipeline graph edges' });
    const rows = within(edgesTable).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...(r as HTMLTableRowElement).cells].map((c) => c.textContent))).toEqual([
      ['level', 'start', '', '1,000'],
      ['start', 'warn_counter', 'warn', '120'],
      ['start', 'error_counter', 'error', '40'],
      ['start', 'json', 'default', '840'],
    ]);
  });

  it('marks a half-open circuit, and nothing as slowest before any time is measured', () => {
    const idle = processors.map((p) => ({ ...p, timeMs: 0, circuit: p.id === 'json' ? ('half-open' as const) : ('closed' as const) }));
    const { container } = render(PipelineGraph, { graph, processors: idle });
    expect(within(container.querySelector('svg') as unknown as HTMLElement).getByText('circuit half-open')).toBeTruthy();
    expect(container.querySelector('svg .slow')).toBeNull();
  });

  it('says the graph is coming when there are no nodes yet', () => {
    render(PipelineGraph, { graph: { nodes: [], edges: [] }, processors: [] });
    expect(screen.getByText(/graph appears with the run’s first update/)).toBeTruthy();
  });
});
