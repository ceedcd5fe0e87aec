/**
 * The storage budget across runs, the browser's own storage figures, and what to do when the
 * browser runs out of room.
 *
 * No kept run goes without the user being told: every function that removes runs returns them
 * (`RemovedRun`, with the reason), and the caller tells the user which and why. Removals are as
 * few as they can be: the oldest runs go first, and only while removing them can still bring
 * about what is asked (a run that alone takes more than the whole budget removes nothing: it is
 * refused instead, see `WriteLimits.maxBytes` in runs.ts).
 *
 * Quota flow (the browser's quota is usually far above our budget, but a full disk, another
 * database of the same site, Safari's per-origin limit or a low "simulated quota" in DevTools
 * hit it first):
 *   1. a write (createRun / checkpointRun / finishRun) returns `{ ok: false, error.kind: 'quota' }`;
 *      its transaction was aborted, so nothing of it was written and every kept run is intact;
 *   2. for a write worth it (the worker's: a finished run's report), `withQuotaRecovery` removes
 *      the oldest removable run, in a transaction of its own (a delete frees its room at once; a
 *      write that also deletes is counted whole), and retries; one run at a time, until the
 *      write fits, as long as the removable runs together could make room for it at all;
 *   3. if it still fails, the caller tells the user the run is not saved.
 *
 * `navigator.storage.estimate()` cannot guide this: since Chromium 138 it reports usage plus a
 * fixed 10 GiB whatever the real quota, so that private windows cannot be told apart.
 */

import type { LinesightDatabase, RunSummary, StoredRun } from './schema.ts';
import type { RetentionSettings } from './retention.ts';
import { hasRunLocks, isRunLive } from './locks.ts';
import { deleteRunIn } from './runs.ts';
import { writeTransaction, type StoreResult } from './tx.ts';

/** Why a run was removed: too many runs, the storage budget, or the browser's storage being full. */
export type RemovalReason = 'runsKept' | 'budget' | 'quota';

/** A run removed to make room, as the user is told of it. */
export interface RemovedRun {
  id: string;
  fileName: string;
  startedAt: string;
  bytesStored: number;
  reason: RemovalReason;
}

export interface BudgetOptions {
  /**
   * Whether a run stored as `running` is still run by some tab: by default Web Locks tell, and
   * without them every such run counts as live. One that is not (its tab went away and it could
   * not even be marked interrupted, the disk being full) may be removed.
   */
  isLive?: (runId: string) => Promise<boolean>;
}

export interface BudgetResult {
  removed: RemovedRun[];
  /** What the runs kept take now (Linesight's estimate, the sum of their bytesStored). */
  storedBytes: number;
}

type Settings = Pick<RetentionSettings, 'runsKept' | 'storageBudgetBytes'>;

/**
 * Removes whole runs, oldest first (by startedAt), until at most `runsKept` runs remain and
 * their `bytesStored` add up to at most the budget. Runs in `protect` (the live ones) and runs
 * some tab still runs are never removed; if the budget cannot be met without them, no run is
 * removed for it. One transaction: the choice and the deletes see the same state.
 */
export async function enforceBudget(
  db: LinesightDatabase,
  settings: Settings,
  protect: readonly string[] = [],
  options: BudgetOptions = {},
): Promise<StoreResult<BudgetResult>> {
  const stale = await staleRuns(db, protect, options);
  return writeTransaction(db, ['runs', 'traces', 'errors', 'events', 'metrics', 'alerts'], async (tx) => {
    const runs: StoredRun[] = await tx.objectStore('runs').index('by-startedAt').getAll();
    const removable = runs.filter((run) => isRemovable(run, protect, stale));
    const removed: RemovedRun[] = [];
    let count = runs.length;
    let bytes = sum(runs);
    const remove = (run: StoredRun, reason: RemovalReason) => {
      deleteRunIn(tx, run.id);
      removed.push(removal(run, reason));
      bytes -= run.bytesStored;
      count--;
    };
    let next = 0;
    while (count > settings.runsKept && next < removable.length) remove(removable[next++], 'runsKept');
    const left = removable.slice(next);
    // Only when removing can get under the budget: else the runs that cannot go are over it alone.
    if (bytes > settings.storageBudgetBytes && bytes - sum(left) <= settings.storageBudgetBytes) {
      for (const run of left) {
        if (bytes <= settings.storageBudgetBytes) break;
        remove(run, 'budget');
      }
    }
    return { removed, storedBytes: bytes };
  });
}

