/**
 * Issue 3 end to end: a file of JSON lines mixed with lines that are not JSON objects runs
 * through `parse` (json) → `level` → `start` (router by level) → three counters, with every
 * line traced. The Errors, Journeys, Graph and Events views and the exported report are
 * checked against what this file computes from its own log, never against the app's figures.
 * Two lines carry markup that would run if a view rendered log text as HTML.
 *
 * Then the error policies a user can pick: `stop` ends the run with a message naming the
 * processor and the line, and a circuit breaker opens after consecutive errors.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Report } from '../../src/engine/report/report.ts';
import { openApp, type AppSession } from './browser.ts';
import {
  clickForDownload,
  downloadText,
  expectNoPageErrors,
  openLog,
  readStats,
  runRegion,
  tempDir,
  waitForRunEnd,
} from './helpers.ts';
import { JSON_ROUTED_BY_LEVEL as PIPELINE } from '../fixtures/pipelines.ts';

const LOG_NAME = 'mixed.log';
const LINE_COUNT = 240;
/** Markup that sets window.__xss if a view ever renders a log line as HTML. */
const IMG_LINE_NO = 57;
const IMG_TEXT = '<img src=x onerror="window.__xss=1">';
const SCRIPT_LINE_NO = 123;
const SCRIPT_TEXT = '<script>window.__xss=2</script>';
/** Valid JSON, but not an object: the json processor's own message, independent of the browser. */
const ARRAY_LINE_NO = 200;
const ARRAY_TEXT = '[1,2,3]';
const ARRAY_MESSAGE = 'expected a JSON object, got an array';
const LEVEL_CYCLE = ['info', 'debug', 'warn', 'error', 'info', 'fatal', 'warn'];

const pad = (n: number) => String(n).padStart(4, '0');
/** The UI's number format (en-US grouping). */
const fmt = (n: number) => n.toLocaleString('en-US');
/** How a journey states where its line starts: "at byte 1,026 (1.0 KB)" (files here stay under 100 KB). */
const atByte = (offset: number) => `at byte ${fmt(offset)}${offset >= 1024 ? ` (${(offset / 1024).toFixed(1)} KB)` : ''}`;

type Branch = 'warn' | 'error' | 'default';
const BRANCH_TARGET: Record<Branch, string> = { warn: 'warn_counter', error: 'error_counter', default: 'general' };

interface LineFacts {
  lineNo: number;
  offset: number;
  text: string;
  /** Where the router sends it; null for a line `parse` fails on. */
  branch: Branch | null;
}

function makeLines(): string[] {
  const lines: string[] = [];
  for (let i = 1; i <= LINE_COUNT; i++) {
    const ss = String(i % 60).padStart(2, '0');
    if (i === IMG_LINE_NO) lines.push(IMG_TEXT);
    else if (i === SCRIPT_LINE_NO) lines.push(SCRIPT_TEXT);
    else if (i === ARRAY_LINE_NO) lines.push(ARRAY_TEXT);
    // Plain text lines, some saying ERROR: they must fail at `parse`, never reach the router.
    else if (i % 9 === 4) lines.push(`2024-03-14 08:01:${ss} ERROR [worker-${i % 3}] plain-${pad(i)} is not JSON`);
    else {
      const level = LEVEL_CYCLE[i % LEVEL_CYCLE.length];
      lines.push(JSON.stringify({ ts: `2024-03-14T08:01:${ss}Z`, level, msg: `request ${i} handled`, id: `req-${pad(i)}` }));
    }
  }
  return lines;
}

/** What each line is and where it goes, from the text alone (LF line ends, ASCII only). */
function analyse(lines: string[]): LineFacts[] {
  let offset = 0;
  return lines.map((text, i) => {
    let parsed: unknown;
    let branch: Branch | null = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const level = (parsed as { level: string }).level;
      branch = level === 'warn' ? 'warn' : level === 'error' || level === 'fatal' ? 'error' : 'default';
    }
    const facts = { lineNo: i + 1, offset, text, branch };
    offset += Buffer.byteLength(text) + 1;
    return facts;
  });
}

const PROCESSOR_TYPES: [string, string][] = PIPELINE.processors.map((p) => [p.id, p.type]);

let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  tmp = await tempDir('observability');
});

afterAll(async () => {
  await tmp?.remove();
});

