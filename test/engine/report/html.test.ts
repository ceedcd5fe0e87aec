// @vitest-environment jsdom
/**
 * The HTML snapshot, parsed by jsdom's HTML parser (the one the browser-like environment
 * gives): what matters is what a browser would build from the text, not what the text looks like.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, HTML_CSP, toHtmlSnapshot, visibleText } from '../../../src/engine/report/html.ts';
import type { AnyReport } from '../../../src/engine/report/report.ts';
import { HOSTILE_LINES, reportOf, sampleReports, timedLines } from '../../fixtures/reports.ts';

const EVIL_ID = '<img src=x onerror=alert(1)>';
const EVIL_MESSAGE = '<b onmouseover=alert(1)>boom</b> & "quotes" \'too\'';
const EVIL_PARAM = '"><svg onload=alert(1)>';
const BIDI = 'invoice \u202egpj.exe';

/** Elements the snapshot is made of; anything else means data became markup. */
const ALLOWED = new Set(
  'html head meta title style body header main footer section h1 h2 p span dl div dt dd table caption thead tbody tfoot tr th td ul ol li pre code strong br details summary figure figcaption svg rect'.split(' '),
);

let hostile: AnyReport;
let html: string;
let doc: Document;

beforeAll(async () => {
  // Hostile lines last: the snapshot lists the most recent errors and journeys.
  const lines = [...timedLines(120), ...HOSTILE_LINES, BIDI];
  const report = (await reportOf(
    lines,
    {
      processors: [
        { type: 'counter', id: 'by_line', by: 'pattern', pattern: '^(.{0,40})' },
        { type: 'json', id: 'parse', circuit: false },
        { type: 'uppercase' },
      ],
    },
    { fileName: '<script>alert("file")</script>.log', runId: 'run-<xss>', trace: { mode: 'all' } },
  )) as AnyReport;
  // What an imported report could hold where a real run cannot: ids and texts with markup.
  report.processors[0].id = EVIL_ID;
  report.graph.nodes[0].id = EVIL_ID;
  report.traces.items.at(-1)!.steps[0].processor = EVIL_ID;
  report.errors.items.at(-1)!.message = EVIL_MESSAGE;
  report.errors.byType[EVIL_ID] = 1;
  report.pipeline.processors[0].pattern = EVIL_PARAM;
  report.health.reasons.push(`reason ${EVIL_MESSAGE}`);
  report.alerts.push({
    id: 'x', rule: 'x', name: `alert ${EVIL_PARAM}`, processor: EVIL_ID, severity: 'high', state: 'firing',
    firedAt: null, value: 1, threshold: 0, lastValue: 1, history: [],
  });
  report.events.items.push({ ts: report.generatedAt, level: 'warn', component: EVIL_ID, event: 'javascript:alert(1)', note: EVIL_PARAM });
  hostile = report;
  html = toHtmlSnapshot(hostile);
  doc = new DOMParser().parseFromString(html, 'text/html');
});

const text = () => doc.body.textContent ?? '';

