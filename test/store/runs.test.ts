import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatIssues, parsePipeline } from '../../src/engine/pipeline/config.ts';
import { LogRun } from '../../src/engine/run.ts';
import { loadMetrics } from '../../src/store/metrics.ts';
import {
  checkpointRun,
  clearAll,
  createRun,
  deleteRun,
  finishRun,
  getRun,
  INTERRUPTED_MESSAGE,
  listRuns,
  loadRun,
  markInterrupted,
  updateRunAlerts,
} from '../../src/store/runs.ts';
import { savePipeline } from '../../src/store/pipelines.ts';
import { saveRetention, DEFAULT_RETENTION } from '../../src/store/retention.ts';
import type { LinesightDatabase, MetricPoint, RunCaps } from '../../src/store/schema.ts';
import { CAPS, created, error, event, newRun, openTestDB, range, rowCount, seqs, snapshot, trace } from './helpers.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

async function ok<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(`store refused: ${JSON.stringify(settled.error)}`);
  return settled.value;
}

/** A real engine run: JSON lines, every 4th one bad, every line traced, small caps so items are evicted. */
async function engineRun(runId: string) {
  const parsed = parsePipeline({ processors: [{ type: 'json', id: 'parse', circuit: false }, { type: 'uppercase' }] });
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  const lines = Array.from({ length: 400 }, (_, i) => (i % 4 === 3 ? `plain text ${i} — naïve ✓` : JSON.stringify({ n: i, level: 'info' })));
  const caps = { traces: 50, errors: 30, events: 100 };
  const run = new LogRun(new Blob([lines.join('\n') + '\n']), parsed.value, { runId, trace: { mode: 'all' }, caps });
  const first = run.snapshot();
  const report = await run.execute();
  return { first, report, observations: run.observations(), caps: { ...caps, metricPoints: 1000 } satisfies RunCaps };
}

describe('create, checkpoint, finish, load', () => {
  it('gives back exactly the report of a finished run, its lists included, in the same key order', async () => {
    const db = await openTestDB();
    const { first, report, observations, caps } = await engineRun('run-1');
    expect(report.errors.items.length).toBe(30);
    expect(report.errors.items[0].stack?.length).toBeGreaterThan(0);

    await ok(createRun(db, { snapshot: first, pipeline: report.pipeline, tracePolicy: report.traces.policy, caps }));
    // Two checkpoints with what the worker had buffered (here: halves of the kept items).
    const half = (items: readonly unknown[]) => Math.floor(items.length / 2);
    const { traces, errors, events } = observations;
    await ok(checkpointRun(db, 'run-1', first, { traces: traces.items.slice(0, half(traces.items)), errors: errors.items.slice(0, half(errors.items)), events: events.items.slice(0, half(events.items)) }));
    await ok(checkpointRun(db, 'run-1', first, { traces: traces.items.slice(half(traces.items)), errors: errors.items.slice(half(errors.items)), events: events.items.slice(half(events.items)) }));
    await ok(finishRun(db, 'run-1', report));

    const loaded = await loadRun(db, 'run-1');
    const evicted = { traces: report.traces.seen - 50, errors: report.errors.total - 30, events: report.events.seen - 100, metricPoints: 0 };
    expect(loaded).toEqual({ ...report, retention: { caps, evicted } });
    const { retention: _retention, ...rest } = loaded!;
    expect(JSON.stringify(rest)).toBe(JSON.stringify(report));
  });

  it('lists runs newest first with their history fields', async () => {
    const db = await openTestDB();
    await created(db, 'old', { startedAt: '2025-01-01T09:00:00.000Z' });
    await created(db, 'new', { startedAt: '2025-01-03T09:00:00.000Z' });
    await created(db, 'mid', { startedAt: '2025-01-02T09:00:00.000Z' });
    const runs = await listRuns(db);
    expect(runs.map((r) => r.id)).toEqual(['new', 'mid', 'old']);
    expect(runs[0]).toMatchObject({ fileName: 'new.log', fileSize: 1_000_000, status: 'running', finishedAt: null, linesRead: 10_000, errors: 1_000 });
    expect(runs[0].bytesStored).toBeGreaterThan(0);
    expect(runs[0]).not.toHaveProperty('snapshot');
  });

  it('refuses a second run with the same id, a checkpoint of a finished run and one of a missing run', async () => {
    const db = await openTestDB();
    await created(db, 'r');
    expect(await createRun(db, newRun('r'))).toEqual({ ok: false, error: expect.objectContaining({ kind: 'invalid' }) });
    expect(await checkpointRun(db, 'nope', snapshot('nope'), {})).toEqual({ ok: false, error: expect.objectContaining({ kind: 'missing' }) });
    const { report } = await engineRun('r');
    await ok(finishRun(db, 'r', report));
    expect(await checkpointRun(db, 'r', snapshot('r'), { events: [event(1)] })).toEqual({ ok: false, error: expect.objectContaining({ kind: 'invalid' }) });
    expect(await loadRun(db, 'nope')).toBeNull();
  });
});

