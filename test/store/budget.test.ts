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
    expect(result.ok && result.value.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(await ids(db)).toEqual(['r3', 'r4', 'r5', 'r6']);
    expect(await rowCount(db, 'events', 'r1')).toBe(0);
    expect(await rowCount(db, 'events', 'r3')).toBe(5);
  });

  it('never evicts a protected run, taking the next oldest instead', async () => {
    const db = await openTestDB();
    await runs(db, 5);
    const result = await enforceBudget(db, { runsKept: 3, storageBudgetBytes: NO_BYTE_LIMIT }, ['r1']);
    expect(result.ok && result.value.map((r) => r.id)).toEqual(['r2', 'r3']);
    expect(await ids(db)).toEqual(['r1', 'r4', 'r5']);
  });

  it('evicts oldest first until the stored bytes fit the budget', async () => {
    const db = await openTestDB();
    await runs(db, 5, 200);
    const sizes = (await listRuns(db)).map((r) => r.bytesStored);
    const each = Math.max(...sizes);
    // Room for two and a half runs: three must go.
    const result = await enforceBudget(db, { runsKept: 50, storageBudgetBytes: Math.floor(each * 2.5) });
    expect(result.ok && result.value.map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    const left = await listRuns(db);
    expect(left.reduce((s, r) => s + r.bytesStored, 0)).toBeLessThanOrEqual(each * 2.5);
  });

  it('keeps runs still running (another tab may own them) even over the limits', async () => {
    const db = await openTestDB();
    await runs(db, 2);
    await created(db, 'other-tab', { startedAt: '2024-12-01T00:00:00.000Z' });
    const result = await enforceBudget(db, { runsKept: 1, storageBudgetBytes: NO_BYTE_LIMIT });
    expect(result.ok && result.value.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(await ids(db)).toEqual(['other-tab']);
  });

  it('evicts nothing when within the limits', async () => {
    const db = await openTestDB();
    await runs(db, 3);
    expect(await enforceBudget(db, { runsKept: 3, storageBudgetBytes: NO_BYTE_LIMIT })).toEqual({ ok: true, value: [] });
    expect(await ids(db)).toEqual(['r1', 'r2', 'r3']);
  });
});
