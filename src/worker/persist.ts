/**
 * Keeps a live run in IndexedDB while it runs: the worker's half of the store (src/store).
 *
 *   start()   takes the run's Web Lock (other tabs then know it is live), stores the run
 *             (`running`), and applies the retention policy and the storage budget, never
 *             evicting this run;
 *   tick()    about every CHECKPOINT_INTERVAL_MS: one relaxed transaction with the snapshot and
 *             the traces, errors and events that came since the last checkpoint (`drain`);
 *   finish()  the final report (the store's lists are replaced by the report's), the budget
 *             again, then the lock is released.
 *
 * Persistence never touches the run: writes are not awaited by the engine, every failure is
 * caught here, and the run's counts are the engine's alone. A quota failure the store's
 * recovery (evict older runs, retry once) cannot fix stops persisting this run and says so;
 * the run goes on. A closed tab leaves the last checkpoint, which the next load shows as
 * `interrupted` (its lock is gone).
 */

import type { LogRun } from '../engine/run.ts';
import type { TracePolicy } from '../engine/observe/types.ts';
import type { PipelineConfigJson, Report } from '../engine/report/report.ts';
import {
  checkpointRun,
  createRun,
  enforceBudget,
  finishRun,
  holdRunLock,
  openLinesightDB,
  withQuotaRecovery,
  type LinesightDatabase,
  type RetentionSection,
  type RetentionSettings,
  type RunCaps,
  type RunSummary,
  type StoreError,
} from '../store/index.ts';

type StoreErrorKind = StoreError['kind'];

/** Due time of the next checkpoint after the last one started. With TICK_MS this keeps the gap under a second. */
export const CHECKPOINT_INTERVAL_MS = 700;
/** How often the timer looks whether a checkpoint is due. */
const TICK_MS = 100;

export const STORAGE_MESSAGES = {
  evicted: (n: number) => `Storage is full: older runs were removed (${n}) so that this one can be saved.`,
  quota: 'Storage is full: this run goes on without being saved.',
  unavailable:
    'Runs are not kept on this device: the browser gives Linesight no storage (IndexedDB is unavailable, as in some private windows). Everything else works.',
  closed: 'Linesight was updated in another tab: this run goes on without being saved. Reload to keep the next runs.',
  missing: 'This run was removed from the history (in another tab?): it goes on without being saved.',
  failed: (why: string) => `This run goes on without being saved: ${why}`,
  savedAfterQuota: 'Storage was full during this run, but its final report fit: the run is saved.',
} as const;

/** What the UI is told about the storage of a run. */
export interface StorageStatus {
  /** saving: kept in IndexedDB while it runs; saved: stored with its final report; unsaved: not kept (see message). */
  state: 'saving' | 'saved' | 'unsaved';
  /** Plain words for the user; absent when there is nothing to say. */
  message?: string;
  /** Runs removed because the storage was full (ids, oldest first). */
  evicted?: string[];
}

/** A finished run's report as the worker hands it out: the engine's, plus the caps in force and what they evicted. */
export type RunReport = Report & { retention: RetentionSection };

/** What the persister needs of a LogRun (so tests and the bench can hand in the real one, or a stand-in). */
export type PersistedRun = Pick<LogRun, 'snapshot' | 'drain'>;

export interface PersisterOptions {
  /** null: IndexedDB is unavailable; the run goes on unsaved (`reason` says why). */
  db: LinesightDatabase | null;
  reason?: string;
  settings: RetentionSettings;
  /** The caps the engine was given too, so both keep the same items. */
  caps: RunCaps;
  pipeline: PipelineConfigJson;
  tracePolicy: TracePolicy | null;
  onStatus?(status: StorageStatus): void;
  /** Tests: the lock (defaults to the Web Lock of the run) and the checkpoint cadence. */
  holdLock?: (runId: string) => Promise<() => void>;
  intervalMs?: number;
  tickMs?: number;
  /** Called after each checkpoint committed (tests and the bench count them). */
  onCheckpoint?(info: { startedAt: number; at: number; items: number; summary: RunSummary }): void;
}

