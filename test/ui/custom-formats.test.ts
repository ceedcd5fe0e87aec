/**
 * Custom formats in the UI: the editor's live preview and its refusals, saving and deleting
 * (kept in a real Library over fake-indexeddb), the "Log format" list, and the format choice
 * remembered across a reload. jsdom has no Worker: the editor is given a previewer that runs
 * the worker's code in the test (or one that never answers, for the time limit).
 */
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkpointRun, openLinesightDB } from '../../src/store/index.ts';
import App from '../../src/ui/App.svelte';
import CustomFormatsPanel from '../../src/ui/CustomFormatsPanel.svelte';
import {
  CustomFormatDraft,
  importFormats,
  PREVIEW_DEBOUNCE_MS,
  PREVIEW_TIME_LIMIT_MS,
  TOO_SLOW,
  type Previewer,
} from '../../src/ui/custom-formats.svelte.ts';
import { Library } from '../../src/ui/library.svelte.ts';
import RunOptions from '../../src/ui/RunOptions.svelte';
import { Session } from '../../src/ui/session.svelte.ts';
import type { CustomFormatSpec, FormatInfo } from '../../src/worker/client.ts';
import { previewSample } from '../../src/worker/preview-api.ts';
import { reportOf } from '../fixtures/reports.ts';
import { created, snapshot } from '../store/helpers.ts';
import { captureDownloads } from './downloads.ts';
import { fakeEngine } from './fake-engine.ts';
import { until } from './until.ts';

const BRACES: CustomFormatSpec = {
  id: 'braces',
  name: 'Braces',
  pattern: '^<(?<timestamp>[^>]+)> \\{(?<level>[A-Z])\\} (?<message>.*)',
  timestampLayout: 'yyyy/MM/dd HH:mm:ss',
};

const BUILT_IN: FormatInfo[] = [
  { id: 'log4j', name: 'Log4j', family: 'jvm', description: 'log4j layout.' },
  { id: 'plain', name: 'Plain text', family: 'generic', description: 'Any line.' },
];

/** The worker's code, run here. */
const inTest: Previewer = async (spec, sample) => previewSample(spec, sample);

/** The panel on its own, saving into a list the test reads. */
function panel(formats: CustomFormatSpec[] = [], previewer = inTest) {
  const saved: { spec: unknown; replacing?: string }[] = [];
  const onsave = vi.fn(async (spec: unknown, replacing?: string) => {
    saved.push({ spec, replacing });
    return [];
  });
  const ondelete = vi.fn();
  render(CustomFormatsPanel, { formats, onsave, ondelete, previewer });
  return { saved, onsave, ondelete };
}

const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
const preview = () => screen.getByRole('region', { name: 'Preview' });