describe('write limits and finishing from checkpoints', () => {
  it('refuses a write that would make the run pass maxBytes, writing nothing of it', async () => {
    const db = await openTestDB();
    await created(db, 'r');
    const before = await getRun(db, 'r');
    const result = await checkpointRun(db, 'r', snapshot('r'), { events: range(0, 2000).map(event) }, undefined, { maxBytes: before!.bytesStored + 1000 });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ kind: 'budget', bytes: expect.any(Number) }) });
    if (!result.ok) expect(result.error.bytes).toBeGreaterThan(before!.bytesStored + 1000);
    expect(await getRun(db, 'r')).toEqual(before);
    expect(await rowCount(db, 'events', 'r')).toBe(0);
    expect((await createRun(db, newRun('tiny'), { maxBytes: 10 })).ok).toBe(false);
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['r']);
  });

  it('with reuseCheckpoints writes only the items the checkpoints did not store, and loads the same report', async () => {
    const db = await openTestDB();
    const parsed = parsePipeline({ processors: [{ type: 'json', id: 'parse', circuit: false }] });
    if (!parsed.ok) throw new Error(formatIssues(parsed.error));
    const lines = Array.from({ length: 400 }, (_, i) => (i % 2 ? `plain ${i}` : JSON.stringify({ n: i })));
    const caps = { traces: 50, errors: 30, events: 100 };
    const run = new LogRun(new Blob([lines.join('\n') + '\n']), parsed.value, { runId: 'reuse', trace: { mode: 'all' }, caps });
    await ok(createRun(db, { snapshot: run.snapshot(), pipeline: { processors: [] }, tracePolicy: { mode: 'all' }, caps: { ...caps, metricPoints: 100 } }));
    const report = await run.execute();
    // One checkpoint of everything but the last few items, as the persister's last one would be.
    const all = run.drain();
    const held = 3;
    const cursor = { traces: all.seen.traces - held, errors: all.seen.errors - held, events: all.seen.events - held, points: all.seen.points };
    const upTo = <T>(items: T[]) => items.slice(0, items.length - held);
    await ok(
      checkpointRun(db, 'reuse', run.snapshot(), {
        traces: upTo(all.traces),
        errors: upTo(all.errors),
        events: upTo(all.events),
        seen: { traces: cursor.traces, errors: cursor.errors, events: cursor.events },
      }),
    );
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    await ok(finishRun(db, 'reuse', report, { reuseCheckpoints: true }));
    const listPuts = put.mock.contexts.filter((store) => ['traces', 'errors', 'events'].includes((store as IDBObjectStore).name));
    expect(listPuts).toHaveLength(3 * held);
    put.mockRestore();
    const loaded = await loadRun(db, 'reuse');
    const { retention: _retention, ...rest } = loaded!;
    expect(rest).toEqual(report);
  });
});