export interface QuotaRecovery<T> {
  result: StoreResult<T>;
  /** Runs removed to make room (tell the user). */
  removed: RemovedRun[];
}

export interface QuotaOptions extends BudgetOptions {
  /** About how much the write stores (as bytesStored counts; asked only on a quota error): runs are removed only if together they take that much. */
  needBytes?: () => number;
}

/**
 * Runs `write`; on a quota error removes the oldest removable run and retries, one run at a
 * time, until the write fits or no run is left to remove. Nothing is removed when all the
 * removable runs together take less than `needBytes`: removing them could not make room; and
 * no more once those removed take twice `needBytes` (the room they took did not come back). The
 * write must be safe to repeat after a failure (the store's writes are: a failed one wrote
 * nothing). If `result` still fails, stop persisting this run.
 *
 *   const { result, removed } = await withQuotaRecovery(db, [runId], () => checkpointRun(db, runId, snap, batch), {
 *     needBytes: () => checkpointBytes(snap, batch),
 *   });
 */
export async function withQuotaRecovery<T>(
  db: LinesightDatabase,
  protect: readonly string[],
  write: () => Promise<StoreResult<T>>,
  options: QuotaOptions = {},
): Promise<QuotaRecovery<T>> {
  let result = await write();
  const removed: RemovedRun[] = [];
  if (result.ok || result.error.kind !== 'quota') return { result, removed };
  const stale = await staleRuns(db, protect, options);
  const candidates = (await db.getAllFromIndex('runs', 'by-startedAt')).filter((run) => isRemovable(run, protect, stale));
  const need = options.needBytes?.() ?? 0;
  if (sum(candidates) < need) return { result, removed };
  let freed = 0;
  for (const run of candidates) {
    // Removed runs worth twice what the write needs, and still no room: the browser does not give
    // back what they took (an in-memory profile may not), and removing more would be in vain.
    if (need > 0 && freed >= 2 * need) break;
    const deleted = await writeTransaction(db, ['runs', 'traces', 'errors', 'events', 'metrics', 'alerts'], async (tx) => {
      // Looked at again inside the transaction: another tab may have taken it up or deleted it.
      const now = await tx.objectStore('runs').get(run.id);
      if (!now || !isRemovable(now, protect, stale)) return false;
      deleteRunIn(tx, run.id);
      return true;
    });
    if (!deleted.ok) break;
    if (!deleted.value) continue;
    removed.push(removal(run, 'quota'));
    freed += run.bytesStored;
    result = await write();
    if (result.ok || result.error.kind !== 'quota') break;
  }
  return { result, removed };
}

/** Runs stored as running that no tab runs (asked outside any transaction: awaiting a lock would commit it). */
async function staleRuns(db: LinesightDatabase, protect: readonly string[], { isLive = defaultIsLive }: BudgetOptions): Promise<Set<string>> {
  const stale = new Set<string>();
  const running = (await db.getAll('runs')).filter((run) => run.status === 'running' && !protect.includes(run.id));
  for (const run of running) if (!(await isLive(run.id))) stale.add(run.id);
  return stale;
}

function defaultIsLive(runId: string): Promise<boolean> {
  return hasRunLocks() ? isRunLive(runId) : Promise.resolve(true);
}

function isRemovable(run: StoredRun, protect: readonly string[], stale: ReadonlySet<string>): boolean {
  return !protect.includes(run.id) && (run.status !== 'running' || stale.has(run.id));
}

function removal(run: RunSummary, reason: RemovalReason): RemovedRun {
  return { id: run.id, fileName: run.fileName, startedAt: run.startedAt, bytesStored: run.bytesStored, reason };
}

function sum(runs: readonly RunSummary[]): number {
  return runs.reduce((total, run) => total + run.bytesStored, 0);
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
