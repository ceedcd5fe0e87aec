import { beforeAll, describe, expect, it } from 'vitest';
import { eventsToNdjson } from '../../../src/engine/observe/events.ts';
import { toEventsNdjson } from '../../../src/engine/report/ndjson.ts';
import {
  hexId,
  SPAN_KIND_INTERNAL,
  STATUS_CODE_ERROR,
  STATUS_CODE_OK,
  toOtlpTraces,
  type OtlpKeyValue,
  type OtlpSpan,
} from '../../../src/engine/report/otlp.ts';
import type { Report } from '../../../src/engine/report/report.ts';
import { sampleReports } from '../../fixtures/reports.ts';

let reports: Record<string, Report>;
beforeAll(async () => {
  reports = await sampleReports();
});

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const NANOS = /^\d+$/;

function spansOf(report: Report): OtlpSpan[] {
  // Through JSON, as a receiver gets it.
  const data = JSON.parse(JSON.stringify(toOtlpTraces(report)));
  expect(data.resourceSpans).toHaveLength(1);
  expect(data.resourceSpans[0].scopeSpans).toHaveLength(1);
  return data.resourceSpans[0].scopeSpans[0].spans;
}

const attr = (attrs: OtlpKeyValue[], key: string) => attrs.find((a) => a.key === key)?.value;