describe('alerts acted on after the run', () => {
  it('replace the finished run\'s alerts, audit trail and all; the rest of its report stays as it was', async () => {
    const db = await openTestDB();
    const { first, report, caps } = await engineRun('acted');
    await ok(createRun(db, { snapshot: first, pipeline: report.pipeline, tracePolicy: report.traces.policy, caps }));
    const unfinished = await updateRunAlerts(db, 'acted', []);
    expect(unfinished).toEqual({ ok: false, error: expect.objectContaining({ kind: 'invalid' }) });
    await ok(finishRun(db, 'acted', report));
    const [alert] = report.alerts;
    expect(alert).toMatchObject({ id: 'processor-error-rate:parse', state: 'firing' });

    const acknowledged = { ...alert, state: 'acknowledged' as const, history: [...alert.history, { at: '2026-01-01T12:00:00.000Z', action: 'acknowledged' as const, by: 'user' as const }] };
    await ok(updateRunAlerts(db, 'acted', [acknowledged]));
    const loaded = await loadRun(db, 'acted');
    expect(loaded?.alerts).toEqual([acknowledged]);
    expect({ ...loaded, alerts: report.alerts }).toEqual({ ...report, retention: loaded?.retention });
    expect(await updateRunAlerts(db, 'gone', [])).toEqual({ ok: false, error: expect.objectContaining({ kind: 'missing' }) });
  });
});

describe('caps on write', () => {
  it('5,000 events over 50 checkpoints with cap 1,000 keep the last 1,000 in order, counts exact', async () => {
    const db = await openTestDB();
    await created(db, 'r', { caps: { ...CAPS, events: 1000 } });
    for (let c = 0; c < 50; c++) {
      await ok(checkpointRun(db, 'r', snapshot('r'), { events: range(c * 100, c * 100 + 100).map(event) }));
      if (c % 10 === 9) expect(await rowCount(db, 'events', 'r')).toBe(Math.min(1000, (c + 1) * 100));
    }
    expect(await seqs(db, 'events', 'r')).toEqual(range(4000, 5000));
    const report = await loadRun(db, 'r');
    expect(report!.events.items.map((e) => e.n)).toEqual(range(4000, 5000));
    expect(report!.events).toMatchObject({ seen: 5000, kept: 1000 });
    expect(report!.retention.evicted).toEqual({ traces: 0, errors: 0, events: 4000, metricPoints: 0 });
    expect((await listRuns(db))[0].counts).toEqual({ traces: 0, errors: 0, events: 5000 });
  });

  it('never writes the items of one batch that the cap would evict at once', async () => {
    const db = await openTestDB();
    await created(db, 'r');
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    await ok(checkpointRun(db, 'r', snapshot('r'), { traces: range(0, 2500).map(trace) }));
    const tracePuts = put.mock.contexts.filter((store) => (store as IDBObjectStore).name === 'traces');
    expect(tracePuts).toHaveLength(1000);
    expect(await seqs(db, 'traces', 'r')).toEqual(range(1500, 2500));
  });

  it('a lower cap evicts on the next write; a higher one brings nothing back', async () => {
    const db = await openTestDB();
    await created(db, 'r');
    await ok(checkpointRun(db, 'r', snapshot('r'), { traces: range(0, 1500).map(trace) }));
    await ok(checkpointRun(db, 'r', snapshot('r'), { traces: range(1500, 1510).map(trace) }, { ...CAPS, traces: 200 }));
    expect(await seqs(db, 'traces', 'r')).toEqual(range(1310, 1510));
    await ok(checkpointRun(db, 'r', snapshot('r'), { traces: range(1510, 1520).map(trace) }, { ...CAPS, traces: 1000 }));
    expect(await seqs(db, 'traces', 'r')).toEqual(range(1310, 1520));
    const report = await loadRun(db, 'r');
    expect(report!.traces).toMatchObject({ seen: 1520, kept: 210 });
    expect(report!.retention).toEqual({ caps: CAPS, evicted: { traces: 1310, errors: 0, events: 0, metricPoints: 0 } });
  });

  it('items the worker skipped (declared in `seen`) count as evicted and the kept rows stay contiguous', async () => {
    const db = await openTestDB();
    await created(db, 'r', { caps: { ...CAPS, errors: 100 } });
    await ok(checkpointRun(db, 'r', snapshot('r'), { errors: range(0, 10).map(error) }));
    await ok(checkpointRun(db, 'r', snapshot('r'), { errors: range(45, 50).map(error), seen: { errors: 50 } }));
    expect(await seqs(db, 'errors', 'r')).toEqual(range(45, 50));
    const report = await loadRun(db, 'r');
    expect(report!.errors.items.map((e) => e.lineNo)).toEqual(range(45, 50));
    expect(report!.errors.total).toBe(50);
    expect(report!.retention.evicted.errors).toBe(45);
  });

  it('a checkpoint with 1,000 items of each kind uses ONE relaxed readwrite transaction', async () => {
    const db = await openTestDB();
    await created(db, 'r');
    const points: MetricPoint[] = range(0, 1000).map((t) => ({ series: 'lines', t, count: 1, sum: t, min: t, max: t }));
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    await ok(
      checkpointRun(db, 'r', snapshot('r'), {
        traces: range(0, 1000).map(trace),
        errors: range(0, 1000).map(error),
        events: range(0, 1000).map(event),
        metrics: points,
      }),
    );
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(transaction.mock.calls[0]).toEqual([['runs', 'traces', 'errors', 'events', 'metrics'], 'readwrite', { durability: 'relaxed' }]);
    transaction.mockRestore();
    expect(await rowCount(db, 'traces', 'r')).toBe(1000);
    expect(await rowCount(db, 'metrics', 'r')).toBe(1000);
  });
});

