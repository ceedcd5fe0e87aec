/**
 * The worker's persistence of a live run (src/worker/persist.ts) against fake-indexeddb: the
 * real LogRun, the real store, a source that trickles bytes in like a big file does.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BlobLike } from '../../src/engine/lines/index.ts';
import { formatIssues, parsePipeline, type PipelineConfig } from '../../src/engine/pipeline/config.ts';
import { toConfigJson } from '../../src/engine/report/report.ts';
import { LogRun, runLog } from '../../src/engine/run.ts';
import {
  checkpointRun,
  createRun,
  DEFAULT_RETENTION,
  finishRun,
  getRun,
  listRuns,
  loadRun,
  markInterrupted,
  runCaps,
  type LinesightDatabase,
  type RemovedRun,
  type RetentionSettings,
  type RunSummary,
} from '../../src/store/index.ts';
import type { AlertView } from '../../src/engine/metrics/alerts.ts';
import { api } from '../../src/worker/api.ts';
import { CHECKPOINT_INTERVAL_MS, RunPersister, STORAGE_MESSAGES, type StorageStatus } from '../../src/worker/persist.ts';
import { newRun, openTestDB, snapshot as storeSnapshot } from '../store/helpers.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

function config(value: unknown): PipelineConfig {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

/** Plain lines and every 5th a JSON object, so `parse` fails on most: errors and events to keep. */
const PIPELINE = config({
  processors: [
    { type: 'json', id: 'parse', onError: 'pass', circuit: false },
    { type: 'level', id: 'level' },
    { type: 'counter', id: 'levels', by: 'level' },
  ],
});
const LEVELS = ['INFO', 'WARN', 'ERROR', 'DEBUG'];

function chunkText(chunk: number, lines: number): string {
  let text = '';
  for (let i = 0; i < lines; i++) {
    const n = chunk * lines + i;
    text += n % 5 === 0 ? `{"level":"info","n":${n}}\n` : `2024-05-01 10:00:00 ${LEVELS[n % 4]} line ${n}\n`;
  }
  return text;
}

/**
 * A file whose bytes arrive `chunks` times, `delayMs` apart: a run that lasts long enough for
 * checkpoints, with lines, traces, errors and events coming all along.
 */
/** Bytes a trickled file is read in at once (see `trickle`). */
const TRICKLE_READ_BYTES = 8192;

/**
 * A file that arrives slowly: each read of it (TRICKLE_READ_BYTES at a time, pass it as the
 * run's `readBytes`) and each chunk of its stream come `delayMs` after the one before.
 */
function trickle(chunks: number, delayMs: number, linesPerChunk = 200): BlobLike & { text: string } {
  const encoder = new TextEncoder();
  const parts = Array.from({ length: chunks }, (_, c) => encoder.encode(chunkText(c, linesPerChunk)));
  const size = parts.reduce((n, p) => n + p.length, 0);
  const text = parts.map((p) => new TextDecoder().decode(p)).join('');
  const whole = new Blob(parts);
  let reads = 0;
  return {
    name: 'trickle.log',
    size,
    text,
    slice: (start, end) => {
      const piece = whole.slice(start, end);
      // The magic bytes and the head are read at once (the run plans from them); later reads trickle.
      const delay = reads++ < 3 ? 0 : (delayMs * (piece.size / size) * chunks) | 0;
      return Object.assign(piece, {
        arrayBuffer: async () => {
          if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
          return Blob.prototype.arrayBuffer.call(piece);
        },
      }) as Blob;
    },
    stream: () => {
      let i = 0;
      return new ReadableStream<Uint8Array<ArrayBuffer>>({
        async pull(controller) {
          if (i === parts.length) return controller.close();
          if (i > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          controller.enqueue(parts[i++]);
        },
      });
    },
  };
}

interface Harness {
  run: LogRun;
  persister: RunPersister;
  statuses: StorageStatus[];
  checkpoints: { startedAt: number; at: number; items: number; linesRead: number }[];
  released: ReturnType<typeof vi.fn<() => void>>;
  startedAt: number;
}

function harness(db: LinesightDatabase | null, source: BlobLike, settings: RetentionSettings = DEFAULT_RETENTION, runId = 'live'): Harness {
  const caps = runCaps(settings);
  const run = new LogRun(source, PIPELINE, { runId, fileName: 'trickle.log', trace: { mode: 'all' }, caps, readBytes: TRICKLE_READ_BYTES });
  const statuses: StorageStatus[] = [];
  const checkpoints: Harness['checkpoints'] = [];
  const released = vi.fn<() => void>();
  const persister = new RunPersister(run, {
    db,
    settings,
    caps,
    pipeline: toConfigJson(PIPELINE),
    tracePolicy: { mode: 'all' },
    holdLock: async () => released,
    onStatus: (status) => statuses.push(status),
    onCheckpoint: ({ startedAt, at, items, summary }) => checkpoints.push({ startedAt, at, items, linesRead: summary.linesRead }),
  });
  return { run, persister, statuses, checkpoints, released, startedAt: performance.now() };
}

async function runToEnd(h: Harness) {
  await h.persister.start();
  const report = await h.run.execute();
  return h.persister.finish(report);
}

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** Makes every put and add into `store` fail as a full disk does, until the returned function is called. */
function fillDisk(store: string): () => void {
  const spies = (['put', 'add'] as const).map((method) => {
    const original = IDBObjectStore.prototype[method];
    return vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === store) throw quota();
      return original.apply(this, args);
    });
  });
  return () => spies.forEach((spy) => spy.mockRestore());
}

