import { unwrap } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { enforceBudget, withQuotaRecovery } from '../../src/store/budget.ts';
import { checkpointRun, createRun, getRun, listRuns } from '../../src/store/runs.ts';
import type { LinesightDatabase } from '../../src/store/schema.ts';
import { QUOTA_MESSAGE, writeTransaction } from '../../src/store/tx.ts';
import { created, error, event, newRun, openTestDB, range, rowCount, snapshot, trace } from './helpers.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** Internal of fake-indexeddb: aborts a transaction with an error, as a browser does on quota. */
type FakeTx = IDBTransaction & { _abort(name: string): void };

/**
 * The ways a browser reports a full quota, each armed to strike at the `nth` put of a store:
 * - thrown: `put` itself throws (seen with large values in Safari);
 * - request: the request fails with QuotaExceededError, then the transaction aborts (Firefox);
 * - abort: the transaction aborts with QuotaExceededError on `tx.error`; its requests only get
 *   AbortError (Chromium).
 */
const WAYS = {
  thrown(db: LinesightDatabase, store: string, nth: number) {
    let calls = 0;
    for (const method of ['put', 'add'] as const) {
      const original = IDBObjectStore.prototype[method];
      vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args) {
        if (this.name === store && ++calls === nth) throw quota();
        return original.apply(this, args);
      });
    }
    return db;
  },
  request(db: LinesightDatabase, store: string, nth: number) {
    // The record store behind every object store: its write runs when the request executes.
    const probe = unwrap(db).transaction(store).objectStore(store) as unknown as { _rawObjectStore: object };
    const raw = Object.getPrototypeOf(probe._rawObjectStore) as { storeRecord(...args: unknown[]): unknown };
    const storeRecord = raw.storeRecord;
    let calls = 0;
    vi.spyOn(raw, 'storeRecord').mockImplementation(function (this: { name: string }, ...args) {
      if (this.name === store && ++calls === nth) throw quota();
      return storeRecord.apply(this, args);
    });
    return db;
  },
  abort(db: LinesightDatabase, store: string, nth: number) {
    let calls = 0;
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      const request = put.apply(this, args);
      if (this.name === store && ++calls === nth) {
        const tx = this.transaction as FakeTx;
        queueMicrotask(() => tx._abort('QuotaExceededError'));
      }
      return request;
    });
    return db;
  },
};

async function state(db: LinesightDatabase, id: string) {
  return {
    run: await getRun(db, id),
    rows: await Promise.all((['traces', 'errors', 'events', 'metrics'] as const).map((s) => rowCount(db, s, id))),
  };
}

describe('quota exceeded', () => {
  it.each(Object.keys(WAYS) as (keyof typeof WAYS)[])('(%s) a checkpoint gives a typed quota error and writes nothing of itself', async (way) => {
    const db = await openTestDB();
    await created(db, 'r', { caps: { traces: 100, errors: 100, events: 100, metricPoints: 100 } });
    await checkpointRun(db, 'r', snapshot('r'), { traces: range(0, 80).map(trace), events: range(0, 80).map(event) });
    const before = await state(db, 'r');

    WAYS[way](db, 'traces', 30);
    const result = await checkpointRun(db, 'r', snapshot('r', { linesRead: 99 }), {
      // Past the cap: the failed transaction must not have evicted anything either.
      traces: range(80, 150).map(trace),
      errors: range(0, 10).map(error),
      events: range(80, 90).map(event),
      metrics: [{ series: 'lines', t: 1, count: 1, sum: 1, min: 1, max: 1 }],
    });
    expect(result).toEqual({ ok: false, error: { kind: 'quota', message: QUOTA_MESSAGE } });
    vi.restoreAllMocks();

    expect(await state(db, 'r')).toEqual(before);
    // Consistent: the next checkpoint goes on from where the last good one ended.
    expect((await checkpointRun(db, 'r', snapshot('r'), { traces: [trace(80)] })).ok).toBe(true);
    expect((await getRun(db, 'r'))!.counts.traces).toBe(81);
  });

  it('createRun gives a typed quota error and stores no run', async () => {
    const db = await openTestDB();
    WAYS.thrown(db, 'runs', 1);
    expect(await createRun(db, newRun('r'))).toEqual({ ok: false, error: { kind: 'quota', message: QUOTA_MESSAGE } });
    vi.restoreAllMocks();
    expect(await listRuns(db)).toEqual([]);
  });

  it('is reported even when the failing request never settles and only the transaction aborts (Chromium)', async () => {
    const db = await openTestDB();
    const result = await writeTransaction(db, ['settings'], (tx) => {
      unwrap(tx.objectStore('settings')).put('x', 'k');
      queueMicrotask(() => (unwrap(tx) as FakeTx)._abort('QuotaExceededError'));
      return new Promise<never>(() => {});
    });
    expect(result).toEqual({ ok: false, error: { kind: 'quota', message: QUOTA_MESSAGE } });
    expect(await db.count('settings')).toBe(0);
  });
});

describe('quota recovery', () => {
  const settings = { runsKept: 50, storageBudgetBytes: 500 * 1024 * 1024 };

  it('evicts the oldest runs and retries the write once', async () => {
    const db = await openTestDB();
    // Oldest first: the small "a" goes before the big "b", although "b" alone would free enough.
    for (const [id, day, events] of [['a', 1, 10], ['b', 2, 1000], ['c', 3, 10], ['d', 4, 10]] as const) {
      await created(db, id, { startedAt: `2025-01-0${day}T00:00:00.000Z` });
      await checkpointRun(db, id, snapshot(id), { events: range(0, events).map(event) });
    }
    const { markInterrupted } = await import('../../src/store/runs.ts');
    await markInterrupted(db, async (id) => id === 'd');
    const before = (await listRuns(db)).reduce((sum, r) => sum + r.bytesStored, 0);

    let attempts = 0;
    const { result, evicted } = await withQuotaRecovery(db, settings, ['d'], async () => {
      attempts++;
      return attempts === 1 ? { ok: false, error: { kind: 'quota', message: QUOTA_MESSAGE } } : { ok: true, value: 'saved' };
    });
    expect(result).toEqual({ ok: true, value: 'saved' });
    expect(attempts).toBe(2);
    // Down to half of what was stored: the oldest go first, the live run stays.
    expect(evicted.map((r) => r.id)).toEqual(['a', 'b']);
    const after = await listRuns(db);
    expect(after.map((r) => r.id)).toEqual(['d', 'c']);
    expect(after.reduce((sum, r) => sum + r.bytesStored, 0)).toBeLessThanOrEqual(before / 2);
  });

  it('gives up without a retry when nothing can be evicted', async () => {
    const db = await openTestDB();
    await created(db, 'live');
    const write = vi.fn(async () => ({ ok: false as const, error: { kind: 'quota' as const, message: QUOTA_MESSAGE } }));
    const { result, evicted } = await withQuotaRecovery(db, settings, ['live'], write);
    expect(result.ok).toBe(false);
    expect(evicted).toEqual([]);
    expect(write).toHaveBeenCalledTimes(1);
    expect(await enforceBudget(db, settings, ['live'], { shrinkTo: 0.5 })).toEqual({ ok: true, value: [] });
  });
});