describe('metric series on write', () => {
  const point = (series: string, t: number, count = 1): MetricPoint => ({ series, t, count, sum: t, min: t, max: t });

  it('merges a series past its cap, keeping its span and totals, and counts the merged points', async () => {
    const db = await openTestDB();
    await created(db, 'r', { caps: { ...CAPS, metricPoints: 100 } });
    for (let c = 0; c < 5; c++) {
      await ok(checkpointRun(db, 'r', snapshot('r'), { metrics: [...range(c * 50, c * 50 + 50).map((t) => point('lines', t)), point('other', c)] }));
    }
    const metrics = await loadMetrics(db, 'r');
    const lines = metrics.lines;
    expect(lines.length).toBeLessThanOrEqual(100);
    expect(lines[0].t).toBe(0);
    expect(lines.at(-1)!.t).toBe(249);
    expect(lines.reduce((s, p) => s + p.count, 0)).toBe(250);
    expect(lines.reduce((s, p) => s + p.sum, 0)).toBe(range(0, 250).reduce((a, b) => a + b, 0));
    expect(metrics.other.map((p) => p.t)).toEqual([0, 1, 2, 3, 4]);
    const run = await getRun(db, 'r');
    expect(run!.evicted.metricPoints).toBe(250 - lines.length);
    expect(run!.series.lines.points).toBe(lines.length);
  });

  it('a point sent again for the same time replaces it and is not counted twice', async () => {
    const db = await openTestDB();
    await created(db, 'r');
    await ok(checkpointRun(db, 'r', snapshot('r'), { metrics: [point('lines', 1), point('lines', 2, 5)] }));
    await ok(checkpointRun(db, 'r', snapshot('r'), { metrics: [point('lines', 2, 9), point('lines', 3)] }));
    expect((await loadMetrics(db, 'r')).lines.map((p) => [p.t, p.count])).toEqual([[1, 1], [2, 9], [3, 1]]);
    expect((await getRun(db, 'r'))!.series.lines.points).toBe(3);
  });
});

