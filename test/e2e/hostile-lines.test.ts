/**
 * Log lines are data, never markup (issue 7, Security): lines with a `javascript:` link, an
 * ANSI-coloured word, `<script>` and `<img onerror>` go through a pipeline that shows them in
 * every place a line can appear — counter keys in the stats, journeys, errors, events — and in
 * the exports. Each must read exactly as written and nothing in it may become an element.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, type AppSession } from './browser.ts';
import { clickForDownload, downloadText, expectNoPageErrors, openLog, showTab, tempDir, waitForRunEnd } from './helpers.ts';

const HOSTILE = [
  '<a href="javascript:window.__xss=3">click me</a>',
  '\u001b[31mERROR\u001b[0m in red \u001b]8;;javascript:window.__xss=4\u0007link\u001b]8;;\u0007',
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
];
// Plain JSON lines around them; the hostile ones fail `json`, so they are errors too.
const LINES = [...HOSTILE.flatMap((line, i) => [JSON.stringify({ level: 'info', n: i }), line]), JSON.stringify({ level: 'warn', n: 9 })];

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppSession;
let page: Page;

beforeAll(async () => {
  tmp = await tempDir('hostile');
  await writeFile(join(tmp.dir, 'hostile.log'), LINES.join('\n') + '\n');
  // Each whole line is a counter key: the stats show the lines themselves.
  await writeFile(
    join(tmp.dir, 'hostile.json'),
    JSON.stringify({
      processors: [
        { type: 'counter', id: 'lines', by: 'pattern', pattern: '^(.*)$', top: 20 },
        { type: 'json', id: 'parse' },
      ],
    }),
  );
  app = await openApp();
  page = app.page;
  await page.getByLabel('Import pipeline').setInputFiles(join(tmp.dir, 'hostile.json'));
  await page.getByText('Applied: hostile.json').waitFor();
  await page.getByRole('checkbox', { name: 'Trace lines' }).check();
  await page.getByRole('combobox', { name: 'Trace policy' }).selectOption({ label: 'Every line' });
  await openLog(page, join(tmp.dir, 'hostile.log'));
  expect(await waitForRunEnd(page, 'hostile.log')).toBe('Completed');
}, 60_000);

afterAll(async () => {
  await app?.close();
  await tmp?.remove();
});

/** No element came out of a line: no link, image or script inside the view. */
async function expectNoMarkup(view: Locator): Promise<void> {
  expect(await view.locator('a[href^="javascript:" i], img, script').count()).toBe(0);
}

/**
 * How every view shows these lines: as written, but terminal colour and link sequences dropped
 * (src/engine/report/html.ts visibleText), as lnav or `less -R` would not show them either.
 */
const SHOWN = HOSTILE.map((line) => (line.includes('\u001b') ? 'ERROR in red link' : line));

/** The view shows every hostile line as text. */
async function expectLinesAsText(view: Locator, lines: readonly string[] = SHOWN): Promise<void> {
  for (const line of lines) {
    const shown = await view.evaluate((root, text) => [...root.querySelectorAll('*')].some((el) => el.childElementCount === 0 && el.textContent === text), line);
    expect(shown, JSON.stringify(line)).toBe(true);
  }
  await expectNoMarkup(view);
}

describe('hostile log lines', () => {
  test('are text in the counters, journeys, errors and events', async () => {
    await expectLinesAsText(page.getByRole('region', { name: 'Counters' }));

    await showTab(page, 'Journeys');
    await expectLinesAsText(page.getByRole('region', { name: 'Journeys', exact: true }));

    await showTab(page, 'Errors');
    await expectLinesAsText(page.getByRole('region', { name: 'Errors', exact: true }));

    await showTab(page, 'Events');
    await expectNoMarkup(page.getByRole('region', { name: 'Event log' }));

    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expectNoPageErrors(app);
  });

  test('are kept verbatim in the report and are text in the HTML snapshot', async () => {
    const report = JSON.parse(await downloadText(await clickForDownload(page, 'Export report')));
    const keys = (report.counters.find((c: { processor: string }) => c.processor === 'lines').counts as [string, number][]).map(([key]) => key);
    expect(keys).toEqual(expect.arrayContaining(HOSTILE));
    expect((report.traces.items as { text: string }[]).map((t) => t.text)).toEqual(LINES);

    const html = await downloadText(await clickForDownload(page, 'Export HTML snapshot'));
    const snapshot = await app.context.newPage();
    await snapshot.setContent(html);
    await expectLinesAsText(snapshot.locator('body'));
    expect(await snapshot.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await snapshot.close();
  });
});
