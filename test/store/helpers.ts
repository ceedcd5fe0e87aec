/** Small builders for the store tests: a fresh database per test, runs, snapshots and items. */

import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { LogEvent, ProcessorErrorItem, Trace } from '../../src/engine/observe/types.ts';
import type { RunSnapshot } from '../../src/engine/snapshot.ts';
import { openLinesightDB, type OpenOptions } from '../../src/store/schema.ts';
import { createRun, type NewRun } from '../../src/store/runs.ts';
import type { LinesightDatabase, ListKind, RunCaps, StoreName } from '../../src/store/schema.ts';
import { runKeyRange } from '../../src/store/tx.ts';

/** A database of its own: nothing leaks between tests. */
export function openTestDB(options: Omit<OpenOptions, 'factory'> = {}): Promise<LinesightDatabase> & { factory: IDBFactory } {
  const factory = new IDBFactory();
  return Object.assign(openLinesightDB({ ...options, factory }), { factory });
}

export const CAPS: RunCaps = { traces: 1000, errors: 1000, events: 5000, metricPoints: 10_000 };

export function snapshot(runId: string, over: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    runId,
    status: 'running',
    file: { name: `${runId}.log`, size: 1_000_000 },
    startedAt: '2025-01-01T10:00:00.000Z',
    elapsedMs: 1000,
    bytesRead: 500_000,
    linesRead: 10_000,
    linesPerSec: 10_000,
    bytesPerSec: 500_000,
    etaMs: 1000,
    processors: [
      {
        id: 'parse',
        type: 'json',
        linesIn: 10_000,
        linesOut: 9_000,
        dropped: 0,
        errors: 1_000,
        timeMs: 12.5,
        circuit: 'closed',
        circuitOpenings: 0,
        errorPolicy: 'drop',
        bypassed: 0,
        p50Us: 1.2,
        p95Us: 2.5,
        p99Us: 4,
        utilization: 1,
      },
    ],
    totals: { linesIn: 10_000, linesOut: 9_000, dropped: 0, errors: 1_000 },
    input: { compression: 'none', decodedBytes: 500_000, truncatedLines: 0, invalidUtf8Lines: 0, maxLineBytes: 1_048_576 },
    counters: [],
    graph: { nodes: [{ id: 'parse', type: 'json' }], edges: [] },
    observed: { traces: 0, errors: 0, events: 0 },
    levels: { TRACE: 0, DEBUG: 0, INFO: 9_000, WARN: 0, ERROR: 1_000, FATAL: 0, UNKNOWN: 0 },
    timeRange: { start: '2025-01-01T09:00:00.000Z', end: '2025-01-01T09:10:00.000Z' },
    timeline: { starts: Float64Array.of(1735722000), counts: [0, 0, 9_000, 0, 1_000, 0, 0].map((n) => Float64Array.of(n)), bucketMs: 600_000 },
    health: { status: 'DEGRADED', reasons: ["errors in 'parse': 10% of lines (threshold 1%)"], bottleneck: { processor: 'parse', linesPerSec: 800_000 }, recentThroughputLps: 10_000 },
    alerts: [],
    points: [],
    format: null,
    ...over,
  };
}

export function newRun(runId: string, over: Partial<NewRun> & { startedAt?: string } = {}): NewRun {
  const { startedAt, ...rest } = over;
  return {
    snapshot: snapshot(runId, startedAt ? { startedAt } : {}),
    pipeline: { processors: [{ type: 'json', id: 'parse' }] },
    tracePolicy: { mode: 'all' },
    caps: CAPS,
    ...rest,
  };
}

/** Creates a run and fails the test if the store refuses. */
export async function created(db: LinesightDatabase, runId: string, over: Parameters<typeof newRun>[1] = {}): Promise<void> {
  const result = await createRun(db, newRun(runId, over));
  if (!result.ok) throw new Error(`createRun failed: ${result.error.message}`);
}

export const trace = (n: number): Trace => ({
  lineNo: n,
  offset: n * 10,
  text: `line ${n}`,
  status: 'emitted',
  steps: [{ processor: 'parse', status: 'emit', durationUs: 3, text: `{"n":${n}}` }],
});

export const error = (n: number): ProcessorErrorItem => ({
  processor: n % 3 ? 'parse' : 'level',
  lineNo: n,
  text: `bad ${n}`,
  type: n % 2 ? 'JsonParseError' : 'TypeError',
  message: `Unexpected token at ${n}`,
  stack: [`parse (json.ts:${n}:1)`],
});

export const event = (n: number): LogEvent => ({ ts: new Date(Date.UTC(2025, 0, 1, 10, 0, 0, n)).toISOString(), level: 'info', component: 'run', event: 'tick', n });

export const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** Rows a run has in one store. */
export function rowCount(db: LinesightDatabase, store: Exclude<StoreName, 'settings' | 'pipelines' | 'runs'>, runId: string): Promise<number> {
  return db.count(store, runKeyRange(runId));
}

/** The seq numbers stored for a run's list, in key order. */
export async function seqs(db: LinesightDatabase, kind: ListKind, runId: string): Promise<number[]> {
  return (await db.getAll(kind, runKeyRange(runId))).map((row) => row.seq);
}
