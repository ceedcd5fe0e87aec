import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StatsTable from '../../src/ui/StatsTable.svelte';
import { snapshot, stats } from './fixtures.ts';

const cellTexts = (row: HTMLTableRowElement) => [...row.cells].map((cell) => cell.textContent?.trim());

describe('StatsTable', () => {
  it('is the table named "Processor stats" with the contract column headers', () => {
    render(StatsTable, { snapshot: snapshot() });
    const table = screen.getByRole('table', { name: 'Processor stats' });
    const headers = within(table).getAllByRole('columnheader').map((th) => th.textContent);
    expect(headers).toEqual(['Processor', 'Lines in', 'Lines out', 'Dropped', 'Errors', 'Time (ms)']);
  });

  it('shows one row per processor and the totals, with separators and one-decimal times', () => {
    render(StatsTable, { snapshot: snapshot() });
    const [, level, errors, total] = screen.getAllByRole('row') as HTMLTableRowElement[];
    expect(cellTexts(level)).toEqual(['level level', '12,345', '12,345', '0', '0', '1.3']);
    expect(cellTexts(errors)).toEqual(['errors filter', '12,345', '1,200', '11,145', '3', '2.5']);
    expect(cellTexts(total)).toEqual(['Total', '12,345', '1,200', '11,145', '3', '3.8']);
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
    expect(cellTexts(rowAfter)).toEqual(['errors filter', '1,000,000', '90,000', '910,000', '7', '60.0']);
    const total = screen.getAllByRole('row').at(-1) as HTMLTableRowElement;
    expect(cellTexts(total)).toEqual(['Total', '1,000,000', '90,000', '910,000', '7', '100.0']);
  });
});
