/**
 * Files that arrive without saying what they are: a dropped `.json` report is imported read-only,
 * any other file runs as a log; and Recent files, reopened from kept handles (fakes here: jsdom
 * has no File System Access API, which is also why the list is hidden by default).
 */
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { tick } from 'svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openLinesightDB } from '../../src/store/index.ts';
import App from '../../src/ui/App.svelte';
import { Library } from '../../src/ui/library.svelte.ts';
import { isReportFile, REPORT_SNIFF_BYTES } from '../../src/ui/open-file.ts';
import { MAX_RECENT_FILES, RecentFiles } from '../../src/ui/recent-files.svelte.ts';
import { Session } from '../../src/ui/session.svelte.ts';
import type { Report } from '../../src/worker/client.ts';
import { reportOf, ROUTED } from '../fixtures/reports.ts';
import { fakeEngine } from './fake-engine.ts';
import { until } from './until.ts';


let report: Report;
beforeAll(async () => {
  report = await reportOf(['INFO hello', 'ERROR boom'], ROUTED, { runId: 'run-r' });
});

async function setup() {
  const fake = fakeEngine();
  const session = new Session(fake.engine);
  await session.ready;
  render(App, { session });
  return { ...fake, session };
}

/** jsdom has no DataTransfer; FileOpen reads only `types` and `files`. */
async function drop(file: File) {
  await fireEvent.drop(window, { dataTransfer: { types: ['Files'], files: [file], dropEffect: 'none' } });
}

const lines = (...items: object[]) => items.map((item) => JSON.stringify(item)).join('\n') + '\n';

describe('telling a report from a log', () => {
  it('takes a .json file naming the report schema at its top for a report, pretty or compact, with a BOM or not', async () => {
    expect(await isReportFile(new File([JSON.stringify(report, null, 2)], 'linesight-report-run-r.json'))).toBe(true);
    expect(await isReportFile(new File([JSON.stringify(report)], 'REPORT.JSON'))).toBe(true);
    expect(await isReportFile(new File(['\uFEFF\n  ' + JSON.stringify(report)], 'export', { type: 'application/json' }))).toBe(true);
    // Broken but meant as a report: importing it tells what is wrong.
    expect(await isReportFile(new File(['{"schema": "linesight.report/v1",'], 'cut.json'))).toBe(true);
  });

  it('takes anything else for a log: JSON lines named .json, other JSON, a report under another extension', async () => {
    expect(await isReportFile(new File([lines({ level: 'info', msg: 'a' }, { level: 'warn', msg: 'b' })], 'app.json'))).toBe(false);
    expect(await isReportFile(new File(['[{"schema":"linesight.report/v1"}]'], 'list.json'))).toBe(false);
    expect(await isReportFile(new File(['{"schema":"other/v1"}'], 'other.json'))).toBe(false);
    expect(await isReportFile(new File([JSON.stringify(report)], 'report.log'))).toBe(false);
    // Only the head is read: a marker past it is not looked for.
    const late = `{"pad":"${'x'.repeat(REPORT_SNIFF_BYTES)}","schema":"linesight.report/v1"}`;
    expect(await isReportFile(new File([late], 'late.json'))).toBe(false);
  });
});

describe('dropping a file on the page', () => {
  it('imports a dropped report read-only, and runs nothing', async () => {
    const { session, runs } = await setup();
    await drop(new File([JSON.stringify(report, null, 2)], 'linesight-report-run-r.json', { type: 'application/json' }));
    await until(() => expect(screen.getByText('Imported report · read-only')).toBeTruthy());
    expect(session.stored?.imported).toBe(true);
    expect(runs).toHaveLength(0);
    expect(within(screen.getByRole('table', { name: 'Processor stats' })).getByRole('rowheader', { name: /^error_counter\b/ })).toBeTruthy();
  });

  it('runs a dropped JSON lines log named .json, and a dropped .log, as logs', async () => {
    const { session, runs } = await setup();
    const jsonl = new File([lines({ level: 'info', msg: 'a' })], 'app.json', { type: 'application/json' });
    await drop(jsonl);
    await until(() => expect(runs).toHaveLength(1));
    expect(runs[0].file).toBe(jsonl);
    expect(session.stored).toBeNull();
    runs[0].finish();

    const log = new File(['INFO a\n'], 'app.log');
    await drop(log);
    await until(() => expect(runs).toHaveLength(2));
    expect(runs[1].file).toBe(log);
  });

  it('refuses a dropped broken report with the reason, and does not run it as a log', async () => {
    const { session, runs } = await setup();
    await drop(new File(['{"schema": "linesight.report/v1", "run": '], 'cut.json'));
    await until(() => expect(screen.getByRole('alert').textContent).toMatch(/cut\.json cannot be imported: not valid JSON/));
    expect(session.stored).toBeNull();
    expect(runs).toHaveLength(0);
  });
});

