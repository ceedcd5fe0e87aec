/** The Charts and Alerts tabs and the header badges, wired to the Session as the app runs them. */
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../src/ui/App.svelte';
import { RunCharts } from '../../src/ui/charts.svelte.ts';
import ChartsView from '../../src/ui/ChartsView.svelte';
import { Session } from '../../src/ui/session.svelte.ts';
import { chartsCreated } from '../../src/ui/UPlot.svelte';
import type { AlertView, NamedPoint, Report, TimelineColumns } from '../../src/worker/client.ts';
import { fakeEngine } from './fake-engine.ts';
import { snapshot } from './fixtures.ts';
import { until } from './until.ts';
import { FakeResizeObserver, FakeUPlot } from './uplot-mock.ts';

vi.mock('uplot', () => import('./uplot-mock.ts'));

const point = (series: string, t: number, value: number): NamedPoint => ({ series, t, count: 1, sum: value, min: value, max: value });
const pointsAt = (t: number): NamedPoint[] => [
  point('lines_per_sec', t, 1000 * t),
  point('bytes_per_sec', t, 100_000 * t),
  point('p95_us:level', t, 2),
  point('utilization:level', t, 0.4),
  point('p95_us:errors', t, 3),
  point('utilization:errors', t, 0.6),
];
const T0 = Date.parse('2026-01-01T11:00:00Z') / 1000;
const timeline: TimelineColumns = {
  starts: Float64Array.of(T0, T0 + 60),
  counts: [[0, 0], [5, 0], [100, 80], [3, 1], [2, 7], [0, 1], [0, 0]].map((c) => Float64Array.from(c)),
  bucketMs: 60_000,
};
const firing: AlertView = {
  id: 'processor-error-rate:errors',
  rule: 'processor-error-rate',
  name: 'Processor error rate above 1%',
  processor: 'errors',
  severity: 'medium',
  state: 'firing',
  firedAt: '2026-01-01T12:00:01.000Z',
  value: 0.05,
  threshold: 0.01,
  lastValue: 0.05,
  history: [{ at: '2026-01-01T12:00:01.000Z', action: 'fired', by: 'rule', value: 0.05 }],
};
const acknowledged: AlertView = { ...firing, state: 'acknowledged', history: [...firing.history, { at: '2026-01-01T12:00:03.000Z', action: 'acknowledged', by: 'user' }] };

async function setup() {
  const fake = fakeEngine();
  const session = new Session(fake.engine);
  await session.ready;
  render(App, { session });
  void session.open(new File(['x\n'], 'app.log'));
  await fake.started(0);
  const run = fake.runs[0];
  run.push(
    snapshot({
      points: pointsAt(1),
      timeline,
      health: { status: 'DEGRADED', reasons: ["errors in 'errors': 5% of lines (threshold 1%)"], bottleneck: { processor: 'errors', linesPerSec: 4_000_000 }, recentThroughputLps: 6_000 },
      alerts: [firing],
    }),
  );
  await tick();
  return { ...fake, session, run };
}

const chartNamed = (label: string) => FakeUPlot.instances.find((c) => c.target.closest('figure')?.getAttribute('aria-label') === label);

