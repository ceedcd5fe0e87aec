import { beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_LIMITS, MAX_DEPTH, MAX_REPORT_CHARS, MAX_REPORT_STRING_BYTES, parseReport, readReport, reportSizeIssue } from '../../../src/engine/report/import.ts';
import { cutMark } from '../../../src/engine/observe/text-caps.ts';
import type { Report } from '../../../src/engine/report/report.ts';
import { sampleReports } from '../../fixtures/reports.ts';

let reports: Record<string, Report>;
beforeAll(async () => {
  reports = await sampleReports();
});

const json = (value: unknown) => JSON.stringify(value);
const copy = (report: Report): Record<string, any> => JSON.parse(json(report));

function refused(text: string): string {
  const result = parseReport(text);
  if (result.ok) throw new Error('expected the report to be refused');
  return result.error;
}

describe('parseReport', () => {
  it('reads back every exported report unchanged', () => {
    for (const report of Object.values(reports)) {
      const result = parseReport(json(report));
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.value).toEqual(JSON.parse(json(report)));
    }
  });

  it('reads a stored run (interrupted, with retention) and a file that starts with a BOM', () => {
    const stored = copy(reports.chain);
    stored.run.status = 'interrupted';
    stored.retention = { caps: { traces: 1, errors: 1, events: 1, metricPoints: 100 }, evicted: { traces: 0, errors: 0, events: 0, metricPoints: 0 } };
    expect(parseReport(json(stored)).ok).toBe(true);
    expect(parseReport(`\ufeff${json(reports.chain)}`).ok).toBe(true);
  });

  it('says when the text is not JSON', () => {
    expect(refused('{"schema": "linesight.report/v1",')).toMatch(/^not valid JSON: /);
    expect(refused('')).toMatch(/^not valid JSON: /);
  });

  it('says when the JSON is not a Linesight report', () => {
    expect(refused('[1, 2]')).toBe('not a Linesight report: expected a JSON object (got a list)');
    expect(refused('"hello"')).toBe('not a Linesight report: expected a JSON object (got "hello")');
    expect(refused('{"processors": []}')).toBe('not a Linesight report: schema is missing (expected "linesight.report/v1")');
    expect(refused('{"schema": "linesight.report/v2"}')).toBe('not a Linesight report: schema is "linesight.report/v2" (expected "linesight.report/v1")');
  });

  it('names the field and what was expected', () => {
    const report = copy(reports.chain);
    report.processors[2].linesIn = 'a lot';
    expect(refused(json(report))).toBe('processors[2].linesIn: expected a whole number (got "a lot")');
    delete report.processors[2].linesIn;
    expect(refused(json(report))).toBe('processors[2].linesIn: missing');
    const noHealth = copy(reports.chain);
    delete noHealth.health;
    expect(refused(json(noHealth))).toBe('health: missing');
  });

  it('reads a format section (custom formats included), an older report without one, and refuses a malformed one', () => {
    const report = copy(reports.chain);
    report.format = { id: 'braces', name: 'Braces', confidence: 1, overridden: false, unmatchedLines: 0, multilineJoined: 2 };
    expect(parseReport(json(report)).ok).toBe(true);
    delete report.format;
    expect(parseReport(json(report)).ok).toBe(true);
    report.format = { id: 'braces', name: { html: '<b>' }, confidence: 3, overridden: false, unmatchedLines: 0, multilineJoined: 0 };
    expect(refused(json(report))).toBe('format.name: expected a text (got an object); format.confidence: expected at most 1 (got 3)');
  });

  it('lists a few problems at once, not hundreds', () => {
    const report = copy(reports.routedTraced);
    for (const t of report.traces.items) t.lineNo = -1;
    const message = refused(json(report));
    expect(message.split('; ')).toHaveLength(4);
    expect(message).toMatch(/^traces\.items\[0\]\.lineNo: expected at least 1 \(got -1\)/);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key anywhere, naming where', (key) => {
    const text = json(reports.jsonErrors).replace('"byType":{', `"byType":{"${key}":{"polluted":true},`);
    expect(refused(text)).toBe(`refused: errors.byType.${key} is a key that could change how objects behave ("${key}")`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a prototype key deep inside an event or a pipeline parameter', () => {
    const event = json(reports.circuit).replace('"event":"run_completed"', '"event":"run_completed","x":[{"__proto__":{"isAdmin":true}}]');
    expect(refused(event)).toMatch(/^refused: events\.items\[\d+\]\.x\[0\]\.__proto__ /);
    const pipeline = json(reports.chain).replace('"pattern":"important"', '"pattern":"important","constructor":{"prototype":{}}');
    expect(refused(pipeline)).toMatch(/^refused: pipeline\.processors\[2\]\.constructor /);
  });

  it('refuses absurd nesting without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const report = json(reports.chain).replace('"processors":[{"type"', `"extra":${deep},"processors":[{"type"`);
    expect(refused(report)).toMatch(new RegExp(`^pipeline\\.extra(\\[0\\])+: nested too deeply \\(more than ${MAX_DEPTH} levels\\)$`));
  });

  it('refuses lists longer than any Linesight report holds', () => {
    const report = copy(reports.routedTraced);
    const trace = report.traces.items[0];
    report.traces.items = new Array(IMPORT_LIMITS.traces + 1).fill(trace);
    expect(refused(json(report))).toBe('traces.items: 20,001 items, more than any Linesight report holds (at most 20,000)');
    const series = copy(reports.chain);
    series.metrics.series['lines_per_sec'] = new Array(IMPORT_LIMITS.pointsPerSeries + 1).fill(0);
    expect(refused(json(series))).toMatch(/^metrics\.series\.lines_per_sec: 2,000,001 items/);
  });

  it('refuses a file over the size limit before parsing it, saying how large it is and what is allowed', () => {
    expect(refused(' '.repeat(MAX_REPORT_CHARS + 1))).toBe('this report is 201 MB; Linesight imports reports up to 200 MB');
    expect(reportSizeIssue(1.07 * 1024 ** 3)).toBe('this report is 1.07 GB; Linesight imports reports up to 200 MB');
    expect(reportSizeIssue(MAX_REPORT_CHARS)).toBeNull();
  });

  it('keeps hostile text as data: markup in fields is accepted as strings, never interpreted here', () => {
    const report = copy(reports.jsonErrors);
    report.errors.items[0].text = '<script>alert(1)</script>';
    report.errors.items[0].message = '<img src=x onerror=alert(1)>';
    const result = parseReport(json(report));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.errors.items[0].text).toBe('<script>alert(1)</script>');
  });

  it('refuses wrong enums and wrong types where the UI relies on them', () => {
    const cases: [(r: Record<string, any>) => void, string][] = [
      [(r) => (r.health.status = 'FINE'), 'health.status: expected one of "HEALTHY", "DEGRADED", "UNHEALTHY" (got "FINE")'],
      [(r) => (r.traces.items = {}), 'traces.items: expected a list (got an object)'],
      [(r) => (r.events.items[0].ts = 12), 'events.items[0].ts: expected a text (got 12)'],
      [(r) => (r.metrics.series['p95_us:x'] = [{ t: 0 }]), 'metrics.series["p95_us:x"][0].count: missing'],
      [(r) => (r.timeRange = 'today'), 'timeRange: expected an object or null (got "today")'],
    ];
    for (const [breakIt, message] of cases) {
      const report = copy(reports.routedTraced);
      breakIt(report);
      expect(refused(json(report)).split('; ')[0]).toBe(message);
    }
  });
});