describe('interrupted runs', () => {
  it('markInterrupted turns a running run nobody owns into interrupted and leaves an owned one', async () => {
    const db = await openTestDB();
    await created(db, 'dead');
    await created(db, 'live');
    await ok(createRun(db, newRun('done')));
    await ok(finishRun(db, 'done', (await engineRun('done')).report));

    const asked: string[] = [];
    const marked = await markInterrupted(db, async (id) => (asked.push(id), id === 'live'));
    expect(marked).toEqual({ ok: true, value: ['dead'] });
    expect(asked.sort()).toEqual(['dead', 'live']);
    const status = Object.fromEntries((await listRuns(db)).map((r) => [r.id, r.status]));
    expect(status).toEqual({ dead: 'interrupted', live: 'running', done: 'completed' });
  });

  it('an interrupted run loads as a report of its last checkpoint', async () => {
    const db = await openTestDB();
    await created(db, 'r', { tracePolicy: { mode: 'sample', n: 10 } });
    const last = snapshot('r', { elapsedMs: 4321, linesRead: 20_000, bytesRead: 900_000 });
    await ok(checkpointRun(db, 'r', snapshot('r'), { traces: [trace(1)], errors: [error(1), error(2)], events: [event(1)] }));
    await ok(checkpointRun(db, 'r', last, { errors: [error(3)], events: [event(2)] }));
    await ok(markInterrupted(db, async () => false));

    const stored = (await getRun(db, 'r'))!;
    const report = await loadRun(db, 'r');
    expect(report).toEqual({
      schema: 'linesight.report/v1',
      generatedAt: stored.lastCheckpointAt,
      run: {
        id: 'r',
        file: last.file,
        status: 'interrupted',
        startedAt: last.startedAt,
        finishedAt: stored.lastCheckpointAt,
        bytesRead: 900_000,
        linesRead: 20_000,
        durationMs: 4321,
        message: INTERRUPTED_MESSAGE,
      },
      pipeline: { processors: [{ type: 'json', id: 'parse' }] },
      processors: last.processors,
      totals: last.totals,
      input: last.input,
      counters: last.counters,
      traces: { enabled: true, policy: { mode: 'sample', n: 10 }, seen: 1, kept: 1, items: [trace(1)] },
      errors: { total: 3, byProcessor: { parse: 2, level: 1 }, byType: { JsonParseError: 2, TypeError: 1 }, items: [error(1), error(2), error(3)] },
      events: { seen: 2, kept: 2, items: [event(1), event(2)] },
      graph: last.graph,
      levels: last.levels,
      timeRange: last.timeRange,
      timeline: { bucketMs: 600_000, buckets: [{ start: '2025-01-01T09:00:00.000Z', counts: { TRACE: 0, DEBUG: 0, INFO: 9_000, WARN: 0, ERROR: 1_000, FATAL: 0, UNKNOWN: 0 } }] },
      health: last.health,
      alerts: last.alerts,
      metrics: { intervalMs: 1000, series: {} },
      format: null,
      retention: { caps: CAPS, evicted: { traces: 0, errors: 0, events: 0, metricPoints: 0 } },
    });
  });

  it('a checkpoint of a run marked interrupted (by a tab without Web Locks) marks it running again', async () => {
    const db = await openTestDB();
    await created(db, 'r');
    await ok(markInterrupted(db, async () => false));
    await ok(checkpointRun(db, 'r', snapshot('r'), { events: [event(1)] }));
    expect((await listRuns(db))[0].status).toBe('running');
  });
});

describe('deleting', () => {
  async function filled(db: LinesightDatabase, id: string) {
    await created(db, id);
    await ok(
      checkpointRun(db, id, snapshot(id), {
        traces: range(0, 5).map(trace),
        errors: range(0, 5).map(error),
        events: range(0, 5).map(event),
        metrics: range(0, 5).map((t) => ({ series: 'lines', t, count: 1, sum: 1, min: 1, max: 1 })),
      }),
    );
    await db.put('alerts', { runId: id, rule: 'error-rate', alert: { firing: true } });
  }

  const STORES = ['traces', 'errors', 'events', 'metrics', 'alerts'] as const;
  const rows = async (db: LinesightDatabase, id: string) => Promise.all(STORES.map((s) => rowCount(db, s, id)));

  it('deleteRun removes every row of that run in every store, and only that run', async () => {
    const db = await openTestDB();
    // "run-1" is a prefix of "run-10": the key range must not reach into it.
    await filled(db, 'run-1');
    await filled(db, 'run-10');
    expect(await rows(db, 'run-1')).toEqual([5, 5, 5, 5, 1]);

    expect(await deleteRun(db, 'run-1')).toEqual({ ok: true, value: true });
    expect(await rows(db, 'run-1')).toEqual([0, 0, 0, 0, 0]);
    expect(await getRun(db, 'run-1')).toBeUndefined();
    expect(await rows(db, 'run-10')).toEqual([5, 5, 5, 5, 1]);
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['run-10']);
    expect(await deleteRun(db, 'run-1')).toEqual({ ok: true, value: false });
  });

  it('clearAll removes every run but keeps settings and saved pipelines', async () => {
    const db = await openTestDB();
    await filled(db, 'a');
    await filled(db, 'b');
    await ok(saveRetention(db, { ...DEFAULT_RETENTION, runsKept: 7 }));
    await ok(savePipeline(db, 'mine', '{"processors":[]}'));
    await ok(clearAll(db));
    expect(await listRuns(db)).toEqual([]);
    expect(await rows(db, 'a')).toEqual([0, 0, 0, 0, 0]);
    expect(await db.count('settings')).toBe(1);
    expect(await db.count('pipelines')).toBe(1);
  });
});