export class RunPersister {
  /** What the UI was last told. */
  status: StorageStatus;
  private readonly db: LinesightDatabase | null;
  private readonly runId: string;
  private cursor = { traces: 0, errors: 0, events: 0, points: 0 };
  private timer: ReturnType<typeof setInterval> | null = null;
  private pending: Promise<void> | null = null;
  private lastStart = -Infinity;
  private release: () => void = () => {};
  /** Writes stopped (quota, closed, deleted); `stored` tells whether the record is still there to finish. */
  private stopped = false;
  /** Why writes stopped; a quota stop still tries the final report once. */
  private stopKind: StoreErrorKind | null = null;
  private stored = false;
  private metricPointsEvicted = 0;
  private readonly interval: number;

  constructor(
    private readonly run: PersistedRun,
    private readonly options: PersisterOptions,
  ) {
    this.db = options.db;
    this.runId = run.snapshot().runId;
    this.interval = options.intervalMs ?? CHECKPOINT_INTERVAL_MS;
    this.status = this.db ? { state: 'saving' } : { state: 'unsaved', message: options.reason ?? STORAGE_MESSAGES.unavailable };
  }

  /** Stores the run and starts checkpointing. Never throws; a failure leaves the run unsaved and says so. */
  async start(): Promise<void> {
    const db = this.db;
    if (!db) {
      this.stopped = true;
      this.tell(this.status);
      return;
    }
    try {
      // Before the record exists: a tab that sees it `running` must also see the lock held.
      this.release = await (this.options.holdLock ?? holdRunLock)(this.runId);
      const { settings, caps, pipeline, tracePolicy } = this.options;
      const snapshot = this.run.snapshot();
      const { result, evicted } = await withQuotaRecovery(db, settings, [this.runId], () => createRun(db, { snapshot, pipeline, tracePolicy, caps }));
      if (!result.ok) return this.stop(result.error, evicted);
      this.stored = true;
      // After createRun, with this run protected: `runsKept` then counts it.
      const budget = await enforceBudget(db, settings, [this.runId]);
      const removed = [...evicted, ...(budget.ok ? budget.value : [])].map((r) => r.id);
      this.tell({ state: 'saving', ...(evicted.length ? { message: STORAGE_MESSAGES.evicted(evicted.length) } : {}), ...(removed.length ? { evicted: removed } : {}) });
      this.timer = setInterval(() => this.tick(), this.options.tickMs ?? TICK_MS);
    } catch (error) {
      this.stop({ kind: 'storage', message: reason(error) });
    }
  }

  /** A checkpoint is being written. */
  get writing(): boolean {
    return this.pending !== null;
  }

  /** Starts a checkpoint when one is due and none is in flight. Cheap when not due. */
  tick(now = performance.now()): void {
    if (this.stopped || this.pending || now - this.lastStart < this.interval) return;
    this.lastStart = now;
    this.pending = this.checkpoint(now).finally(() => (this.pending = null));
  }

  private async checkpoint(startedAt: number): Promise<void> {
    const db = this.db!;
    // Taken together, synchronously: the snapshot's counts and the drained items agree.
    const snapshot = this.run.snapshot();
    const drained = this.run.drain(this.cursor);
    const { traces, errors, events, points, seen } = drained;
    const batch = { traces, errors, events, metrics: points, seen: { traces: seen.traces, errors: seen.errors, events: seen.events } };
    const { settings, caps } = this.options;
    try {
      const { result, evicted } = await withQuotaRecovery(db, settings, [this.runId], () => checkpointRun(db, this.runId, snapshot, batch, caps));
      if (!result.ok) return this.stop(result.error, evicted);
      this.cursor = drained.seen;
      this.metricPointsEvicted = result.value.evicted.metricPoints;
      if (evicted.length) this.tell({ state: 'saving', message: STORAGE_MESSAGES.evicted(evicted.length), evicted: evicted.map((r) => r.id) });
      this.options.onCheckpoint?.({ startedAt, at: performance.now(), items: traces.length + errors.length + events.length + points.length, summary: result.value });
    } catch (error) {
      this.stop({ kind: 'storage', message: reason(error) });
    }
  }

