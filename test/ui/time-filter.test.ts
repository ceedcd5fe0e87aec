import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import ErrorsView from '../../src/ui/ErrorsView.svelte';
import JourneysView from '../../src/ui/JourneysView.svelte';
import { applyTimeFilter } from '../../src/ui/time-filter.ts';
import { errorsSection, processorError, trace, traces } from './fixtures.ts';

const at = (iso: string) => Date.parse(iso);
/** The minute 10:01 of 2024-05-01, as a click on its bar sets it. */
const filter = { startMs: at('2024-05-01T10:01:00Z'), endMs: at('2024-05-01T10:02:00Z') };

describe('applyTimeFilter', () => {
  it('keeps items in [start, end) and those without a timestamp, and counts the latter', () => {
    const items = [{ ts: filter.startMs - 1 }, { ts: filter.startMs }, { ts: filter.endMs - 1 }, { ts: filter.endMs }, {}, { ts: NaN }];
    const { items: kept, untimed } = applyTimeFilter(items, filter);
    expect(kept).toEqual([{ ts: filter.startMs }, { ts: filter.endMs - 1 }, {}, { ts: NaN }]);
    expect(untimed).toBe(2);
    expect(applyTimeFilter(items, null)).toEqual({ items, untimed: 0 });
  });
});

describe('the time filter in Journeys and Errors', () => {
  it('Journeys lists the traces of the picked time and those without a timestamp, with a chip that removes the filter', async () => {
    const onclearTime = vi.fn();
    render(JourneysView, {
      traces: traces([
        trace(1, { ts: at('2024-05-01T10:00:30Z') }),
        trace(2, { ts: at('2024-05-01T10:01:15Z') }),
        trace(3),
        trace(4, { ts: at('2024-05-01T10:02:00Z') }),
      ]),
      processors: ['level'],
      timeFilter: filter,
      onclearTime,
    });
    const view = screen.getByRole('region', { name: 'Journeys' });
    expect(within(view).getAllByRole('article').map((a) => a.getAttribute('aria-label'))).toEqual(['Line 3', 'Line 2']);
    expect(view.textContent).toContain('2 matching');
    expect(within(view).getByText('Log time 2024-05-01 10:01:00 – 10:02:00 UTC')).toBeTruthy();
    expect(within(view).getByText('1 without a timestamp (kept)')).toBeTruthy();
    await fireEvent.click(within(view).getByRole('button', { name: 'Remove time filter' }));
    expect(onclearTime).toHaveBeenCalledOnce();
  });

  it('Errors shows the samples of the picked time, keeps those without a timestamp, and says how many match', () => {
    render(ErrorsView, {
      errors: errorsSection([
        processorError({ lineNo: 1, ts: at('2024-05-01T10:00:59Z'), text: 'early' }),
        processorError({ lineNo: 2, ts: at('2024-05-01T10:01:01Z'), text: 'inside' }),
        processorError({ lineNo: 3, text: 'untimed' }),
      ]),
      timeFilter: filter,
      onclearTime: () => {},
    });
    const view = screen.getByRole('region', { name: 'Errors' });
    const shown = within(view).getAllByText(/^(early|inside|untimed)$/).map((el) => el.textContent);
    expect(shown).toEqual(['untimed', 'inside']);
    expect(view.textContent).toContain('2 of 3 samples match');
    expect(within(view).getByText('1 without a timestamp (kept)')).toBeTruthy();
    // The exact totals stay totals: the filter narrows the samples, not the counts.
    expect(view.textContent).toContain('3 errors');
  });
});