describe('toOtlpTraces (OTLP/JSON)', () => {
  it('describes the resource: service.name, run id and file name', () => {
    const data = toOtlpTraces(reports.routedTraced);
    const resource = data.resourceSpans[0].resource.attributes;
    expect(attr(resource, 'service.name')).toEqual({ stringValue: 'linesight' });
    expect(attr(resource, 'linesight.run.id')).toEqual({ stringValue: 'run-routed' });
    expect(attr(resource, 'linesight.file.name')).toEqual({ stringValue: 'app.log' });
    expect(data.resourceSpans[0].scopeSpans[0].scope.name).toBe('linesight');
  });

  it('makes one trace per traced line: a root span and one child per step', () => {
    const report = reports.routedTraced;
    const spans = spansOf(report);
    const stepCount = report.traces.items.reduce((n, t) => n + t.steps.length, 0);
    expect(spans).toHaveLength(report.traces.items.length + stepCount);
    const traceIds = new Set(spans.map((s) => s.traceId));
    expect(traceIds.size).toBe(report.traces.items.length);
    const roots = spans.filter((s) => s.parentSpanId === undefined);
    expect(roots.map((s) => s.name)).toEqual(report.traces.items.map((t) => `line ${t.lineNo}`));
  });

  it('uses lowercase hex ids of the right length (not base64), unique, never all zeros', () => {
    const spans = spansOf(reports.jsonErrors);
    for (const s of spans) {
      expect(s.traceId).toMatch(TRACE_ID);
      expect(s.spanId).toMatch(SPAN_ID);
      expect(s.traceId).not.toMatch(/^0+$/);
      expect(s.spanId).not.toMatch(/^0+$/);
      if (s.parentSpanId !== undefined) expect(s.parentSpanId).toMatch(SPAN_ID);
    }
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
  });

  it('links every step to its line root within the same trace', () => {
    const spans = spansOf(reports.routedTraced);
    const roots = new Map(spans.filter((s) => !s.parentSpanId).map((s) => [s.spanId, s]));
    for (const child of spans.filter((s) => s.parentSpanId)) {
      const root = roots.get(child.parentSpanId!);
      expect(root, child.name).toBeDefined();
      expect(child.traceId).toBe(root!.traceId);
    }
  });

  it('names a step span after its processor, with the step attributes', () => {
    const report = reports.routedTraced;
    const boom = report.traces.items.find((t) => t.text === 'ERROR boom')!;
    const spans = spansOf(report);
    const root = spans.find((s) => s.name === `line ${boom.lineNo}`)!;
    const steps = spans.filter((s) => s.parentSpanId === root.spanId);
    expect(steps.map((s) => s.name)).toEqual(['level', 'start', 'error_counter']);
    const route = steps[1].attributes;
    expect(attr(route, 'linesight.step.status')).toEqual({ stringValue: 'route' });
    expect(attr(route, 'linesight.route.branch')).toEqual({ stringValue: 'error' });
    expect(attr(route, 'linesight.line.number')).toEqual({ intValue: String(boom.lineNo) });
    expect(attr(route, 'linesight.line.offset')).toEqual({ intValue: String(boom.offset) });
    expect(attr(route, 'linesight.duration.estimated')).toEqual({ boolValue: false });
    expect(attr(route, 'linesight.processor.type')).toEqual({ stringValue: 'router' });
    expect(attr(steps[0].attributes, 'linesight.route.branch')).toBeUndefined();
    expect(attr(root.attributes, 'linesight.line.text')).toEqual({ stringValue: 'ERROR boom' });
  });

  it('uses integer enums: kind INTERNAL, status OK, and ERROR with the message on failed steps', () => {
    const report = reports.jsonErrors;
    const spans = spansOf(report);
    for (const s of spans) expect(s.kind).toBe(SPAN_KIND_INTERNAL);
    const failed = spans.filter((s) => s.status.code === STATUS_CODE_ERROR);
    const errorSteps = report.traces.items.flatMap((t) => t.steps.filter((s) => s.status === 'error'));
    const errorTraces = report.traces.items.filter((t) => t.status === 'error');
    expect(failed).toHaveLength(errorSteps.length + errorTraces.length);
    const step = failed.find((s) => s.parentSpanId)!;
    expect(step.status.message).toMatch(/^JsonParseError: /);
    expect(attr(step.attributes, 'linesight.duration.estimated')).toEqual({ boolValue: true });
    for (const s of spans.filter((x) => x.status.code !== STATUS_CODE_ERROR)) expect(s.status).toEqual({ code: STATUS_CODE_OK });
  });

  it('writes times as decimal strings of ns, steps end to end from the run start', () => {
    const report = reports.routedTraced;
    const spans = spansOf(report);
    const startNs = BigInt(Date.parse(report.run.startedAt)) * 1_000_000n;
    const trace = report.traces.items[0];
    const root = spans.find((s) => s.name === `line ${trace.lineNo}`)!;
    const steps = spans.filter((s) => s.parentSpanId === root.spanId);
    for (const s of [root, ...steps]) {
      expect(s.startTimeUnixNano).toMatch(NANOS);
      expect(s.endTimeUnixNano).toMatch(NANOS);
      expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true);
    }
    expect(BigInt(root.startTimeUnixNano)).toBe(startNs);
    expect(BigInt(steps[0].startTimeUnixNano)).toBe(startNs);
    for (let i = 1; i < steps.length; i++) expect(steps[i].startTimeUnixNano).toBe(steps[i - 1].endTimeUnixNano);
    expect(root.endTimeUnixNano).toBe(steps.at(-1)!.endTimeUnixNano);
    const spanNs = BigInt(steps.at(-1)!.endTimeUnixNano) - startNs;
    const sumNs = trace.steps.reduce((n, s) => n + BigInt(Math.round(s.durationUs * 1000)), 0n);
    expect(spanNs).toBe(sumNs);
  });

  it('gives the same ids for the same report, and different ones for another run', () => {
    const a = spansOf(reports.routedTraced).map((s) => s.spanId);
    expect(spansOf(reports.routedTraced).map((s) => s.spanId)).toEqual(a);
    expect(hexId('run-a\u00001', 4)).not.toBe(hexId('run-b\u00001', 4));
  });

  it('has no spans, but a valid document, when tracing was off', () => {
    expect(spansOf(reports.chain)).toEqual([]);
  });
});

describe('toEventsNdjson', () => {
  it('is the event log serializer applied to the report: one JSON object a line', () => {
    const report = reports.circuit;
    const text = toEventsNdjson(report);
    expect(text).toBe(eventsToNdjson(report.events.items));
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(report.events.items);
  });
});