  /**
   * Stores the final report and lets go of the run. Returns the report with its `retention`
   * section (also when nothing could be stored: the caps still applied in memory).
   */
  async finish(report: Report): Promise<RunReport> {
    this.stopTimer();
    await this.pending;
    const final: RunReport = { ...report, retention: this.retention(report) };
    const db = this.db;
    try {
      // After a quota stop the record still holds its last checkpoint: one more try may fit (the
      // final lists are no bigger than the caps); if not, the next load shows it interrupted.
      if (db && this.stored && (!this.stopped || this.stopKind === 'quota')) {
        const { settings } = this.options;
        const { result, evicted } = await withQuotaRecovery(db, settings, [this.runId], () => finishRun(db, this.runId, final));
        if (result.ok) {
          const budget = await enforceBudget(db, settings, [this.runId]);
          const removed = [...evicted, ...(budget.ok ? budget.value : [])].map((r) => r.id);
          const message = evicted.length
            ? STORAGE_MESSAGES.evicted(evicted.length)
            : this.stopped
              ? STORAGE_MESSAGES.savedAfterQuota
              : this.status.message;
          this.tell({ state: 'saved', ...(message ? { message } : {}), ...(removed.length ? { evicted: removed } : {}) });
        } else if (!this.stopped) {
          this.stop(result.error, evicted);
        }
      }
    } catch (error) {
      if (!this.stopped) this.stop({ kind: 'storage', message: reason(error) });
    } finally {
      this.release();
    }
    return final;
  }

  /** The run ended without a report (the worker is going away): keep the last checkpoint, free the lock. */
  abandon(): void {
    this.stopTimer();
    this.stopped = true;
    this.release();
  }

  private retention(report: Report): RetentionSection {
    return retentionOf(report, this.options.caps, this.metricPointsEvicted);
  }

  private stop(error: StoreError, evicted: RunSummary[] = []): void {
    this.stopped = true;
    this.stopKind = error.kind;
    this.stopTimer();
    if (error.kind === 'missing') this.stored = false;
    const message =
      error.kind === 'quota'
        ? STORAGE_MESSAGES.quota
        : error.kind === 'closed'
          ? STORAGE_MESSAGES.closed
          : error.kind === 'missing'
            ? STORAGE_MESSAGES.missing
            : STORAGE_MESSAGES.failed(error.message);
    this.tell({ state: 'unsaved', message, ...(evicted.length ? { evicted: evicted.map((r) => r.id) } : {}) });
  }

  private stopTimer(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private tell(status: StorageStatus): void {
    this.status = status;
    try {
      this.options.onStatus?.(status);
    } catch {
      // The UI went away (its callback proxy is gone): the run does not care.
    }
  }
}

/** The report's `retention`: the caps in force and what they evicted, the same figures finishRun stores (seen minus kept). */
export function retentionOf(report: Report, caps: RunCaps, metricPointsEvicted = 0): RetentionSection {
  return {
    caps: { ...caps },
    evicted: {
      traces: Math.max(0, report.traces.seen - report.traces.items.length),
      errors: Math.max(0, report.errors.total - report.errors.items.length),
      events: Math.max(0, report.events.seen - report.events.items.length),
      metricPoints: metricPointsEvicted,
    },
  };
}

let opening: Promise<{ db: LinesightDatabase } | { db: null; reason: string }> | null = null;

/**
 * The worker's connection, opened on first use and kept. Another tab's upgrade closes it (the
 * store closes at once so that tab is not blocked); the next run then tries again, and an
 * older app cannot open a newer schema, so it runs unsaved with a message.
 */
export function workerStore(factory?: IDBFactory): Promise<{ db: LinesightDatabase } | { db: null; reason: string }> {
  opening ??= openLinesightDB({
    factory,
    onVersionChange: () => (opening = null),
    onTerminated: () => (opening = null),
  }).then(
    (db) => ({ db }),
    (error: unknown) => {
      opening = null;
      return { db: null, reason: `${STORAGE_MESSAGES.unavailable} (${reason(error)})` };
    },
  );
  return opening;
}

function reason(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
