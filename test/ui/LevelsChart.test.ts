import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DRAWN_LEVELS, stackLevels } from '../../src/ui/charts.svelte.ts';
import LevelsChart from '../../src/ui/LevelsChart.svelte';
import { chartsCreated } from '../../src/ui/UPlot.svelte';
import { FakeResizeObserver, FakeUPlot } from './uplot-mock.ts';

vi.mock('uplot', () => import('./uplot-mock.ts'));

const T0 = Date.parse('2015-10-18T18:01:00Z') / 1000;
/** Three one-minute buckets: counts indexed like the engine's LEVELS (TRACE … UNKNOWN). */
const ROWS = [
  [0, 2, 10, 1, 0, 0, 0],
  [0, 0, 4, 3, 6, 1, 0],
  [0, 0, 8, 0, 0, 0, 2],
];
const levels = stackLevels({
  starts: Float64Array.from(ROWS, (_, i) => T0 + i * 60),
  counts: Array.from({ length: 7 }, (_, l) => Float64Array.from(ROWS, (r) => r[l])),
  bucketMs: 60_000,
});
const totals = { TRACE: 0, DEBUG: 2, INFO: 22, WARN: 4, ERROR: 6, FATAL: 1, UNKNOWN: 5 };
const timeRange = { start: '2015-10-18T18:01:47.978Z', end: '2015-10-18T18:03:59.000Z' };

async function setup(props: Record<string, unknown> = {}) {
  const onzoom = vi.fn();
  const onfilter = vi.fn();
  const view = render(LevelsChart, { levels, timeRange, totals, zoom: null, onzoom, filter: null, onfilter, ...props });
  await chartsCreated();
  return { ...view, onzoom, onfilter, chart: FakeUPlot.last() };
}

