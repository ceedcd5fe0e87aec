import { describe, expect, it } from 'vitest';
import { enforceBudget } from '../../src/store/budget.ts';
import { checkpointRun, listRuns, markInterrupted } from '../../src/store/runs.ts';
import type { LinesightDatabase } from '../../src/store/schema.ts';
import { created, event, openTestDB, range, rowCount, snapshot } from './helpers.ts';

const NO_BYTE_LIMIT = 1e12;

/** Runs r1..rN started on consecutive days, created out of order; none live. */
async function runs(db: LinesightDatabase, n: number, events = 0): Promise<void> {
  for (const i of [...range(1, n + 1)].reverse()) {
    const id = `r${i}`;
    await created(db, id, { startedAt: new Date(Date.UTC(2025, 0, i)).toISOString() });
    if (events) await checkpointRun(db, id, snapshot(id), { events: range(0, events).map(event) });
  }
  await markInterrupted(db, async () => false);
}

const ids = async (db: LinesightDatabase) => (await listRuns(db)).map((r) => r.id).sort();

describe('storage budget', () => {
  it('honours runsKept by evicting the oldest runs first, with all their rows', async () => {
    const db = await openTestDB();
    await runs(db, 6, 5);
    const result = await enforceBudget(db, { runsKept: 4, storageBudgetBytes: NO_BYTE_LIMIT });
    expect(result.ok && result.value.removed.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(await ids(db)).toEqual(['r3', 'r4', 'r5', 'r6']);
    expect(await rowCount(db, 'events', 'r1')).toBe(0);
    expect(await rowCount(db, 'events', 'r3')).toBe(5);
  });

  it('never evicts a protected run, taking the next oldest instead', async () => {
    const db = await openTestDB();
    await runs(db, 5);
    const result = await enforceBudget(db, { runsKept: 3, storageBudgetBytes: NO_BYTE_LIMIT }, ['r1']);
    expect(result.ok && result.value.removed.map((r) => r.id)).toEqual(['r2', 'r3']);
    expect(await ids(db)).toEqual(['r1', 'r4', 'r5']);
  });

  it('evicts oldest first until the stored bytes fit the budget', async () => {
    const db = await openTestDB();
    await runs(db, 5, 200);
    const sizes = (await listRuns(db)).map((r) => r.bytesStored);
    const each = Math.max(...sizes);
    // Room for two and a half runs: three must go.
    const result = await enforceBudget(db, { runsKept: 50, storageBudgetBytes: Math.floor(each * 2.5) });
    expect(result.ok && result.value.removed.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    const left = await listRuns(db);
    expect(left.reduce((s, r) => s + r.bytesStored, 0)).toBeLessThanOrEqual(each * 2.5);
  });

  it('keeps runs still running (another tab may own them) even over the limits', async () => {
    const db = await openTestDB();
    await runs(db, 2);
    await created(db, 'other-tab', { startedAt: '2024-12-01T00:00:00.000Z' });
    // Without Web Locks (Node) no one can tell: a running run counts as live.
    const result = await enforceBudget(db, { runsKept: 1, storageBudgetBytes: NO_BYTE_LIMIT });
    expect(result.ok && result.value.removed.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(await ids(db)).toEqual(['other-tab']);
  });

  it('removes a run stored as running whose tab is gone, like any other', async () => {
    const db = await openTestDB();
    await runs(db, 2);
    await created(db, 'ghost', { startedAt: '2024-12-01T00:00:00.000Z' });
    const asked: string[] = [];
    const result = await enforceBudget(db, { runsKept: 2, storageBudgetBytes: NO_BYTE_LIMIT }, [], { isLive: async (id) => (asked.push(id), false) });
    expect(asked).toEqual(['ghost']);
    expect(result.ok && result.value.removed.map((r) => [r.id, r.reason])).toEqual([['ghost', 'runsKept']]);
    expect(await ids(db)).toEqual(['r1', 'r2']);
  });

  it('says which runs it removed and why, and what the kept ones take', async () => {
    const db = await openTestDB();
    await runs(db, 4, 200);
    const before = await listRuns(db);
    const each = Math.max(...before.map((r) => r.bytesStored));
    const result = await enforceBudget(db, { runsKept: 3, storageBudgetBytes: Math.floor(each * 2.5) });
    if (!result.ok) throw new Error(result.error.message);
    const r1 = before.find((r) => r.id === 'r1')!;
    expect(result.value.removed).toEqual([
      { id: 'r1', fileName: r1.fileName, startedAt: r1.startedAt, bytesStored: r1.bytesStored, reason: 'runsKept' },
      expect.objectContaining({ id: 'r2', reason: 'budget' }),
    ]);
    expect(result.value.storedBytes).toBe((await listRuns(db)).reduce((n, r) => n + r.bytesStored, 0));
  });

  it('removes nothing for the budget when the runs it may not remove are over it alone', async () => {
    const db = await openTestDB();
    await runs(db, 3, 10);
    await created(db, 'big', { startedAt: '2025-02-01T00:00:00.000Z' });
    await checkpointRun(db, 'big', snapshot('big'), { events: range(0, 2000).map(event) });
    const big = (await listRuns(db)).find((r) => r.id === 'big')!;
    // The live run alone passes the budget: removing every other run would not bring it under.
    const result = await enforceBudget(db, { runsKept: 50, storageBudgetBytes: big.bytesStored - 1 }, ['big']);
    expect(result.ok && result.value.removed).toEqual([]);
    expect(await ids(db)).toEqual(['big', 'r1', 'r2', 'r3']);
  });

  it('evicts nothing when within the limits', async () => {
    const db = await openTestDB();
    await runs(db, 3);
    const result = await enforceBudget(db, { runsKept: 3, storageBudgetBytes: NO_BYTE_LIMIT });
    expect(result.ok && result.value.removed).toEqual([]);
    expect(await ids(db)).toEqual(['r1', 'r2', 'r3']);
  });
});
