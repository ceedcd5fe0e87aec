import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeLabelValue, toPrometheus } from '../../../src/engine/report/prometheus.ts';
import type { AnyReport, Report } from '../../../src/engine/report/report.ts';
import { HOSTILE_LINES, reportOf, sampleReports } from '../../fixtures/reports.ts';
import { parseExposition, type ParsedFamily } from './prometheus-parser.ts';

let reports: Record<string, Report>;
let hostile: Report;

/** A label value no sane exporter expects: quotes, backslashes, a newline, markup. */
const NASTY = 'a "quoted" C:\\path\\ and\na newline <script>alert(1)</script>';

beforeAll(async () => {
  reports = await sampleReports();
  hostile = await reportOf(
    [...HOSTILE_LINES.map((l) => `key=${l}`), 'key=C:\\dir\\"x"', 'key=tab\there'],
    { processors: [{ type: 'counter', id: 'by_key', by: 'pattern', pattern: 'key=(.*)' }, { type: 'json', id: 'parse', circuit: false }] },
    { fileName: NASTY, runId: 'run-hostile' },
  );
});

const values = (family: ParsedFamily | undefined, label: string) =>
  Object.fromEntries((family?.samples ?? []).map((s) => [s.labels[label], s.value]));

describe('toPrometheus', () => {
  it('writes text every sample report parses from, strictly, ending in a line feed', () => {
    for (const report of Object.values(reports)) {
      const text = toPrometheus(report);
      expect(text.endsWith('\n')).toBe(true);
      expect(() => parseExposition(text)).not.toThrow();
    }
  });

  it('gives every family a HELP and a TYPE, once', () => {
    const text = toPrometheus(reports.circuit);
    const families = parseExposition(text);
    for (const family of families.values()) {
      expect(family.help, family.name).toBeTruthy();
      expect(family.type, family.name).not.toBe('untyped');
    }
    const typeLines = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(typeLines.map((l) => l.split(' ')[2])).size).toBe(typeLines.length);
  });

  it('has the per-processor counters, with a processor label and the report numbers', () => {
    const report = reports.jsonErrors;
    const f = parseExposition(toPrometheus(report));
    const byId = (name: string) => values(f.get(name), 'processor');
    for (const p of report.processors) {
      expect(byId('linesight_processor_lines_in_total')[p.id]).toBe(p.linesIn);
      expect(byId('linesight_processor_lines_out_total')[p.id]).toBe(p.linesOut);
      expect(byId('linesight_processor_dropped_total')[p.id]).toBe(p.dropped);
      expect(byId('linesight_processor_errors_total')[p.id]).toBe(p.errors);
      expect(byId('linesight_processor_time_seconds_total')[p.id]).toBeCloseTo(p.timeMs / 1000, 12);
      expect(byId('linesight_processor_bypassed_total')[p.id]).toBe(p.bypassed);
      expect(byId('linesight_processor_circuit_openings_total')[p.id]).toBe(p.circuitOpenings);
      expect(byId('linesight_processor_utilization_ratio')[p.id]).toBe(p.utilization);
    }
    for (const name of ['linesight_processor_lines_in_total', 'linesight_processor_errors_total', 'linesight_processor_time_seconds_total']) {
      expect(f.get(name)?.type).toBe('counter');
    }
    expect(f.get('linesight_processor_utilization_ratio')?.type).toBe('gauge');
  });

  it('gives latency as a summary: quantiles 0.5, 0.95, 0.99 in seconds, with _sum and _count', () => {
    const report = reports.chain;
    const family = parseExposition(toPrometheus(report)).get('linesight_processor_latency_seconds')!;
    expect(family.type).toBe('summary');
    for (const p of report.processors) {
      const mine = family.samples.filter((s) => s.labels.processor === p.id);
      expect(mine.map((s) => [s.name, s.labels.quantile, s.value])).toEqual([
        ['linesight_processor_latency_seconds', '0.5', p.p50Us / 1e6],
        ['linesight_processor_latency_seconds', '0.95', p.p95Us / 1e6],
        ['linesight_processor_latency_seconds', '0.99', p.p99Us / 1e6],
        ['linesight_processor_latency_seconds_sum', undefined, p.timeMs / 1000],
        ['linesight_processor_latency_seconds_count', undefined, p.linesIn],
      ]);
    }
  });

  it('reports NaN quantiles, not 0 s, for a processor no line reached', () => {
    const family = parseExposition(toPrometheus(reports.cancelled)).get('linesight_processor_latency_seconds')!;
    const quantiles = family.samples.filter((s) => s.labels.quantile !== undefined);
    expect(quantiles.length).toBeGreaterThan(0);
    for (const s of quantiles) expect(s.value).toBeNaN();
  });

  it('has level counts, totals, run gauges, health, alerts and errors by type', () => {
    const report = reports.circuit;
    const f = parseExposition(toPrometheus(report));
    expect(values(f.get('linesight_log_lines_total'), 'level')).toEqual(report.levels);
    expect(f.get('linesight_pipeline_lines_in_total')?.samples[0].value).toBe(report.totals.linesIn);
    expect(f.get('linesight_pipeline_errors_total')?.samples[0].value).toBe(report.totals.errors);
    expect(f.get('linesight_run_read_bytes')?.samples[0].value).toBe(report.run.bytesRead);
    expect(f.get('linesight_run_read_lines')?.samples[0].value).toBe(report.run.linesRead);
    expect(f.get('linesight_run_duration_seconds')?.samples[0].value).toBeCloseTo(report.run.durationMs / 1000, 12);
    expect(f.get('linesight_run_info')?.samples[0].labels).toMatchObject({ run_id: 'run-circuit', file: 'app.log', status: 'completed' });
    const health = values(f.get('linesight_health_status'), 'status');
    expect(health).toEqual({ HEALTHY: 0, DEGRADED: 0, UNHEALTHY: 0, [report.health.status]: 1 });
    const alerts = f.get('linesight_alert_firing')!.samples;
    expect(alerts.map((s) => ({ ...s.labels }))).toEqual(
      report.alerts.map((a) => ({ alert: a.id, rule: a.rule, severity: a.severity, processor: a.processor })),
    );
    expect(alerts.every((s) => s.value === 1)).toBe(true);
    expect(values(f.get('linesight_errors_by_type_total'), 'type')).toEqual(report.errors.byType);
    const parseCircuit = f.get('linesight_processor_circuit_state')!.samples.filter((s) => s.labels.processor === 'parse');
    expect(Object.fromEntries(parseCircuit.map((s) => [s.labels.state, s.value]))).toEqual({ closed: 0, open: 1, 'half-open': 0 });
  });

  it('counts an alert suppressed until the run ends as not firing', () => {
    const f = parseExposition(toPrometheus(reports.alertsActedOn));
    const alerts = f.get('linesight_alert_firing')!.samples;
    expect(alerts.map((s) => [s.labels.alert, s.value])).toEqual(reports.alertsActedOn.alerts.map((a) => [a.id, 0]));
    expect(alerts.length).toBeGreaterThan(0);
  });

  it('leaves out families with no samples rather than writing a HELP with nothing under it', () => {
    const text = toPrometheus(reports.cancelled);
    expect(text).not.toContain('linesight_alert_firing');
    expect(text).not.toContain('linesight_errors_by_type_total');
  });

  it('escapes hostile label values so they parse back to exactly what the log said', () => {
    const text = toPrometheus(hostile);
    const f = parseExposition(text);
    expect(f.get('linesight_run_info')?.samples[0].labels.file).toBe(NASTY);
    const keys = f.get('linesight_lines_by_key_total')!.samples.map((s) => s.labels.key);
    for (const line of [...HOSTILE_LINES, 'C:\\dir\\"x"', 'tab\there']) expect(keys).toContain(line);
    // The raw text: the newline of the file name is the two characters \n, quotes are \".
    expect(text).toContain('file="a \\"quoted\\" C:\\\\path\\\\ and\\na newline <script>alert(1)</script>"');
  });

  it('escapes a hostile processor id (from an imported report) in every family', () => {
    const report = JSON.parse(JSON.stringify(reports.chain)) as AnyReport;
    report.processors[0].id = NASTY;
    const f = parseExposition(toPrometheus(report));
    for (const name of ['linesight_processor_lines_in_total', 'linesight_processor_latency_seconds', 'linesight_processor_info']) {
      expect(f.get(name)!.samples.some((s) => s.labels.processor === NASTY), name).toBe(true);
    }
  });

  it('writes a repeated processor id once, so no series is duplicated', () => {
    const report = JSON.parse(JSON.stringify(reports.chain)) as AnyReport;
    report.processors[1].id = report.processors[0].id;
    expect(() => parseExposition(toPrometheus(report))).not.toThrow();
  });

  it('escapes backslash, double quote and line feed, and nothing else', () => {
    expect(escapeLabelValue('a\\b"c\nd\te\r')).toBe('a\\\\b\\"c\\nd\te\r');
    expect(escapeLabelValue('lone \ud800 surrogate')).toBe('lone \ufffd surrogate');
  });
});

