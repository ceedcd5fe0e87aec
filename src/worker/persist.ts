/**
 * Keeps a live run in IndexedDB while it runs: the worker's half of the store (src/store).
 *
 *   start()   takes the run's Web Lock (other tabs then know it is live), stores the run
 *             (`running`), and applies the retention policy and the storage budget, never
 *             removing this run;
 *   tick()    about every CHECKPOINT_INTERVAL_MS: one relaxed transaction with the snapshot and
 *             the traces, errors and events that came since the last checkpoint (`drain`);
 *   finish()  the final report (only what the checkpoints did not store yet is written), the
 *             budget again, then the lock is released.
 *
 * Persistence never touches the run: writes are not awaited by the engine, every failure is
 * caught here, and the run's counts are the engine's alone. No kept run goes untold: every run
 * removed to make room is named at once, with why (StorageStatus.removed and the message).
 *   - Runs kept and the storage budget remove the oldest runs, as few as will do; a run that
 *     alone would take more than the whole budget is refused (it goes on unsaved) and removes
 *     nothing.
 *   - A full disk stops the checkpoints and removes nothing while the run goes on. When it
 *     ends, older runs make room for its report, oldest first and one at a time, and only if
 *     together they could; if it still does not fit, its partial copy goes too: no entry stays
 *     behind that claims to be running.
 * A closed tab leaves the last checkpoint, which the next load shows as `interrupted` (its lock
 * is gone).
 */

import type { LogRun } from '../engine/run.ts';
import type { TracePolicy } from '../engine/observe/types.ts';
import type { PipelineConfigJson, Report } from '../engine/report/report.ts';
import {
  checkpointBytes,
  checkpointRun,
  createRun,
  deleteRun,
  enforceBudget,
  finishRun,
  holdRunLock,
  openLinesightDB,
  withQuotaRecovery,
  type LinesightDatabase,
  type RemovedRun,
  type RetentionSection,
  type RetentionSettings,
  type RunCaps,
  type RunSummary,
  type StoreError,
  type StoreResult,
} from '../store/index.ts';

type StoreErrorKind = StoreError['kind'];

/** Due time of the next checkpoint after the last one started. With TICK_MS this keeps the gap under a second. */
export const CHECKPOINT_INTERVAL_MS = 700;
/** How often the timer looks whether a checkpoint is due. */
const TICK_MS = 100;

export const STORAGE_MESSAGES = {
  quota: 'Storage is full: this run goes on without being saved.',
  /** Said with `quota` while the run goes on: older runs are removed only for a run that ends and then fits. */
  nothingRemoved: 'No kept run was removed for it; it is tried again when the run ends.',
  notSaved: 'Storage is full: this run was not saved, and no kept run was removed for it.',
  /** The report did not fit even once older runs were removed: the browser gave back less room than they took. */
  quotaNotSaved: 'Storage is full: this run was not saved, though older runs were removed to make room for it (the browser gave back less room than they took).',
  overBudget: (bytes: number, budget: number) =>
    `This run takes more than the whole storage budget (about ${size(bytes)} of ${size(budget)}): it goes on without being saved, and no other run was removed for it. Raise the storage budget in Settings to keep runs this large.`,
  unavailable:
    'Runs are not kept on this device: the browser gives Linesight no storage (IndexedDB is unavailable, as in some private windows). Everything else works.',
  closed: 'Linesight was updated in another tab: this run goes on without being saved. Reload to keep the next runs.',
  missing: 'This run was removed from the history (in another tab?): it goes on without being saved.',
  failed: (why: string) => `This run goes on without being saved: ${why}`,
  savedAfterQuota: 'Storage was full during this run, but its final report fit: the run is saved.',
  /** What the user is told of runs removed to make room, one sentence per reason. */
  removed: (removed: readonly RemovedRun[], settings: Pick<RetentionSettings, 'runsKept' | 'storageBudgetBytes'>) =>
    (['quota', 'budget', 'runsKept'] as const)
      .map((reason) => {
        const runs = removed.filter((run) => run.reason === reason);
        if (!runs.length) return '';
        const which = `${runs.length === 1 ? 'an older run' : `${runs.length} older runs`} from the history: ${runs.map(describeRun).join('; ')}.`;
        if (reason === 'quota') return `Storage is full: to make room for this run, Linesight removed ${which}`;
        if (reason === 'budget') return `To stay within the storage budget (${size(settings.storageBudgetBytes)}), Linesight removed ${which}`;
        return `To keep at most ${settings.runsKept.toLocaleString('en-US')} ${settings.runsKept === 1 ? 'run' : 'runs'} (Runs kept, in Settings), Linesight removed ${which}`;
      })
      .filter(Boolean)
      .join(' '),
} as const;

