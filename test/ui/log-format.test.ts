import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import App from '../../src/ui/App.svelte';
import RunOptions from '../../src/ui/RunOptions.svelte';
import RunProgress from '../../src/ui/RunProgress.svelte';
import { Session } from '../../src/ui/session.svelte.ts';
import type { FormatInfo, FormatSection } from '../../src/worker/client.ts';
import { fakeEngine } from './fake-engine.ts';
import { snapshot } from './fixtures.ts';
import { until } from './until.ts';

const FORMATS: FormatInfo[] = [
  { id: 'json', name: 'JSON lines', family: 'structured', description: 'One JSON object a line.' },
  { id: 'syslog', name: 'Syslog (RFC 3164)', family: 'syslog', description: 'BSD syslog.' },
  { id: 'log4j', name: 'Log4j', family: 'jvm', description: 'log4j layout.' },
  { id: 'hdfs', name: 'HDFS', family: 'jvm', description: 'Hadoop 0.x.' },
  { id: 'plain', name: 'Plain text', family: 'generic', description: 'Any line.' },
];

const section = (over: Partial<FormatSection> = {}): FormatSection => ({
  id: 'log4j',
  name: 'Log4j',
  confidence: 0.987,
  overridden: false,
  unmatchedLines: 0,
  multilineJoined: 0,
  ...over,
});

async function started() {
  const fake = fakeEngine();
  const engine = Object.assign(fake.engine, { formats: vi.fn(async () => FORMATS) });
  const session = new Session(engine);
  await session.ready;
  await until(() => expect(session.formats).toHaveLength(FORMATS.length));
  return { ...fake, session };
}

describe('the log format of a run', () => {
  it('shows the detected format with its confidence, and the counts when there are any', async () => {
    const { rerender } = render(RunProgress, { snapshot: snapshot({ format: section() }), oncancel: () => {} });
    expect(screen.getByText('Format: Log4j (detected, 99%)')).toBeTruthy();
    expect(screen.queryByText(/did not fit/)).toBeNull();
    expect(screen.queryByText(/continuation/)).toBeNull();

    await rerender({ snapshot: snapshot({ format: section({ id: 'syslog', name: 'Syslog', confidence: 1, overridden: true, unmatchedLines: 1234, multilineJoined: 1 }) }) });
    expect(screen.getByText('Format: Syslog (chosen)')).toBeTruthy();
    expect(screen.getByText('1,234 lines did not fit (kept as plain text)')).toBeTruthy();
    expect(screen.getByText('1 continuation line joined')).toBeTruthy();
  });

  it('shows nothing about formats when the pipeline does not parse', () => {
    render(RunProgress, { snapshot: snapshot({ format: null }), oncancel: () => {} });
    expect(screen.queryByText(/Format:/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Re-run with this format' })).toBeNull();
  });

  it('offers a re-run once the run has ended', async () => {
    const onrerun = vi.fn();
    const { rerender } = render(RunProgress, { snapshot: snapshot({ format: section() }), oncancel: () => {}, onrerun });
    const button = screen.getByRole('button', { name: 'Re-run with this format' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await rerender({ snapshot: snapshot({ status: 'completed', etaMs: null, format: section() }) });
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);
    expect(onrerun).toHaveBeenCalledOnce();
  });

  it('lists "Detect automatically" and the formats grouped by family', async () => {
    const { session } = await started();
    render(RunOptions, { session });
    const select = screen.getByLabelText('Log format') as HTMLSelectElement;
    expect(select.value).toBe('auto');
    expect(select.options[0].textContent).toBe('Detect automatically');
    const groups = [...select.querySelectorAll('optgroup')].map((g) => [g.label, [...g.querySelectorAll('option')].map((o) => o.value)]);
    expect(groups).toEqual([
      ['Structured (JSON, logfmt)', ['json']],
      ['Syslog', ['syslog']],
      ['Java (JVM)', ['log4j', 'hdfs']],
      ['Generic', ['plain']],
    ]);
  });

  it('passes the chosen format to the next run, and none when detecting', async () => {
    const { session, runs } = await started();
    render(RunOptions, { session });
    const file = new File(['a\n'], 'a.log');
    void session.open(file);
    await until(() => expect(runs).toHaveLength(1));
    expect(runs[0].start.format).toBeUndefined();
    runs[0].finish();

    await fireEvent.change(screen.getByLabelText('Log format'), { target: { value: 'syslog' } });
    expect(session.formatChoice).toBe('syslog');
    void session.open(file);
    await until(() => expect(runs).toHaveLength(2));
    expect(runs[1].start.format).toBe('syslog');
    runs[1].finish();
  });

  it('reads zone-less timestamps as UTC unless another zone is chosen, and passes the zone to the run', async () => {
    const { session, runs } = await started();
    render(RunOptions, { session });
    const zone = screen.getByLabelText('Time zone') as HTMLSelectElement;
    expect(zone.selectedOptions[0].textContent).toMatch(/^UTC( \(this computer now\))?$/);
    const labels = [...zone.options].map((o) => o.textContent!.replace(' (this computer now)', ''));
    expect(labels).toContain('UTC+05:30');
    expect(labels).toContain('UTC-03:30');
    expect(labels[0]).toBe('UTC-12:00');
    expect(labels.at(-1)).toBe('UTC+14:00');
    const file = new File(['a\n'], 'a.log');
    void session.open(file);
    await until(() => expect(runs).toHaveLength(1));
    expect(runs[0].start.timeZoneOffsetMinutes).toBe(0);
    runs[0].finish();

    const india = [...zone.options].find((o) => o.textContent!.startsWith('UTC+05:30'))!;
    await fireEvent.change(zone, { target: { value: india.value } });
    expect(session.timeZone).toBe(330);
    void session.open(file);
    await until(() => expect(runs).toHaveLength(2));
    expect(runs[1].start.timeZoneOffsetMinutes).toBe(330);
    runs[1].finish();
  });

  it('"Re-run with this format" opens the same file again with the chosen format', async () => {
    const { session, runs } = await started();
    render(App, { session });
    const file = new File(['a\n'], 'hdfs.log');
    void session.open(file);
    await until(() => expect(runs).toHaveLength(1));
    runs[0].push(snapshot({ runId: runs[0].start.runId, status: 'completed', etaMs: null, format: section({ id: 'hdfs', name: 'HDFS', confidence: 1 }) }));
    runs[0].finish();
    const run = screen.getByRole('region', { name: 'Run' });
    await until(() => expect(within(run).getByText('Format: HDFS (detected, 100%)')).toBeTruthy());

    await fireEvent.change(screen.getByLabelText('Log format'), { target: { value: 'syslog' } });
    await until(() => expect((within(run).getByRole('button', { name: 'Re-run with this format' }) as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(within(run).getByRole('button', { name: 'Re-run with this format' }));
    await until(() => expect(runs).toHaveLength(2));
    expect(runs[1].file).toBe(file);
    expect(runs[1].start.format).toBe('syslog');
    runs[1].finish();
  });
});