describe('toHtmlSnapshot', () => {
  it('is a whole document with the strict CSP and no script, link or external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]');
    expect(csp?.getAttribute('content')).toBe(HTML_CSP);
    expect(HTML_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    expect(html).not.toMatch(/<script/i);
    expect(doc.querySelectorAll('script, link, a, img, iframe, object, embed, form, base, image, use, foreignObject')).toHaveLength(0);
  });

  it('builds only the expected elements, whatever the log lines say', () => {
    const tags = new Set([...doc.querySelectorAll('*')].map((el) => el.localName));
    expect([...tags].filter((t) => !ALLOWED.has(t))).toEqual([]);
  });

  it('has no event handler, link or source attribute anywhere', () => {
    for (const el of doc.querySelectorAll('*')) {
      for (const a of el.attributes) {
        expect(a.name, `${el.localName}[${a.name}]`).not.toMatch(/^on|^(href|src|srcset|srcdoc|action|formaction|xlink:href|style)$/i);
        if (el.localName !== 'meta') expect(a.value, `${el.localName}[${a.name}]`).not.toMatch(/alert\(|javascript:|[<>"]/i);
      }
    }
  });

  it('shows every hostile line as literal text', () => {
    for (const line of HOSTILE_LINES.filter((l) => !l.includes('\u001b'))) expect(text()).toContain(line);
    expect(text()).toContain('<script>alert("file")</script>.log');
    expect(text()).toContain('run-<xss>');
  });

  it('shows ids, messages, parameters, reasons, alerts and events with markup as text', () => {
    const t = text();
    expect(t).toContain(EVIL_ID);
    expect(t).toContain(EVIL_MESSAGE);
    expect(t).toContain(`reason ${EVIL_MESSAGE}`);
    expect(t).toContain(`alert ${EVIL_PARAM}`);
    expect(t).toContain('javascript:alert(1)');
    // The pipeline config is shown as JSON: the parameter's quote is JSON-escaped, still text.
    expect(doc.querySelector('details pre code')?.textContent).toContain(JSON.stringify(EVIL_PARAM).slice(1, -1));
    const statsRow = [...doc.querySelectorAll('table.stats tbody th')].map((th) => th.textContent);
    expect(statsRow[0]).toContain(EVIL_ID);
  });

  it('strips terminal colour and link sequences and shows other control characters visibly', () => {
    expect(text()).not.toContain('\u001b');
    expect(text()).toContain('ERROR red link');
    expect(text()).not.toContain('\u202e');
    expect(text()).toContain('invoice \\u202egpj.exe');
    expect(visibleText('a\u0000b\u0007c\td')).toBe('a\\x00b\\x07c\td');
    expect(escapeHtml(`<a href="javascript:x">'&'</a>`)).toBe('&lt;a href=&quot;javascript:x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('has the stats table of the app: same name and headers, plus latency', () => {
    const table = [...doc.querySelectorAll('table')].find((t) => t.querySelector('caption')?.textContent === 'Processor stats');
    expect(table).toBeDefined();
    const headers = [...table!.querySelectorAll('thead th[scope="col"]')].map((th) => th.textContent);
    expect(headers.slice(0, 6)).toEqual(['Processor', 'Lines in', 'Lines out', 'Dropped', 'Errors', 'Time (ms)']);
    expect(headers).toEqual(expect.arrayContaining(['p50 (µs)', 'p95 (µs)', 'p99 (µs)']));
    expect(table!.querySelectorAll('tbody tr')).toHaveLength(hostile.processors.length);
  });

  it('shows the run summary, health, levels with a timeline chart, errors, journeys and events', () => {
    const headings = [...doc.querySelectorAll('h2')].map((h) => h.textContent);
    expect(headings).toEqual(['Run', 'Health', 'Alerts', 'Processors', 'Counters', 'Levels over log time', 'Errors', 'Journeys', 'Event log', 'Pipeline']);
    expect(doc.querySelectorAll('svg rect').length).toBeGreaterThan(0);
    expect(doc.querySelector('svg title')?.textContent).toMatch(/^Lines per level/);
    expect(doc.querySelectorAll('ol.journeys > li').length).toBeGreaterThan(0);
    expect(doc.querySelectorAll('ol.samples > li').length).toBeGreaterThan(0);
    expect(text()).toContain(hostile.health.status);
  });

  it('follows the system light or dark setting', () => {
    expect(doc.querySelector('meta[name="color-scheme"]')?.getAttribute('content')).toBe('light dark');
    expect(doc.querySelector('style')?.textContent).toContain('@media (prefers-color-scheme:dark)');
  });

  it('says an alert suppressed until the run ends is suppressed for the run, not until a date', async () => {
    const { alertsActedOn } = await sampleReports();
    const page = new DOMParser().parseFromString(toHtmlSnapshot(alertsActedOn), 'text/html');
    const states = [...page.querySelectorAll('section table tbody tr')].filter((tr) => tr.closest('table')?.querySelector('caption')?.textContent === 'Alerts').map((tr) => tr.children[3].textContent);
    expect(states).toEqual(alertsActedOn.alerts.map(() => 'suppressed for the run'));
  });

  it('writes alert values in their unit, as the app does: shares as percentages', () => {
    const report = structuredClone(hostile);
    report.alerts = [
      { id: 'e', rule: 'error-lines-per-minute', name: 'Errors', unit: 'share', severity: 'high', state: 'firing', firedAt: null, value: 0.5, threshold: 0.05, lastValue: 0.5, history: [] },
      { id: 'p', rule: 'p95', name: 'Slow', unit: 'us', severity: 'low', state: 'resolved', firedAt: null, value: 1250, threshold: 1000, lastValue: 900, history: [] },
      // A report made before alerts carried their unit: told from the rule.
      { id: 'r', rule: 'processor-error-rate', name: 'Old', severity: 'low', state: 'resolved', firedAt: null, value: 0.2, threshold: 0.1, lastValue: 0, history: [] },
    ];
    const page = new DOMParser().parseFromString(toHtmlSnapshot(report), 'text/html');
    const rows = [...page.querySelectorAll('section table tbody tr')].filter((tr) => tr.closest('table')?.querySelector('caption')?.textContent === 'Alerts');
    expect(rows.map((tr) => [tr.children[4].textContent, tr.children[5].textContent])).toEqual([
      ['50%', '5%'],
      ['1,250 µs', '1,000 µs'],
      ['20%', '10%'],
    ]);
  });

  it('renders every sample report, including failed and cancelled runs', async () => {
    for (const report of Object.values(await sampleReports())) {
      const page = new DOMParser().parseFromString(toHtmlSnapshot(report), 'text/html');
      expect(page.querySelector('table.stats caption')?.textContent).toBe('Processor stats');
      expect(page.body.textContent).toContain(report.run.status);
    }
  });
});