describe('texts of an imported report', () => {
  const MiB = 1 << 20;

  it('are cut to the caps a run keeps them under before anything renders them, and counted', () => {
    const report = copy(reports.jsonErrors);
    const huge = 'h'.repeat(20 * MiB);
    report.run.message = huge;
    report.errors.items[0].text = huge;
    report.events.items[0].note = { deep: [huge] };
    report.counters = [];
    report.pipeline.processors[0].pattern = 'p'.repeat(MAX_REPORT_STRING_BYTES + 1000);
    const read = readReport(json(report));
    if (!read.ok) throw new Error(read.error);
    const { report: imported, cut } = read.value;
    const kept = 'h'.repeat(4096) + cutMark(20 * MiB);
    expect(imported.run.message).toBe(kept);
    expect(imported.errors.items[0].text).toBe(kept);
    expect(imported.events.items[0].note).toEqual({ deep: [kept] });
    expect((imported.pipeline.processors[0] as Record<string, unknown>).pattern).toBe('p'.repeat(MAX_REPORT_STRING_BYTES) + cutMark(MAX_REPORT_STRING_BYTES + 1000));
    expect(cut).toBe(4);
    // The sections count their own cuts, as a live run's do.
    expect(imported.errors.cut).toBe((reports.jsonErrors.errors.cut ?? 0) + 1);
    expect(imported.events.cut).toBe((reports.jsonErrors.events.cut ?? 0) + 1);
  });

  it('already cut by Linesight import unchanged', () => {
    const report = copy(reports.jsonErrors);
    report.errors.items[0].text = 'x'.repeat(4096) + cutMark(MiB);
    const read = readReport(json(report));
    if (!read.ok) throw new Error(read.error);
    expect(read.value.cut).toBe(0);
    expect(read.value.report.errors.items[0].text).toBe('x'.repeat(4096) + cutMark(MiB));
  });

  it('refuse a name longer than any Linesight report holds, saying where', () => {
    const report = copy(reports.jsonErrors);
    report.errors.byType = { ['t'.repeat(MAX_REPORT_STRING_BYTES + 1)]: 1 };
    expect(refused(json(report))).toBe(`errors.byType: a name of 65,537 characters, longer than any Linesight report holds (at most 65,536)`);
  });
});