describe('charts, health and alerts in the app', () => {
  beforeEach(() => {
    FakeUPlot.reset();
    FakeResizeObserver.install();
  });

  it('shows health and firing alerts in the header; the health badge opens the Charts tab with its four charts', async () => {
    const { session } = await setup();
    expect(screen.getByRole('tab', { name: 'Alerts' }).textContent).toContain('1');
    await fireEvent.click(screen.getByRole('button', { name: /Health: DEGRADED/ }));
    expect(session.view).toBe('charts');
    await chartsCreated();
    const panel = screen.getByRole('tabpanel', { name: 'Charts' });
    expect(within(panel).getByRole('region', { name: 'Health' }).textContent).toContain("errors in 'errors': 5% of lines");
    expect(within(panel).getAllByRole('figure').map((f) => f.getAttribute('aria-label'))).toEqual([
      'Throughput over the run: lines per second and MB per second',
      'Lines per level per 1 min of log time',
      'p95 of time per line per processor over the run',
      "Share of the pipeline's time per processor over the run",
    ]);
    expect(FakeUPlot.instances).toHaveLength(4);
    const latency = chartNamed('p95 of time per line per processor over the run')!;
    expect((latency.opts.series as { label?: string }[]).slice(1).map((s) => s.label)).toEqual(['level', 'errors']);
  });

  it('feeds live points to the charts with setData, never rebuilding them', async () => {
    const { session, run } = await setup();
    session.show('charts');
    await tick();
    await chartsCreated();
    const throughput = chartNamed('Throughput over the run: lines per second and MB per second')!;
    run.push(snapshot({ points: pointsAt(2), timeline }));
    await tick();
    expect(throughput.setData).toHaveBeenCalledTimes(1);
    expect(Array.from((throughput.data as Float64Array[])[1])).toEqual([1000, 2000]);
    // A snapshot with no new point and the same timeline changes nothing.
    run.push(snapshot({ points: [], timeline: { ...timeline, starts: timeline.starts.slice() } }));
    await tick();
    expect(throughput.setData).toHaveBeenCalledTimes(1);
    expect(chartNamed('Lines per level per 1 min of log time')!.setData).not.toHaveBeenCalled();
    expect(FakeUPlot.instances).toHaveLength(4);
  });

  it('a click on a bar filters Journeys and Errors to that minute; a new run clears the filter and the charts', async () => {
    const { session, started } = await setup();
    session.show('charts');
    await tick();
    await chartsCreated();
    chartNamed('Lines per level per 1 min of log time')!.clickAt(T0 + 90);
    await tick();
    expect(session.timeFilter).toEqual({ startMs: (T0 + 60) * 1000, endMs: (T0 + 120) * 1000 });
    expect(screen.getByText('Log time 2026-01-01 11:01:00 – 11:02:00 UTC')).toBeTruthy();

    await fireEvent.click(screen.getByRole('tab', { name: 'Errors' }));
    expect(within(screen.getByRole('tabpanel', { name: 'Errors' })).queryByRole('button', { name: 'Remove time filter' })).toBeNull(); // no errors fetched yet
    session.observations = { traces: { enabled: false, policy: null, seen: 0, kept: 0, items: [] }, errors: { total: 1, byProcessor: { errors: 1 }, byType: { E: 1 }, items: [{ processor: 'errors', lineNo: 1, text: 'x', type: 'E', message: 'm' }] }, events: { seen: 0, kept: 0, items: [] } };
    await tick();
    await fireEvent.click(screen.getByRole('button', { name: 'Remove time filter' }));
    expect(session.timeFilter).toBeNull();

    session.timeFilter = { startMs: 0, endMs: 1 };
    void session.open(new File(['y\n'], 'next.log'));
    await started(1);
    expect(session.timeFilter).toBeNull();
    expect(session.charts.throughput[0].length).toBe(0);
    expect(session.alerts.list).toEqual([]);
  });

  it('acknowledges a firing alert through the engine from the Alerts tab; the header stops counting it', async () => {
    const { session, engine, live } = await setup();
    await fireEvent.click(screen.getByRole('button', { name: '1 alert firing' }));
    expect(session.view).toBe('alerts');
    live.alerts = [acknowledged];
    const card = screen.getByRole('article', { name: 'Processor error rate above 1% (errors)' });
    await fireEvent.click(within(card).getByRole('button', { name: 'Acknowledge' }));
    expect(engine.alertAction).toHaveBeenCalledWith('processor-error-rate:errors', 'acknowledge', undefined);
    // Shown once the engine answers.
    await until(() => expect(within(screen.getByRole('article', { name: /errors/ })).getByText('acknowledged', { selector: '.badge' })).toBeTruthy());
    expect(screen.queryByRole('button', { name: /alerts? firing/ })).toBeNull();
  });

  it('after the run, charts come from the report, and an alert action is in the exported report', async () => {
    const { session, run, live } = await setup();
    const report: Partial<Report> = {
      alerts: [firing],
      metrics: { intervalMs: 1000, series: { lines_per_sec: [{ t: 1, count: 1, sum: 10, min: 10, max: 10 }], bytes_per_sec: [{ t: 1, count: 1, sum: 0, min: 0, max: 0 }] } },
      timeline: { bucketMs: 60_000, buckets: [] },
    };
    run.finish('completed', { lines: 1, bytes: 1 }, report);
    await until(() => expect(session.result).not.toBeNull());
    expect(Array.from(session.charts.throughput[1])).toEqual([10]);
    live.alerts = [acknowledged];
    expect(await session.alerts.act(firing.id, 'acknowledge')).toBe(true);
    expect(session.result?.report.alerts).toEqual([acknowledged]);
  });

  it('draws a stored run’s charts from its final snapshot, leaving the live charts alone', async () => {
    const live = new RunCharts();
    live.add(pointsAt(1));
    // A stored run's snapshot carries every point, grouped by series.
    const points = [...pointsAt(1), ...pointsAt(2)].sort((a, b) => a.series.localeCompare(b.series));
    const stored = snapshot({ points, timeline });
    render(ChartsView, { charts: live, snapshot: stored, stored, filter: null, onfilter: () => {} });
    await chartsCreated();
    const throughput = chartNamed('Throughput over the run: lines per second and MB per second')!;
    expect(Array.from((throughput.data as Float64Array[])[0])).toEqual([1, 2]);
    expect(Array.from((throughput.data as Float64Array[])[1])).toEqual([1000, 2000]);
    expect(live.throughput[0].length).toBe(1);
    expect(screen.getByRole('region', { name: 'Levels over the log’s time' }).textContent).toContain('1 bar = 1 min');
  });
});
