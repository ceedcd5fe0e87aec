import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import App from '../../src/ui/App.svelte';
import { Session } from '../../src/ui/session.svelte.ts';
import { fakeEngine } from './fake-engine.ts';
import { snapshot, stats } from './fixtures.ts';

async function setup() {
  const fake = fakeEngine();
  const session = new Session(fake.engine);
  await session.ready;
  render(App, { session });
  return { ...fake, session };
}

const tab = (name: string) => screen.getByRole('tab', { name });

describe('App', () => {
  it('offers tracing with the run options: policy, N and traces kept appear once "Trace lines" is checked', async () => {
    const { session, runs, started } = await setup();
    const options = screen.getByRole('group', { name: 'Run options' });
    expect(within(options).getByLabelText('Keep output lines')).toBeTruthy();
    const trace = within(options).getByLabelText('Trace lines') as HTMLInputElement;
    expect(trace.checked).toBe(false);
    expect(screen.queryByLabelText('Trace policy')).toBeNull();

    await fireEvent.click(trace);
    const policy = screen.getByLabelText('Trace policy') as HTMLSelectElement;
    expect([...policy.options].map((o) => o.text)).toEqual(['Every line', '1 in N', 'First N']);
    expect(policy.value).toBe('sample');
    expect((screen.getByLabelText('N') as HTMLInputElement).value).toBe('100');
    expect((screen.getByLabelText('Traces kept') as HTMLInputElement).value).toBe('1000');

    await fireEvent.change(policy, { target: { value: 'first' } });
    expect((screen.getByLabelText('N') as HTMLInputElement).value).toBe('1000');
    await fireEvent.input(screen.getByLabelText('N'), { target: { value: '250' } });
    await fireEvent.input(screen.getByLabelText('Traces kept'), { target: { value: '5000' } });

    void session.open(new File(['x\n'], 'app.log'));
    await started(0);
    expect(runs[0].start).toMatchObject({ trace: { mode: 'first', n: 250 }, traceCap: 5000 });

    await fireEvent.change(policy, { target: { value: 'all' } });
    expect(screen.queryByLabelText('N')).toBeNull();
    await fireEvent.click(trace);
    void session.open(new File(['x\n'], 'again.log'));
    await started(1);
    expect(runs[1].start).toMatchObject({ trace: null });
    runs[1].finish();
  });

  it('says when the browser keeps files in memory, and turns "Keep output lines" off when asked', async () => {
    const fake = fakeEngine();
    const engine = { ...fake.engine, outputStorage: async () => 'memory' as const };
    const session = new Session(engine);
    await session.ready;
    render(App, { session });
    const note = await screen.findByText(/This browser keeps Linesight’s files in memory, not on disk \(a private window\?\)/);
    const keep = screen.getByLabelText('Keep output lines') as HTMLInputElement;
    expect(keep.checked).toBe(true);
    await fireEvent.click(within(note).getByRole('button', { name: 'Turn off Keep output lines' }));
    expect(keep.checked).toBe(false);
    expect(session.keepOutput).toBe(false);
    expect(screen.queryByText(/keeps Linesight’s files in memory/)).toBeNull();
  });

  it('says nothing of memory where the browser keeps files on disk', async () => {
    const fake = fakeEngine();
    const session = new Session({ ...fake.engine, outputStorage: async () => 'disk' as const });
    await session.ready;
    render(App, { session });
    await tick();
    expect(session.fileStorage).toBe('disk');
    expect(screen.queryByText(/keeps Linesight’s files in memory/)).toBeNull();
  });

  it('has the run views as tabs, Stats first, and the Processors reference before any run', async () => {
    const { session } = await setup();
    expect(screen.getAllByRole('tab').map((t) => t.textContent?.trim())).toEqual([
      'Stats',
      'Charts',
      'Graph',
      'Journeys',
      'Errors',
      'Events',
      'Alerts',
      'Processors',
    ]);
    expect(tab('Stats').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByText('Drop a log file anywhere on this page')).toBeTruthy();

    await fireEvent.keyDown(tab('Stats'), { key: 'End' });
    expect(session.view).toBe('processors');
    expect(tab('Processors').getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tab('Processors'));
    const panel = screen.getByRole('tabpanel', { name: 'Processors' });
    expect(within(panel).getByRole('heading', { name: /Filter filter/ })).toBeTruthy();
    expect(within(panel).getByRole('heading', { name: 'Common keys' })).toBeTruthy();

    await fireEvent.keyDown(tab('Processors'), { key: 'ArrowRight' });
    expect(tab('Stats').getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(tab('Stats'), { key: 'ArrowRight' });
    expect(screen.getByRole('tabpanel', { name: 'Charts' })).toBeTruthy();
  });

  it('keeps the contract stats table on the Stats tab while a run is live, and the graph on Graph', async () => {
    const { session, runs, started } = await setup();
    void session.open(new File(['x\n'], 'app.log'));
    await started(0);
    runs[0].push(snapshot({ runId: runs[0].start.runId }));
    await tick();
    expect(screen.getByRole('table', { name: 'Processor stats' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Run' })).toBeTruthy();

    await fireEvent.click(tab('Graph'));
    expect(screen.getByRole('img', { name: /Pipeline graph: 2 processors, 1 edge/ })).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Processor stats' })).toBeNull();
    // Progress and Cancel stay in view whatever the tab.
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    runs[0].finish();
  });

  it('shows an error count in the header that opens the Errors tab', async () => {
    const { session, runs, started } = await setup();
    expect(screen.queryByRole('button', { name: /errors?$/ })).toBeNull();
    void session.open(new File(['x\n'], 'app.log'));
    await started(0);
    runs[0].push(
      snapshot({
        runId: runs[0].start.runId,
        processors: [stats('json', 'json', { errors: 12, circuit: 'open' })],
        totals: { linesIn: 20, linesOut: 8, dropped: 0, errors: 12 },
      }),
    );
    await tick();
    const summary = screen.getByRole('button', { name: '12 errors' });
    // The stats row says why lines go around the processor.
    expect(screen.getByText('circuit open')).toBeTruthy();

    await fireEvent.click(summary);
    expect(session.view).toBe('errors');
    expect(tab('Errors').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tabpanel', { name: 'Errors' })).toBeTruthy();
    runs[0].finish();
  });
});
