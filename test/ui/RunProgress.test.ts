import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import RunProgress from '../../src/ui/RunProgress.svelte';
import { snapshot } from './fixtures.ts';

const cancelButton = () => screen.getByRole('button', { name: 'Cancel' }) as HTMLButtonElement;

describe('RunProgress', () => {
  it('shows bytes read of the file size, percent, speed and time left while running', () => {
    render(RunProgress, { snapshot: snapshot(), oncancel: () => {} });
    const bar = screen.getByRole('progressbar', { name: 'Run progress' }) as HTMLProgressElement;
    expect(bar.value).toBe(1_000_000);
    expect(bar.max).toBe(3_000_000);
    expect(screen.getByText('977 KB of 2.9 MB (33%)')).toBeTruthy();
    expect(screen.getByText('12,345')).toBeTruthy();
    expect(screen.getByText('6,173 lines/s · 488 KB/s')).toBeTruthy();
    expect(screen.getByText('4.0 s')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Running');
  });

  it('says the time left is being estimated before the first rate is known', () => {
    render(RunProgress, { snapshot: snapshot({ etaMs: null }), oncancel: () => {} });
    expect(screen.getByText('estimating…')).toBeTruthy();
  });

  it('offers Cancel only while the run is live, and calls back on click', async () => {
    const oncancel = vi.fn();
    const { rerender } = render(RunProgress, { snapshot: snapshot(), oncancel });
    expect(cancelButton().disabled).toBe(false);
    await fireEvent.click(cancelButton());
    expect(oncancel).toHaveBeenCalledOnce();

    await rerender({ cancelling: true });
    expect(cancelButton().disabled).toBe(true);

    await rerender({ cancelling: false, snapshot: snapshot({ status: 'completed', etaMs: null, bytesRead: 3_000_000 }) });
    expect(cancelButton().disabled).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('Completed');
  });

  it('shows why a run failed as an alert, with the counts so far still visible', () => {
    const message = 'This looks like a binary file, not a text log.';
    render(RunProgress, { snapshot: snapshot({ status: 'failed', etaMs: null, message }), oncancel: () => {} });
    expect(screen.getByRole('alert').textContent).toBe(message);
    expect(screen.getByText('Failed')).toBeTruthy();
    expect(screen.getByText('12,345')).toBeTruthy();
  });

  it('notes compression, cut lines with the cap, and invalid UTF-8 only when they occur', async () => {
    const { rerender } = render(RunProgress, { snapshot: snapshot(), oncancel: () => {} });
    expect(screen.queryByText(/gzip|cut at|UTF-8/)).toBeNull();

    await rerender({
      snapshot: snapshot({
        input: { compression: 'gzip', decodedBytes: 10 * 1024 * 1024, truncatedLines: 2, invalidUtf8Lines: 1, maxLineBytes: 1 << 20 },
      }),
    });
    expect(screen.getByText('gzip-compressed: 10.0 MB decompressed')).toBeTruthy();
    expect(screen.getByText('2 lines cut at 1.0 MB')).toBeTruthy();
    expect(screen.getByText(/1 line with invalid UTF-8/)).toBeTruthy();

    await rerender({ snapshot: snapshot({ input: { compression: 'zstd', decodedBytes: 3 * 1024 * 1024, truncatedLines: 0, invalidUtf8Lines: 0, maxLineBytes: 1 << 20 } }) });
    expect(screen.getByText('zstd-compressed: 3.0 MB decompressed')).toBeTruthy();
  });

  it('shows an empty finished file as fully read', () => {
    render(RunProgress, {
      snapshot: snapshot({ status: 'completed', file: { name: 'empty.log', size: 0 }, bytesRead: 0, linesRead: 0, etaMs: null }),
      oncancel: () => {},
    });
    const bar = screen.getByRole('progressbar', { name: 'Run progress' }) as HTMLProgressElement;
    expect(bar.value).toBe(bar.max);
  });
});
