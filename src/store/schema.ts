/**
 * The one IndexedDB schema of Linesight, its stored shapes, and how a connection is opened.
 *
 * IndexedDB pitfalls that shape this module (read before calling IndexedDB anywhere; nothing
 * outside src/store should):
 *
 * - A transaction auto-commits as soon as no request is pending when control returns to the
 *   event loop. Awaiting anything that is not one of its own requests (fetch, a timer, a
 *   Comlink call, `navigator.locks`) lets it commit, and the next request throws
 *   TransactionInactiveError. So: gather the data first, then open the transaction and only
 *   await its own requests (idb's promises resolve in the same task, which keeps it alive).
 * - Relaxed durability (`{ durability: 'relaxed' }`) tells the browser it may report
 *   `complete` before the data is flushed to disk. Chromium defaults to relaxed since M121
 *   (strict before); Firefox and Safari treat "default" as relaxed. A crash of the OS (not of
 *   the tab) may lose the last second of checkpoints; a closed tab does not.
 * - QuotaExceededError does not always reach the request. Chromium often fires neither
 *   `success` nor `error` on the failing `put` and aborts the transaction instead, with the
 *   error on `tx.error`; Firefox fires it on the request, then aborts. So a write is only
 *   known to be done when `tx.done` resolves, and a failure is read from `tx.error` first.
 *   An aborted transaction wrote nothing: that is what keeps a stored run consistent.
 * - Safari (before 17) and old Chromium report a full disk as "UnknownError"; Firefox in
 *   private windows used to refuse IndexedDB (InvalidStateError at open). Both are surfaced,
 *   never swallowed.
 * - Another tab opening a newer version fires `versionchange` here; unless this connection
 *   closes, the other tab is `blocked` until this one is closed. We close at once and let the
 *   UI ask for a reload. After `close()` every new transaction throws InvalidStateError.
 * - The browser may close a connection on its own (user cleared site data, disk error): the
 *   `close` event, reported as `onTerminated`.
 * - Transactions over the same stores run one at a time: a long readwrite transaction in the
 *   worker delays the UI's reads. Keep each transaction to one batch.
 * - Storage is "best effort" until `navigator.storage.persist()` is granted: the browser may
 *   evict the whole origin under disk pressure (Safari after 7 days without a visit, unless
 *   installed). See budget.ts.
 */

import type { NamedPoint } from '../engine/metrics/series.ts';
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { ObserveCaps, ErrorsSection, EventsSection, LogEvent, ProcessorErrorItem, Trace, TracePolicy, TracesSection } from '../engine/observe/types.ts';
import type { PipelineConfigJson, Report } from '../engine/report/report.ts';
import type { RunSnapshot, RunStatus } from '../engine/snapshot.ts';

export const DB_NAME = 'linesight';
/** Bump by one for each schema change and add an `if (oldVersion < N)` step to `upgrade`. */
export const DB_VERSION = 1;

/** The three capped lists of a run, stored one row per item. */
export type ListKind = 'traces' | 'errors' | 'events';
export const LIST_KINDS: readonly ListKind[] = ['traces', 'errors', 'events'];

export interface ListItems {
  traces: Trace;
  errors: ProcessorErrorItem;
  events: LogEvent;
}

/** One item of a run's list. `seq` is the item's index among all items of that kind the run saw (0-based). */
export interface ItemRow<T> {
  runId: string;
  seq: number;
  item: T;
}

/**
 * One point of a metric time series: the aggregate of `count` observations (sum, min, max)
 * starting at `t`. `t` orders the points of a series (the charts issue picks its unit; ms since
 * the run started is the expected one). Merged points keep the `t` of the older one.
 */
/** A point of a named metric series (see the engine's SeriesRecorder). */
export type MetricPoint = NamedPoint;

export interface MetricRow extends MetricPoint {
  runId: string;
}

/** An alert of a run; its shape belongs to the alerts issue. */
export interface AlertRow {
  runId: string;
  rule: string;
  alert: unknown;
}

export interface SavedPipeline {
  name: string;
  /** The config as the user wrote it (JSON text), kept verbatim. */
  text: string;
  /** ISO 8601. */
  savedAt: string;
}

/** Caps a run's stored data is kept under: the engine's caps plus points per metric series. */
export interface RunCaps extends ObserveCaps {
  metricPoints: number;
}

/** What the store dropped or merged to stay under the caps. */
export interface Evicted {
  traces: number;
  errors: number;
  events: number;
  /** Metric points merged into their neighbours (each merge of a pair counts one). */
  metricPoints: number;
}

/** The report's `retention` section: the caps in force and what was evicted. */
export interface RetentionSection {
  caps: RunCaps;
  evicted: Evicted;
}

/** The status of a stored run: a live run is `running`; one whose tab went away is `interrupted`. */
export type StoredRunStatus = RunStatus | 'interrupted';

/** The final report without its lists, whose items live in their own stores. */
export type ReportParts = Omit<Report, ListKind> & {
  traces: Omit<TracesSection, 'items'>;
  errors: Omit<ErrorsSection, 'items'>;
  events: Omit<EventsSection, 'items'>;
};

/**
 * A report read back from the store. It is the `Report` the run produced, plus `retention`,
 * and its status may also be `interrupted` (the tab went away) or `running` (another tab still
 * runs it; this is its last checkpoint). The engine's `Report` type is expected to gain both.
 */
export type StoredReport = Omit<Report, 'run'> & {
  run: Omit<Report['run'], 'status'> & { status: Report['run']['status'] | 'interrupted' | 'running' };
  retention: RetentionSection;
};

