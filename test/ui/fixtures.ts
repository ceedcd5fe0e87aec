import { initialProcessorStats } from '../../src/engine/snapshot.ts';
import type {
  ErrorsSection,
  EventsSection,
  LogEvent,
  ProcessorErrorItem,
  ProcessorStats,
  RunSnapshot,
  Trace,
  TracesSection,
} from '../../src/worker/client.ts';

export function stats(id: string, type: string, counts: Partial<ProcessorStats> = {}): ProcessorStats {
  return { ...initialProcessorStats(id, type), ...counts };
}

/** A snapshot of a run a third of the way through a 3 MB file, with fields overridable. */
export function snapshot(overrides: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    runId: '20260101-120000-abcd',
    status: 'running',
    file: { name: 'app.log', size: 3_000_000 },
    startedAt: '2026-01-01T12:00:00.000Z',
    elapsedMs: 2_000,
    bytesRead: 1_000_000,
    linesRead: 12_345,
    linesPerSec: 6_172.5,
    bytesPerSec: 500_000,
    etaMs: 4_000,
    processors: [
      stats('level', 'level', { linesIn: 12_345, linesOut: 12_345, timeMs: 1.25 }),
      stats('errors', 'filter', { linesIn: 12_345, linesOut: 1_200, dropped: 11_145, errors: 3, timeMs: 2.5 }),
    ],
    totals: { linesIn: 12_345, linesOut: 1_200, dropped: 11_145, errors: 3 },
    input: { compression: 'none', decodedBytes: 1_000_000, truncatedLines: 0, invalidUtf8Lines: 0, maxLineBytes: 1 << 20 },
    counters: [],
    graph: {
      nodes: [
        { id: 'level', type: 'level' },
        { id: 'errors', type: 'filter' },
      ],
      edges: [{ from: 'level', to: 'errors', lines: 12_345 }],
    },
    observed: { traces: 0, errors: 3, events: 4 },
    levels: { TRACE: 0, DEBUG: 100, INFO: 12_000, WARN: 200, ERROR: 44, FATAL: 1, UNKNOWN: 0 },
    timeRange: { start: '2026-01-01T11:00:00.000Z', end: '2026-01-01T11:30:00.000Z' },
    timeline: { starts: new Float64Array(0), counts: [], bucketMs: 60_000 },
    health: { status: 'HEALTHY', reasons: [], bottleneck: null, recentThroughputLps: 6_000 },
    alerts: [],
    points: [],
    format: null,
    ...overrides,
  };
}

/**
 * A traced line that went `level → start[error] → error_counter` and ended emitted; only
 * `level` changed it (it is the one step with `text`).
 */
export function trace(lineNo: number, overrides: Partial<Trace> = {}): Trace {
  return {
    lineNo,
    offset: (lineNo - 1) * 40,
    text: `2026-01-01 ERROR line ${lineNo}`,
    status: 'emitted',
    steps: [
      { processor: 'level', status: 'emit', durationUs: 3, text: `[ERROR] line ${lineNo}` },
      { processor: 'start', status: 'route', branch: 'error', durationUs: 1.5 },
      { processor: 'error_counter', status: 'emit', durationUs: 5.5 },
    ],
    ...overrides,
  };
}

export function traces(items: Trace[], overrides: Partial<TracesSection> = {}): TracesSection {
  return { enabled: true, policy: { mode: 'all' }, seen: items.length, kept: items.length, items, ...overrides };
}

export function processorError(overrides: Partial<ProcessorErrorItem> = {}): ProcessorErrorItem {
  return {
    processor: 'json',
    lineNo: 7,
    text: 'not json at all',
    type: 'JsonParseError',
    message: 'Unexpected token o in JSON at position 1',
    stack: ['at parse (json.ts:10:5)', 'at run (executor.ts:80:12)'],
    ...overrides,
  };
}

export function errorsSection(items: ProcessorErrorItem[], overrides: Partial<ErrorsSection> = {}): ErrorsSection {
  const byProcessor: Record<string, number> = {};
  const byType: Record<string, number> = {};
  for (const e of items) {
    byProcessor[e.processor] = (byProcessor[e.processor] ?? 0) + 1;
    byType[e.type] = (byType[e.type] ?? 0) + 1;
  }
  return { total: items.length, byProcessor, byType, items, ...overrides };
}

export function logEvent(event: string, overrides: Partial<LogEvent> = {}): LogEvent {
  return { ts: '2026-01-01T12:00:00.000Z', level: 'info', component: 'run', event, ...overrides };
}

export function eventsSection(items: LogEvent[], overrides: Partial<EventsSection> = {}): EventsSection {
  return { seen: items.length, kept: items.length, items, ...overrides };
}