async function importPipeline(page: Page, name: string, config: unknown): Promise<void> {
  await writeFile(join(tmp.dir, name), JSON.stringify(config, null, 2));
  await page.getByLabel('Import pipeline').setInputFiles(join(tmp.dir, name));
  await page.getByText(`Applied: ${name}`).waitFor();
}

async function showTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.click();
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
}

/** A table's body rows as cell texts, read in one round trip (so from one render). */
async function tableRows(table: Locator): Promise<string[][]> {
  return table.evaluate((element) =>
    [...(element as HTMLTableElement).tBodies[0].rows].map((row) => [...row.cells].map((c) => (c.textContent ?? '').trim())),
  );
}

/**
 * Shows the Journeys tab with no filter set. Filters belong to the session and outlive the
 * tab, so each test starts from a clean view whatever the one before it left behind.
 */
async function journeysView(page: Page): Promise<Locator> {
  await showTab(page, 'Journeys');
  const view = page.getByRole('region', { name: 'Journeys', exact: true });
  await view.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'All' });
  await view.getByRole('combobox', { name: 'Processor' }).selectOption({ label: 'All processors' });
  await view.getByRole('searchbox', { name: 'Search traces' }).fill('');
  return view;
}

/** Lines of an element's rendered text, trimmed, without empty ones. */
async function renderedLines(locator: Locator): Promise<string[]> {
  return (await locator.innerText()).split('\n').map((l) => l.trim()).filter(Boolean);
}