/**
 * Two runs from earlier days, interrupted (a `running` one might belong to another tab: never
 * removed), each with `events` events of about `padding` + 50 bytes.
 */
async function olderRuns(db: LinesightDatabase, events = 0, padding = 250): Promise<RunSummary[]> {
  const pad = 'p'.repeat(padding);
  for (const [id, day] of [['old-1', 1], ['old-2', 2]] as const) {
    const startedAt = `2025-01-0${day}T00:00:00.000Z`;
    expect((await createRun(db, newRun(id, { startedAt }))).ok).toBe(true);
    const items = Array.from({ length: events }, (_, n) => ({ ts: startedAt, level: 'info' as const, component: 'run', event: 'tick', n, pad }));
    expect((await checkpointRun(db, id, storeSnapshot(id, { startedAt }), { events: items })).ok).toBe(true);
  }
  expect(await markInterrupted(db, async () => false)).toEqual({ ok: true, value: ['old-1', 'old-2'] });
  return (await listRuns(db)).reverse();
}

/** A removed run as the status tells it. */
const removal = (run: RunSummary, reason: RemovedRun['reason']): RemovedRun => ({
  id: run.id,
  fileName: run.fileName,
  startedAt: run.startedAt,
  bytesStored: run.bytesStored,
  reason,
});

/** What a processor counted, without its timings (which differ from run to run). */
const counts = (processors: { id: string; linesIn: number; linesOut: number; dropped: number; errors: number }[]) =>
  processors.map(({ id, linesIn, linesOut, dropped, errors }) => ({ id, linesIn, linesOut, dropped, errors }));

