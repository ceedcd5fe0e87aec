/**
 * The exports besides the JSON report (Prometheus metrics, OTLP traces, HTML snapshot) and
 * "Import report": a fake engine whose run finishes with a real report, and what a person clicks.
 */
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../src/ui/App.svelte';
import { Session } from '../../src/ui/session.svelte.ts';
import type { Report } from '../../src/worker/client.ts';
import { HOSTILE_LINES, reportOf, ROUTED } from '../fixtures/reports.ts';
import { fakeEngine } from './fake-engine.ts';
import { captureDownloads, type Download } from './downloads.ts';
import { until } from './until.ts';


let report: Report;
beforeAll(async () => {
  report = await reportOf(['INFO hello', 'ERROR boom', 'WARN careful', 'INFO again'], ROUTED, { runId: 'run-x', trace: { mode: 'all' } });
});

async function setup() {
  const fake = fakeEngine();
  const session = new Session(fake.engine);
  await session.ready;
  render(App, { session });
  return { ...fake, session };
}

function text(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

function jsonFile(content: string, name = 'report.json'): File {
  const file = new File([content], name, { type: 'application/json' });
  // jsdom's File may lack text(): give it one that reads what was put in.
  Object.defineProperty(file, 'text', { value: async () => content });
  return file;
}

describe('more exports and Import report', () => {
  let downloads: Download[];

  beforeEach(() => {
    downloads = captureDownloads();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('downloads metrics, traces and an HTML snapshot of the finished live run', async () => {
    const { session, runs, started } = await setup();
    const group = () => screen.getByRole('group', { name: 'More exports' });
    const done = session.open(new File(['x\n'], 'app.log'));
    await started(0);
    expect((within(group()).getByRole('button', { name: 'Export metrics (Prometheus)' }) as HTMLButtonElement).disabled).toBe(true);
    runs[0].finish('completed', null, report);
    await done;
    await tick();

    await fireEvent.click(within(group()).getByRole('button', { name: 'Export metrics (Prometheus)' }));
    await fireEvent.click(within(group()).getByRole('button', { name: 'Export traces (OTLP JSON)' }));
    await fireEvent.click(within(group()).getByRole('button', { name: 'Export HTML snapshot' }));
    expect(downloads.map((d) => d.name)).toEqual(['linesight-metrics-run-x.prom', 'linesight-traces-run-x.otlp.json', 'linesight-run-x.html']);

    const [metrics, traces, html] = downloads;
    expect(metrics.blob.type).toMatch(/^text\/plain; ?version=0\.0\.4/);
    const prom = await text(metrics.blob);
    const linesIn = new Map<string, number>();
    for (const line of prom.split('\n')) {
      const match = /^linesight_processor_lines_in_total\{processor="([^"]+)"\} (\d+)$/.exec(line);
      if (match) linesIn.set(match[1], Number(match[2]));
    }
    expect(Object.fromEntries(linesIn)).toEqual(Object.fromEntries(report.processors.map((p) => [p.id, p.linesIn])));

    const otlp = JSON.parse(await text(traces.blob));
    const spans = otlp.resourceSpans[0].scopeSpans[0].spans;
    expect(spans.length).toBeGreaterThan(0);
    expect(new Set(spans.map((s: { traceId: string }) => s.traceId)).size).toBe(report.traces.items.length);

    const page = await text(html.blob);
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain('Processor stats');
  });

  it('shows an imported report read-only with the same dashboard, exports from it, and goes back to the live view', async () => {
    const { session } = await setup();
    await fireEvent.change(screen.getByLabelText('Import report'), { target: { files: [jsonFile(JSON.stringify(report))] } });
    await until(() => expect(screen.getByText('Imported report · read-only')).toBeTruthy());
    expect(session.stored?.imported).toBe(true);
    const bar = screen.getByRole('region', { name: 'Imported report' });
    expect(within(bar).getByRole('heading', { name: 'app.log' })).toBeTruthy();

    const table = screen.getByRole('table', { name: 'Processor stats' });
    for (const p of report.processors) expect(within(table).getByRole('rowheader', { name: new RegExp(`^${p.id}\\b`) })).toBeTruthy();

    await fireEvent.click(within(bar).getByRole('button', { name: 'Export metrics (Prometheus)' }));
    await fireEvent.click(within(bar).getByRole('button', { name: 'Export report' }));
    expect(downloads.map((d) => d.name)).toEqual(['linesight-metrics-run-x.prom', 'linesight-report-run-x.json']);

    await fireEvent.click(within(bar).getByRole('button', { name: 'Back to live view' }));
    expect(screen.queryByText('Imported report · read-only')).toBeNull();
    expect(session.stored).toBeNull();
  });

  it('refuses a broken report with its message as text, and shows nothing from it', async () => {
    const { session } = await setup();
    const hostile = { schema: 'linesight.report/v1', run: { id: HOSTILE_LINES[0], file: { name: HOSTILE_LINES[1], size: 1 } } };
    await fireEvent.change(screen.getByLabelText('Import report'), { target: { files: [jsonFile(JSON.stringify(hostile), 'evil.json')] } });
    const alert = await until(() => screen.getByRole('alert'));
    expect(alert.textContent).toContain('evil.json cannot be imported:');
    expect(session.stored).toBeNull();
    expect(screen.queryByText(/read-only/)).toBeNull();
    expect(screen.queryByRole('table', { name: 'Processor stats' })).toBeNull();
    expect(document.querySelector('script, img[src="x"], [onerror], [onload]')).toBeNull();

    await fireEvent.change(screen.getByLabelText('Import report'), { target: { files: [jsonFile('{"schema": "linesight.report/v1",', 'cut.json')] } });
    await until(() => expect(screen.getByRole('alert').textContent).toMatch(/cut\.json cannot be imported: not valid JSON/));
    expect(session.stored).toBeNull();
  });

  it('refuses a report over the size limit in those words, without reading it', async () => {
    const { session } = await setup();
    const file = new File(['{"schema": "linesight.report/v1"}'], 'huge.json', { type: 'application/json' });
    const read = vi.fn(() => Promise.reject(new Error('read')));
    Object.defineProperties(file, { size: { value: 1.07 * 1024 ** 3 }, text: { value: read } });
    await fireEvent.change(screen.getByLabelText('Import report'), { target: { files: [file] } });
    await vi.waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain('huge.json cannot be imported: this report is 1.07 GB; Linesight imports reports up to 200 MB.'),
    );
    expect(read).not.toHaveBeenCalled();
    expect(session.stored).toBeNull();
  });

  it('shows a report whose texts are too long cut, and says how many were cut', async () => {
    const { session } = await setup();
    const long = JSON.parse(JSON.stringify(report)) as Report;
    long.traces.items[0].text = 'x'.repeat(100_000);
    await fireEvent.change(screen.getByLabelText('Import report'), { target: { files: [jsonFile(JSON.stringify(long), 'long.json')] } });
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toContain('long.json: 1 text was longer than Linesight keeps and is shown cut.'));
    expect(session.stored?.report?.traces.items[0].text).toMatch(/^x{4096}… \[cut: 100,000 characters in all\]$/);
  });
});
