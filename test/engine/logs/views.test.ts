/**
 * The Logs view's source over a real run: rows read back from the file through the index equal
 * the file's entries; filters and searches keep exactly the entries a test computes itself.
 */
import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { inProcessPool, LogRun } from '../../../src/engine/run.ts';
import { LogViews } from '../../../src/engine/logs/views.ts';
import type { LogQuery, LogRow, LogViewProgress } from '../../../src/engine/logs/types.ts';

function config(value: unknown) {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

interface Entry {
  lines: string[];
  level: string;
  ts: number;
  firstLine: number;
}

/** A log of known entries: log4j-like lines, some with stack traces, and a few that fit no format. */
function knownLog(count: number, crlf = false): { text: string; entries: Entry[] } {
  const levels = ['INFO', 'DEBUG', 'WARN', 'ERROR', 'INFO', 'INFO'];
  const entries: Entry[] = [];
  let line = 1;
  let t = Date.UTC(2024, 5, 1, 0, 0, 0);
  for (let i = 0; i < count; i++) {
    t += 250 + (i % 7) * 100;
    const level = levels[(i * 7) % levels.length];
    const stamp = new Date(t).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    const lines = [`${stamp} ${level} [worker-${i % 4}] app.Service${i % 3}: handled request ${i} status=${i % 11 === 0 ? 503 : 200}`];
    if (i % 17 === 5) lines.push(`java.lang.RuntimeException: failure ${i}`, `\tat app.Service.handle(Service.java:${i})`);
    entries.push({ lines, level, ts: t, firstLine: line });
    line += lines.length;
  }
  const eol = crlf ? '\r\n' : '\n';
  return { text: entries.map((e) => e.lines.join(eol)).join(eol) + eol, entries };
}

async function viewsOf(text: string, cuts?: number[]) {
  const run = new LogRun(new Blob([text]), config({ processors: [{ type: 'counter', by: 'level' }] }), cuts ? { pool: inProcessPool(3), cuts } : {});
  const report = await run.execute();
  expect(report.run.status).toBe('completed');
  return new LogViews(run.logFile()!);
}

/** Opens a view and waits until its rows are all computed. */
async function open(views: LogViews, query: LogQuery): Promise<{ view: number; progress: LogViewProgress }> {
  let done!: (p: LogViewProgress) => void;
  const finished = new Promise<LogViewProgress>((resolve) => (done = resolve));
  const view = await views.openView(query, (p) => p.done && done(p));
  return { view, progress: await finished };
}

async function allRows(views: LogViews, view: number, total: number): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  for (let at = 0; at < total; at += 500) rows.push(...(await views.rows(view, at, 500)));
  return rows;
}