interface FakeHandleOptions {
  /** What queryPermission answers (default granted). */
  permission?: PermissionState;
  /** What requestPermission answers (default granted). */
  request?: PermissionState;
  /** getFile() fails as for a file moved or deleted. */
  gone?: boolean;
}

/** A FileSystemFileHandle as far as Linesight uses one; `path` is what isSameEntry compares. */
function fakeHandle(file: File, options: FakeHandleOptions = {}, path = file.name) {
  const handle = {
    kind: 'file' as const,
    name: file.name,
    path,
    queryPermission: vi.fn(async () => options.permission ?? 'granted'),
    requestPermission: vi.fn(async () => options.request ?? 'granted'),
    getFile: vi.fn(async () => {
      if (options.gone) throw new DOMException('A requested file or directory could not be found.', 'NotFoundError');
      return file;
    }),
    isSameEntry: async (other: { path?: string }) => other.path === path,
  };
  return handle as typeof handle & FileSystemFileHandle;
}

const recentList = () => screen.queryByRole('region', { name: 'Recent files' });

describe('Recent files', () => {
  afterEach(() => {
    delete (window as { showOpenFilePicker?: unknown }).showOpenFilePicker;
  });

  it('does not appear where the browser gives no file handles; "Open log file" stays the plain input', async () => {
    const { runs } = await setup();
    expect(recentList()).toBeNull();
    const input = screen.getByLabelText('Open log file') as HTMLInputElement;
    expect(input.type).toBe('file');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    input.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(false);
    expect(runs).toHaveLength(0);
  });

  it('opens a file from the picker, lists it, and opens it again from the list, once per file', async () => {
    const file = new File(['INFO a\n'], 'picked.log');
    const handle = fakeHandle(file);
    const picker = vi.fn(async () => [handle]);
    Object.assign(window, { showOpenFilePicker: picker });
    const { session, runs } = await setup();

    await fireEvent.click(screen.getByLabelText('Open log file'));
    await until(() => expect(runs).toHaveLength(1));
    expect(picker).toHaveBeenCalledOnce();
    expect(runs[0].file).toBe(file);
    runs[0].finish();
    await until(() => expect(recentList()).toBeTruthy());
    const list = recentList()!;
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);

    await fireEvent.click(within(list).getByRole('button', { name: 'picked.log' }));
    await until(() => expect(runs).toHaveLength(2));
    expect(runs[1].file).toBe(file);
    expect(handle.queryPermission).toHaveBeenCalledWith({ mode: 'read' });
    // The same file again: still one entry.
    expect(within(recentList()!).getAllByRole('listitem')).toHaveLength(1);
    expect(session.recent.list[0].handle).toBe(handle);

    // The input still takes files set on it (what the end-to-end tests and drops do).
    runs[1].finish();
    const other = new File(['x\n'], 'other.log');
    await fireEvent.change(screen.getByLabelText('Open log file'), { target: { files: [other] } });
    await until(() => expect(runs).toHaveLength(3));
    expect(runs[2].file).toBe(other);
  });

  it('a cancelled picker does nothing', async () => {
    Object.assign(window, { showOpenFilePicker: vi.fn(async () => Promise.reject(new DOMException('The user aborted a request.', 'AbortError'))) });
    const { session, runs } = await setup();
    const pick = vi.spyOn(session, 'pickFile');
    await fireEvent.click(screen.getByLabelText('Open log file'));
    expect(pick).toHaveBeenCalledOnce();
    // The click's picking is over: the cancelled picker opened nothing and said nothing.
    await pick.mock.results[0].value;
    expect(runs).toHaveLength(0);
    expect(session.notice).toBeNull();
  });

  it('falls back to the plain chooser when the picker fails, saying so', async () => {
    Object.assign(window, { showOpenFilePicker: vi.fn(async () => Promise.reject(new DOMException('Blocked by policy.', 'SecurityError'))) });
    const { session } = await setup();
    const input = screen.getByLabelText('Open log file');
    await fireEvent.click(input);
    await until(() => expect(session.notice).toMatch(/^The file picker could not open \(.*Blocked by policy\.\)/));
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    input.dispatchEvent(click);
    expect(click.defaultPrevented, 'the input opens its own chooser now').toBe(false);
  });

  it('asks for permission when the browser says so; a refusal or a vanished file is said plainly, and the entry can be removed', async () => {
    const { session, runs } = await setup();
    const refused = fakeHandle(new File(['a\n'], 'refused.log'), { permission: 'prompt', request: 'denied' });
    const vanished = fakeHandle(new File(['b\n'], 'vanished.log'), { gone: true }, 'vanished');
    await session.recent.remember(refused, new File(['a\n'], 'refused.log'));
    await session.recent.remember(vanished, new File(['b\n'], 'vanished.log'));
    await tick();
    const list = recentList()!;
    expect(within(list).getAllByRole('button', { name: /\.log$/ }).map((b) => b.textContent)).toEqual(['vanished.log', 'refused.log']);

    await fireEvent.click(within(list).getByRole('button', { name: 'refused.log' }));
    const alert = await until(() => within(recentList()!).getByRole('alert'));
    expect(refused.requestPermission).toHaveBeenCalledWith({ mode: 'read' });
    expect(refused.getFile).not.toHaveBeenCalled();
    expect(alert.textContent).toContain('Linesight was not allowed to read refused.log');
    expect(runs).toHaveLength(0);

    await fireEvent.click(within(alert).getByRole('button', { name: 'Remove from the list' }));
    await until(() => expect(session.recent.list.map((e) => e.name)).toEqual(['vanished.log']));
    expect(within(recentList()!).queryByRole('alert')).toBeNull();

    await fireEvent.click(within(recentList()!).getByRole('button', { name: 'vanished.log' }));
    await until(() => expect(within(recentList()!).getByRole('alert').textContent).toContain('vanished.log is no longer there'));
    expect(runs).toHaveLength(0);
    await fireEvent.click(within(recentList()!).getByRole('button', { name: 'Remove vanished.log from recent files' }));
    await until(() => expect(recentList()).toBeNull());
  });

  it('opens a report kept in the list read-only', async () => {
    const { session, runs } = await setup();
    const file = new File([JSON.stringify(report)], 'linesight-report-run-r.json', { type: 'application/json' });
    await session.recent.remember(fakeHandle(file), file);
    await tick();
    await fireEvent.click(within(recentList()!).getByRole('button', { name: 'linesight-report-run-r.json' }));
    await until(() => expect(screen.getByText('Imported report · read-only')).toBeTruthy());
    expect(runs).toHaveLength(0);
  });

  it(`keeps the ${MAX_RECENT_FILES} most recent in the Library, for the next visit`, async () => {
    const factory = new IDBFactory();
    const open = () => new Library({ open: (h) => openLinesightDB({ ...h, factory }), persist: async () => false, isLive: async () => false });
    const recent = new RecentFiles(open());
    // Plain objects: what IndexedDB can clone here (a real handle clones only in a browser).
    for (let i = 0; i < MAX_RECENT_FILES + 2; i++) {
      await recent.remember({ kind: 'file', name: `f${i}.log` } as unknown as FileSystemFileHandle, new File(['x'.repeat(i)], `f${i}.log`));
    }
    expect(recent.problem).toBeNull();
    const later = new RecentFiles(open());
    await later.ready;
    expect(later.list.map((e) => e.name)).toEqual(recent.list.map((e) => e.name));
    expect(later.list).toHaveLength(MAX_RECENT_FILES);
    expect(later.list[0]).toMatchObject({ name: `f${MAX_RECENT_FILES + 1}.log`, size: MAX_RECENT_FILES + 1 });
  });

  it('two tabs opening files keep both in the list', async () => {
    const factory = new IDBFactory();
    const open = () => new Library({ open: (h) => openLinesightDB({ ...h, factory }), persist: async () => false, isLive: async () => false });
    const handle = (name: string) => ({ kind: 'file', name }) as unknown as FileSystemFileHandle;
    const [one, two] = [new RecentFiles(open()), new RecentFiles(open())];
    await Promise.all([one.ready, two.ready]);
    await one.remember(handle('a.log'), new File(['a'], 'a.log'));
    await two.remember(handle('b.log'), new File(['b'], 'b.log'));
    expect(two.list.map((e) => e.name)).toEqual(['b.log', 'a.log']);
    const later = new RecentFiles(open());
    await later.ready;
    expect(later.list.map((e) => e.name)).toEqual(['b.log', 'a.log']);
  });
});
