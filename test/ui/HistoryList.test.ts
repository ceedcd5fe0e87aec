import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import HistoryList from '../../src/ui/HistoryList.svelte';
import type { RunSummary } from '../../src/store/index.ts';
import { summary } from './history-fixtures.ts';

function setup(runs: RunSummary[], props: { liveRunId?: string | null; available?: boolean | null; unavailable?: string | null } = {}) {
  const callbacks = { onopen: vi.fn(), ondelete: vi.fn(), onclear: vi.fn() };
  render(HistoryList, { runs, available: true, ...props, ...callbacks });
  return callbacks;
}

/** The body rows as cell texts (the row header first). */
function rows(): string[][] {
  const table = screen.getByRole('table', { name: 'Stored runs' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? ''));
}

const row = (name: RegExp) => screen.getByRole('row', { name });

describe('HistoryList', () => {
  it('lists every kept run with its file, size, start, duration, status, lines and errors', () => {
    setup([
      summary('newest', 'running', { linesRead: 500, errors: 0, durationMs: 1_200 }),
      summary('mine', 'running'),
      summary('gone', 'interrupted', { linesRead: 2_048 }),
      summary('failed', 'failed'),
      summary('stopped', 'cancelled'),
      summary('done', 'completed', { fileSize: 1536, linesRead: 1_234_567 }),
    ], { liveRunId: 'mine' });

    expect(screen.getAllByRole('columnheader').map((h) => h.textContent?.trim())).toEqual([
      'File',
      'Size',
      'Started',
      'Duration',
      'Status',
      'Lines',
      'Errors',
      'Stored',
      'Actions',
    ]);
    const [newest, mine, gone, failed, stopped, done] = rows();
    expect(newest.slice(0, 7)).toEqual(['newest.log', '3.0 MB', expect.stringMatching(/^2026-01-0[12] \d\d:30:00$/), '1.2 s', 'Running in another tab', '500', '0']);
    expect(mine[4]).toBe('Running');
    expect(gone[4]).toBe('Interrupted');
    expect(gone[5]).toBe('2,048');
    expect(failed[4]).toBe('Failed');
    expect(stopped[4]).toBe('Cancelled');
    expect(done.slice(0, 7)).toEqual(['done.log', '1.5 KB', expect.any(String), '4.5 s', 'Completed', '1,234,567', '7']);
    expect(screen.getByText('6 runs kept on this device, about 1.4 MB')).toBeTruthy();
    // The interrupted run says what it holds.
    expect(within(row(/gone\.log/)).getByText('Interrupted').getAttribute('title')).toMatch(/last checkpoint/);
  });

  it('opens a run, and shows the live run of this tab instead of opening it', async () => {
    const { onopen } = setup([summary('mine', 'running'), summary('done', 'completed')], { liveRunId: 'mine' });
    await fireEvent.click(within(row(/done\.log/)).getByRole('button', { name: 'Open' }));
    expect(onopen).toHaveBeenCalledWith('done');
    await fireEvent.click(within(row(/mine\.log/)).getByRole('button', { name: 'Show' }));
    expect(onopen).toHaveBeenLastCalledWith('mine');
  });

  it('deletes a run only once the deletion is confirmed', async () => {
    const { ondelete } = setup([summary('a', 'completed'), summary('b', 'interrupted')]);
    await fireEvent.click(within(row(/a\.log/)).getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('group', { name: 'Delete a.log?' });
    // The safe choice has the focus: Enter does not delete.
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Keep' }));
    await fireEvent.click(within(confirm).getByRole('button', { name: 'Keep' }));
    expect(ondelete).not.toHaveBeenCalled();
    expect(screen.queryByRole('group', { name: 'Delete a.log?' })).toBeNull();

    await fireEvent.click(within(row(/b\.log/)).getByRole('button', { name: 'Delete' }));
    await fireEvent.click(within(screen.getByRole('group', { name: 'Delete b.log?' })).getByRole('button', { name: 'Yes, delete' }));
    expect(ondelete).toHaveBeenCalledExactlyOnceWith('b');
  });

  it('never offers to delete the run of this tab while it runs; one of another tab, after a warning', async () => {
    const { ondelete } = setup([summary('live', 'running'), summary('other', 'running')], { liveRunId: 'live' });
    expect((within(row(/live\.log/)).getByRole('button', { name: 'Delete' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(within(row(/other\.log/)).getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('group', { name: 'Delete other.log? It is still running in another tab, which goes on without saving it.' });
    await fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, delete' }));
    expect(ondelete).toHaveBeenCalledExactlyOnceWith('other');
    // Clear all keeps running runs: here nothing is left to clear.
    expect((screen.getByRole('button', { name: 'Clear all runs' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('tells which runs were removed to make room, and why, until dismissed', async () => {
    const ondismissremoved = vi.fn();
    const removed = [
      { id: 'x', fileName: 'x.log', startedAt: '2025-01-01T10:00:00.000Z', bytesStored: 10, reason: 'budget' as const },
      { id: 'y', fileName: 'y.log', startedAt: '2025-01-02T10:00:00.000Z', bytesStored: 10, reason: 'quota' as const },
    ];
    render(HistoryList, { runs: [], available: true, onopen: vi.fn(), ondelete: vi.fn(), onclear: vi.fn(), removed, ondismissremoved });
    const told = screen.getByRole('status');
    expect(told.textContent).toMatch(
      /^2 runs were removed from the history to make room for newer ones:\s*x\.log \(started 2025-01-01 [\d:]+, over the storage budget\); y\.log \(started 2025-01-02 [\d:]+, the storage was full\)\.\s*Dismiss$/,
    );
    await fireEvent.click(within(told).getByRole('button', { name: 'Dismiss' }));
    expect(ondismissremoved).toHaveBeenCalledTimes(1);
  });

  it('clears all runs after a confirmation that says how many go and that running ones stay', async () => {
    const { onclear } = setup([summary('live', 'running'), summary('a', 'completed'), summary('b', 'failed')], { liveRunId: 'live' });
    await fireEvent.click(screen.getByRole('button', { name: 'Clear all runs' }));
    const confirm = screen.getByRole('group', { name: /Delete 2 stored runs\? This cannot be undone\. Runs still running are kept\./ });
    await fireEvent.keyDown(within(confirm).getByRole('button', { name: 'Delete all runs' }), { key: 'Escape' });
    expect(screen.queryByRole('group', { name: /Delete 2 stored runs/ })).toBeNull();
    expect(onclear).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByRole('button', { name: 'Clear all runs' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Delete all runs' }));
    expect(onclear).toHaveBeenCalledTimes(1);
  });

  it('says when nothing is kept yet, and why nothing can be kept in a browser without storage', () => {
    setup([]);
    expect(screen.getByText(/No runs kept yet/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    document.body.innerHTML = '';
    setup([], { available: false, unavailable: 'This browser gives Linesight no storage (InvalidStateError: nope).' });
    expect(screen.getByRole('status').textContent).toContain('InvalidStateError: nope');
    expect(screen.queryByRole('button', { name: 'Clear all runs' })).toBeNull();
  });
});