// Runs that last seconds on purpose, on a machine that may be running other test files too.
describe('RunPersister', { timeout: 30_000 }, () => {
  it('checkpoints a live run at least once a second, one batch per transaction, and stores its final report', async () => {
    const db = await openTestDB();
    const h = harness(db, trickle(70, 40));
    const final = await runToEnd(h);
    expect(final.run.status).toBe('completed');

    // About 2.8 s of run: a checkpoint started roughly every 0.7 s. The cadence itself (at least
    // once a second) is the next test's, on its own clock: wall-clock gaps depend on the load.
    const starts = [h.startedAt, ...h.checkpoints.map((c) => c.startedAt)];
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    expect(h.checkpoints.length).toBeGreaterThanOrEqual(3);
    // A few transactions a second at most, each carrying what came since the last.
    expect(Math.min(...gaps.slice(1))).toBeGreaterThanOrEqual(CHECKPOINT_INTERVAL_MS);
    // The first may come before the first lines are through (the run reads the file's head first).
    for (const c of h.checkpoints.slice(1)) expect(c.items).toBeGreaterThanOrEqual(100);
    // Lines grow from checkpoint to checkpoint: each holds the run as it was then.
    const lines = h.checkpoints.map((c) => c.linesRead);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    // The first may have been taken before any line was through; later ones were not.
    expect(lines[1]).toBeGreaterThan(0);

    // The stored run gives back exactly the report the run produced, retention included.
    expect(await loadRun(db, 'live')).toEqual(final);
    expect(final.retention).toEqual({
      caps: runCaps(DEFAULT_RETENTION),
      evicted: {
        traces: final.traces.seen - final.traces.items.length,
        errors: final.errors.total - final.errors.items.length,
        events: final.events.seen - final.events.items.length,
        metricPoints: 0,
      },
    });
    expect(final.traces.seen).toBe(14_000);
    expect(final.retention.evicted.traces).toBe(13_000);
    expect(h.statuses.at(-1)).toEqual({ state: 'saved' });
    expect(h.released).toHaveBeenCalledTimes(1);
    expect((await listRuns(db)).map((r) => [r.id, r.status])).toEqual([['live', 'completed']]);
  });

  it('starts a checkpoint once CHECKPOINT_INTERVAL_MS has passed since the last one started, never two at once', async () => {
    const db = await openTestDB();
    const run = new LogRun(trickle(1, 0), PIPELINE, { runId: 'clock' });
    const starts: number[] = [];
    // The timer is out of the way: the test is the clock.
    const persister = new RunPersister(run, {
      db,
      settings: DEFAULT_RETENTION,
      caps: runCaps(DEFAULT_RETENTION),
      pipeline: toConfigJson(PIPELINE),
      tracePolicy: null,
      holdLock: async () => () => {},
      tickMs: 1e9,
      onCheckpoint: ({ startedAt }) => starts.push(startedAt),
    });
    await persister.start();
    const at = async (t: number) => {
      persister.tick(t);
      await vi.waitFor(() => expect(persister.writing).toBe(false));
    };
    await at(0);
    await at(CHECKPOINT_INTERVAL_MS - 1);
    await at(CHECKPOINT_INTERVAL_MS);
    await at(CHECKPOINT_INTERVAL_MS + 100);
    expect(starts).toEqual([0, CHECKPOINT_INTERVAL_MS]);
    // While one is being written, a due tick waits for it rather than opening a second transaction.
    persister.tick(2 * CHECKPOINT_INTERVAL_MS);
    expect(persister.writing).toBe(true);
    persister.tick(10 * CHECKPOINT_INTERVAL_MS);
    await vi.waitFor(() => expect(persister.writing).toBe(false));
    expect(starts).toEqual([0, CHECKPOINT_INTERVAL_MS, 2 * CHECKPOINT_INTERVAL_MS]);
    expect(CHECKPOINT_INTERVAL_MS).toBeLessThan(1000);
    await persister.finish(await run.execute());
  });

  it('leaves the last checkpoint behind when the tab goes away: the run is interrupted with what was saved', async () => {
    const db = await openTestDB();
    const controller = new AbortController();
    const source = trickle(200, 40);
    const h = harness(db, source);
    const run = new LogRun(source, PIPELINE, { runId: 'gone', signal: controller.signal, trace: { mode: 'all' }, readBytes: TRICKLE_READ_BYTES });
    const persister = new RunPersister(run, {
      db,
      settings: DEFAULT_RETENTION,
      caps: runCaps(DEFAULT_RETENTION),
      pipeline: toConfigJson(PIPELINE),
      tracePolicy: { mode: 'all' },
      holdLock: async () => h.released,
      onCheckpoint: ({ summary }) => {
        h.checkpoints.push({ startedAt: 0, at: 0, items: 0, linesRead: summary.linesRead });
        // The tab closes after the second checkpoint: the worker dies, nothing more is written.
        if (h.checkpoints.length === 2) {
          persister.abandon();
          controller.abort();
        }
      },
    });
    await persister.start();
    await run.execute();
    expect(h.released).toHaveBeenCalledTimes(1);

    expect(await markInterrupted(db, async () => false)).toEqual({ ok: true, value: ['gone'] });
    const stored = await loadRun(db, 'gone');
    expect(stored?.run.status).toBe('interrupted');
    expect(stored?.run.linesRead).toBe(h.checkpoints[1].linesRead);
    expect(stored?.run.linesRead).toBeGreaterThan(0);
    expect(stored?.errors.items.length).toBeGreaterThan(0);
  });

  it('keeps the older runs when removing them could not make room, goes on unsaved, and saves the final report once there is room', async () => {
    const db = await openTestDB();
    await olderRuns(db);
    const h = harness(db, trickle(60, 40));
    await h.persister.start();
    const restore = fillDisk('traces');
    const done = h.run.execute();
    await vi.waitFor(() => expect(h.statuses.some((s) => s.state === 'unsaved')).toBe(true), { timeout: 3000 });
    restore();
    const final = await h.persister.finish(await done);

    expect(h.statuses.find((s) => s.state === 'unsaved')).toEqual({
      state: 'unsaved',
      cause: 'quota',
      message: `${STORAGE_MESSAGES.quota} ${STORAGE_MESSAGES.nothingRemoved}`,
    });
    // Tiny runs could not make room for a checkpoint of hundreds of traces: both are still kept.
    expect(h.statuses.at(-1)).toEqual({ state: 'saved', message: STORAGE_MESSAGES.savedAfterQuota });
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['live', 'old-2', 'old-1']);
    expect(await loadRun(db, 'live')).toEqual(final);
  });

  it('on a full disk removes no run while the run goes on, then the oldest, and only it, when that makes the final report fit, and names it', async () => {
    const db = await openTestDB();
    const [old1] = await olderRuns(db, 5000, 600);
    const h = harness(db, trickle(25, 40));
    await h.persister.start();
    // Full until a run is removed, as a disk is once an older run is gone.
    let full = true;
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (full && this.name === 'traces') throw quota();
      return put.apply(this, args);
    });
    const deleteRow = IDBObjectStore.prototype.delete;
    vi.spyOn(IDBObjectStore.prototype, 'delete').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'runs') full = false;
      return deleteRow.apply(this, args);
    });
    const done = h.run.execute();
    await vi.waitFor(() => expect(h.statuses.some((s) => s.state === 'unsaved')).toBe(true), { timeout: 3000 });
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['live', 'old-2', 'old-1']);
    const final = await h.persister.finish(await done);

    expect(h.statuses.find((s) => s.state === 'unsaved')).toEqual({ state: 'unsaved', cause: 'quota', message: `${STORAGE_MESSAGES.quota} ${STORAGE_MESSAGES.nothingRemoved}` });
    const removed = [removal(old1, 'quota')];
    const told = STORAGE_MESSAGES.removed(removed, DEFAULT_RETENTION);
    expect(told).toMatch(/^Storage is full: to make room for this run, Linesight removed an older run from the history: old-1\.log \(started 2025-01-0\d \d\d:\d\d\)\.$/);
    expect(h.statuses.at(-1)).toEqual({ state: 'saved', message: `${STORAGE_MESSAGES.savedAfterQuota} ${told}`, removed });
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['live', 'old-2']);
    expect(await loadRun(db, 'live')).toEqual(final);
  });

  it('stores a run whole when it ends if the disk was too full to store it when it started', async () => {
    const db = await openTestDB();
    const h = harness(db, trickle(25, 40));
    const restore = fillDisk('runs');
    await h.persister.start();
    expect(h.statuses).toEqual([{ state: 'unsaved', cause: 'quota', message: `${STORAGE_MESSAGES.quota} ${STORAGE_MESSAGES.nothingRemoved}` }]);
    expect(await listRuns(db)).toEqual([]);
    const done = h.run.execute();
    restore();
    const final = await h.persister.finish(await done);
    expect(h.statuses.at(-1)).toEqual({ state: 'saved', message: STORAGE_MESSAGES.savedAfterQuota });
    expect(await loadRun(db, 'live')).toEqual(final);
  });

  it('when nothing can make room, the run goes on unsaved with the same counts, and leaves no entry behind', async () => {
    const db = await openTestDB();
    const source = trickle(40, 20);
    const alone = await runLog(source, PIPELINE, { runId: 'alone', trace: { mode: 'all' } });
    const h = harness(db, source);
    await h.persister.start();
    const restore = fillDisk('traces');
    const final = await h.persister.finish(await h.run.execute());
    restore();

    expect(h.statuses).toContainEqual({ state: 'unsaved', cause: 'quota', message: `${STORAGE_MESSAGES.quota} ${STORAGE_MESSAGES.nothingRemoved}` });
    expect(h.statuses.at(-1)).toEqual({ state: 'unsaved', cause: 'quota', message: STORAGE_MESSAGES.notSaved });
    expect(final.run.status).toBe('completed');
    expect(counts(final.processors)).toEqual(counts(alone.processors));
    expect(final.totals).toEqual(alone.totals);
    expect(final.errors.total).toBe(alone.errors.total);
    // No entry that would claim to be running: the partial copy went with the run.
    expect(await getRun(db, 'live')).toBeUndefined();
    expect(h.released).toHaveBeenCalledTimes(1);
  });

  it('refuses a run larger than the whole budget, removing no other run for it', async () => {
    const db = await openTestDB();
    const older = await olderRuns(db, 100);
    const budget = older.reduce((n, r) => n + r.bytesStored, 0) + 50_000;
    const h = harness(db, trickle(40, 20), { ...DEFAULT_RETENTION, storageBudgetBytes: budget });
    const final = await runToEnd(h);

    const refused = h.statuses.find((s) => s.state === 'unsaved');
    expect(refused).toMatchObject({ state: 'unsaved', cause: 'budget' });
    expect(refused?.message).toMatch(/^This run takes more than the whole storage budget \(about [\d.]+ MB of [\d.]+ MB\): it goes on without being saved, and no other run was removed for it\./);
    expect(h.statuses.at(-1)).toEqual(refused);
    expect(final.run.status).toBe('completed');
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['old-2', 'old-1']);
  });

  it('removes older runs to stay within the budget, as few as will do, and says which', async () => {
    const db = await openTestDB();
    const older = await olderRuns(db, 3000);
    const each = Math.max(...older.map((r) => r.bytesStored));
    // Room for both older runs and a little more: the live run takes one's place.
    const settings = { ...DEFAULT_RETENTION, storageBudgetBytes: 2 * each + 20_000 };
    const h = harness(db, trickle(3, 0), settings);
    const final = await runToEnd(h);

    const removed = [removal(older[0], 'budget')];
    expect(h.statuses.at(-1)).toEqual({ state: 'saved', message: STORAGE_MESSAGES.removed(removed, settings), removed });
    expect(STORAGE_MESSAGES.removed(removed, settings)).toMatch(/^To stay within the storage budget \([\d.]+ MB\), Linesight removed an older run from the history: old-1\.log/);
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['live', 'old-2']);
    expect(await loadRun(db, 'live')).toEqual(final);
  });

  it('without IndexedDB the run works and the user is told it is not kept', async () => {
    const h = harness(null, trickle(5, 0));
    const final = await runToEnd(h);
    expect(final.run.status).toBe('completed');
    expect(final.run.linesRead).toBe(1000);
    expect(h.statuses).toEqual([{ state: 'unsaved', cause: 'unavailable', message: STORAGE_MESSAGES.unavailable }]);
    expect(final.retention.caps).toEqual(runCaps(DEFAULT_RETENTION));
  });

  it('keeps the runs kept setting on write, never removing the live run, and names what it removed', async () => {
    const db = await openTestDB();
    const older = await olderRuns(db);
    const settings = { ...DEFAULT_RETENTION, runsKept: 1 };
    const h = harness(db, trickle(3, 0), settings);
    await runToEnd(h);
    const removed = older.map((run) => removal(run, 'runsKept'));
    expect(h.statuses[0]).toEqual({ state: 'saving', message: STORAGE_MESSAGES.removed(removed, settings), removed });
    expect(h.statuses[0].message).toMatch(/^To keep at most 1 run \(Runs kept, in Settings\), Linesight removed 2 older runs from the history: old-1\.log \(started [^)]+\); old-2\.log/);
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['live']);
  });

  it('stops saving, without failing the run, when the run is deleted from another tab', async () => {
    const db = await openTestDB();
    const h = harness(db, trickle(40, 40));
    await h.persister.start();
    const { deleteRun } = await import('../../src/store/index.ts');
    await deleteRun(db, 'live');
    const final = await h.persister.finish(await h.run.execute());
    expect(final.run.status).toBe('completed');
    expect(h.statuses.at(-1)).toEqual({ state: 'unsaved', cause: 'missing', message: STORAGE_MESSAGES.missing });
    expect(await getRun(db, 'live')).toBeUndefined();
    // A later finishRun would have recreated nothing either.
    expect((await finishRun(db, 'live', final)).ok).toBe(false);
  });
});

