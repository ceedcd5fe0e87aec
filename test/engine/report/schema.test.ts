import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { AnyReport, Report } from '../../../src/engine/report/report.ts';
import type { StoredReport } from '../../../src/store/schema.ts';
import { checkSchema, unsupportedKeywords, type Schema } from '../../../src/engine/report/schema-check.ts';
import { sampleReports } from '../../fixtures/reports.ts';

const schema = JSON.parse(readFileSync(new URL('../../../schema/report.schema.json', import.meta.url), 'utf8')) as Schema;

// strict: unknown keywords, formats or ambiguous types in the schema are errors, not ignored.
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);

/** What a file holds: the report after JSON, not the live object (undefined fields vanish, etc.). */
const asFile = (report: unknown): Record<string, any> => JSON.parse(JSON.stringify(report));

function errorsOf(value: unknown): string {
  validate(value);
  return ajv.errorsText(validate.errors);
}

const broken: [string, (r: Record<string, any>) => void, RegExp][] = [
  ['a missing required section', (r) => delete r.health, /must have required property 'health'/],
  ['a missing processor field', (r) => delete r.processors[1].linesIn, /processors\/1 must have required property 'linesIn'/],
  ['an unknown run status', (r) => (r.run.status = 'done'), /run\/status must be equal to one of the allowed values/],
  ['another schema version', (r) => (r.schema = 'linesight.report/v2'), /schema must be equal to constant/],
  ['a count given as text', (r) => (r.processors[0].linesIn = '12'), /processors\/0\/linesIn must be integer/],
  ['a negative count', (r) => (r.totals.dropped = -1), /totals\/dropped must be >= 0/],
  ['an unknown step status', (r) => (r.traces.items[0].steps[0].status = 'skipped'), /steps\/0\/status must be equal to one of the allowed values/],
  ['a health status in lower case', (r) => (r.health.status = 'healthy'), /health\/status must be equal to one of the allowed values/],
  ['a level missing from the counts', (r) => delete r.levels.FATAL, /levels must have required property 'FATAL'/],
  ['a date that is not a date', (r) => (r.generatedAt = 'yesterday'), /generatedAt must match format "date-time"/],
  ['a trace policy without its n', (r) => (r.traces.policy = { mode: 'sample' }), /traces\/policy/],
  ['a suppression until neither a time nor the end of the run', (r) => (r.alerts = [{ id: 'a', rule: 'a', name: 'A', severity: 'low', state: 'suppressed', firedAt: null, value: null, threshold: 1, lastValue: null, suppressedUntil: 'later', history: [] }]), /alerts\/0\/suppressedUntil/],
  ['a counter key with three fields', (r) => (r.counters[0].counts[0] = ['INFO', 1, 2]), /counts\/0 must NOT have more than 2 items/],
];

let reports: Record<string, Report>;
beforeAll(async () => {
  reports = await sampleReports();
});

describe('schema/report.schema.json', () => {
  it('is a draft 2020-12 schema that compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(typeof validate).toBe('function');
  });

  it.each(['chain', 'alertsActedOn', 'routedTraced', 'jsonErrors', 'failed', 'cancelled', 'circuit'])('accepts the real %s report', (name) => {
    const report = asFile(reports[name]);
    expect(validate(report), errorsOf(report)).toBe(true);
  });

  it('covers the sections the sample runs are meant to exercise', () => {
    expect(reports.routedTraced.traces.items.some((t) => t.steps.some((s) => s.branch === 'error'))).toBe(true);
    expect(reports.jsonErrors.errors.items.length).toBeGreaterThan(0);
    expect(reports.jsonErrors.counters.length).toBeGreaterThan(0);
    expect(reports.chain.alerts.length).toBeGreaterThan(0);
    expect(reports.alertsActedOn.alerts[0]).toMatchObject({ state: 'suppressed', suppressedUntil: null });
    expect(reports.alertsActedOn.alerts[0].history.map((h) => h.until)).toEqual([undefined, expect.any(String), undefined, null]);
    expect(reports.chain.timeline.buckets.length).toBeGreaterThan(0);
    expect(reports.failed.run.status).toBe('failed');
    expect(reports.cancelled.run.status).toBe('cancelled');
    expect(reports.circuit.processors[0].circuit).toBe('open');
  });

  it('accepts a stored run: interrupted or running, with retention', () => {
    // The type the exports take covers both what a run returns and what the store gives back.
    expectTypeOf<Report>().toExtend<AnyReport>();
    expectTypeOf<StoredReport>().toExtend<AnyReport>();
    for (const status of ['interrupted', 'running']) {
      const stored = asFile(reports.chain);
      stored.run.status = status;
      stored.retention = { caps: { traces: 1000, errors: 1000, events: 5000, metricPoints: 10_000 }, evicted: { traces: 0, errors: 3, events: 0, metricPoints: 12 } };
      expect(validate(stored), errorsOf(stored)).toBe(true);
    }
  });

  it('is open to extension: extra fields at the top and in items are allowed', () => {
    const report = asFile(reports.routedTraced);
    report.futureSection = { anything: true };
    report.processors[0].p999Us = 12;
    report.traces.items[0].steps[0].allocations = 3;
    expect(validate(report), errorsOf(report)).toBe(true);
  });

  it.each(broken)('refuses %s', (_name, breakIt, message) => {
    const report = asFile(reports.routedTraced);
    breakIt(report);
    expect(validate(report)).toBe(false);
    expect(errorsOf(report)).toMatch(message);
  });
});

describe("the app's own schema checker (import)", () => {
  it('knows every keyword the schema uses, so none is silently ignored', () => {
    expect(unsupportedKeywords(schema)).toEqual([]);
  });

  it('accepts what ajv accepts', () => {
    for (const report of Object.values(reports)) expect(checkSchema(asFile(report), schema)).toEqual([]);
  });

  it.each(broken)('refuses %s, as ajv does', (_name, breakIt) => {
    const report = asFile(reports.routedTraced);
    breakIt(report);
    expect(checkSchema(report, schema).length).toBeGreaterThan(0);
  });

  it('says where and what, in words', () => {
    const report = asFile(reports.routedTraced);
    report.processors[3].linesIn = 'many';
    report.run.status = 'done';
    delete report.graph.edges[0].lines;
    expect(checkSchema(report, schema).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'run.status: expected one of "completed", "cancelled", "failed", "interrupted", "running" (got "done")',
      'processors[3].linesIn: expected a whole number (got "many")',
      'graph.edges[0].lines: missing',
    ]);
  });

  it('names the alternative a value was meant to be', () => {
    const report = asFile(reports.routedTraced);
    report.traces.policy = { mode: 'sample', n: 0 };
    report.alerts = [{ ...asFile(reports.chain).alerts[0], firedAt: 'soon' }];
    report.pipeline.processors[0].circuit = true;
    expect(checkSchema(report, schema).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'pipeline.processors[0].circuit: expected false or an object (got true)',
      'traces.policy.n: expected at least 1 (got 0)',
      'alerts[0].firedAt: expected a date and time in ISO 8601 (got "soon")',
    ]);
  });
});