/** What the UI is told about the storage of a run. */
export interface StorageStatus {
  /** saving: kept in IndexedDB while it runs; saved: stored with its final report; unsaved: not kept (see message). */
  state: 'saving' | 'saved' | 'unsaved';
  /** Plain words for the user; absent when there is nothing to say. */
  message?: string;
  /** Why the run is not kept (unsaved only): the store's error kind, or `unavailable` (no IndexedDB). */
  cause?: StoreErrorKind | 'unavailable';
  /** Runs removed to make room since this run started, oldest first, with why (the message names them too). */
  removed?: RemovedRun[];
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
  /** Tests: the lock (defaults to the Web Lock of the run), liveness of other runs (Web Locks) and the checkpoint cadence. */
  holdLock?: (runId: string) => Promise<() => void>;
  isLive?: (runId: string) => Promise<boolean>;
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
  /** Runs removed to make room for this one, oldest first. */
  private readonly removed: RemovedRun[] = [];
  /** What the other kept runs took at the last look, so a checkpoint knows when the budget is passed. */
  private othersBytes = 0;
  private readonly interval: number;

  constructor(
    private readonly run: PersistedRun,
    private readonly options: PersisterOptions,
  ) {
    this.db = options.db;
    this.runId = run.snapshot().runId;
    this.interval = options.intervalMs ?? CHECKPOINT_INTERVAL_MS;
    this.status = this.db
      ? { state: 'saving' }
      : { state: 'unsaved', cause: 'unavailable', message: options.reason ?? STORAGE_MESSAGES.unavailable };
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
      const { caps, pipeline, tracePolicy } = this.options;
      const snapshot = this.run.snapshot();
      const created = await createRun(db, { snapshot, pipeline, tracePolicy, caps }, this.limits);
      if (!created.ok) return await this.stop(created.error);
      this.stored = true;
      // After createRun, with this run protected: `runsKept` then counts it.
      await this.keepBudget(created.value.bytesStored);
      this.tell({ state: 'saving', ...this.told() });
      this.timer = setInterval(() => this.tick(), this.options.tickMs ?? TICK_MS);
    } catch (error) {
      await this.stop({ kind: 'storage', message: reason(error) });
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
    const { caps } = this.options;
    try {
      const removedBefore = this.removed.length;
      // A full disk stops the checkpoints, removing nothing: older runs make room only for a run that ends (see finish).
      const result = await checkpointRun(db, this.runId, snapshot, batch, caps, this.limits);
      if (!result.ok) return await this.stop(result.error);
      this.cursor = drained.seen;
      this.metricPointsEvicted = result.value.evicted.metricPoints;
      // The run grew past what the budget leaves it: older runs make room, as few as will do.
      if (result.value.bytesStored + this.othersBytes > this.options.settings.storageBudgetBytes) await this.keepBudget(result.value.bytesStored);
      if (this.removed.length > removedBefore) this.tell({ state: 'saving', ...this.told() });
      this.options.onCheckpoint?.({ startedAt, at: performance.now(), items: traces.length + errors.length + events.length + points.length, summary: result.value });
    } catch (error) {
      await this.stop({ kind: 'storage', message: reason(error) });
    }
  }

