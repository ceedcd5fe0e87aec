import { unwrap } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withQuotaRecovery } from '../../src/store/budget.ts';
import { checkpointRun, createRun, getRun, listRuns, markInterrupted } from '../../src/store/runs.ts';
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
  const full = { ok: false as const, error: { kind: 'quota' as const, message: QUOTA_MESSAGE } };

  /** Runs a..d on consecutive days with `events[i]` events each; d is live. */
  async function fourRuns(db: LinesightDatabase, events: readonly number[]): Promise<void> {
    for (const [i, id] of (['a', 'b', 'c', 'd'] as const).entries()) {
      await created(db, id, { startedAt: `2025-01-0${i + 1}T00:00:00.000Z` });
      await checkpointRun(db, id, snapshot(id), { events: range(0, events[i]).map(event) });
    }
    await markInterrupted(db, async (id) => id === 'd');
  }

  it('removes the oldest runs one at a time, retrying after each, and stops as soon as the write fits', async () => {
    const db = await openTestDB();
    // The small "a" goes before the big "b", though "b" alone would free more: oldest first.
    await fourRuns(db, [10, 1000, 10, 10]);
    let attempts = 0;
    const { result, removed } = await withQuotaRecovery(db, ['d'], async () => (++attempts < 3 ? full : { ok: true, value: 'saved' }));
    expect(result).toEqual({ ok: true, value: 'saved' });
    expect(attempts).toBe(3);
    expect(removed.map((r) => [r.id, r.reason])).toEqual([
      ['a', 'quota'],
      ['b', 'quota'],
    ]);
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['d', 'c']);
  });

  it('removes nothing when the removable runs together could not make room for the write', async () => {
    const db = await openTestDB();
    await fourRuns(db, [10, 10, 10, 10]);
    const kept = (await listRuns(db)).filter((r) => r.id !== 'd').reduce((n, r) => n + r.bytesStored, 0);
    const write = vi.fn(async () => full);
    const { result, removed } = await withQuotaRecovery(db, ['d'], write, { needBytes: () => kept + 1 });
    expect(result.ok).toBe(false);
    expect(removed).toEqual([]);
    expect(write).toHaveBeenCalledTimes(1);
    expect(await listRuns(db)).toHaveLength(4);
  });

  it('removes every removable run and says so when the write never fits, never the protected one', async () => {
    const db = await openTestDB();
    await fourRuns(db, [10, 10, 10, 10]);
    const write = vi.fn(async () => full);
    const { result, removed } = await withQuotaRecovery(db, ['d'], write);
    expect(result.ok).toBe(false);
    expect(removed.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(write).toHaveBeenCalledTimes(4);
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['d']);
  });

  it('stops removing once the runs removed take twice what the write needs, and it still does not fit', async () => {
    const db = await openTestDB();
    await fourRuns(db, [10, 10, 10, 10]);
    const each = (await listRuns(db)).find((r) => r.id === 'a')!.bytesStored;
    const write = vi.fn(async () => full);
    // Each run is about the size of the write: two of them should have made room; the third stays.
    const { removed } = await withQuotaRecovery(db, ['d'], write, { needBytes: () => each });
    expect(removed.map((r) => r.id)).toEqual(['a', 'b']);
    expect(write).toHaveBeenCalledTimes(3);
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['d', 'c']);
  });

  it('gives up without a retry when nothing can be removed', async () => {
    const db = await openTestDB();
    await created(db, 'live');
    const write = vi.fn(async () => full);
    const { result, removed } = await withQuotaRecovery(db, ['live'], write);
    expect(result.ok).toBe(false);
    expect(removed).toEqual([]);
    expect(write).toHaveBeenCalledTimes(1);
  });

  it('removes a ghost (running, but its tab is gone) and keeps a run another tab runs', async () => {
    const db = await openTestDB();
    await created(db, 'ghost', { startedAt: '2025-01-01T00:00:00.000Z' });
    await created(db, 'other-tab', { startedAt: '2025-01-02T00:00:00.000Z' });
    await created(db, 'live', { startedAt: '2025-01-03T00:00:00.000Z' });
    const write = vi.fn(async () => full);
    const { removed } = await withQuotaRecovery(db, ['live'], write, { isLive: async (id) => id === 'other-tab' });
    expect(removed.map((r) => r.id)).toEqual(['ghost']);
    expect((await listRuns(db)).map((r) => r.id)).toEqual(['live', 'other-tab']);
  });
});