describe('a run of JSON and non-JSON lines with every line traced', () => {
  let app: AppSession;
  let page: Page;
  let lines: string[];
  let facts: LineFacts[];
  let bad: LineFacts[];
  let good: LineFacts[];
  /** The JsonParseError message of each bad line, as the browser's JSON.parse words it. */
  const messages = new Map<number, string>();
  const count = (branch: Branch) => facts.filter((f) => f.branch === branch).length;

  beforeAll(async () => {
    lines = makeLines();
    facts = analyse(lines);
    bad = facts.filter((f) => f.branch === null);
    good = facts.filter((f) => f.branch !== null);
    await writeFile(join(tmp.dir, LOG_NAME), lines.join('\n') + '\n');

    app = await openApp();
    page = app.page;
    // The same engine as the worker's: the oracle for V8's wording of JSON.parse errors.
    const parseMessages = await page.evaluate(
      (texts) =>
        texts.map((t) => {
          try {
            JSON.parse(t);
            return null;
          } catch (e) {
            return (e as Error).message;
          }
        }),
      bad.map((f) => f.text),
    );
    bad.forEach((f, i) => messages.set(f.lineNo, parseMessages[i] ?? ARRAY_MESSAGE));

    await importPipeline(page, 'observe.json', PIPELINE);
    await page.getByRole('checkbox', { name: 'Trace lines' }).check();
    await page.getByRole('combobox', { name: 'Trace policy' }).selectOption({ label: 'Every line' });
    await openLog(page, join(tmp.dir, LOG_NAME));
    expect(await waitForRunEnd(page, LOG_NAME)).toBe('Completed');
  });

  afterAll(async () => {
    await app?.close();
  });

  test('the log mixes what the test needs: lines that fail to parse and lines for every branch', () => {
    expect(bad.map((f) => f.lineNo)).toEqual(expect.arrayContaining([IMG_LINE_NO, SCRIPT_LINE_NO, ARRAY_LINE_NO, 13]));
    expect(bad.length).toBeGreaterThan(20);
    for (const branch of ['warn', 'error', 'default'] as const) expect(count(branch)).toBeGreaterThan(20);
    expect(messages.get(ARRAY_LINE_NO)).toBe(ARRAY_MESSAGE);
    expect(messages.get(13)).toMatch(/JSON/);
  });

  test('the stats table counts every non-JSON line as an error of parse and routes the rest by level', async () => {
    const stats = await readStats(page);
    const J = good.length;
    const expected = [
      { processor: 'parse json', linesIn: LINE_COUNT, linesOut: J, dropped: 0, errors: bad.length },
      { processor: 'level level', linesIn: J, linesOut: J, dropped: 0, errors: 0 },
      { processor: 'start router', linesIn: J, linesOut: J, dropped: 0, errors: 0 },
      ...(['warn', 'error', 'default'] as const).map((b) => ({
        processor: `${BRANCH_TARGET[b]} counter`,
        linesIn: count(b),
        linesOut: count(b),
        dropped: 0,
        errors: 0,
      })),
    ];
    expect(stats.rows.map(({ timeMs: _, ...row }) => row)).toEqual(expected);
    expect(stats.total).toMatchObject({ linesIn: LINE_COUNT, linesOut: J, dropped: 0, errors: bad.length });
    expectNoPageErrors(app);
  });

  test('the Errors view groups every failed line under parse and JsonParseError, with samples, stack frames and search', async () => {
    await showTab(page, 'Errors');
    const view = page.getByRole('region', { name: 'Errors', exact: true });
    const E = bad.length;

    expect(await tableRows(view.getByRole('table', { name: 'Errors by processor' }))).toEqual([['parse', fmt(E), '100%']]);
    expect(await tableRows(view.getByRole('table', { name: 'Errors by type' }))).toEqual([['JsonParseError', fmt(E), '100%']]);

    const group = view.getByRole('region', { name: 'parse JsonParseError', exact: true });
    await expect.poll(() => group.getByRole('heading').textContent()).toMatch(new RegExp(`^\\s*parse\\s*JsonParseError\\s*${E} samples\\s*$`));
    // Five samples per group until asked for all of them.
    await group.getByRole('button', { name: `Show all ${fmt(E)}` }).click();
    await group.getByRole('button', { name: 'Show fewer' }).waitFor();

    // A known line that is JSON but not an object: its number, text, message and stack.
    const sample = group.getByRole('listitem').filter({ has: page.getByText(ARRAY_TEXT, { exact: true }) });
    expect(await sample.count()).toBe(1);
    expect(await sample.getByText(`Line ${fmt(ARRAY_LINE_NO)} ${ARRAY_MESSAGE}`, { exact: true }).isVisible()).toBe(true);
    const summary = sample.getByText(/^Stack \(\d+ frames?\)$/);
    const frames = Number(/\((\d+)/.exec((await summary.textContent()) ?? '')![1]);
    expect(frames).toBeGreaterThanOrEqual(1);
    expect(frames).toBeLessThanOrEqual(5);
    const frameItems = sample.getByRole('list').getByRole('listitem');
    expect(await frameItems.first().isVisible()).toBe(false);
    await summary.click();
    await frameItems.first().waitFor({ state: 'visible' });
    const frameTexts = (await frameItems.allTextContents()).map((t) => t.trim());
    expect(frameTexts).toHaveLength(frames);
    // V8 frames, "at " stripped: where in the worker's script the error was thrown.
    for (const frame of frameTexts) expect(frame).toMatch(/:\d+:\d+\)?$/);
    expect(frameTexts[0]).not.toMatch(/^at /);

    // A plain text line: its number, text and the browser's own JSON.parse message.
    const plain = facts[12];
    const plainSample = group.getByRole('listitem').filter({ has: page.getByText(plain.text, { exact: true }) });
    expect(await plainSample.getByText(`Line ${fmt(13)} ${messages.get(13)}`, { exact: true }).count()).toBe(1);

    // Search narrows the samples to the one line that says window.__xss=1.
    const search = view.getByRole('searchbox', { name: 'Search errors' });
    await search.fill('window.__xss=1');
    await view.getByText(`1 of ${fmt(E)} samples match`).waitFor();
    const samples = group.getByRole('listitem').filter({ has: page.getByText(/^Line \d/) });
    expect(await samples.count()).toBe(1);
    expect(await samples.getByText(IMG_TEXT, { exact: true }).isVisible()).toBe(true);
    expect(await samples.getByText(`Line ${IMG_LINE_NO} ${messages.get(IMG_LINE_NO)}`, { exact: true }).isVisible()).toBe(true);
    await search.fill('');
    await expect.poll(() => samples.count()).toBe(E);
    expectNoPageErrors(app);
  });

  test('filtered to errors, the Journeys view lists exactly the failed lines, each ending in an error at parse', async () => {
    const view = await journeysView(page);
    await view.getByText(`${fmt(LINE_COUNT)} kept of ${fmt(LINE_COUNT)} traced`).waitFor();

    await view.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Error' });
    await view.getByText(`${fmt(bad.length)} matching`).waitFor();
    const journeys = view.getByRole('article');
    // Newest first; fewer than a page, so all are listed.
    const names = await journeys.evaluateAll((articles) => articles.map((a) => a.getAttribute('aria-label')));
    expect(names).toEqual(bad.map((f) => `Line ${fmt(f.lineNo)}`).reverse());
    for (const text of await journeys.allInnerTexts()) expect(text.trim()).toMatch(/^error\b/);

    // One known plain line, found by its text.
    const plain = facts[12];
    await view.getByRole('searchbox', { name: 'Search traces' }).fill(`plain-${pad(13)}`);
    await expect.poll(() => journeys.count()).toBe(1);
    const journey = view.getByRole('article', { name: 'Line 13', exact: true });
    const rendered = await renderedLines(journey);
    expect(rendered.slice(0, 3)).toEqual(['error', 'Line 13', atByte(plain.offset)]);
    // The original text, then the path: it ends where it failed.
    const at = rendered.indexOf(plain.text);
    expect(at).toBeGreaterThan(0);
    expect(rendered[at + 1]).toBe('parse');
    const steps = journey.getByRole('list', { name: 'Steps of line 13' }).getByRole('listitem');
    expect(await steps.count()).toBe(1);
    const step = await renderedLines(steps.first());
    expect(step.slice(0, 2)).toEqual(['parse', 'error']);
    expect(step).toContain(`JsonParseError: ${messages.get(13)}`);
    expectNoPageErrors(app);
  });

  test('filtered to emitted, the journey of an ERROR line goes parse → level → start[error] → error_counter', async () => {
    const view = await journeysView(page);
    const line = facts.find((f) => f.branch === 'error' && f.text.includes('"level":"error"'))!;
    expect(line).toBeDefined();

    await view.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Emitted' });
    await view.getByText(`${fmt(good.length)} matching`).waitFor();
    await view.getByRole('searchbox', { name: 'Search traces' }).fill(`req-${pad(line.lineNo)}`);
    const journeys = view.getByRole('article');
    await expect.poll(() => journeys.count()).toBe(1);
    const name = `Line ${fmt(line.lineNo)}`;
    const journey = view.getByRole('article', { name, exact: true });
    const rendered = await renderedLines(journey);
    expect(rendered.slice(0, 3)).toEqual(['emitted', name, atByte(line.offset)]);
    const at = rendered.indexOf(line.text);
    expect(at).toBeGreaterThan(0);
    expect(rendered[at + 1]).toBe('parse → level → start[error] → error_counter');

    const steps = journey.getByRole('list', { name: `Steps of line ${line.lineNo}` }).getByRole('listitem');
    const perStep = await Promise.all((await steps.all()).map(async (s) => (await renderedLines(s)).slice(0, 2)));
    expect(perStep).toEqual([
      ['parse', 'emit'],
      ['level', 'emit'],
      ['start', 'route [error]'],
      ['error_counter', 'emit'],
    ]);

    // Nothing is dropped by this pipeline: every line that parsed was emitted.
    await view.getByRole('searchbox', { name: 'Search traces' }).fill('');
    await view.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Dropped' });
    await view.getByText('No trace matches these filters.').waitFor();
    expect(await journeys.count()).toBe(0);
    expectNoPageErrors(app);
  });

  test('the graph shows every processor and labels each edge with the lines that crossed it', async () => {
    await showTab(page, 'Graph');
    const view = page.getByRole('region', { name: 'Pipeline graph', exact: true });
    const picture = view.getByRole('img');
    expect(await picture.getAttribute('aria-label')).toMatch(/^Pipeline graph: 6 processors, 5 edges(; slowest: \w+)?$/);

    const J = good.length;
    const edges = await tableRows(view.getByRole('table', { name: 'Pipeline graph edges' }));
    expect(edges).toEqual([
      ['parse', 'level', '', fmt(J)],
      ['level', 'start', '', fmt(J)],
      ['start', 'warn_counter', 'warn', fmt(count('warn'))],
      ['start', 'error_counter', 'error', fmt(count('error'))],
      ['start', 'general', 'default', fmt(count('default'))],
    ]);
    const nodes = await tableRows(view.getByRole('table', { name: 'Pipeline graph processors' }));
    expect(nodes.map((row) => row.slice(0, 5))).toEqual([
      ['parse', 'json', fmt(LINE_COUNT), fmt(J), fmt(bad.length)],
      ['level', 'level', fmt(J), fmt(J), '0'],
      ['start', 'router', fmt(J), fmt(J), '0'],
      ...(['warn', 'error', 'default'] as const).map((b) => [BRANCH_TARGET[b], 'counter', fmt(count(b)), fmt(count(b)), '0']),
    ]);
    expectNoPageErrors(app);
  });

  test('the event log lists the run’s events and exports them as NDJSON', async () => {
    await showTab(page, 'Events');
    const view = page.getByRole('region', { name: 'Events', exact: true });
    const table = view.getByRole('table', { name: 'Event log' });
    const rows = await tableRows(table);
    const names = new Set(rows.map((r) => r[3]));
    for (const event of ['run_started', 'stage_completed', 'processor_error', 'run_completed']) expect(names).toContain(event);
    expect(rows[0].slice(1, 4)).toEqual(['info', 'run', 'run_started']);
    expect(rows.at(-1)!.slice(1, 4)).toEqual(['info', 'run', 'run_completed']);

    // One processor_error per failed line, each naming its line.
    await view.getByRole('combobox', { name: 'Event' }).selectOption('processor_error');
    await expect.poll(async () => (await tableRows(table)).length).toBe(bad.length);
    const errorRows = await tableRows(table);
    expect(errorRows.map((r) => r[2])).toEqual(bad.map(() => 'parse'));
    expect(errorRows.map((r) => JSON.parse(r[4]).lineNo)).toEqual(bad.map((f) => f.lineNo));
    await view.getByRole('combobox', { name: 'Event' }).selectOption('');
    await expect.poll(async () => (await tableRows(table)).length).toBe(rows.length);

    const download = await clickForDownload(page, 'Export events (NDJSON)');
    expect(download.suggestedFilename()).toMatch(/^linesight-events-.+\.ndjson$/);
    const text = await downloadText(download);
    expect(text.endsWith('\n')).toBe(true);
    const events = text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toHaveLength(rows.length);
    expect(events.map((e) => e.event)).toEqual(rows.map((r) => r[3]));
    for (const e of events) {
      expect(Number.isNaN(Date.parse(e.ts as string))).toBe(false);
      expect(['debug', 'info', 'warn', 'error']).toContain(e.level);
    }
    expect(events.filter((e) => e.event === 'processor_error').map((e) => [e.component, e.lineNo, e.type, e.message])).toEqual(
      bad.map((f) => ['parse', f.lineNo, 'JsonParseError', messages.get(f.lineNo)]),
    );
    expect(events.find((e) => e.event === 'run_started')).toMatchObject({
      component: 'run',
      file: LOG_NAME,
      processors: PIPELINE.processors.map((p) => p.id),
      trace: { mode: 'all' },
    });
    expect(events.find((e) => e.event === 'run_completed')).toMatchObject({ component: 'run', linesRead: LINE_COUNT });
    // Per batch and processor; together they add up to each processor's lines.
    const recordsIn = new Map<string, number>();
    for (const e of events.filter((e) => e.event === 'stage_completed')) {
      expect(typeof e.elapsedMs).toBe('number');
      recordsIn.set(e.component as string, (recordsIn.get(e.component as string) ?? 0) + (e.recordsIn as number));
    }
    expect(Object.fromEntries(recordsIn)).toEqual({
      parse: LINE_COUNT,
      level: good.length,
      start: good.length,
      warn_counter: count('warn'),
      error_counter: count('error'),
      general: count('default'),
    });
    expectNoPageErrors(app);
  });

  test('the exported report’s traces, errors, events, processors and graph match the file', async () => {
    const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report'))) as Report;
    expect(report.run).toMatchObject({ status: 'completed', linesRead: LINE_COUNT });

    // traces: every line, in line order, each with its steps.
    const { traces } = report;
    expect(traces).toMatchObject({ enabled: true, policy: { mode: 'all' }, seen: LINE_COUNT, kept: LINE_COUNT });
    expect(traces.items).toHaveLength(LINE_COUNT);
    traces.items.forEach((trace, i) => {
      const f = facts[i];
      expect({ lineNo: trace.lineNo, offset: trace.offset, text: trace.text }).toEqual({ lineNo: f.lineNo, offset: f.offset, text: f.text });
      const expectedSteps =
        f.branch === null
          ? [{ processor: 'parse', status: 'error', error: `JsonParseError: ${messages.get(f.lineNo)}` }]
          : [
              { processor: 'parse', status: 'emit' },
              { processor: 'level', status: 'emit' },
              { processor: 'start', status: 'route', branch: f.branch },
              { processor: BRANCH_TARGET[f.branch], status: 'emit' },
            ];
      expect(trace.status).toBe(f.branch === null ? 'error' : 'emitted');
      expect(trace.steps.map(({ processor, status, branch, error }) => ({ processor, status, branch, error }))).toEqual(
        expectedSteps.map((s) => ({ branch: undefined, error: undefined, ...s })),
      );
      for (const step of trace.steps) {
        expect(Number.isFinite(step.durationUs)).toBe(true);
        expect(step.durationUs).toBeGreaterThanOrEqual(0);
      }
    });

    // errors: exact counts and one item per failed line.
    const E = bad.length;
    expect(report.errors).toMatchObject({ total: E, byProcessor: { parse: E }, byType: { JsonParseError: E } });
    expect(report.errors.items.map(({ processor, lineNo, text, type, message }) => ({ processor, lineNo, text, type, message }))).toEqual(
      bad.map((f) => ({ processor: 'parse', lineNo: f.lineNo, text: f.text, type: 'JsonParseError', message: messages.get(f.lineNo) })),
    );

    // events: nothing evicted at this size; the same names the Events view listed.
    const { events } = report;
    expect(events.kept).toBe(events.seen);
    expect(events.items).toHaveLength(events.kept);
    const names = events.items.map((e) => e.event);
    expect(names[0]).toBe('run_started');
    expect(names.at(-1)).toBe('run_completed');
    expect(names.filter((n) => n === 'processor_error')).toHaveLength(E);
    expect(names).toContain('stage_completed');

    // processors: counts, and each one's circuit and error policy.
    const J = good.length;
    const expectedCounts: Record<string, [number, number, number]> = {
      parse: [LINE_COUNT, J, E],
      level: [J, J, 0],
      start: [J, J, 0],
      warn_counter: [count('warn'), count('warn'), 0],
      error_counter: [count('error'), count('error'), 0],
      general: [count('default'), count('default'), 0],
    };
    expect(report.processors.map((p) => [p.id, p.type])).toEqual(PROCESSOR_TYPES);
    for (const p of report.processors) {
      const [linesIn, linesOut, errors] = expectedCounts[p.id];
      expect(p).toMatchObject({ linesIn, linesOut, errors, dropped: 0, circuit: 'closed', circuitOpenings: 0, errorPolicy: 'drop' });
    }
    expect(report.pipeline.processors[0]).toMatchObject({ type: 'json', id: 'parse', circuit: false, onError: 'drop' });

    // graph: nodes and the lines on each edge.
    expect(report.graph.nodes).toEqual(PROCESSOR_TYPES.map(([id, type]) => ({ id, type })));
    expect(report.graph.edges).toEqual([
      { from: 'parse', to: 'level', lines: J },
      { from: 'level', to: 'start', lines: J },
      { from: 'start', to: 'warn_counter', branch: 'warn', lines: count('warn') },
      { from: 'start', to: 'error_counter', branch: 'error', lines: count('error') },
      { from: 'start', to: 'general', branch: 'default', lines: count('default') },
    ]);
    expectNoPageErrors(app);
  });

  test('markup in log lines is shown as text in every view and never runs', async () => {
    await showTab(page, 'Errors');
    const errors = page.getByRole('region', { name: 'Errors', exact: true });
    await errors.getByRole('searchbox', { name: 'Search errors' }).fill('__xss');
    for (const text of [IMG_TEXT, SCRIPT_TEXT]) expect(await errors.getByText(text, { exact: true }).isVisible()).toBe(true);
    expect(await errors.getByRole('img').count()).toBe(0);
    await errors.getByRole('searchbox', { name: 'Search errors' }).fill('');

    const journeys = await journeysView(page);
    await journeys.getByRole('searchbox', { name: 'Search traces' }).fill('__xss');
    await expect.poll(() => journeys.getByRole('article').count()).toBe(2);
    for (const [lineNo, text] of [
      [IMG_LINE_NO, IMG_TEXT],
      [SCRIPT_LINE_NO, SCRIPT_TEXT],
    ] as const) {
      const journey = journeys.getByRole('article', { name: `Line ${lineNo}`, exact: true });
      expect(await journey.getByText(text, { exact: true }).isVisible()).toBe(true);
    }
    expect(await journeys.getByRole('img').count()).toBe(0);
    await journeys.getByRole('searchbox', { name: 'Search traces' }).fill('');

    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expectNoPageErrors(app);
  });
});