describe('LevelsChart', () => {
  beforeEach(() => {
    FakeUPlot.reset();
    FakeResizeObserver.install();
  });

  it('draws the precomputed stacked columns as one bar series per level, with level colours, and states range and bucket in UTC', async () => {
    const { chart } = await setup();
    expect(chart.data).toBe(levels.stacked);
    const series = chart.opts.series as { label?: string; width?: number; fill?: () => string }[];
    expect(series.slice(1).map((s) => s.label)).toEqual([...DRAWN_LEVELS]);
    expect(series.slice(1).every((s) => s.width === 0 && typeof s.fill === 'function')).toBe(true);
    expect(chart.opts.scales).toMatchObject({ x: { time: true } });
    const region = screen.getByRole('region', { name: 'Levels over the log’s time' });
    expect(region.textContent).toContain('From 2015-10-18 18:01:47.978 to 2015-10-18 18:03:59.000 UTC');
    expect(within(region).getByText('1 bar = 1 min')).toBeTruthy();
    expect(screen.getByRole('figure', { name: 'Lines per level per 1 min of log time' })).toBeTruthy();
    // Per-level totals beside the chart, and the lines that had no timestamp.
    const legend = screen.getByRole('list', { name: 'Lines per level' });
    expect(within(legend).getAllByRole('listitem').map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'TRACE 0',
      'DEBUG 2',
      'INFO 22',
      'WARN 4',
      'ERROR 6',
      'FATAL 1',
      'UNKNOWN 5',
    ]);
    expect(region.textContent).toContain('3 lines without a timestamp not charted');
  });

  it('draws each level’s part of each bar as a whole-pixel rectangle, bottom of the stack first', async () => {
    const { chart } = await setup();
    const series = chart.opts.series as { paths?: () => unknown }[];
    // uPlot draws no bar itself (its anti-aliased paths are slow on a software canvas).
    expect(series.slice(1).every((s) => s.paths?.() === null)).toBe(true);
    const rects: [number, number, number, number][] = [];
    const fake = Object.assign(chart, {
      scales: { x: { min: T0, max: T0 + 180 } },
      bbox: { left: T0 - 10, top: 0, width: 400, height: 100 },
      valToPos: (v: number, scale: string) => (scale === 'y' ? 100 - v : v),
      series: chart.opts.series,
      ctx: { save() {}, restore() {}, beginPath() {}, rect() {}, clip() {}, fillStyle: '', fillRect: (...r: [number, number, number, number]) => rects.push(r) },
    });
    chart.fire.call(fake, 'draw');
    // The second bucket (x = T0 + 60, 60 px wide, 1 px gap): FATAL 1, ERROR 6, WARN 3, INFO 4 from the baseline up.
    const second = rects.filter(([x]) => x === T0 + 60);
    expect(second).toEqual([
      [T0 + 60, 99, 59, 1],
      [T0 + 60, 93, 59, 6],
      [T0 + 60, 90, 59, 3],
      [T0 + 60, 86, 59, 4],
    ]);
    expect(rects.every((r) => r.every(Number.isInteger))).toBe(true);
    // Zero counts draw nothing: 3 + 4 + 2 non-zero parts in the three buckets.
    expect(rects).toHaveLength(9);
  });

  it('the legend tells each level’s own count at the cursor, not the stacked height', async () => {
    const { chart } = await setup();
    const series = chart.opts.series as { label?: string; value?: (u: unknown, v: number, s: number, i: number | null) => string }[];
    const error = series.find((s) => s.label === 'ERROR')!;
    expect(error.value!(chart, 7, 6, 1)).toBe('6');
    const info = series.find((s) => s.label === 'INFO')!;
    expect(info.value!(chart, 14, 4, 1)).toBe('4');
  });

  it('a click on a bar sets the time filter to that bucket: its start and end, epoch ms', async () => {
    const { chart, onfilter } = await setup();
    chart.clickAt(T0 + 60 + 59.5); // right half of the second bar still belongs to it
    expect(onfilter).toHaveBeenCalledWith({ startMs: (T0 + 60) * 1000, endMs: (T0 + 120) * 1000 });
    chart.clickAt(T0 + 500); // past the last bucket: nothing
    expect(onfilter).toHaveBeenCalledTimes(1);
  });

  it('zooms to whole buckets on a drag, and "Reset zoom" shows every bucket again', async () => {
    const { chart, onzoom, rerender } = await setup();
    const reset = screen.getByRole('button', { name: 'Reset zoom' }) as HTMLButtonElement;
    expect(reset.disabled).toBe(true);
    chart.select = { left: T0 + 70, top: 0, width: 60, height: 100 };
    chart.fire('setSelect');
    expect(onzoom).toHaveBeenCalledWith({ min: T0 + 60, max: T0 + 120 });

    await rerender({ zoom: { min: T0 + 60, max: T0 + 120 } });
    expect(chart.setScale).toHaveBeenLastCalledWith('x', { min: T0 + 60, max: T0 + 120 });
    expect(reset.disabled).toBe(false);
    await fireEvent.click(reset);
    expect(onzoom).toHaveBeenLastCalledWith(null);
  });

  it('offers the buckets as a table with a filter button each, for keyboards and screen readers', async () => {
    const { onfilter, container } = await setup();
    const details = container.querySelector('details') as HTMLDetailsElement;
    details.open = true;
    await fireEvent(details, new Event('toggle'));
    const table = await screen.findByRole('table', { name: 'Lines per level per bucket' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(rows[2].textContent).toContain('2015-10-18 18:02:00');
    await fireEvent.click(within(rows[3]).getByRole('button', { name: 'Filter to this bucket' }));
    expect(onfilter).toHaveBeenCalledWith({ startMs: (T0 + 120) * 1000, endMs: (T0 + 180) * 1000 });
  });

  it('shows the active filter as a chip that removes it', async () => {
    const { onfilter } = await setup({ filter: { startMs: (T0 + 60) * 1000, endMs: (T0 + 120) * 1000 } });
    expect(screen.getByText('Log time 2015-10-18 18:02:00 – 18:03:00 UTC')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Remove time filter' }));
    expect(onfilter).toHaveBeenCalledWith(null);
  });

  it('says so when the log has no timestamps, and draws no chart', async () => {
    render(LevelsChart, {
      levels: stackLevels({ starts: new Float64Array(0), counts: [], bucketMs: 1000 }),
      timeRange: null,
      totals: { ...totals },
      zoom: null,
      onzoom: () => {},
      filter: null,
      onfilter: () => {},
    });
    await chartsCreated();
    expect(screen.getByText(/No timestamps found in the log yet/)).toBeTruthy();
    expect(FakeUPlot.instances).toHaveLength(0);
  });
});