describe('the worker api', { timeout: 30_000 }, () => {
  it('keeps a run in IndexedDB with the retention settings it is given, and hands back the stored report', async () => {
    const source = trickle(10, 0);
    const file = new File([source.text], 'api.log');
    const statuses: StorageStatus[] = [];
    const retention = { ...DEFAULT_RETENTION, errorsPerRun: 10, eventsPerRun: 50 };
    const result = await api.run(
      file,
      { runId: 'api-run', pipeline: JSON.stringify({ processors: [{ type: 'json', id: 'parse', circuit: false }] }), keepOutput: false, trace: null, traceCap: 100, retention },
      () => {},
      (status) => statuses.push(status),
    );
    expect(result.storage).toEqual({ state: 'saved' });
    expect(statuses.map((s) => s.state)).toEqual(['saving', 'saved']);
    expect(result.report.errors.total).toBe(1600);
    expect(result.report.errors.items).toHaveLength(10);
    expect(result.report.events.items).toHaveLength(50);
    expect(result.report.retention).toMatchObject({ caps: { traces: 100, errors: 10, events: 50 }, evicted: { errors: 1590 } });

    const { openLinesightDB } = await import('../../src/store/index.ts');
    const db = await openLinesightDB();
    try {
      expect(await loadRun(db, 'api-run')).toEqual(result.report);
    } finally {
      db.close();
    }
  });

  it('writes an alert action on the run that just ended to its stored copy: the history shows what the user did', async () => {
    const file = new File([trickle(10, 0).text], 'alerts.log');
    const pipeline = JSON.stringify({ processors: [{ type: 'json', id: 'parse', circuit: false }] });
    const result = await api.run(file, { runId: 'acted-on', pipeline, keepOutput: false, trace: null, traceCap: 100 }, () => {});
    expect(result.storage?.state).toBe('saved');
    const alert = result.report.alerts.find((a) => a.id === 'processor-error-rate:parse')!;
    expect(alert).toMatchObject({ state: 'firing' });
    const mine = (alerts: AlertView[] | null) => alerts?.find((a) => a.id === alert.id);

    expect(mine(await api.alertAction(alert.id, 'acknowledge'))).toMatchObject({ state: 'acknowledged' });
    const suppressed = await api.alertAction(alert.id, 'suppress', null);
    expect(mine(suppressed)).toMatchObject({ state: 'suppressed', suppressedUntil: null });

    const { openLinesightDB } = await import('../../src/store/index.ts');
    const db = await openLinesightDB();
    try {
      const stored = await loadRun(db, 'acted-on');
      expect(stored?.alerts).toEqual(suppressed);
      expect(mine(stored?.alerts ?? null)?.history.map((h) => [h.action, h.by])).toEqual([
        ['fired', 'rule'],
        ['acknowledged', 'user'],
        ['suppressed', 'user'],
      ]);
      // Nothing else of the stored report moved.
      expect({ ...stored, alerts: result.report.alerts }).toEqual(result.report);
    } finally {
      db.close();
    }
    // An action that does not apply changes nothing and says so.
    expect(await api.alertAction(alert.id, 'acknowledge')).toBeNull();
  });

  it('runs without touching IndexedDB when asked not to persist', async () => {
    const file = new File(['a\nb\n'], 'private.log');
    const result = await api.run(file, { runId: 'not-kept', pipeline: '{"processors":[{"type":"uppercase"}]}', keepOutput: false, trace: null, traceCap: 100, persist: false }, () => {});
    expect(result.storage).toBeNull();
    expect(result.report.run.linesRead).toBe(2);
    expect(result.report.retention?.evicted).toEqual({ traces: 0, errors: 0, events: 0, metricPoints: 0 });
    const { openLinesightDB, getRun: get } = await import('../../src/store/index.ts');
    const db = await openLinesightDB();
    try {
      expect(await get(db, 'not-kept')).toBeUndefined();
    } finally {
      db.close();
    }
  });
});
