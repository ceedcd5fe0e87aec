import { proxy, releaseProxy, transfer, wrap, type Remote } from 'comlink';
import { buildReport, metricsReportFromSnapshot } from '../engine/report/report.ts';
import type { PipelineConfig } from '../engine/pipeline/config.ts';
import type { Observations } from '../engine/report/report.ts';
import { initialSnapshot, type RunSnapshot } from '../engine/snapshot.ts';
import type { AlertView } from '../engine/metrics/alerts.ts';
import type { AlertUserAction, FormatInfo, RunResult, StartRun, WorkerApi } from './api.ts';
import type { StorageStatus } from './persist.ts';
import type { LogIndexInfo, LogSource } from '../engine/logs/types.ts';
import type { OutputStorage } from './output.ts';

export type { ConfigIssue, PipelineConfig } from '../engine/pipeline/config.ts';
export type { ParamSpec, ProcessorDescriptor } from '../engine/processors/types.ts';
export type { Observations, Report } from '../engine/report/report.ts';
export type {
  CircuitState,
  ErrorsSection,
  EventsSection,
  GraphSection,
  LogEvent,
  ProcessorErrorItem,
  Trace,
  TracePolicy,
  TracesSection,
  TraceStep,
} from '../engine/observe/types.ts';
export { eventsToNdjson, filterEvents } from '../engine/observe/events.ts';
export { COMMON_PARAMS } from '../engine/pipeline/common-params.ts';
export type { CounterState, ProcessorStats, RunSnapshot, RunStatus, Totals } from '../engine/snapshot.ts';
export type { Result } from '../engine/types.ts';
export type { OutputSummary } from './output.ts';
export type { AlertUserAction, FormatInfo, RunResult, StartRun };
export type { FormatSection } from '../engine/formats/stage.ts';
// Checking a spec compiles its pattern but runs it on nothing: the preview runs it, in a worker of its own.
export { compileCustomFormat, readSpecFile, PREVIEW_MAX_LINES } from '../engine/formats/index.ts';
export { PreviewWorker, type Previewer } from './preview-client.ts';
export type { SampleDetection, SamplePreview } from './preview-api.ts';
export type { CustomFormatSpec, FormatIssue, FormatPreview, LinePreview, ParsedFields } from '../engine/formats/index.ts';
// Alert values in words (a module without imports), the same as the HTML snapshot writes them.
export { alertUnit, alertValueText, type AlertUnit } from '../engine/metrics/alert-units.ts';
export type { AlertHistoryEntry, AlertSeverity, AlertState, AlertView } from '../engine/metrics/alerts.ts';
export type { HealthSection } from '../engine/metrics/health.ts';
export type { MetricsSection, NamedPoint, SeriesPoint } from '../engine/metrics/series.ts';
export type { TimelineColumns, TimelineSection, TimeRange } from '../engine/metrics/timeline.ts';
export { RELATIVE_ERROR as LATENCY_RELATIVE_ERROR } from '../engine/metrics/histogram.ts';
export type { StorageStatus } from './persist.ts';
export type { FieldTerm, LogFileInfo, LogIndexInfo, LogQuery, LogRow, LogSource, LogViewProgress } from '../engine/logs/types.ts';
export type { OutputStorage } from './output.ts';
export { reportFileName } from '../engine/report/report.ts';
export type { AnyReport } from '../engine/report/report.ts';
export { parseReport, readReport, reportSizeIssue, PROMETHEUS_CONTENT_TYPE, toHtmlSnapshot, toOtlpTraces, toPrometheus } from '../engine/report/index.ts';
// Log text as the views show it: terminal escapes dropped, invisible controls made visible.
export { visibleText } from '../engine/report/index.ts';
export { initialSnapshot } from '../engine/snapshot.ts';

const FORCE_STOPPED_STORAGE = 'The engine was stopped: the history keeps this run as interrupted, as of its last checkpoint.';

/** How long a cancelled run may take to stop by itself before its worker is terminated. */
const CANCEL_GRACE_MS = 1000;
/**
 * While a run is live the engine is asked every second whether it is alive; silent this long, it
 * is taken for dead (where the browser closes a gone worker's channel, that is heard at once).
 */
const PING_EVERY_MS = 1000;
const PING_TIMEOUT_MS = 8000;
const ENGINE_DIED = 'The engine stopped unexpectedly (it may have run out of memory); the counts are those of its last update.';

/**
 * The UI's only door to the engine: one worker, typed by its implementation. The file is handed
 * over as a File (a reference, not its bytes); snapshots come back through a callback.
 */
export class EngineClient {
  private worker!: Worker;
  private remote!: Remote<WorkerApi>;
  private forceStop: ((status: 'cancelled' | 'failed', message: string) => void) | null = null;
  /** Our end of the engine worker's lifeline: `close` when the worker is gone. */
  private lifeline: MessagePort | null = null;
  /** Kept for a run whose worker had to be terminated: what it last told is what there is. */
  private lastObservations: Observations | null = null;

  constructor() {
    this.start();
  }

  private start(): void {
    const worker = new Worker(new URL('./index.ts', import.meta.url), { type: 'module', name: 'linesight-engine' });
    this.worker = worker;
    this.remote = wrap<WorkerApi>(worker);
    const channel = new MessageChannel();
    channel.port1.addEventListener('close', () => this.died(worker));
    channel.port1.start();
    this.lifeline = channel.port1;
    void this.remote.hold(transfer(channel.port2, [channel.port2]));
    worker.addEventListener('error', () => this.died(worker));
  }

