import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_RETENTION, validateRetention, type RetentionSettings } from '../../src/store/index.ts';
import SettingsPanel from '../../src/ui/SettingsPanel.svelte';
import { until } from './until.ts';

const MB = 1024 * 1024;
const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

function setup(props: Partial<{ settings: RetentionSettings; estimate: { usage: number; quota: number } | null; persisted: boolean | null; storedBytes: number }> = {}) {
  // Saves the way the store does: its own validation decides.
  const onsave = vi.fn(async (values: RetentionSettings) => {
    const checked = validateRetention(values);
    return checked.ok ? [] : checked.error;
  });
  const view = render(SettingsPanel, { settings: DEFAULT_RETENTION, onsave, ...props });
  return { onsave, ...view };
}

describe('SettingsPanel', () => {
  it('shows the retention defaults, in MB for the storage budget', () => {
    setup();
    expect(field('Runs kept').value).toBe('50');
    expect(field('Traces per run').value).toBe('1000');
    expect(field('Errors per run').value).toBe('1000');
    expect(field('Events per run').value).toBe('5000');
    expect(field('Metric points per series').value).toBe('10000');
    expect(field('Storage budget (MB)').value).toBe('500');
    expect(screen.getByText('Default 1,000; 1–10,000')).toBeTruthy();
  });

  it('names the field and its range when a value is out of range, and saves nothing', async () => {
    const { onsave } = setup();
    await fireEvent.input(field('Traces per run'), { target: { value: '20000' } });
    await fireEvent.blur(field('Traces per run'));
    expect(screen.getByRole('alert').textContent).toBe('Traces per run must be a whole number from 1 to 10,000.');
    expect(field('Traces per run').getAttribute('aria-invalid')).toBe('true');

    await fireEvent.input(field('Storage budget (MB)'), { target: { value: '2.5' } });
    await fireEvent.input(field('Runs kept'), { target: { value: '' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual([
      'Runs kept must be a whole number from 1 to 1,000.',
      'Traces per run must be a whole number from 1 to 10,000.',
      'Storage budget (MB) must be a whole number of MB from 10 to 1,048,576.',
    ]);
    expect(onsave).not.toHaveBeenCalled();
  });

  it('saves valid settings in the store’s units and says they apply to the next run', async () => {
    const { onsave } = setup();
    await fireEvent.input(field('Runs kept'), { target: { value: '10' } });
    await fireEvent.input(field('Traces per run'), { target: { value: '10000' } });
    await fireEvent.input(field('Storage budget (MB)'), { target: { value: '50' } });
    expect(screen.getByRole('status').textContent?.trim()).toBe('Not saved yet.');
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(onsave).toHaveBeenCalledExactlyOnceWith({ ...DEFAULT_RETENTION, runsKept: 10, tracesPerRun: 10_000, storageBudgetBytes: 50 * MB });
    await until(() => expect(screen.getByRole('status').textContent?.trim()).toBe('Saved. The next run keeps this much.'));
  });

  it('shows a refusal of the store, and restores the defaults on request', async () => {
    const onsave = vi.fn(async () => [{ path: '' as const, message: 'The browser could not save Linesight data (UnknownError: disk).' }]);
    render(SettingsPanel, { settings: { ...DEFAULT_RETENTION, runsKept: 3 }, onsave });
    expect(field('Runs kept').value).toBe('3');
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await until(() => expect(screen.getByRole('alert').textContent).toContain('UnknownError: disk'));
    await fireEvent.click(screen.getByRole('button', { name: 'Restore defaults' }));
    expect(field('Runs kept').value).toBe('50');
  });

  it('follows new settings from outside (loaded late, or saved)', async () => {
    const { rerender } = setup();
    await rerender({ settings: { ...DEFAULT_RETENTION, eventsPerRun: 123 } });
    expect(field('Events per run').value).toBe('123');
  });

  it('tells what is stored now and whether persistent storage was granted', async () => {
    const { rerender } = setup({ estimate: { usage: 5 * MB, quota: 200 * MB }, persisted: true, storedBytes: 3 * MB });
    expect(screen.getByText('5.0 MB of 200 MB the browser allows (2.5%)')).toBeTruthy();
    expect(screen.getByText(/about 3\.0 MB/)).toBeTruthy();
    expect(screen.getByText(/^Granted/)).toBeTruthy();
    await rerender({ estimate: null, persisted: false });
    expect(screen.getByText('The browser does not tell.')).toBeTruthy();
    expect(screen.getByText(/^Not granted: the browser may clear/)).toBeTruthy();
  });
});
