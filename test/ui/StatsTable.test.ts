import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StatsTable from '../../src/ui/StatsTable.svelte';
import { snapshot, stats } from './fixtures.ts';

const cellTexts = (row: HTMLTableRowElement) => [...row.cells].map((cell) => cell.textContent?.trim());
/** The six contract columns' cells (latency and time share follow them). */
const contractCells = (row: HTMLTableRowElement) => cellTexts(row).slice(0, 6);
const CONTRACT = ['Processor', 'Lines in', 'Lines out', 'Dropped', 'Errors', 'Time (ms)'];

describe('StatsTable', () => {
  it('is the table named "Processor stats" with the six contract column headers first, then latency and time share', () => {
    render(StatsTable, { snapshot: snapshot() });
    const table = screen.getByRole('table', { name: 'Processor stats' });
    const headers = within(table).getAllByRole('columnheader').map((th) => th.textContent);
    expect(headers.slice(0, 6)).toEqual(CONTRACT);
    expect(headers.slice(6)).toEqual(['p50 (µs)', 'p95 (µs)', 'p99 (µs)', 'Time share']);
  });

  it('shows one row per processor and the totals, with separators and one-decimal times', () => {
    render(StatsTable, { snapshot: snapshot() });
    const [, level, errors, total] = screen.getAllByRole('row') as HTMLTableRowElement[];
    expect(contractCells(level)).toEqual(['level level', '12,345', '12,345', '0', '0', '1.3']);
    expect(contractCells(errors)).toEqual(['errors filter', '12,345', '1,200', '11,145', '3', '2.5']);
    expect(contractCells(total)).toEqual(['Total', '12,345', '1,200', '11,145', '3', '3.8']);
    expect(total.closest('tfoot')).not.toBeNull();
  });

  it('updates the cells in place when a newer snapshot arrives', async () => {
    const { rerender } = render(StatsTable, { snapshot: snapshot() });
    const rowBefore = screen.getByRole('rowheader', { name: 'errors filter' }).closest('tr');

    await rerender({
      snapshot: snapshot({
        linesRead: 1_000_000,
        processors: [
          stats('level', 'level', { linesIn: 1_000_000, linesOut: 1_000_000, timeMs: 40 }),
          stats('errors', 'filter', { linesIn: 1_000_000, linesOut: 90_000, dropped: 910_000, errors: 7, timeMs: 60.04 }),
        ],
        totals: { linesIn: 1_000_000, linesOut: 90_000, dropped: 910_000, errors: 7 },
      }),
    });

    const rowAfter = screen.getByRole('rowheader', { name: 'errors filter' }).closest('tr') as HTMLTableRowElement;
    expect(rowAfter).toBe(rowBefore); // keyed rows are reused, not rebuilt
    expect(contractCells(rowAfter)).toEqual(['errors filter', '1,000,000', '90,000', '910,000', '7', '60.0']);
    const total = screen.getAllByRole('row').at(-1) as HTMLTableRowElement;
    expect(contractCells(total)).toEqual(['Total', '1,000,000', '90,000', '910,000', '7', '100.0']);
  });

  it('shows p50, p95 and p99 of time per line in µs and the time share with a bar, then the error bound', () => {
    render(StatsTable, {
      snapshot: snapshot({
        processors: [
          stats('level', 'level', { linesIn: 12_345, linesOut: 12_345, timeMs: 1.25, p50Us: 0.42, p95Us: 1.5, p99Us: 2.25, utilization: 0.3333 }),
          stats('errors', 'filter', { linesIn: 12_345, linesOut: 1_200, timeMs: 2.5, p50Us: 95, p95Us: 180.4, p99Us: 1_250, utilization: 0.6667 }),
          stats('idle', 'filter'),
        ],
      }),
    });
    const [, level, errors, idle, total] = screen.getAllByRole('row') as HTMLTableRowElement[];
    expect(cellTexts(level).slice(6)).toEqual(['0.42', '1.5', '2.3', '33.3%']);
    expect(cellTexts(errors).slice(6)).toEqual(['95.0', '180', '1,250', '66.7%']);
    // A processor that has seen no line has no latency yet.
    expect(cellTexts(idle).slice(6)).toEqual(['–', '–', '–', '0.0%']);
    expect(total.cells).toHaveLength(7);
    const bar = errors.cells[9].querySelector('.bar > span') as HTMLElement;
    expect(bar.style.width).toBe('66.67%');
    expect(bar.parentElement?.getAttribute('aria-hidden')).toBe('true');
    expect(screen.getByText('p50/p95/p99: time per line from per-batch means; estimates within ±2.2%')).toBeTruthy();
  });
});