/** One run in the Runs history: what the list shows, without the bulky parts. */
export interface RunSummary {
  id: string;
  fileName: string;
  fileSize: number;
  /** ISO 8601; runs are listed and evicted by it. */
  startedAt: string;
  /** ISO 8601 once the run ended; null while running or when interrupted (see lastCheckpointAt). */
  finishedAt: string | null;
  durationMs: number;
  status: StoredRunStatus;
  linesRead: number;
  /** Processor errors (the report's totals.errors). */
  errors: number;
  /** ISO 8601: the last time this run was written. */
  lastCheckpointAt: string;
  /**
   * What this run holds, in characters of JSON: an estimate (browsers store structured clones,
   * Chromium compresses them), good for comparing runs and for the budget.
   * `navigator.storage.estimate()` is the truth for the whole origin.
   */
  bytesStored: number;
  caps: RunCaps;
  /** Items of each list the run saw, evicted ones included (exact). */
  counts: Record<ListKind, number>;
  /** Items dropped by the caps; for the lists, also the lowest `seq` still stored. */
  evicted: Evicted;
}

/** The `runs` row: the summary plus what rebuilding the report needs. */
export interface StoredRun extends RunSummary {
  /** The last checkpoint; an interrupted run's report is built from it. */
  snapshot: RunSnapshot;
  /** The final report's non-list parts, once the run ended. */
  report: ReportParts | null;
  pipeline: PipelineConfigJson;
  /** null: tracing off. */
  tracePolicy: TracePolicy | null;
  /** Error counts of the items handed to the store, for an interrupted run's report. */
  errorTally: { byProcessor: Record<string, number>; byType: Record<string, number> };
  /** Per metric series: points stored and the latest `t`, so merging reads a series only when it passes the cap. */
  series: Record<string, { points: number; lastT: number }>;
  /** Mean JSON size of an item of each list, for `bytesStored`. */
  itemBytes: Record<ListKind, number>;
}

export interface LinesightDB extends DBSchema {
  runs: { key: string; value: StoredRun; indexes: { 'by-startedAt': string } };
  traces: { key: [string, number]; value: ItemRow<Trace> };
  errors: { key: [string, number]; value: ItemRow<ProcessorErrorItem> };
  events: { key: [string, number]; value: ItemRow<LogEvent> };
  metrics: { key: [string, string, number]; value: MetricRow };
  alerts: { key: [string, string]; value: AlertRow };
  /** Out-of-line keys: 'retention', ... Values are validated on load (they may come from an older version). */
  settings: { key: string; value: unknown };
  pipelines: { key: string; value: SavedPipeline };
}

export type LinesightDatabase = IDBPDatabase<LinesightDB>;
export type StoreName = StoreNames<LinesightDB>;
/** Stores holding rows of runs, keyed by `[runId, ...]`. */
export const RUN_STORES = ['runs', 'traces', 'errors', 'events', 'metrics', 'alerts'] as const satisfies readonly StoreName[];

/**
 * Schema steps, one per version. Never edit a released step: a user may still be on the version
 * before it. Data migrations use `tx` (the versionchange transaction) and only await its requests.
 */
export function upgrade(
  db: IDBPDatabase<LinesightDB>,
  oldVersion: number,
  _newVersion: number | null,
  _tx: IDBPTransaction<LinesightDB, StoreName[], 'versionchange'>,
): void {
  if (oldVersion < 1) {
    db.createObjectStore('runs', { keyPath: 'id' }).createIndex('by-startedAt', 'startedAt');
    // Compound keys keep a run's rows together and in order: one key range reads, caps or deletes them.
    db.createObjectStore('traces', { keyPath: ['runId', 'seq'] });
    db.createObjectStore('errors', { keyPath: ['runId', 'seq'] });
    db.createObjectStore('events', { keyPath: ['runId', 'seq'] });
    db.createObjectStore('metrics', { keyPath: ['runId', 'series', 't'] });
    db.createObjectStore('alerts', { keyPath: ['runId', 'rule'] });
    db.createObjectStore('settings');
    db.createObjectStore('pipelines', { keyPath: 'name' });
  }
  // if (oldVersion < 2) { ... }
}

export interface OpenOptions {
  /** Another tab opened a newer schema (or deleted the database): this connection is closed; ask the user to reload. */
  onVersionChange?(): void;
  /** An older tab keeps the database open and this upgrade waits for it: ask the user to close other Linesight tabs. */
  onBlocked?(): void;
  /** The browser closed the connection itself (site data cleared, disk error). */
  onTerminated?(): void;
  /** Defaults to the global `indexedDB`; tests pass a fresh fake-indexeddb factory. */
  factory?: IDBFactory;
}

/**
 * Opens (creating or upgrading) the Linesight database.
 *
 * idb 8's `openDB` always uses the global `indexedDB`, so this does the same few steps on the
 * given factory and wraps the result with idb.
 */
export async function openLinesightDB(options: OpenOptions = {}): Promise<LinesightDatabase> {
  const factory = options.factory ?? globalThis.indexedDB;
  if (!factory) throw new Error('IndexedDB is not available in this browser');
  const request = factory.open(DB_NAME, DB_VERSION);
  request.addEventListener('upgradeneeded', (event) => {
    upgrade(wrap(request.result) as LinesightDatabase, event.oldVersion, event.newVersion, wrap(request.transaction!) as never);
  });
  request.addEventListener('blocked', () => options.onBlocked?.());
  const db = (await wrap(request)) as unknown as LinesightDatabase;
  db.addEventListener('versionchange', () => {
    // Close first: the other tab's upgrade (or delete) waits for every connection to close.
    db.close();
    options.onVersionChange?.();
  });
  db.addEventListener('close', () => options.onTerminated?.());
  return db;
}