  /** The engine worker went away during a run: the run ends as failed with what it last told. */
  private died(worker: Worker): void {
    if (worker !== this.worker) return;
    const forceStop = this.forceStop;
    this.lifeline?.close();
    worker.terminate();
    this.start();
    forceStop?.('failed', ENGINE_DIED);
  }

  describeProcessors() {
    return this.remote.describeProcessors();
  }

  validatePipeline(text: string) {
    return this.remote.validatePipeline(text);
  }

  /** The built-in log formats, for the UI's format list. */
  formats(): Promise<FormatInfo[]> {
    return this.remote.formats();
  }

  /**
   * Runs a file. Resolves with the report also when the run is cancelled or fails on bad input;
   * rejects only when the worker itself breaks.
   */
  async run(
    file: File,
    start: StartRun,
    config: PipelineConfig,
    onSnapshot: (s: RunSnapshot) => void,
    onStorage?: (status: StorageStatus) => void,
  ): Promise<RunResult> {
    let last: RunSnapshot | null = null;
    this.lastObservations = null;
    const remember = (snapshot: RunSnapshot) => {
      last = snapshot;
      onSnapshot(snapshot);
    };
    const stopped = new Promise<RunResult>((resolve) => {
      this.forceStop = (status, message) => {
        // The worker did not answer in time (e.g. a processor stuck on one huge line), or went
        // away: what it reported last is what the run processed.
        const final: RunSnapshot = {
          ...(last ?? initialSnapshot(start.runId, file, config.processors, status)),
          status,
          etaMs: null,
          message,
        };
        onSnapshot(final);
        const observed = this.lastObservations ?? emptyObservations(start);
        // The terminated worker took the run's lock with it: the history shows its last checkpoint as interrupted.
        const storage: StorageStatus = { state: 'unsaved', message: FORCE_STOPPED_STORAGE };
        onStorage?.(storage);
        resolve({ report: buildReport(final, config, observed, metricsReportFromSnapshot(final), new Date()), output: null, storage });
      };
    });
    const worker = this.worker;
    const watch = setInterval(() => {
      const late = setTimeout(() => this.died(worker), PING_TIMEOUT_MS);
      this.remote.ping().then(
        () => clearTimeout(late),
        () => {},
      );
    }, PING_EVERY_MS);
    try {
      return await Promise.race([this.remote.run(file, start, proxy(remember), onStorage ? proxy(onStorage) : undefined), stopped]);
    } finally {
      clearInterval(watch);
      this.forceStop = null;
    }
  }

  /** Stops the live run at once; kept counts stay. */
  cancel(): void {
    const forceStop = this.forceStop;
    if (!forceStop) return;
    // Not awaited: a busy worker answers only when it gets a turn, which is what the timer is for.
    void this.remote.cancel();
    setTimeout(() => {
      if (this.forceStop !== forceStop) return; // the run ended by itself
      this.lifeline?.close();
      this.worker.terminate();
      this.start();
      forceStop('cancelled', 'Cancelled: the engine was stopped; the counts are those of its last update.');
    }, CANCEL_GRACE_MS);
  }

  /** Traces, errors and events of the live or last run; the UI asks at most once a second. */
  async observations(): Promise<Observations | null> {
    const observations = await this.remote.observations();
    this.lastObservations = observations;
    return observations;
  }

  /**
   * Acknowledge, resolve or suppress (until `untilMs`, epoch ms; null: until the run ends) an
   * alert of the live or last run; the alerts as they now are. A run that has ended is updated in
   * the history too.
   */
  alertAction(id: string, action: AlertUserAction, untilMs?: number | null): Promise<AlertView[] | null> {
    return this.remote.alertAction(id, action, untilMs);
  }

  latestOutputFile(): Promise<File | null> {
    return this.remote.latestOutputFile();
  }

  /** Reads a stored run's file(s) again for its Logs view (see the worker's logReopen). */
  reopenLog(files: File[], options: { format?: string; customFormats?: unknown[]; timeZoneOffsetMinutes?: number } = {}): Promise<LogIndexInfo | null> {
    return this.remote.logReopen(files, options);
  }

  /** The Logs view's source for the live or last run: the engine worker reads the file. */
  logSource(): LogSource {
    const remote = () => this.remote;
    return {
      info: () => remote().logInfo(),
      openView: (query, onProgress) => remote().logOpenView(query, proxy(onProgress)),
      closeView: (view) => remote().logCloseView(view),
      rows: (view, start, count) => remote().logRows(view, start, count),
      rowOfLine: (view, file, lineNo) => remote().logRowOfLine(view, file, lineNo),
      rowOfTime: (view, ts) => remote().logRowOfTime(view, ts),
      nextMatch: (view, row, direction) => remote().logNextMatch(view, row, direction),
      fullText: (view, row) => remote().logFullText(view, row),
    };
  }

  /** Where this browser keeps Linesight's files: on disk, in memory (a private window), or nowhere. */
  outputStorage(): Promise<OutputStorage> {
    return this.remote.outputStorage();
  }

  dispose(): void {
    this.remote[releaseProxy]();
    this.lifeline?.close();
    this.worker.terminate();
  }
}

function emptyObservations(start: StartRun): Observations {
  return {
    traces: { enabled: start.trace !== null, policy: start.trace, seen: 0, kept: 0, items: [] },
    errors: { total: 0, byProcessor: {}, byType: {}, items: [] },
    events: { seen: 0, kept: 0, items: [] },
  };
}

