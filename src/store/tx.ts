/** The one way the store writes: a readwrite transaction whose failures a user can cause come back as values. */

import type { IDBPTransaction } from 'idb';
import type { Result } from '../engine/types.ts';
import type { LinesightDatabase, LinesightDB, StoreName } from './schema.ts';

/**
 * Why a write did not happen. Every kind leaves the database as it was before the call.
 * - quota: the browser refused the space (disk full, origin quota); see budget.ts for the recovery.
 * - missing: the run is not stored (deleted in another tab, or evicted).
 * - closed: the connection was closed (another tab upgraded the schema); reload.
 * - invalid: the call does not fit the stored state (a finished run, a duplicate id, an empty name).
 * - budget: the run would take more than the `maxBytes` it was given (the whole storage budget).
 * - storage: any other refusal of the browser's storage (e.g. Safari's "UnknownError").
 */
export interface StoreError {
  kind: 'quota' | 'missing' | 'closed' | 'invalid' | 'budget' | 'storage';
  message: string;
  /** budget: what the run would have taken (Linesight's estimate, as RunSummary.bytesStored). */
  bytes?: number;
}

export type StoreResult<T> = Result<T, StoreError>;

export const QUOTA_MESSAGE =
  'The browser has no room left for Linesight data (storage quota exceeded). Delete old runs or lower the storage budget in Settings.';

/** Thrown inside a transaction body to abort it with a StoreError. */
export class StoreFailure extends Error {
  constructor(readonly error: StoreError) {
    super(error.message);
    this.name = 'StoreFailure';
  }
}

export function fail(kind: StoreError['kind'], message: string, bytes?: number): never {
  throw new StoreFailure(bytes === undefined ? { kind, message } : { kind, message, bytes });
}

/** QuotaExceededError by name; legacy code 22; Firefox's old name. */
export function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

function isDomException(error: unknown): error is DOMException {
  return typeof error === 'object' && error !== null && typeof (error as DOMException).name === 'string' && 'code' in error;
}

function toStoreError(error: unknown): StoreError | null {
  if (error instanceof StoreFailure) return error.error;
  if (isQuotaError(error)) return { kind: 'quota', message: QUOTA_MESSAGE };
  if (isDomException(error)) return { kind: 'storage', message: `The browser could not save Linesight data (${error.name}: ${error.message}).` };
  return null;
}

export type WriteTx = IDBPTransaction<LinesightDB, StoreName[], 'readwrite'>;

const noop = () => {};

/**
 * Runs `body` in ONE readwrite transaction with relaxed durability and waits until the
 * transaction has committed. Quota and other storage refusals, a closed connection and
 * `StoreFailure`s come back as `{ ok: false }`; the transaction is aborted so nothing of it is
 * written. Programming errors (TypeError, ...) are rethrown after the abort.
 *
 * `body` must only await requests of `tx` (see the pitfalls in schema.ts). It may issue writes
 * without awaiting them: their failure aborts the transaction and surfaces through `tx.done`.
 */
export async function writeTransaction<T>(
  db: LinesightDatabase,
  stores: StoreName[],
  body: (tx: WriteTx) => Promise<T> | T,
): Promise<StoreResult<T>> {
  let tx: WriteTx;
  try {
    tx = db.transaction(stores, 'readwrite', { durability: 'relaxed' });
  } catch (error) {
    if ((error as { name?: unknown })?.name === 'InvalidStateError') {
      return { ok: false, error: { kind: 'closed', message: 'The Linesight database was closed (another tab updated it): reload the page.' } };
    }
    throw error;
  }
  const done = tx.done;
  // Observed from the start: an abort may come while `body` still runs, or after it returns.
  done.catch(noop);
  try {
    const pending = Promise.resolve(body(tx));
    pending.catch(noop);
    // Chromium may abort on quota without settling the failing request: race the body against the transaction.
    const value = await Promise.race([pending, done.then(() => pending)]);
    await done;
    return { ok: true, value };
  } catch (thrown) {
    try {
      tx.abort();
    } catch {
      // Already aborted (or committed): nothing to undo.
    }
    await done.catch(noop);
    // The transaction's own error is the real cause; requests of an aborted transaction only say AbortError.
    const cause = tx.error ?? thrown;
    const error = toStoreError(cause) ?? toStoreError(thrown);
    if (error) return { ok: false, error };
    throw thrown;
  }
}

/** Every key of a run in a store keyed `[runId, ...]`: arrays sort after numbers and strings, so `[id, []]` is past them all. */
export function runKeyRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId], [runId, []]);
}