describe('error policies and circuit breakers', () => {
  let app: AppSession | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  /** Lines 1–`from`-1 and after `to` are JSON; lines `from`..`to` are not. */
  async function writeLog(name: string, total: number, from: number, to: number): Promise<string> {
    const lines = Array.from({ length: total }, (_, i) =>
      i + 1 >= from && i + 1 <= to ? `not json at line ${i + 1}` : JSON.stringify({ level: 'info', n: i + 1 }),
    );
    const path = join(tmp.dir, name);
    await writeFile(path, lines.join('\n') + '\n');
    return path;
  }

  test('a processor whose onError is stop fails the run with a message naming it and the line', async () => {
    const path = await writeLog('stop.log', 10, 5, 5);
    app = await openApp();
    const { page } = app;
    await importPipeline(page, 'stop.json', {
      processors: [
        { type: 'json', id: 'parse', onError: 'stop' },
        { type: 'counter', id: 'by_level', by: 'level' },
      ],
    });
    await openLog(page, path);
    expect(await waitForRunEnd(page, 'stop.log')).toBe('Failed');

    const message = (await runRegion(page).getByRole('alert').textContent()) ?? '';
    expect(message).toContain('Stopped by processor "parse"');
    expect(message).toMatch(/\bat line 5\b/);
    expect(message).toContain('JsonParseError');
    const [parse, byLevel] = (await readStats(page)).rows;
    expect(parse.processor).toBe('parse json on error: stop');
    expect(parse.errors).toBe(1);
    // Lines 1–4 finished their way; nothing after line 5 started.
    expect([parse.linesIn, parse.linesOut, byLevel.linesIn]).toEqual([5, 4, 4]);

    await showTab(page, 'Events');
    const table = page.getByRole('region', { name: 'Events', exact: true }).getByRole('table', { name: 'Event log' });
    const last = (await tableRows(table)).at(-1)!;
    expect(last.slice(1, 4)).toEqual(['error', 'run', 'run_failed']);
    expect(JSON.parse(last[4]).message).toBe(message);
    expectNoPageErrors(app);
  });

  test('three errors in a row open the circuit: the stats table marks it and the event log records the change', async () => {
    // Lines 6–10 fail; the circuit opens at line 8 and, with an hour's cool-down, stays open.
    const path = await writeLog('circuit.log', 20, 6, 10);
    app = await openApp();
    const { page } = app;
    await importPipeline(page, 'circuit.json', {
      processors: [
        { type: 'json', id: 'parse', circuit: { consecutiveErrors: 3, cooldownMs: 3_600_000 } },
        { type: 'counter', id: 'by_level', by: 'level' },
      ],
    });
    await openLog(page, path);
    expect(await waitForRunEnd(page, 'circuit.log')).toBe('Completed');

    const [parse, byLevel] = (await readStats(page)).rows;
    expect(parse.processor).toBe('parse json circuit open');
    // Lines 9–20 went around it unchanged (whileOpen: pass by default).
    expect(parse).toMatchObject({ linesIn: 20, linesOut: 17, dropped: 0, errors: 3 });
    expect(byLevel).toMatchObject({ processor: 'by_level counter', linesIn: 17 });

    await showTab(page, 'Events');
    const view = page.getByRole('region', { name: 'Events', exact: true });
    await view.getByRole('combobox', { name: 'Event' }).selectOption('circuit_state_change');
    const table = view.getByRole('table', { name: 'Event log' });
    await expect.poll(async () => (await tableRows(table)).length).toBe(1);
    const [row] = await tableRows(table);
    expect(row.slice(1, 4)).toEqual(['warn', 'parse', 'circuit_state_change']);
    expect(JSON.parse(row[4])).toEqual({ from: 'closed', to: 'open', reason: '3 errors in a row' });

    await showTab(page, 'Graph');
    const picture = page.getByRole('region', { name: 'Pipeline graph', exact: true }).getByRole('img');
    expect(await picture.getAttribute('aria-label')).toContain('circuit open: parse');
    expectNoPageErrors(app);
  });
});