describe('the Logs view over a run', () => {
  const { text, entries } = knownLog(3000);

  for (const [name, cuts] of [['one range', undefined], ['three ranges', [40_000, 41_000, 200_000]]] as const) {
    it(`shows every entry exactly as in the file, with its line number and level (${name})`, async () => {
      const views = await viewsOf(text, cuts as number[] | undefined);
      const info = (await views.info())!;
      expect(info.entries).toBe(entries.length);
      expect(info.lines).toBe(entries.reduce((n, e) => n + e.lines.length, 0));
      expect(info.firstTs).toBe(entries[0].ts);
      const { view, progress } = await open(views, { onlyMatches: false });
      expect(progress.rows).toBe(entries.length);
      const rows = await allRows(views, view, entries.length);
      expect(rows.map((r) => r.text)).toEqual(entries.map((e) => e.lines.join('\n')));
      expect(rows.map((r) => r.lineNo)).toEqual(entries.map((e) => e.firstLine));
      expect(rows.map((r) => r.level)).toEqual(entries.map((e) => e.level));
      expect(rows.map((r) => r.ts)).toEqual(entries.map((e) => e.ts));
      expect(rows.every((r) => r.component?.startsWith('app.Service') && !r.unmatched)).toBe(true);
    });
  }

  it('keeps exactly the entries of the levels ticked', async () => {
    const views = await viewsOf(text);
    const { view, progress } = await open(views, { levels: ['ERROR', 'WARN'], onlyMatches: false });
    const want = entries.filter((e) => e.level === 'ERROR' || e.level === 'WARN');
    expect(progress.rows).toBe(want.length);
    expect((await allRows(views, view, want.length)).map((r) => r.lineNo)).toEqual(want.map((e) => e.firstLine));
  });

  it('keeps exactly the entries of a time range (a bar of the levels chart)', async () => {
    const views = await viewsOf(text);
    const from = entries[100].ts - (entries[100].ts % 60_000);
    const to = from + 60_000;
    const { view, progress } = await open(views, { timeRange: { from, to }, onlyMatches: false });
    const want = entries.filter((e) => e.ts >= from && e.ts < to);
    expect(progress.rows).toBe(want.length);
    expect((await allRows(views, view, want.length)).map((r) => r.lineNo)).toEqual(want.map((e) => e.firstLine));
  });

  for (const crlf of [false, true]) {
    it(`counts and marks a text search over the whole file, case-insensitive by default (${crlf ? 'CRLF' : 'LF'})`, async () => {
      const log = knownLog(3000, crlf);
      const views = await viewsOf(log.text, [70_000]);
      const { view, progress } = await open(views, { search: { text: 'REQUEST 12', regex: false, caseSensitive: false }, onlyMatches: true });
      const want = log.entries.filter((e) => e.lines.join('\n').toLowerCase().includes('request 12'));
      expect(progress).toMatchObject({ done: true, rows: want.length, matches: want.length });
      const rows = await allRows(views, view, want.length);
      expect(rows.map((r) => r.lineNo)).toEqual(want.map((e) => e.firstLine));
      for (const row of rows) expect(row.text.slice(row.marks[0], row.marks[1]).toLowerCase()).toBe('request 12');
      // Case-sensitive: none.
      expect((await open(views, { search: { text: 'REQUEST 12', regex: false, caseSensitive: true }, onlyMatches: true })).progress.rows).toBe(0);
    });
  }

  it('searches with a regular expression, in multi-line entries too', async () => {
    const views = await viewsOf(text);
    const { progress } = await open(views, { search: { text: 'failure \\d+\\n\\tat', regex: true, caseSensitive: true }, onlyMatches: true });
    expect(progress.rows).toBe(entries.filter((e) => e.lines.length > 1).length);
  });

  it('keeps the entries whose fields pass the terms', async () => {
    const views = await viewsOf(text);
    const { progress } = await open(views, {
      fields: [
        { field: 'level', op: '=', value: 'error' },
        { field: 'thread', op: '=', value: 'worker-1' },
      ],
      onlyMatches: false,
    });
    expect(progress.rows).toBe(entries.filter((e) => e.level === 'ERROR' && e.lines[0].includes('[worker-1]')).length);
  });

  it('marks matches among all rows, and goes from one to the next', async () => {
    const views = await viewsOf(text);
    const { view, progress } = await open(views, { search: { text: 'status=503', regex: false, caseSensitive: false }, onlyMatches: false });
    const want = entries.map((e, i) => (e.lines[0].includes('status=503') ? i : -1)).filter((i) => i >= 0);
    expect(progress).toMatchObject({ rows: entries.length, matches: want.length });
    expect(await views.nextMatch(view, -1, 1)).toBe(want[0]);
    expect(await views.nextMatch(view, want[0], 1)).toBe(want[1]);
    expect(await views.nextMatch(view, want[1], -1)).toBe(want[0]);
    const [row] = await views.rows(view, want[1], 1);
    expect(row.marks.length).toBe(2);
    const [other] = await views.rows(view, want[1] + 1, 1);
    expect(other.marks).toEqual([]);
  });

  it('jumps to the row of a line (inside a multi-line entry too) and of a time', async () => {
    const views = await viewsOf(text);
    const { view } = await open(views, { onlyMatches: false });
    const multi = entries.findIndex((e) => e.lines.length > 1);
    expect(await views.rowOfLine(view, 0, entries[multi].firstLine + 2)).toBe(multi);
    expect(await views.rowOfLine(view, 0, 1)).toBe(0);
    expect(await views.rowOfTime(view, entries[1234].ts)).toBe(1234);
    // Times are kept to their block's unit (at most a few seconds for this log): an hour past the end is past every row.
    expect(await views.rowOfTime(view, entries.at(-1)!.ts + 3_600_000)).toBeNull();
  });

  it('refuses a regular expression that is not one, in the user\'s words', async () => {
    const views = await viewsOf(text);
    const { progress } = await open(views, { search: { text: '(unclosed', regex: true, caseSensitive: false }, onlyMatches: true });
    expect(progress.error).toMatch(/not valid/);
  });

  it('keeps the entries that failed in the pipeline, and those that did not fit the format', async () => {
    const lines = ['{"a":1}', 'not json 1', '{"b":2}', 'not json 2', 'not json 3'];
    const run = new LogRun(new Blob([lines.join('\n') + '\n']), config({ input: { format: 'plain', multiline: false }, processors: [{ type: 'json', circuit: false }] }));
    await run.execute();
    const views = new LogViews(run.logFile()!);
    const { view, progress } = await open(views, { failed: true, onlyMatches: false });
    expect(progress.rows).toBe(3);
    expect((await views.rows(view, 0, 3)).map((r) => r.text)).toEqual(['not json 1', 'not json 2', 'not json 3']);

    const mixed = ['2024-06-01 00:00:00,000 INFO [main] a.B: one', '*** banner ***', '2024-06-01 00:00:01,000 WARN [main] a.B: two'];
    const run2 = new LogRun(new Blob([mixed.join('\n')]), config({ input: { format: 'log4j', multiline: false }, processors: [{ type: 'uppercase' }] }));
    await run2.execute();
    const views2 = new LogViews(run2.logFile()!);
    const unmatched = await open(views2, { unmatched: true, onlyMatches: false });
    expect(unmatched.progress.rows).toBe(1);
    expect((await views2.rows(unmatched.view, 0, 1))[0]).toMatchObject({ text: '*** banner ***', unmatched: true, message: null });
  });
});