describe('the custom format editor', () => {
  it('shows live what each sample line becomes, or why it does not fit', async () => {
    panel();
    // Empty, it says what to do, not what to fix.
    expect(within(preview()).getByText(/^Give the format a name and a pattern, and paste sample lines/)).toBeTruthy();
    expect(within(preview()).queryByText(/Fix the problems/)).toBeNull();
    await type('Name', 'Braces');
    expect((screen.getByLabelText('Id') as HTMLInputElement).value).toBe('braces');
    await type('Pattern', BRACES.pattern);
    await type('Timestamp layout', 'yyyy/MM/dd HH:mm:ss');
    expect(within(preview()).getByText(/Paste sample lines/)).toBeTruthy();

    await type('Sample lines', '<2024/03/14 08:00:00> {W} disk slow\nnot a line of it\n<yesterday> {E} odd');
    await until(() => expect(within(preview()).getByText(/1 of 3 sample lines fit; 2 have problems \(below\)\./)).toBeTruthy());
    const items = within(preview()).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    const fields = (item: HTMLElement) => [...item.querySelectorAll('dl div')].map((row) => [row.querySelector('dt')?.textContent, row.querySelector('dd')?.textContent]);
    expect(fields(items[0])).toEqual([
      ['timestamp', '2024-03-14T08:00:00.000Z'],
      ['level', 'WARN (W)'],
      ['message', 'disk slow'],
    ]);
    expect(within(items[1]).getByText(/does not match the pattern/)).toBeTruthy();
    expect(within(items[2]).getByText('timestamp "yesterday" does not fit the layout "yyyy/MM/dd HH:mm:ss"')).toBeTruthy();
    // The layout changes, the preview follows.
    await type('Timestamp layout', 'auto');
    await until(() => expect(within(preview()).getByText('timestamp "yesterday" does not fit the layout "auto"')).toBeTruthy());
    expect(fields(within(preview()).getAllByRole('listitem')[0])[0]).toEqual(['timestamp', '2024-03-14T08:00:00.000Z']);
  });

  it('says which format detection would pick on the sample lines', async () => {
    panel();
    await type('Name', 'Mine');
    await type('Pattern', '^(?<timestamp>\\S+ \\S+) (?<level>[A-Z]+) (?<message>.*)');
    await type('Sample lines', '<2024/03/14 08:00:00> {W} disk slow');
    await until(() => expect(within(preview()).getByText(/Detection picks plain text on these lines, not this format \(0%\)\./)).toBeTruthy());
    await type('Sample lines', '2024-03-14 08:00:00,001 INFO [main] a.B: hi');
    await until(() => expect(within(preview()).getByText(/Detection picks this format on these lines \(100%\)\./)).toBeTruthy());
  });

  it('shows what is wrong, with the key and the reason, and saves nothing until it is right', async () => {
    const { onsave } = panel();
    await type('Name', 'Broken');
    await type('Pattern', '^(?<timestamp>\\S+');
    // Said politely while typing (a screen reader is not interrupted at each key) ...
    const problems = screen.getByRole('status', { name: 'Problems with this format' });
    expect(within(problems).getByText(/^pattern: invalid regular expression/)).toBeTruthy();
    expect(screen.queryByRole('alert', { name: 'Problems with this format' })).toBeNull();
    // A built-in id is refused too.
    await type('Id', 'syslog');
    expect(within(problems).getByText('id: "syslog" is a built-in format; choose another id')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Save format' }));
    // ... and as an alert once Save was pressed.
    const refused = await until(() => screen.getByRole('alert', { name: 'Problems with this format' }));
    expect(within(refused).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringMatching(/^id: "syslog" is a built-in format/),
      expect.stringMatching(/^pattern: invalid regular expression/),
    ]);
    expect(onsave).not.toHaveBeenCalled();

    await type('Id', 'broken');
    await type('Pattern', '^(?<message>.*)');
    expect(screen.queryByRole('alert', { name: 'Problems with this format' })).toBeNull();
  });

  it('holds back "required" until Save is pressed', async () => {
    panel();
    await type('Pattern', '^(?<message>.*)');
    expect(screen.queryByRole('status', { name: 'Problems with this format' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Save format' }));
    const problems = screen.getByRole('alert', { name: 'Problems with this format' });
    expect(within(problems).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['id: required: a non-empty string', 'name: required: a non-empty string']);
  });

  it('saves the spec the fields describe, then edits what it saved', async () => {
    const { saved } = panel();
    await type('Name', 'Braces');
    await type('Pattern', BRACES.pattern);
    await type('Timestamp layout', 'yyyy/MM/dd HH:mm:ss');
    await type('Sample lines', '<2024/03/14 08:00:00> {W} disk slow\n');
    await fireEvent.click(screen.getByRole('button', { name: 'Save format' }));
    await until(() => expect(saved).toHaveLength(1));
    expect(saved[0]).toEqual({ spec: { ...BRACES, sample: '<2024/03/14 08:00:00> {W} disk slow' }, replacing: undefined });
    expect(screen.getByText('Saved “Braces”. Detection tries it from the next file on.')).toBeTruthy();

    await type('Id', 'braces2');
    await fireEvent.click(screen.getByRole('button', { name: 'Save format' }));
    await until(() => expect(saved).toHaveLength(2));
    expect(saved[1]).toMatchObject({ spec: { id: 'braces2' }, replacing: 'braces' });
  });

  it('lists saved formats to edit, delete (after a confirmation) and export', async () => {
    const downloads = captureDownloads();
    const { ondelete } = panel([BRACES]);
    const list = screen.getByRole('list', { name: 'Saved custom formats' });
    expect(within(list).getByText('Braces')).toBeTruthy();

    await fireEvent.click(within(list).getByRole('button', { name: 'Edit Braces' }));
    expect((screen.getByLabelText('Pattern') as HTMLTextAreaElement).value).toBe(BRACES.pattern);
    expect(screen.getByRole('heading', { name: 'Edit “Braces”' })).toBeTruthy();

    await fireEvent.click(within(list).getByRole('button', { name: 'Delete Braces' }));
    expect(ondelete).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect(ondelete).toHaveBeenCalledWith('braces');

    await fireEvent.click(screen.getByRole('button', { name: 'Export custom formats' }));
    expect(downloads.map((d) => d.name)).toEqual(['linesight-formats.json']);
    expect(JSON.parse(await downloads[0].blob.text())).toEqual({ formats: [BRACES] });
    vi.restoreAllMocks();
  });

  it('stops a preview that takes too long, says why, and refuses to save until the pattern is simpler', async () => {
    vi.useFakeTimers();
    try {
      const signals: AbortSignal[] = [];
      // Nested quantifiers "backtrack": that preview never answers, as a worker stuck in the regex would not.
      const previewer: Previewer = (spec, sample, signal) => {
        signals.push(signal);
        return (spec as CustomFormatSpec).pattern.includes(')+') ? new Promise(() => {}) : inTest(spec, sample, signal);
      };
      const { onsave } = panel([], previewer);
      await type('Name', 'Words');
      await type('Pattern', '^(?<message>(\\w+\\s?)+)$');
      await type('Sample lines', `${'a'.repeat(30)}!`);
      await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS + PREVIEW_TIME_LIMIT_MS - 10);
      expect(screen.queryByRole('status', { name: 'Problems with this format' })).toBeNull();
      await vi.advanceTimersByTimeAsync(10);
      const problems = screen.getByRole('status', { name: 'Problems with this format' });
      expect(within(problems).getByText(`pattern: ${TOO_SLOW}`)).toBeTruthy();
      expect(TOO_SLOW).toMatch(/^took longer than 1\.5 s on these sample lines — it may backtrack catastrophically/);
      // The preview was aborted: its worker is terminated.
      expect(signals.map((s) => s.aborted)).toEqual([true]);
      expect(within(preview()).getByText(/Fix the problems above/)).toBeTruthy();

      await fireEvent.click(screen.getByRole('button', { name: 'Save format' }));
      const refused = await until(() => screen.getByRole('alert', { name: 'Problems with this format' }));
      expect(within(refused).getByText(`pattern: ${TOO_SLOW}`)).toBeTruthy();
      expect(onsave).not.toHaveBeenCalled();

      // A simpler pattern: the next preview answers, and the format saves.
      await type('Pattern', '^(?<message>[\\w\\s]+)!$');
      await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS);
      expect(within(preview()).getByText(/1 of 1 sample line fits\./)).toBeTruthy();
      expect(screen.queryByRole('alert', { name: 'Problems with this format' })).toBeNull();
      expect(signals.map((s) => s.aborted)).toEqual([true, false]);
      await fireEvent.click(screen.getByRole('button', { name: 'Save format' }));
      await until(() => expect(onsave).toHaveBeenCalledTimes(1));
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes pasted JSON: one spec goes into the editor, a bad file is refused with the reason', async () => {
    panel();
    await fireEvent.input(screen.getByLabelText('Format JSON'), { target: { value: JSON.stringify(BRACES) } });
    await fireEvent.click(screen.getByRole('button', { name: 'Use this JSON' }));
    await until(() => expect((screen.getByLabelText('Pattern') as HTMLTextAreaElement).value).toBe(BRACES.pattern));
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Braces');
    expect(screen.getByText(/Loaded into the editor/)).toBeTruthy();

    await fireEvent.input(screen.getByLabelText('Format JSON'), { target: { value: '{"hello": 1}' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Use this JSON' }));
    await until(() => expect(screen.getByText(/^Nothing imported: not a custom format/)).toBeTruthy());
  });
});

describe('custom formats in the app', () => {
  let factory: IDBFactory;
  const sessions: Session[] = [];

  beforeEach(() => {
    factory = new IDBFactory();
  });

  afterEach(() => {
    sessions.length = 0;
  });

  /** A session over a real Library on this test's fake IndexedDB: a second call is the page reloaded. */
  async function visit() {
    const fake = fakeEngine();
    const engine = Object.assign(fake.engine, { formats: vi.fn(async () => BUILT_IN) });
    const library = new Library({ open: (h) => openLinesightDB({ ...h, factory }), persist: async () => null, isLive: async () => false });
    const session = new Session(engine, library);
    sessions.push(session);
    await Promise.all([session.ready, library.ready]);
    await until(() => expect(session.formats).toHaveLength(BUILT_IN.length));
    return { ...fake, session, library };
  }

  it('a saved format is listed under Log format, passed to runs, and can be chosen', async () => {
    const { session, runs } = await visit();
    render(App, { session });
    // "Custom formats…" next to Log format leads to the editor, in Settings.
    await fireEvent.click(screen.getByRole('button', { name: 'Custom formats…' }));
    expect(screen.getByRole('region', { name: 'Custom formats' })).toBeTruthy();
    await type('Name', 'Braces');
    await type('Pattern', BRACES.pattern);
    await fireEvent.click(screen.getByRole('button', { name: 'Save format' }));
    await until(() => expect(screen.getByRole('list', { name: 'Saved custom formats' })).toBeTruthy());

    await fireEvent.click(screen.getByRole('button', { name: 'Analyze' }));
    const select = screen.getByLabelText('Log format') as HTMLSelectElement;
    const custom = select.querySelector('optgroup[label="Custom"]');
    expect([...(custom?.querySelectorAll('option') ?? [])].map((o) => [o.value, o.textContent])).toEqual([['braces', 'Braces']]);

    void session.open(new File(['<2024/03/14 08:00:00> {W} x\n'], 'a.log'));
    await until(() => expect(runs).toHaveLength(1));
    expect(runs[0].start.customFormats).toEqual([{ id: 'braces', name: 'Braces', pattern: BRACES.pattern }]);
    expect(runs[0].start.format).toBeUndefined();
    runs[0].finish();

    await fireEvent.change(select, { target: { value: 'braces' } });
    void session.open(new File(['x\n'], 'b.log'));
    await until(() => expect(runs).toHaveLength(2));
    expect(runs[1].start.format).toBe('braces');
    runs[1].finish();
  });

  it('the Log format choice and the custom formats survive a reload; a deleted format falls back to detection', async () => {
    const first = await visit();
    expect(await first.session.saveCustomFormat(BRACES)).toEqual([]);
    const options = render(RunOptions, { session: first.session });
    await fireEvent.change(screen.getByLabelText('Log format'), { target: { value: 'braces' } });
    await until(() => expect(first.library.formatChoice.format).toBe('braces'));
    options.unmount();

    const second = await visit();
    expect(second.library.customFormats).toEqual([BRACES]);
    await until(() => expect(second.session.formatChoice).toBe('braces'));
    const reloaded = render(RunOptions, { session: second.session });
    expect((screen.getByLabelText('Log format') as HTMLSelectElement).value).toBe('braces');

    // A built-in choice is remembered the same way.
    await fireEvent.change(screen.getByLabelText('Log format'), { target: { value: 'log4j' } });
    await until(() => expect(second.library.formatChoice.format).toBe('log4j'));
    reloaded.unmount();
    const third = await visit();
    await until(() => expect(third.session.formatChoice).toBe('log4j'));

    // Deleting the chosen custom format brings detection back, now and after a reload.
    third.session.formatChoice = 'braces';
    await third.session.deleteCustomFormat('braces');
    expect(third.session.formatChoice).toBe('auto');
    await until(() => expect(third.library.formatChoice.format).toBe('auto'));
    const fourth = await visit();
    expect(fourth.library.customFormats).toEqual([]);
    expect(fourth.session.formatChoice).toBe('auto');
  });

  it('the Time zone choice survives a reload too', async () => {
    const first = await visit();
    first.session.timeZone = -210;
    await until(() => expect(first.library.formatChoice).toEqual({ format: 'auto', timeZoneOffsetMinutes: -210 }));
    const second = await visit();
    await until(() => expect(second.session.timeZone).toBe(-210));
    render(RunOptions, { session: second.session });
    expect((screen.getByLabelText('Time zone') as HTMLSelectElement).selectedOptions[0].textContent).toMatch(/^UTC-03:30/);
  });

  it('without storage, custom formats and the choice last for the page, checked all the same', async () => {
    const library = new Library({ open: async () => Promise.reject(new Error('no IndexedDB')), persist: async () => null });
    await library.ready;
    expect(library.available).toBe(false);
    expect(await library.saveCustomFormat({ ...BRACES, pattern: '(' })).toEqual([{ path: 'pattern', message: expect.stringMatching(/^invalid regular expression/) }]);
    expect(await library.saveCustomFormat(BRACES)).toEqual([]);
    expect(await library.saveCustomFormat({ ...BRACES, name: 'Braces 2' })).toEqual([]);
    expect(library.customFormats.map((f) => f.name)).toEqual(['Braces 2']);
    await library.saveFormatChoice({ format: 'braces' });
    expect(library.formatChoice).toEqual({ format: 'braces', timeZoneOffsetMinutes: 0 });
    await library.deleteCustomFormat('braces');
    expect(library.customFormats).toEqual([]);
  });

  it('says so when saved formats from another version cannot be used, and keeps the good ones', async () => {
    const db = await openLinesightDB({ factory });
    await db.put('settings', { version: 1, formats: [BRACES, { id: 'old', name: 'Old', pattern: '(?<when>' }] }, 'customFormats');
    db.close();
    const { library } = await visit();
    expect(library.customFormats).toEqual([BRACES]);
    expect(library.notice).toMatch(/^Some saved custom formats cannot be used by this version and were left out \(customFormats\[1\]\.pattern: invalid regular expression/);
  });

  it('a remembered format that no longer exists means detection', async () => {
    const db = await openLinesightDB({ factory });
    await db.put('settings', { version: 1, format: 'gone' }, 'formatChoice');
    db.close();
    const { session, library } = await visit();
    expect(library.formatChoice.format).toBe('gone');
    // The restore is part of session.ready, which visit() waited for: it decided for detection.
    expect(session.formatChoice).toBe('auto');
  });
});

describe('the format line of a run from the history or a report file', () => {
  const LINES = ['<2024/03/14 08:00:00> {I} up', '<2024/03/14 08:00:01> {W} slow', 'not braces at all', '<2024/03/14 08:00:02> {E} down'];

  it('an imported report says which format its run used, a custom one included', async () => {
    const report = await reportOf(LINES, { processors: [{ type: 'parse', multiline: false }] }, { customFormats: [BRACES] });
    expect(report.format).toMatchObject({ id: 'braces', unmatchedLines: 1 });
    const { engine } = fakeEngine();
    const session = new Session(engine);
    await session.ready;
    render(App, { session });
    expect(await session.importReport(new File([JSON.stringify(report)], 'report.json'))).toBe(true);
    const bar = await until(() => screen.getByRole('region', { name: 'Imported report' }));
    expect(within(bar).getByText('Format: Braces (detected, 75%); 1 line did not fit')).toBeTruthy();
  });

  it('a report without a format section (made before formats) shows no format line', async () => {
    const report = await reportOf(LINES, { processors: [{ type: 'uppercase' }] });
    const { format: _, ...older } = report;
    const { engine } = fakeEngine();
    const session = new Session(engine);
    await session.ready;
    render(App, { session });
    expect(await session.importReport(new File([JSON.stringify(older)], 'older.json'))).toBe(true);
    const bar = await until(() => screen.getByRole('region', { name: 'Imported report' }));
    expect(within(bar).queryByText(/^Format:/)).toBeNull();
  });

  it('a stored run opened from the history shows the format line of its last checkpoint', async () => {
    const factory = new IDBFactory();
    const db = await openLinesightDB({ factory });
    const format = { id: 'log4j', name: 'Log4j', confidence: 0.5, overridden: true, unmatchedLines: 0, multilineJoined: 1234 };
    await created(db, 'past');
    await checkpointRun(db, 'past', snapshot('past', { format }), {});
    db.close();
    const library = new Library({ open: (h) => openLinesightDB({ ...h, factory }), persist: async () => false, isLive: async () => false });
    const session = new Session(fakeEngine().engine, library);
    await Promise.all([session.ready, library.ready]);
    render(App, { session });
    await session.openStored('past');
    const bar = screen.getByRole('region', { name: 'Stored run' });
    expect(within(bar).getByText('Format: Log4j (chosen); 1,234 continuation lines joined')).toBeTruthy();
  });
});

describe('custom format editor rules', () => {
  it('several formats in one JSON are saved at once; the refused ones are named with the reason', async () => {
    const draft = new CustomFormatDraft();
    const saved: unknown[] = [];
    const onsave = async (spec: unknown) => {
      const pattern = (spec as { pattern?: unknown }).pattern;
      if (pattern === '(') return [{ path: 'pattern', message: 'invalid regular expression: Unterminated group' }];
      saved.push(spec);
      return [];
    };
    const text = JSON.stringify({ formats: [BRACES, { id: 'bad', name: 'Bad', pattern: '(' }, { ...BRACES, id: 'b2', name: 'Braces 2' }] });
    expect(await importFormats(text, draft, onsave)).toEqual({
      ok: false,
      message: 'Saved 2 formats: Braces, Braces 2. Refused: format 2 (Bad): pattern: invalid regular expression: Unterminated group.',
    });
    expect(saved).toHaveLength(2);
    // Nothing went into the editor.
    expect(draft.pattern).toBe('');
  });

  it('previews once typing pauses, and only the draft as it is now: a newer draft aborts the preview running and a late answer is ignored', async () => {
    vi.useFakeTimers();
    const calls: { sample: string[]; signal: AbortSignal; answer: () => void }[] = [];
    const draft = new CustomFormatDraft(
      (spec, sample, signal) => new Promise((resolve) => calls.push({ sample, signal, answer: () => resolve(previewSample(spec, sample)) })),
    );
    try {
      const line = (n: number) => `<2024/03/14 08:00:0${n}> {W} line ${n}`;
      draft.load({ ...BRACES, sample: line(1) });
      flushSync();
      await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS - 50);
      draft.sample = `${line(1)}\n\n${line(2)}`;
      flushSync();
      await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS - 50);
      expect(calls).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(50);
      // One preview, of the lines as they were when typing paused (empty lines left out).
      expect(calls.map((c) => c.sample)).toEqual([[line(1), line(2)]]);

      draft.sample = line(3);
      flushSync();
      expect(calls[0].signal.aborted).toBe(true);
      await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS);
      expect(calls.map((c) => c.sample)).toEqual([[line(1), line(2)], [line(3)]]);
      // The superseded preview answers late, after the current one: its answer is not shown.
      calls[1].answer();
      await vi.advanceTimersByTimeAsync(0);
      calls[0].answer();
      await vi.advanceTimersByTimeAsync(0);
      expect(draft.preview?.lines.map((l) => l.line)).toEqual([line(3)]);
      expect(draft.preview?.matched).toBe(1);
      expect(draft.detection).toBe('Detection picks this format on these lines (100%).');
      // The time limit of the superseded preview does not touch the current one.
      await vi.advanceTimersByTimeAsync(PREVIEW_TIME_LIMIT_MS);
      expect(draft.timedOut).toBe(false);
      expect(draft.preview?.lines.map((l) => l.line)).toEqual([line(3)]);
    } finally {
      draft.dispose();
      vi.useRealTimers();
    }
  });

  it('makes an id from the name until one is typed, and keeps only the previewed sample lines', () => {
    const draft = new CustomFormatDraft();
    draft.setName('  My App (prod) 2 ');
    expect(draft.id).toBe('my-app-prod-2');
    draft.setId('mine');
    draft.setName('Other');
    expect(draft.id).toBe('mine');
    draft.sample = Array.from({ length: 80 }, (_, i) => `line ${i}`).join('\n');
    expect((draft.spec.sample as string).split('\n')).toHaveLength(50);
  });
});
