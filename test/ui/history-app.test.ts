/**
 * The app with its history, settings and saved pipelines: a real Library over fake-indexeddb,
 * a fake engine, and what a person sees and clicks.
 */
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { IDBFactory } from 'fake-indexeddb';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkpointRun, DB_NAME, DB_VERSION, openLinesightDB, type LinesightDatabase } from '../../src/store/index.ts';
import App from '../../src/ui/App.svelte';
import { Library } from '../../src/ui/library.svelte.ts';
import { Session } from '../../src/ui/session.svelte.ts';
import { created, error, range, snapshot } from '../store/helpers.ts';
import { fakeEngine } from './fake-engine.ts';
import { captureDownloads, type Download } from './downloads.ts';
import { reportOf } from '../fixtures/reports.ts';
import { until } from './until.ts';

/** A run from an earlier visit whose tab closed after a checkpoint of 10,000 lines and 12 errors. */
async function seed(db: LinesightDatabase): Promise<void> {
  await created(db, 'past', { startedAt: '2025-01-01T10:00:00.000Z' });
  await checkpointRun(db, 'past', snapshot('past', { startedAt: '2025-01-01T10:00:00.000Z', file: { name: 'past.log', size: 2_000_000 } }), {
    errors: range(0, 12).map(error),
  });
}

async function setup() {
  const factory = new IDBFactory();
  const db = await openLinesightDB({ factory });
  await seed(db);
  db.close();
  const library = new Library({ open: (h) => openLinesightDB({ ...h, factory }), persist: async () => false, isLive: async () => false });
  const fake = fakeEngine();
  const session = new Session(fake.engine, library);
  await Promise.all([session.ready, library.ready]);
  render(App, { session });
  return { ...fake, session, library, factory };
}

const section = (name: string) => screen.getByRole('navigation', { name: 'Sections' }).querySelector(`button:nth-child(${['Analyze', 'History', 'Settings'].indexOf(name) + 1})`) as HTMLButtonElement;