describe('the Logs view over several files', () => {
  it('merges the files by log time, with a file column, per-file filters and jumps into each file', async () => {
    const a = knownLog(800);
    // The second file's entries fall between the first's: 125 ms after each.
    const b = {
      entries: a.entries.map((e, i) => ({ ...e, ts: e.ts + 125, lines: [e.lines[0].replace(/^\S+ \S+/, new Date(e.ts + 125).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',')).replace('handled', 'other')], firstLine: i + 1 })),
      text: '',
    };
    b.text = b.entries.map((e) => e.lines[0]).join('\n') + '\n';
    const run = new LogRun([Object.assign(new Blob([a.text]), { name: 'a.log' }), Object.assign(new Blob([b.text]), { name: 'b.log' })], config({ processors: [{ type: 'counter', by: 'level' }] }));
    const report = await run.execute();
    expect(report.run.status).toBe('completed');
    expect(report.run.file.name).toBe('a.log and 1 more');
    expect(report.files?.map((f) => [f.name, f.entries])).toEqual([['a.log', 800], ['b.log', 800]]);
    expect(report.run.linesRead).toBe(a.entries.reduce((n, e) => n + e.lines.length, 0) + 800);
    const views = new LogViews(run.logFiles());
    const info = (await views.info())!;
    expect(info.files.map((f) => f.name)).toEqual(['a.log', 'b.log']);
    const { view, progress } = await open(views, { onlyMatches: false });
    expect(progress.rows).toBe(1600);
    const rows = await allRows(views, view, 1600);
    // a, b, a, b, ...: each of b's entries is 125 ms after a's.
    expect(rows.slice(0, 6).map((r) => [r.file, r.lineNo])).toEqual([[0, 1], [1, 1], [0, 2], [1, 2], [0, 3], [1, 3]]);
    for (let i = 1; i < rows.length; i++) expect(rows[i].ts!).toBeGreaterThanOrEqual(rows[i - 1].ts!);
    const onlyB = await open(views, { files: [1], onlyMatches: false });
    expect(onlyB.progress.rows).toBe(800);
    expect((await views.rows(onlyB.view, 0, 3)).every((r) => r.file === 1)).toBe(true);
    expect(await views.rowOfLine(view, 1, 10)).toBe(19);
    const search = await open(views, { search: { text: 'other request 7', regex: false, caseSensitive: false }, onlyMatches: true });
    expect(search.progress.rows).toBe(b.entries.filter((e) => e.lines[0].includes('other request 7')).length);
  });
});

describe('the worker api\'s Logs view', () => {
  it('serves the last run\'s lines, and a stored run\'s file read again', async () => {
    const { api } = await import('../../../src/worker/api.ts');
    const { text, entries } = knownLog(500);
    const file = new File([text], 'known.log');
    await api.run(file, { runId: 'logs-api', pipeline: JSON.stringify({ processors: [{ type: 'counter', by: 'level' }] }), keepOutput: false, trace: null, traceCap: 10, persist: false }, () => {});
    expect((await api.logInfo())?.entries).toBe(entries.length);
    const view = await new Promise<number>((done) => {
      let id = 0;
      void api.logOpenView({ levels: ['ERROR'], onlyMatches: false }, (p) => p.done && setTimeout(() => done(id))).then((v) => (id = v));
    });
    const errors = entries.filter((e) => e.level === 'ERROR');
    expect((await api.logRows(view, 0, 3)).map((r) => r.lineNo)).toEqual(errors.slice(0, 3).map((e) => e.firstLine));

    // Another file, read again as a stored run's would be: its lines are served until the next run.
    const other = knownLog(40);
    const info = await api.logReopen([new File([other.text], 'other.log')], { format: 'log4j' });
    expect(info?.entries).toBe(40);
    expect(info?.files[0].name).toBe('other.log');
  });
});
