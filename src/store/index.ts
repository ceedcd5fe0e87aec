/**
 * Linesight's IndexedDB store: the only module that talks to IndexedDB. The worker writes runs
 * (createRun, checkpointRun, finishRun); the UI lists, loads and deletes them, and keeps
 * settings and saved pipelines. Pitfalls of IndexedDB are written in schema.ts.
 */
export {
  DB_NAME,
  DB_VERSION,
  LIST_KINDS,
  openLinesightDB,
  type Evicted,
  type LinesightDB,
  type LinesightDatabase,
  type ListKind,
  type MetricPoint,
  type OpenOptions,
  type RetentionSection,
  type RunCaps,
  type RunSummary,
  type SavedPipeline,
  type StoredReport,
  type StoredRun,
  type StoredRunStatus,
} from './schema.ts';
export { isQuotaError, QUOTA_MESSAGE, type StoreError, type StoreResult } from './tx.ts';
export {
  checkpointBytes,
  checkpointRun,
  clearAll,
  createRun,
  deleteRun,
  finishRun,
  getRun,
  listRuns,
  loadRun,
  markInterrupted,
  updateRunAlerts,
  INTERRUPTED_MESSAGE,
  RUNNING_MESSAGE,
  type CheckpointBatch,
  type FinishOptions,
  type NewRun,
  type WriteLimits,
} from './runs.ts';
export { loadMetrics, mergePoints } from './metrics.ts';
export {
  clampRetention,
  DEFAULT_RETENTION,
  loadRetention,
  RETENTION_FIELDS,
  runCaps,
  saveRetention,
  validateRetention,
  type RetentionIssue,
  type RetentionSettings,
} from './retention.ts';
export {
  enforceBudget,
  requestPersistence,
  storageEstimate,
  withQuotaRecovery,
  type BudgetOptions,
  type BudgetResult,
  type QuotaOptions,
  type QuotaRecovery,
  type RemovalReason,
  type RemovedRun,
} from './budget.ts';
export { hasRunLocks, holdRunLock, isRunLive, runLockName } from './locks.ts';
export { deletePipeline, listPipelines, savePipeline } from './pipelines.ts';
export { checkRecentFiles, loadRecentFiles, MAX_RECENT_FILES, saveRecentFiles, withRecentFile, type RecentFile } from './recent-files.ts';
export {
  AUTO_FORMAT_CHOICE,
  checkCustomFormat,
  DEFAULT_FORMAT_CHOICE,
  deleteCustomFormat,
  isTimeZoneOffset,
  loadCustomFormats,
  loadFormatChoice,
  readCustomFormats,
  readFormatChoice,
  saveCustomFormat,
  saveFormatChoice,
  withCustomFormat,
  type CustomFormatSpec,
  type FormatChoice,
  type FormatIssue,
} from './formats.ts';