describe('the app with its history', () => {
  let downloads: Download[];

  beforeEach(() => {
    downloads = captureDownloads();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('has Analyze, History and Settings sections; History lists the kept runs, an interrupted one included', async () => {
    await setup();
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    expect(within(nav).getAllByRole('button').map((b) => b.textContent?.replace(/\d+/g, '').trim())).toEqual(['Analyze', 'History', 'Settings']);
    expect(section('Analyze').getAttribute('aria-current')).toBe('page');

    await fireEvent.click(section('History'));
    expect(section('History').getAttribute('aria-current')).toBe('page');
    const row = screen.getByRole('row', { name: /past\.log/ });
    expect(within(row).getByText('Interrupted')).toBeTruthy();
    expect(within(row).getByText('10,000')).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Processor stats' })).toBeNull();
  });

  it('opens a stored run read-only with the same views, exports its report, and goes back to the live view', async () => {
    const { session } = await setup();
    await fireEvent.click(section('History'));
    await fireEvent.click(within(screen.getByRole('row', { name: /past\.log/ })).getByRole('button', { name: 'Open' }));
    await until(() => expect(screen.getByRole('region', { name: 'Stored run' })).toBeTruthy());

    const bar = screen.getByRole('region', { name: 'Stored run' });
    expect(within(bar).getByText('Stored run · read-only')).toBeTruthy();
    expect(within(bar).getByRole('heading', { name: 'past.log' })).toBeTruthy();
    expect(within(bar).getByText('Interrupted')).toBeTruthy();
    expect(section('Analyze').getAttribute('aria-current')).toBe('page');
    // The live progress panel and Cancel are not there: nothing runs.
    expect(screen.queryByRole('region', { name: 'Run' })).toBeNull();

    const table = screen.getByRole('table', { name: 'Processor stats' });
    const parse = within(table).getByRole('row', { name: /parse/ });
    // The five figures of the contract columns (latency and time share follow them).
    expect([...parse.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent)).toEqual(['10,000', '9,000', '0', '1,000', '12.5']);
    // Stats first, from the run's own record; then its lists. (How fast: bench/stored-run-browser.ts.)
    expect(session.stored!.firstMs).toBeGreaterThan(0);
    await until(() => expect(session.stored?.report).not.toBeNull());

    await fireEvent.click(screen.getByRole('tab', { name: 'Errors' }));
    expect(screen.getByRole('tabpanel', { name: 'Errors' }).textContent).toContain('Unexpected token at 11');

    await fireEvent.click(within(bar).getByRole('button', { name: 'Export report' }));
    expect(downloads.map((d) => d.name)).toEqual(['linesight-report-past.json']);
    const report = JSON.parse(await downloads[0].blob.text());
    expect(report.run).toMatchObject({ id: 'past', status: 'interrupted', linesRead: 10_000 });
    expect(report.retention).toEqual({ caps: { traces: 1000, errors: 1000, events: 5000, metricPoints: 10_000 }, evicted: { traces: 0, errors: 0, events: 0, metricPoints: 0 } });
    expect(report.errors.items).toHaveLength(12);

    await fireEvent.click(within(bar).getByRole('button', { name: 'Back to live view' }));
    expect(screen.queryByRole('region', { name: 'Stored run' })).toBeNull();
    await fireEvent.click(screen.getByRole('tab', { name: 'Stats' }));
    expect(screen.getByText('Drop a log file anywhere on this page')).toBeTruthy();
  });

  it('draws a stored run’s stats at once and its lists when read, and a late read never replaces the live view', async () => {
    const { session, library } = await setup();
    const read = library.loadRun.bind(library);
    let release!: () => void;
    vi.spyOn(library, 'loadRun').mockImplementation(async (id) => {
      await new Promise<void>((resolve) => (release = resolve));
      return read(id);
    });
    const opening = session.openStored('past');
    await until(() => expect(screen.getByRole('region', { name: 'Stored run' })).toBeTruthy());
    expect(screen.getByRole('table', { name: 'Processor stats' })).toBeTruthy();
    const bar = screen.getByRole('region', { name: 'Stored run' });
    expect((within(bar).getByRole('button', { name: 'Export report' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole('tab', { name: 'Journeys' }));
    expect(screen.getByText('Reading this run’s journeys, errors and events from this device…')).toBeTruthy();
    release();
    await opening;
    await until(() => expect(screen.getByRole('region', { name: 'Journeys' })).toBeTruthy());
    expect((within(bar).getByRole('button', { name: 'Export report' }) as HTMLButtonElement).disabled).toBe(false);

    // Back to the live view before the lists are read: they must not bring the stored run back.
    const again = session.openStored('past');
    await until(() => expect(session.stored).not.toBeNull());
    session.backToLive();
    release();
    await again;
    expect(session.stored).toBeNull();
  });

  it('clears the levels time filter when the shown run changes: a stored run opened, back to live, a report imported', async () => {
    const { session, library } = await setup();
    const filter = { startMs: Date.parse('2025-01-01T09:00:00Z'), endMs: Date.parse('2025-01-01T09:01:00Z') };
    session.timeFilter = filter;
    const read = library.loadRun.bind(library);
    let release!: () => void;
    vi.spyOn(library, 'loadRun').mockImplementation(async (id) => {
      await new Promise<void>((resolve) => (release = resolve));
      return read(id);
    });
    const opening = session.openStored('past');
    await until(() => expect(session.stored).not.toBeNull());
    expect(session.timeFilter).toBeNull();
    // Picked on the stored run while its lists are read: they are of the same run, it stays.
    session.timeFilter = filter;
    release();
    await opening;
    expect(session.stored?.report).not.toBeNull();
    expect(session.timeFilter).toEqual(filter);

    session.backToLive();
    expect(session.timeFilter).toBeNull();

    session.timeFilter = filter;
    const report = await reportOf(['2024-05-01 10:00:00 INFO up'], { processors: [{ type: 'uppercase' }] }, { runId: 'imported' });
    expect(await session.importReport(new File([JSON.stringify(report)], 'report.json'))).toBe(true);
    expect(session.timeFilter).toBeNull();
  });

  it('starts a new file in the live view, with the retention settings in force, and tells storage trouble plainly', async () => {
    const { session, runs, library, started } = await setup();
    await session.openStored('past');
    expect(session.stored).not.toBeNull();

    void session.open(new File(['x\n'], 'new.log'));
    await started(0);
    expect(session.stored).toBeNull();
    expect(runs[0].start.retention).toEqual(library.settings);

    runs[0].storage({ state: 'unsaved', message: 'Storage is full: this run goes on without being saved.' });
    await tick();
    expect(screen.getByRole('alert').textContent?.trim()).toBe('Storage is full: this run goes on without being saved.');
    const removed = [{ id: 'past', fileName: 'past.log', startedAt: '2025-01-01T10:00:00.000Z', bytesStored: 1000, reason: 'quota' as const }];
    const message = 'Storage is full: to make room for this run, Linesight removed an older run from the history: past.log (started 2025-01-01 10:00).';
    runs[0].storage({ state: 'saving', message, removed });
    await tick();
    expect(screen.getByText(message).getAttribute('role')).toBe('status');
    // The History says it too, until dismissed.
    await fireEvent.click(section('History'));
    const told = screen.getByText(/A run was removed from the history to make room for newer ones:/);
    expect(told.textContent).toMatch(/past\.log \(started 2025-01-01 \d\d:\d\d:\d\d, the storage was full\)\./);
    await fireEvent.click(within(told.closest('[role="status"]') as HTMLElement).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/removed from the history to make room/)).toBeNull();
    runs[0].finish();
  });

  it('applies settings saved in the panel to the next run, the traces kept field included', async () => {
    const { session, runs, started } = await setup();
    await fireEvent.click(section('Settings'));
    const traces = screen.getByLabelText('Traces per run') as HTMLInputElement;
    expect(traces.value).toBe('1000');
    await fireEvent.input(traces, { target: { value: '200' } });
    await fireEvent.input(screen.getByLabelText('Events per run'), { target: { value: '300' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await until(() => expect(session.library!.settings.tracesPerRun).toBe(200));

    await fireEvent.click(section('Analyze'));
    await fireEvent.click(screen.getByLabelText('Trace lines'));
    expect((screen.getByLabelText('Traces kept') as HTMLInputElement).value).toBe('200');
    void session.open(new File(['x\n'], 'app.log'));
    await started(0);
    expect(runs[0].start).toMatchObject({ traceCap: 200, retention: { tracesPerRun: 200, eventsPerRun: 300 } });
    runs[0].finish();
  });

  it('keeps a run out of the history when "Keep in history" is unticked', async () => {
    const { session, runs, started } = await setup();
    const keep = screen.getByLabelText('Keep in history') as HTMLInputElement;
    expect(keep.checked).toBe(true);
    void session.open(new File(['x\n'], 'kept.log'));
    await started(0);
    expect(runs[0].start.persist).toBe(true);
    runs[0].finish();
    await fireEvent.click(keep);
    void session.open(new File(['x\n'], 'private.log'));
    await started(1);
    expect(runs[1].start.persist).toBe(false);
    runs[1].finish();
  });

  it('saves the editor’s pipeline under a name, picks it again later, and deletes it', async () => {
    const { session } = await setup();
    await fireEvent.click(screen.getByRole('button', { name: 'Save pipeline as…' }));
    const name = screen.getByLabelText('Pipeline name') as HTMLInputElement;
    expect(document.activeElement).toBe(name);
    await fireEvent.input(name, { target: { value: 'my errors' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save pipeline' }));
    await until(() => expect(screen.getByText('Saved as “my errors”. Pick it later from Saved pipeline.')).toBeTruthy());
    const savedText = session.pipelineText;

    await session.choosePreset('Seed example');
    const picker = screen.getByLabelText('Saved pipeline') as HTMLSelectElement;
    await until(() => expect([...picker.options].map((o) => o.text)).toEqual(['Choose one…', 'my errors']));
    await fireEvent.change(picker, { target: { value: 'my errors' } });
    await until(() => expect(session.applied?.name).toBe('my errors'));
    expect(session.pipelineText).toBe(savedText);

    await fireEvent.click(within(screen.getByRole('group', { name: 'Saved pipelines' })).getByRole('button', { name: 'Delete' }));
    await fireEvent.click(within(screen.getByRole('group', { name: 'Delete saved pipeline' })).getByRole('button', { name: 'Yes, delete' }));
    await until(() => expect([...picker.options].map((o) => o.text)).toEqual(['None saved yet']));
  });

  it('shows a reload prompt when another tab upgrades the database', async () => {
    const { factory } = await setup();
    const newer = factory.open(DB_NAME, DB_VERSION + 1);
    await new Promise((resolve) => (newer.onsuccess = resolve));
    const prompt = await until(() => screen.getByRole('alert'));
    expect(prompt.textContent).toContain('Linesight was updated in another tab: reload to continue.');
    expect(within(prompt).getByRole('button', { name: 'Reload' })).toBeTruthy();
    newer.result.close();
  });
});
