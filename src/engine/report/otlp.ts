/**
 * A report's traced lines as OTLP/JSON traces (`TracesData`: what an OTLP/HTTP receiver takes
 * at /v1/traces with `Content-Type: application/json`, and what Jaeger and Tempo import).
 *
 * One trace per traced line: a root span "line N" and one child span per processor step.
 * OTLP/JSON rules followed: lowerCamelCase field names; traceId (16 bytes) and spanId (8 bytes)
 * as lowercase hex, not base64, and never all zeros; enums as integers (SPAN_KIND_INTERNAL = 1,
 * STATUS_CODE_OK = 1, STATUS_CODE_ERROR = 2); 64-bit integers (times in ns, intValue) as
 * decimal strings.
 *
 * Times: the report keeps how long each step took, not when, so each line's spans start at the
 * run's start and the steps are laid end to end. Ids come from the run id and line number, so
 * exporting the same report twice gives the same ids.
 */
import type { Trace, TraceStep } from '../observe/types.ts';
import type { AnyReport } from './report.ts';

export type OtlpAnyValue = { stringValue: string } | { boolValue: boolean } | { intValue: string } | { doubleValue: number };

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export const SPAN_KIND_INTERNAL = 1;
export const STATUS_CODE_OK = 1;
export const STATUS_CODE_ERROR = 2;

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  status: { code: number; message?: string };
}

export interface OtlpTracesData {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string; version: string }; spans: OtlpSpan[] }[];
  }[];
}

export const OTLP_SCOPE = { name: 'linesight', version: '1' } as const;

/** The report's traces as OTLP/JSON (serialize with JSON.stringify). */
export function toOtlpTraces(report: AnyReport): OtlpTracesData {
  const startNs = epochNanos(report.run.startedAt);
  const types = new Map(report.graph.nodes.map((n) => [n.id, n.type]));
  const spans: OtlpSpan[] = [];
  for (const trace of report.traces.items) spans.push(...traceSpans(report.run.id, trace, startNs, types));
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            str('service.name', 'linesight'),
            str('linesight.run.id', report.run.id),
            str('linesight.file.name', report.run.file.name),
            str('linesight.run.status', report.run.status),
          ],
        },
        scopeSpans: [{ scope: { ...OTLP_SCOPE }, spans }],
      },
    ],
  };
}

function traceSpans(runId: string, trace: Trace, startNs: bigint, types: ReadonlyMap<string, string>): OtlpSpan[] {
  const traceId = hexId(`${runId}\u0000${trace.lineNo}`, 4);
  const rootId = hexId(`${runId}\u0000${trace.lineNo}\u0000root`, 2);
  const lineAttributes = [int('linesight.line.number', trace.lineNo), int('linesight.line.offset', trace.offset)];
  const children: OtlpSpan[] = [];
  let at = startNs;
  trace.steps.forEach((step, i) => {
    const end = at + durationNanos(step.durationUs);
    children.push({
      traceId,
      spanId: hexId(`${runId}\u0000${trace.lineNo}\u0000${i}`, 2),
      parentSpanId: rootId,
      name: step.processor,
      kind: SPAN_KIND_INTERNAL,
      startTimeUnixNano: at.toString(),
      endTimeUnixNano: end.toString(),
      attributes: stepAttributes(step, types.get(step.processor), lineAttributes),
      status: step.status === 'error' ? { code: STATUS_CODE_ERROR, message: step.error ?? 'error' } : { code: STATUS_CODE_OK },
    });
    at = end;
  });
  const failed = trace.steps.find((s) => s.status === 'error');
  const root: OtlpSpan = {
    traceId,
    spanId: rootId,
    name: `line ${trace.lineNo}`,
    kind: SPAN_KIND_INTERNAL,
    startTimeUnixNano: startNs.toString(),
    endTimeUnixNano: at.toString(),
    attributes: [
      ...lineAttributes,
      str('linesight.line.text', trace.text),
      str('linesight.trace.status', trace.status),
      ...(trace.ts === undefined || !Number.isFinite(trace.ts) ? [] : [str('linesight.line.time', new Date(trace.ts).toISOString())]),
    ],
    status:
      trace.status === 'error' ? { code: STATUS_CODE_ERROR, message: failed?.error ?? `line ${trace.lineNo} failed` } : { code: STATUS_CODE_OK },
  };
  return [root, ...children];
}

function stepAttributes(step: TraceStep, type: string | undefined, line: OtlpKeyValue[]): OtlpKeyValue[] {
  return [
    str('linesight.step.status', step.status),
    ...(step.branch === undefined ? [] : [str('linesight.route.branch', step.branch)]),
    ...line,
    { key: 'linesight.duration.estimated', value: { boolValue: step.estimated === true } },
    ...(type === undefined ? [] : [str('linesight.processor.type', type)]),
    ...(step.bypassed ? [{ key: 'linesight.step.bypassed', value: { boolValue: true } }] : []),
    ...(step.text === undefined ? [] : [str('linesight.line.text_after', step.text)]),
    ...(step.error === undefined ? [] : [str('exception.message', step.error)]),
  ];
}

function str(key: string, value: string): OtlpKeyValue {
  return { key, value: { stringValue: String(value) } };
}

function int(key: string, value: number): OtlpKeyValue {
  return { key, value: { intValue: BigInt(Math.trunc(Number.isFinite(value) ? value : 0)).toString() } };
}

/** ISO time to ns since the epoch; exact (ms × 10⁶ is past 2⁵³, so BigInt). 0 when unreadable. */
function epochNanos(iso: string): bigint {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? BigInt(ms) * 1_000_000n : 0n;
}

function durationNanos(us: number): bigint {
  return us > 0 && Number.isFinite(us) ? BigInt(Math.round(us * 1000)) : 0n;
}

/**
 * `words` × 32 bits of a deterministic hash of `key`, as lowercase hex (4 words: a trace id,
 * 2: a span id). Never all zeros, which OTLP reserves for "no id".
 */
export function hexId(key: string, words: 2 | 4): string {
  // cyrb128-style: four 32-bit lanes mixed with Math.imul, enough spread for ids, no BigInt.
  let h1 = 0x6a09e667;
  let h2 = 0xbb67ae85;
  let h3 = 0x3c6ef372;
  let h4 = 0xa54ff53a;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  const hex = [h1, h2, h3, h4]
    .slice(0, words)
    .map((h) => (h >>> 0).toString(16).padStart(8, '0'))
    .join('');
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}
