import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import Tabs from '../../src/ui/Tabs.svelte';

const tabs = [
  { id: 'stats', label: 'Stats' },
  { id: 'graph', label: 'Graph' },
  { id: 'errors', label: 'Errors', count: 12, alarming: true },
] as const;

function setup(selected: 'stats' | 'graph' | 'errors' = 'stats') {
  const onselect = vi.fn();
  const result = render(Tabs, { tabs, selected, label: 'Run views', onselect });
  return { onselect, ...result };
}

const tab = (name: string) => screen.getByRole('tab', { name });

describe('Tabs', () => {
  it('is a named tablist whose selected tab alone is in the Tab order and labels the panel', () => {
    setup('graph');
    expect(screen.getByRole('tablist', { name: 'Run views' })).toBeTruthy();
    expect(screen.getAllByRole('tab').map((t) => [t.getAttribute('aria-selected'), t.tabIndex])).toEqual([
      ['false', -1],
      ['true', 0],
      ['false', -1],
    ]);
    const panel = screen.getByRole('tabpanel');
    expect(panel.getAttribute('aria-labelledby')).toBe(tab('Graph').id);
    expect(tab('Graph').getAttribute('aria-controls')).toBe(panel.id);
  });

  it('keeps a count out of the tab’s name', () => {
    setup();
    expect(tab('Errors').textContent).toContain('12');
  });

  it('moves and selects with the arrow keys, wrapping around, and jumps with Home and End', async () => {
    const { onselect, rerender } = setup('stats');
    await fireEvent.keyDown(tab('Stats'), { key: 'ArrowRight' });
    expect(onselect).toHaveBeenLastCalledWith('graph');
    expect(document.activeElement).toBe(tab('Graph'));

    await rerender({ selected: 'graph' });
    await fireEvent.keyDown(tab('Graph'), { key: 'ArrowLeft' });
    expect(onselect).toHaveBeenLastCalledWith('stats');
    await fireEvent.keyDown(tab('Stats'), { key: 'ArrowLeft' });
    expect(onselect).toHaveBeenLastCalledWith('errors');
    expect(document.activeElement).toBe(tab('Errors'));
    await fireEvent.keyDown(tab('Errors'), { key: 'ArrowRight' });
    expect(onselect).toHaveBeenLastCalledWith('stats');
    await fireEvent.keyDown(tab('Stats'), { key: 'End' });
    expect(onselect).toHaveBeenLastCalledWith('errors');
    await fireEvent.keyDown(tab('Errors'), { key: 'Home' });
    expect(onselect).toHaveBeenLastCalledWith('stats');
  });

  it('leaves other keys alone and selects on click', async () => {
    const { onselect } = setup();
    await fireEvent.keyDown(tab('Stats'), { key: 'ArrowDown' });
    expect(onselect).not.toHaveBeenCalled();
    await fireEvent.click(tab('Errors'));
    expect(onselect).toHaveBeenCalledWith('errors');
  });
});