  /**
   * Stores the final report and lets go of the run. Returns the report with its `retention`
   * section (also when nothing could be stored: the caps still applied in memory).
   *
   * On a full disk, this is where older runs make room, oldest first and only as many as the
   * report needs (and none when all of them could not make room): a run that is then kept is
   * worth them, a run whose checkpoints merely stopped is not. If the report does not fit, the
   * partial copy goes too.
   */
  async finish(report: Report): Promise<RunReport> {
    this.stopTimer();
    await this.pending;
    const final: RunReport = { ...report, retention: this.retention(report) };
    const db = this.db;
    try {
      if (db && (this.stopKind === 'quota' || (this.stored && !this.stopped))) {
        const { pipeline, tracePolicy, caps } = this.options;
        const result = await this.write(
          async () => {
            // The disk was full before the run was even stored: store it now, whole.
            if (!this.stored) {
              const created = await createRun(db, { snapshot: this.run.snapshot(), pipeline, tracePolicy, caps }, this.limits);
              if (!created.ok) return created;
              this.stored = true;
            }
            return finishRun(db, this.runId, final, { reuseCheckpoints: true, ...this.limits });
          },
          () => checkpointBytes(this.run.snapshot(), this.run.drain(this.cursor)),
        );
        if (result.ok) {
          await this.keepBudget(result.value.bytesStored);
          const lead = this.stopped ? STORAGE_MESSAGES.savedAfterQuota : undefined;
          const told = this.told(lead);
          const message = told.message ?? this.status.message;
          this.tell({ state: 'saved', ...told, ...(message ? { message } : {}) });
        } else if (result.error.kind === 'quota') {
          await this.dropPartial();
          const inVain = this.removed.some((run) => run.reason === 'quota');
          this.tell({ state: 'unsaved', cause: 'quota', ...this.told(inVain ? STORAGE_MESSAGES.quotaNotSaved : STORAGE_MESSAGES.notSaved) });
        } else {
          await this.stop(result.error);
        }
      }
    } catch (error) {
      if (!this.stopped) await this.stop({ kind: 'storage', message: reason(error) });
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

  private get limits(): { maxBytes: number } {
    return { maxBytes: this.options.settings.storageBudgetBytes };
  }

  /** A write with the quota recovery; the runs it removed are noted (and told by the caller). */
  private async write<T>(write: () => Promise<StoreResult<T>>, needBytes: () => number): Promise<StoreResult<T>> {
    const { result, removed } = await withQuotaRecovery(this.db!, [this.runId], write, { needBytes, isLive: this.options.isLive });
    this.removed.push(...removed);
    return result;
  }

  /** Applies runsKept and the budget around this run (taking `ownBytes`), noting what it removed. */
  private async keepBudget(ownBytes: number): Promise<void> {
    const budget = await enforceBudget(this.db!, this.options.settings, [this.runId], { isLive: this.options.isLive });
    if (!budget.ok) return;
    this.removed.push(...budget.value.removed);
    this.othersBytes = Math.max(0, budget.value.storedBytes - ownBytes);
  }

  /** The message and `removed` for a status: `lead` first, then what was removed to make room. */
  private told(lead?: string): Pick<StorageStatus, 'message' | 'removed'> {
    const removed = this.removed.length ? STORAGE_MESSAGES.removed(this.removed, this.options.settings) : '';
    const message = [lead, removed].filter(Boolean).join(' ');
    return { ...(message ? { message } : {}), ...(this.removed.length ? { removed: [...this.removed] } : {}) };
  }

  private retention(report: Report): RetentionSection {
    return retentionOf(report, this.options.caps, this.metricPointsEvicted);
  }

  private async stop(error: StoreError): Promise<void> {
    this.stopped = true;
    this.stopKind = error.kind;
    this.stopTimer();
    if (error.kind === 'missing') this.stored = false;
    // A run too large for the budget never fits: its partial copy goes now, and nothing else for it.
    if (error.kind === 'budget') await this.dropPartial();
    let message: string;
    switch (error.kind) {
      case 'quota':
        message = `${STORAGE_MESSAGES.quota} ${STORAGE_MESSAGES.nothingRemoved}`;
        break;
      case 'budget':
        message = STORAGE_MESSAGES.overBudget(error.bytes ?? this.options.settings.storageBudgetBytes, this.options.settings.storageBudgetBytes);
        break;
      case 'closed':
        message = STORAGE_MESSAGES.closed;
        break;
      case 'missing':
        message = STORAGE_MESSAGES.missing;
        break;
      default:
        message = STORAGE_MESSAGES.failed(error.message);
    }
    this.tell({ state: 'unsaved', cause: error.kind, ...this.told(message) });
  }

  /** Removes this run's partial copy (a delete needs no room), so no entry stays that claims to be running. */
  private async dropPartial(): Promise<void> {
    if (!this.db || !this.stored) return;
    const deleted = await deleteRun(this.db, this.runId).catch(() => null);
    // If even that fails, the released lock shows the entry as interrupted, and it can be deleted.
    if (deleted?.ok) this.stored = false;
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

/** "about 12.4 MB": sizes as the app shows them (1 MB = 1,048,576 bytes). */
function size(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1024) return `${(mb / 1024).toFixed(mb >= 10 * 1024 ? 0 : 1)} GB`;
  return `${mb.toFixed(mb >= 100 ? 0 : 1)} MB`;
}

/** "app.log (started 2025-01-01 10:00)": a removed run as the History lists it. */
function describeRun(run: RemovedRun): string {
  const date = new Date(run.startedAt);
  if (Number.isNaN(date.getTime())) return run.fileName;
  const pad = (n: number) => String(n).padStart(2, '0');
  const started = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return `${run.fileName} (started ${started})`;
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
