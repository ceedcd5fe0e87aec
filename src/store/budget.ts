/**
 * The storage budget across runs, the browser's own storage figures, and what to do when the
 * browser runs out of room.
 *
 * Quota flow (the browser's quota is usually far above our budget, but a full disk, Safari's
 * per-origin limit or a low "simulated quota" in DevTools hit it first):
 *   1. a write (createRun / checkpointRun / finishRun) returns `{ ok: false, error.kind: 'quota' }`;
 *      its transaction was aborted, so nothing of it was written and every kept run is intact;
 *   2. `withQuotaRecovery` evicts the oldest unprotected runs down to half of what is stored
 *      (`enforceBudget` with `shrinkTo: 0.5`) and retries the write once;
 *   3. if that fails too (or nothing could be evicted), the caller stops persisting this run,
 *      keeps running it in memory, and tells the user ("Storage is full: this run is not being
 *      saved"). Its record keeps the last good checkpoint; `finishRun` at the end may still be
 *      tried once, and if it fails the run shows as interrupted on the next load.
 */

import type { LinesightDatabase, RunSummary, StoredRun } from './schema.ts';
import type { RetentionSettings } from './retention.ts';
import { deleteRunIn, toSummary } from './runs.ts';
import { writeTransaction, type StoreResult } from './tx.ts';

export interface BudgetOptions {
  /** Also keep the stored bytes at most this fraction (0–1] of what is stored now: the quota recovery's smaller target. */
  shrinkTo?: number;
}

/**
 * Evicts whole runs, oldest first (by startedAt), until at most `runsKept` runs remain and their
 * `bytesStored` add up to at most the budget. Runs in `protect` (the live ones) and runs still
 * `running` (another tab may own them; `markInterrupted` settles that at start-up) are never
 * evicted, even if the budget cannot be met without them. One transaction: the choice and the
 * deletes see the same state. `value`: the runs evicted, oldest first.
 */
export async function enforceBudget(
  db: LinesightDatabase,
  settings: Pick<RetentionSettings, 'runsKept' | 'storageBudgetBytes'>,
  protect: readonly string[] = [],
  options: BudgetOptions = {},
): Promise<StoreResult<RunSummary[]>> {
  return writeTransaction(db, ['runs', 'traces', 'errors', 'events', 'metrics', 'alerts'], async (tx) => {
    const runs: StoredRun[] = await tx.objectStore('runs').index('by-startedAt').getAll();
    let bytes = runs.reduce((sum, run) => sum + run.bytesStored, 0);
    let count = runs.length;
    const shrink = options.shrinkTo;
    const budget = shrink !== undefined && shrink > 0 && shrink <= 1 ? Math.min(settings.storageBudgetBytes, bytes * shrink) : settings.storageBudgetBytes;
    const kept = new Set(protect);
    const evicted: RunSummary[] = [];
    for (const run of runs) {
      if (count <= settings.runsKept && bytes <= budget) break;
      if (kept.has(run.id) || run.status === 'running') continue;
      deleteRunIn(tx, run.id);
      evicted.push(toSummary(run));
      bytes -= run.bytesStored;
      count--;
    }
    return evicted;
  });
}

export interface QuotaRecovery<T> {
  result: StoreResult<T>;
  /** Runs evicted to make room (tell the user). */
  evicted: RunSummary[];
}

/**
 * Runs `write`; on a quota error evicts the oldest unprotected runs down to half of what is
 * stored and retries once. The write must be safe to repeat after a failure (the store's writes
 * are: a failed one wrote nothing). If `result` still fails, stop persisting this run.
 *
 *   const { result, evicted } = await withQuotaRecovery(db, settings, [runId], () => checkpointRun(db, runId, snap, batch));
 */
export async function withQuotaRecovery<T>(
  db: LinesightDatabase,
  settings: Pick<RetentionSettings, 'runsKept' | 'storageBudgetBytes'>,
  protect: readonly string[],
  write: () => Promise<StoreResult<T>>,
): Promise<QuotaRecovery<T>> {
  const first = await write();
  if (first.ok || first.error.kind !== 'quota') return { result: first, evicted: [] };
  const freed = await enforceBudget(db, settings, protect, { shrinkTo: 0.5 });
  const evicted = freed.ok ? freed.value : [];
  // Nothing could go: the same write would fail the same way.
  if (!evicted.length) return { result: first, evicted };
  return { result: await write(), evicted };
}

/** `navigator.storage.estimate()` (bytes used and available to this origin), or null where unsupported. */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  if (!storage?.estimate) return null;
  try {
    const { usage = 0, quota = 0 } = await storage.estimate();
    return { usage, quota };
  } catch {
    return null;
  }
}

/**
 * Asks for persistent storage so the browser does not evict Linesight's data under disk
 * pressure. Call it from the page, not the worker (`persist()` exists only on windows); Firefox
 * asks the user, Chromium decides by engagement (granted to installed apps), Safari grants it
 * to home-screen apps. Resolves true when persisted, false when refused, null when unsupported.
 */
export async function requestPersistence(): Promise<boolean | null> {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  if (!storage?.persist) return null;
  try {
    if (await storage.persisted?.()) return true;
    return await storage.persist();
  } catch {
    return null;
  }
}
