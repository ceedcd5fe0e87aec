import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import UPlot, { chartsCreated } from '../../src/ui/UPlot.svelte';
import { FakeResizeObserver, FakeUPlot } from './uplot-mock.ts';

vi.mock('uplot', () => import('./uplot-mock.ts'));

const options = {
  series: [{}, { label: 'Lines/s', stroke: 'var(--no-such-colour, #abcdef)' }],
  axes: [{}, {}],
};
const data = (n: number) => [Float64Array.from({ length: n }, (_, i) => i), Float64Array.from({ length: n }, (_, i) => i * 10)];

async function setup(props: Record<string, unknown> = {}) {
  const first = data(3);
  const view = render(UPlot, { options, data: first, label: 'Throughput', summary: 'Lately 20 lines/s.', height: 200, ...props });
  await chartsCreated();
  return { ...view, first, chart: FakeUPlot.last(), observer: FakeResizeObserver.instances.at(-1)! };
}

describe('UPlot wrapper', () => {
  beforeEach(() => {
    FakeUPlot.reset();
    FakeResizeObserver.install();
  });

  it('creates the chart in a task of its own after mounting, not in the render that mounts it', async () => {
    render(UPlot, { options, data: data(2), label: 'Later', summary: '' });
    expect(FakeUPlot.instances).toHaveLength(0);
    await chartsCreated();
    expect(FakeUPlot.instances).toHaveLength(1);
  });

  it('a chart unmounted before its turn is never created', async () => {
    const { unmount } = render(UPlot, { options, data: data(2), label: 'Gone', summary: '' });
    unmount();
    await chartsCreated();
    expect(FakeUPlot.instances).toHaveLength(0);
  });

  it('creates the chart once on mount with the data, its box as target and the given height, in a labelled figure with a text summary', async () => {
    const { chart, first } = await setup();
    expect(FakeUPlot.instances).toHaveLength(1);
    expect(chart.data).toBe(first);
    expect(chart.opts.height).toBe(200);
    expect(chart.opts.width).toBeGreaterThan(0);
    const figure = screen.getByRole('figure', { name: 'Throughput' });
    expect(figure.contains(chart.target)).toBe(true);
    expect(chart.target.getAttribute('aria-hidden')).toBe('true');
    expect(screen.getByText('Lately 20 lines/s.').className).toContain('visually-hidden');
    // No setData right after creation: the constructor already had the data.
    expect(chart.setData).not.toHaveBeenCalled();
  });

  it('calls setData on new data and never creates a second chart; an unchanged prop costs nothing', async () => {
    const { chart, rerender } = await setup();
    const next = data(5);
    await rerender({ data: next });
    expect(chart.setData).toHaveBeenCalledTimes(1);
    expect(chart.setData).toHaveBeenLastCalledWith(next, true);
    await rerender({ summary: 'Lately 40 lines/s.' });
    expect(chart.setData).toHaveBeenCalledTimes(1);
    expect(FakeUPlot.instances).toHaveLength(1);
  });

  it('calls setSize when its box changes width, keeping the height, and not when the width is the same', async () => {
    const { chart, observer } = await setup();
    expect(observer.observed).toEqual([chart.target]);
    observer.resize(480);
    expect(chart.setSize).toHaveBeenCalledWith({ width: 480, height: 200 });
    observer.resize(480);
    expect(chart.setSize).toHaveBeenCalledTimes(1);
  });

  it('destroys the chart and stops observing on teardown', async () => {
    const { chart, observer, unmount } = await setup();
    unmount();
    expect(chart.destroy).toHaveBeenCalledTimes(1);
    expect(observer.disconnected).toBe(true);
  });

  it('reports a drag as an x range without zooming by itself, and shows the range the parent sets', async () => {
    const onselect = vi.fn();
    const { chart, rerender, first } = await setup({ onselect });
    expect(chart.opts.cursor).toMatchObject({ drag: { setScale: false, x: true } });
    chart.select = { left: 10, top: 0, width: 20, height: 100 };
    chart.fire('setSelect');
    expect(onselect).toHaveBeenCalledWith({ min: 10, max: 30 });
    // The selection box is cleared: the zoom comes back as xRange.
    expect(chart.setSelect).toHaveBeenCalledWith({ left: 0, top: 0, width: 0, height: 0 }, false);

    await rerender({ xRange: { min: 10, max: 30 } });
    expect(chart.setScale).toHaveBeenLastCalledWith('x', { min: 10, max: 30 });
    // New data keeps the zoom.
    const next = data(4);
    await rerender({ data: next });
    expect(chart.setData).toHaveBeenLastCalledWith(next, true);
    expect(chart.setScale).toHaveBeenLastCalledWith('x', { min: 10, max: 30 });
    // Reset: the data's own range again.
    await rerender({ xRange: null });
    expect(chart.setData).toHaveBeenLastCalledWith(next, true);
    expect(first).not.toBe(next);
  });

  it('reports a plain click with the closest index and the x value under the pointer', async () => {
    const onclick = vi.fn();
    const { chart } = await setup({ onclick });
    chart.clickAt(42, 2);
    expect(onclick).toHaveBeenCalledWith(2, 42);
    chart.clickAt(-10, null); // outside the plot: nothing
    expect(onclick).toHaveBeenCalledTimes(1);
  });

  it('reads var(--name) colours from CSS when drawing, with the fallback when the variable is unset', async () => {
    const { chart } = await setup();
    const series = chart.opts.series as { stroke: unknown }[];
    expect(typeof series[1].stroke).toBe('function');
    expect((series[1].stroke as () => string)()).toBe('#abcdef');
    const axes = chart.opts.axes as { stroke: unknown; grid: { stroke: unknown } }[];
    expect(typeof axes[0].stroke).toBe('function');
    expect(typeof axes[0].grid.stroke).toBe('function');
  });
});

describe('UPlot wrapper when the chart cannot be built', () => {
  it('says so in words, and the summary still reads', async () => {
    FakeUPlot.reset();
    FakeResizeObserver.install();
    FakeUPlot.failNext = 'no canvas here';
    render(UPlot, { options, data: data(2), label: 'Broken', summary: 'Lately 5 lines/s.' });
    await chartsCreated();
    expect(screen.getByText('The chart could not be drawn: no canvas here')).toBeTruthy();
    expect(screen.getByText('Lately 5 lines/s.')).toBeTruthy();
  });
});