describe('the strict test parser', () => {
  const bad: [string, string][] = [
    ['no final line feed', '# TYPE a counter\na 1'],
    ['a family split in two', '# TYPE a counter\na{x="1"} 1\n# TYPE b gauge\nb 1\na{x="2"} 2\n'],
    ['a second TYPE', '# TYPE a counter\n# TYPE a counter\na 1\n'],
    ['an invalid escape', 'a{x="\\t"} 1\n'],
    ['an unescaped quote', 'a{x="say "hi""} 1\n'],
    ['a duplicate series', 'a{x="1"} 1\na{x="1"} 2\n'],
    ['an invalid metric name', '1a 1\n'],
    ['an invalid value', 'a one\n'],
    ['quantiles out of order', '# TYPE s summary\ns{quantile="0.9"} 1\ns{quantile="0.5"} 1\n'],
    ['a negative counter', '# TYPE c counter\nc -1\n'],
  ];
  it.each(bad)('refuses %s', (_name, text) => {
    expect(() => parseExposition(text)).toThrow();
  });

  it("reads the spec's own example", () => {
    const text = [
      '# HELP http_requests_total The total number of HTTP requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"}    3 1395066363000',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
      'something_weird{problem="division by zero"} +Inf -3982045',
      '',
    ].join('\n');
    const f = parseExposition(text);
    expect(f.get('msdos_file_access_time_seconds')?.samples[0].labels).toEqual({ path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    expect(f.get('something_weird')?.samples[0].value).toBe(Infinity);
  });
});

/** promtool from Debian's `prometheus` package (CI may install it), or PROMTOOL=/path/to/promtool. */
function findPromtool(): string | null {
  const candidates = [process.env.PROMTOOL, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'promtool'))];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

const promtool = findPromtool();
const SKIP_NOTE = 'SKIPPED: promtool not found (install Debian package "prometheus", or set PROMTOOL=/path/to/promtool)';
if (!promtool) console.warn(`prometheus.test.ts: promtool check metrics ${SKIP_NOTE}`);

describe('promtool check metrics', () => {
  // .ci/run installs promtool and sets this: in CI the check runs, it never skips.
  it.runIf(process.env.LINESIGHT_REQUIRE_PROMTOOL === '1')('promtool is installed where it is required', () => {
    expect(promtool, SKIP_NOTE).not.toBeNull();
  });

  it.skipIf(!promtool)(promtool ? `accepts every export, lint included (${promtool})` : `accepts every export — ${SKIP_NOTE}`, () => {
    for (const [name, report] of Object.entries({ ...reports, hostile })) {
      const result = spawnSync(promtool!, ['check', 'metrics'], { input: toPrometheus(report), encoding: 'utf8', timeout: 30_000 });
      expect({ name, status: result.status, out: `${result.stdout}${result.stderr}`.trim() }).toEqual({ name, status: 0, out: '' });
    }
  });
});
