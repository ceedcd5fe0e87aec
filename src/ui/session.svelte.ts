import { errorText } from './format.ts';
import {
  eventsToNdjson,
  initialSnapshot,
  PROMETHEUS_CONTENT_TYPE,
  readReport,
  reportSizeIssue,
  reportFileName,
  toHtmlSnapshot,
  toOtlpTraces,
  toPrometheus,
  type AnyReport,
  type ConfigIssue,
  type EngineClient,
  type FormatInfo,
  type FormatIssue,
  type LogEvent,
  type Observations,
  type OutputStorage,
  type PipelineConfig,
  type ProcessorDescriptor,
  type Report,
  type RunResult,
  type RunSnapshot,
  type StorageStatus,
  type Trace,
  type TracePolicy,
} from '../worker/client.ts';
import type { RetentionIssue, RetentionSettings } from '../store/index.ts';
import { download } from './download.ts';
import { withCustomFormats } from './formats.ts';
import type { Library } from './library.svelte.ts';
import { isReportFile } from './open-file.ts';
import { pickFileHandle, RecentFiles, type RecentFile } from './recent-files.svelte.ts';
import { headView, importedView, storedView, type StoredRunView } from './stored.ts';
import { DEFAULT_PRESET, presetOf, presetText } from './presets.ts';
import { AlertsState } from './alerts.svelte.ts';
import { RunCharts } from './charts.svelte.ts';
import type { TimeFilter } from './time-filter.ts';
import type { AlertUserAction, AlertView } from '../worker/client.ts';

/** What the session needs of the engine; tests hand in a fake. */
export type Engine = Pick<
  EngineClient,
  'describeProcessors' | 'validatePipeline' | 'run' | 'cancel' | 'latestOutputFile' | 'observations' | 'alertAction'
> &
  Partial<Pick<EngineClient, 'formats' | 'outputStorage'>>;

/** The "Log format" choice that means: let the engine detect it (or use the pipeline's `format`). */
export const AUTO_FORMAT = 'auto';

/** The parts of the app: the run area, the Runs history, Settings. */
export type Section = 'analyze' | 'history' | 'settings';

/** The tabs of the run area. */
export type View = 'stats' | 'charts' | 'graph' | 'journeys' | 'errors' | 'events' | 'alerts' | 'processors';
export type TraceMode = TracePolicy['mode'];

/** Views that show traces, errors or events: only these make a live run's details worth fetching. */
const OBSERVING: ReadonlySet<View> = new Set<View>(['journeys', 'errors', 'events']);
/** Details are whole lists (up to 10,000 traces): once a second is live enough and stays cheap. */
export const OBSERVATIONS_INTERVAL_MS = 1000;
export const DEFAULT_TRACE_CAP = 1000;
/** The engine's MAX_TRACES; it clamps too, the UI only keeps the field honest. */
export const MAX_TRACE_CAP = 10_000;
export const TRACES_PER_PAGE = 100;

export interface JourneyFilter {
  status: '' | Trace['status'];
  /** Traces with a step at this processor id. */
  processor: string;
  text: string;
  /** How many of the matching traces are listed ("Show more" raises it). */
  limit: number;
}

export interface EventFilter {
  /** Minimum level; '' for all. */
  level: '' | LogEvent['level'];
  component: string;
  event: string;
  text: string;
}

export interface AppliedPipeline {
  /** Where it came from: a preset's name, an imported file's name, or "Edited config". */
  name: string;
  text: string;
  config: PipelineConfig;
}

const SAMPLE_URL = `${import.meta.env.BASE_URL}sample.log`;

/**
 * The app's state, one instance per tab. Components render it and call its methods; nothing
 * else holds state that outlives a component.
 */
export class Session {
  processors = $state.raw<ProcessorDescriptor[]>([]);
  /** The editor's text, which may differ from the applied pipeline until it is applied. */
  pipelineText = $state(presetText(DEFAULT_PRESET) ?? '');
  /** The pipeline the next run uses; a refused config never replaces it. */
  applied = $state.raw<AppliedPipeline | null>(null);
  /** Why the last applied text was refused. */
  issues = $state.raw<ConfigIssue[]>([]);
  /** Replaced whole on every update (at most 10 a second): no deep proxy to build or diff. */
  snapshot = $state.raw<RunSnapshot | null>(null);
  /** The last finished run of the shown file; null while a run is live. */
  result = $state.raw<RunResult | null>(null);
  /** A run is live. */
  busy = $state(false);
  cancelling = $state(false);
  keepOutput = $state(true);
  /**
   * Where this browser keeps Linesight's files (the engine's probe; null until it answers):
   * `memory` in a private window, where kept output lines cost memory, and the history is gone
   * when the window closes.
   */
  fileStorage = $state<OutputStorage | null>(null);
  /** Keep the next run in the history (IndexedDB); off, nothing of it is stored on this device. */
  keepInHistory = $state(true);
  /** The built-in log formats, for the "Log format" list (empty until the engine answers). */
  formats = $state.raw<FormatInfo[]>([]);
  /** The "Log format" choice; remembered between visits through the library. */
  private chosenFormat = $state(AUTO_FORMAT);
  /** The user picked a format in this visit: the remembered one, read later, must not override it. */
  private formatPicked = false;
  private chosenTimeZone = $state(0);
  private timeZonePicked = false;
  /** The file of the live (or last) run: "Re-run with this format" opens it again. */
  lastFile = $state.raw<File | null>(null);
  /** Run options for tracing; off costs the run nothing. */
  traceEnabled = $state(false);
  traceMode = $state<TraceMode>('sample');
  /** N of "1 in N". */
  traceSampleN = $state(100);
  /** N of "first N". */
  traceFirstN = $state(1000);
  /** Traces kept per run (the most recent). */
  traceCap = $state(DEFAULT_TRACE_CAP);
  /**
   * Traces, errors and events of the shown run: polled from the worker while the run is live
   * and a view needs them, then the final report's sections. Replaced whole, never deep-proxied.
   */
  observations = $state.raw<Observations | null>(null);
  /** The tab shown in the run area. */
  view = $state<View>('stats');
  /** Filters live here, not in the views, so they survive switching tabs. */
  journeyFilter = $state<JourneyFilter>({ status: '', processor: '', text: '', limit: TRACES_PER_PAGE });
  errorFilter = $state({ text: '' });
  eventFilter = $state<EventFilter>({ level: '', component: '', event: '', text: '' });
  /** An error or hint for the user, in words; null when there is nothing to say. */
  notice = $state<string | null>(null);
  /** Set when a new version of the app is waiting; calling it reloads into that version. */
  update = $state.raw<(() => void) | null>(null);
  /** The part of the app shown. */
  section = $state<Section>('analyze');
  /** A run opened from the history, shown read-only in place of the live one; null: the live view. */
  stored = $state.raw<StoredRunView | null>(null);
  /** What the worker last said about keeping the live run in the history. */
  storage = $state.raw<StorageStatus | null>(null);
  /** Series and levels timeline of the live (or last) run, for the Charts tab. */
  readonly charts = new RunCharts();
  /** Alerts of the live (or last) run, and what the user does with them. */
  readonly alerts = new AlertsState((id, action, untilMs) => this.alertAction(id, action, untilMs));
  /** Files opened from handles (picker, operating system), to open again with one click. */
  readonly recent: RecentFiles;
  /** The handle-giving file picker failed (a browser policy, say): "Open log file" uses the plain chooser. */
  pickerFailed = $state(false);
  /** The log-time range picked on the levels chart; Journeys and Errors apply it. */
  timeFilter = $state.raw<TimeFilter | null>(null);

  /** Resolves once the processor list is known and the default pipeline applied. */
  readonly ready: Promise<void>;
  private live: Promise<unknown> | null = null;
  /** The run whose updates are shown. */
  private runId: string | null = null;
  /** Bumped by every open(): when files arrive in quick succession only the last one runs. */
  private opened = 0;
  /** Likewise for applyPipeline(): a slow check must not land after a newer one. */
  private applying = 0;
  /** An observations() request is in flight: a slow answer must not pile up requests. */
  private observing = false;
  /** The snapshot's observed counts when details were last fetched: unchanged counts, nothing new. */
  private observedKey = '';
  /** Bumped by every openStored() and backToLive(): a slow read must not land after the user moved on. */
  private storedTicket = 0;

  /** `library`: the history, settings and saved pipelines; absent, runs are simply not kept. */
  constructor(
    private readonly engine: Engine,
    readonly library: Library | null = null,
  ) {
    this.ready = this.init();
    this.recent = new RecentFiles(library);
    this.alerts.onopen = () => this.show('alerts');
    // The traces-kept field starts at the setting; a run may still ask for another figure.
    void library?.ready.then(() => {
      if (this.traceCap === DEFAULT_TRACE_CAP) this.traceCap = library.settings.tracesPerRun;
    });
  }

  private async init(): Promise<void> {
    try {
      const [processors] = await Promise.all([
        this.engine.describeProcessors(),
        this.choosePreset(DEFAULT_PRESET),
      ]);
      this.processors = processors;
      void this.probeStorage();
      // Part of `ready`: a file opened at start (from the OS) runs with the remembered choices.
      await this.loadFormats();
      await this.restoreFormatChoice();
    } catch (error) {
      this.notice = `The analysis engine could not start: ${errorText(error)}`;
    }
  }

  private async probeStorage(): Promise<void> {
    try {
      this.fileStorage = (await this.engine.outputStorage?.()) ?? null;
    } catch {
      // Unknown: nothing is said, as before the probe existed.
    }
  }

  private async loadFormats(): Promise<void> {
    try {
      this.formats = (await this.engine.formats?.()) ?? [];
    } catch {
      // The list stays empty: "Detect automatically" still works.
    }
  }

  /** What `read` gives, or null once the notice says `name` could not be read. */
  private async readOrSay<T>(name: string, read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      this.notice = `${name} could not be read: ${errorText(error)}`;
      return null;
    }
  }

  /**
   * Opens a file however it came (dropped, picked, from the operating system or Recent files): a
   * Linesight report is shown read-only, anything else runs as a log (see isReportFile).
   */
  async openFile(file: File): Promise<void> {
    // Telling a report reads the file: a file opened meanwhile must not be overtaken by this one.
    const ticket = ++this.opened;
    const report = await isReportFile(file);
    if (ticket !== this.opened) return;
    if (report) await this.importReport(file);
    else await this.open(file);
  }

  /** Opens the file of a handle (the file picker, launchQueue) and keeps it in Recent files. */
  async openHandle(handle: FileSystemFileHandle): Promise<void> {
    const file = await this.readOrSay(handle.name, () => handle.getFile());
    if (file === null) return;
    void this.recent.remember(handle, file);
    await this.openFile(file);
  }

  /** "Open log file" where the browser hands over file handles: its picker, so the file can be reopened. */
  async pickFile(): Promise<void> {
    let handle: FileSystemFileHandle | null;
    try {
      handle = await pickFileHandle();
    } catch (error) {
      this.pickerFailed = true;
      this.notice = `The file picker could not open (${errorText(error)}): choose the file again, with the browser’s plain file chooser.`;
      return;
    }
    if (handle) await this.openHandle(handle);
  }

  /** Opens a recent file again; when it is gone or not allowed, the list says so. Call it from a click. */
  async reopenRecent(entry: RecentFile): Promise<void> {
    const file = await this.recent.reopen(entry);
    if (file) await this.openFile(file);
  }

  /** The log format of the next run: a format id, or AUTO_FORMAT to detect it (or keep the pipeline's). */
  get formatChoice(): string {
    return this.chosenFormat;
  }

  set formatChoice(format: string) {
    this.chosenFormat = format;
    this.formatPicked = true;
    void this.library?.saveFormatChoice({ format });
  }

  /** The zone of timestamps written without one, in minutes east of UTC (0: read them as UTC). */
  get timeZone(): number {
    return this.chosenTimeZone;
  }

  set timeZone(minutes: number) {
    this.chosenTimeZone = minutes;
    this.timeZonePicked = true;
    void this.library?.saveFormatChoice({ timeZoneOffsetMinutes: minutes });
  }

  /** What "Log format" lists: the user's custom formats, then the built-in ones. */
  get formatOptions(): FormatInfo[] {
    return withCustomFormats(this.formats, this.library?.customFormats ?? []);
  }

  /** The choice of the last visit, once the formats are known; one that is gone since (a deleted custom format) means detection. */
  private async restoreFormatChoice(): Promise<void> {
    const library = this.library;
    if (!library) return;
    await library.choicesReady;
    const saved = library.formatChoice;
    if (!this.timeZonePicked) this.chosenTimeZone = saved.timeZoneOffsetMinutes;
    if (this.formatPicked || saved.format === AUTO_FORMAT) return;
    if (this.formatOptions.some((format) => format.id === saved.format)) this.chosenFormat = saved.format;
  }

  /** Saves a custom format (`replacing`: its id before an edit); the issues when refused. */
  async saveCustomFormat(spec: unknown, replacing?: string): Promise<FormatIssue[]> {
    const library = this.library;
    if (!library) return [{ path: '', message: 'Custom formats cannot be kept in this browser.' }];
    const issues = await library.saveCustomFormat(spec, replacing);
    // A format chosen under "Log format" follows its own edit to a new id.
    const id = (spec as { id?: unknown }).id;
    if (!issues.length && replacing && this.formatChoice === replacing && typeof id === 'string') this.formatChoice = id;
    return issues;
  }

  async deleteCustomFormat(id: string): Promise<void> {
    const deleted = await this.library?.deleteCustomFormat(id);
    if (deleted && this.formatChoice === id) this.formatChoice = AUTO_FORMAT;
  }

  /** Opens the last file again (with the format now chosen); nothing when no file was opened. */
  async rerun(): Promise<void> {
    if (this.lastFile) await this.open(this.lastFile);
  }

  /** Runs a file with the applied pipeline; a live run is cancelled first. Never throws. */
  async open(file: File): Promise<void> {
    const ticket = ++this.opened;
    await this.ready;
    if (this.live) {
      this.cancel();
      await this.live.catch(() => {});
    }
    if (ticket !== this.opened) return; // a newer file took over while the old run stopped
    const applied = this.applied;
    if (!applied) {
      this.notice = 'No valid pipeline is applied: fix the pipeline config, apply it, then open the file again.';
      return;
    }

    const runId = (this.runId = makeRunId(new Date()));
    this.lastFile = file;
    this.notice = null;
    // A stored run still loading must not land over this one.
    this.storedTicket++;
    this.stored = null;
    this.section = 'analyze';
    this.storage = null;
    this.result = null;
    this.cancelling = false;
    this.busy = true;
    this.snapshot = initialSnapshot(runId, file, applied.config.processors);
    this.observations = null;
    this.observedKey = '';
    this.charts.clear();
    this.alerts.reset();
    this.timeFilter = null;
    const run = this.engine.run(
      file,
      {
        runId,
        pipeline: applied.text,
        keepOutput: this.keepOutput,
        trace: this.traceEnabled ? this.tracePolicy : null,
        traceCap: wholeIn(this.traceCap, 1, MAX_TRACE_CAP, DEFAULT_TRACE_CAP),
        // Raw state: a plain object, which the worker message can carry.
        ...(this.library ? { retention: this.library.settings } : {}),
        persist: this.library !== null && this.keepInHistory,
        // "Detect automatically" leaves the pipeline's own `format` in force.
        ...(this.formatChoice !== AUTO_FORMAT ? { format: this.formatChoice } : {}),
        ...(this.library?.customFormats.length ? { customFormats: this.library.customFormats } : {}),
        timeZoneOffsetMinutes: this.timeZone,
      },
      applied.config,
      (snapshot) => {
        // Late updates of a replaced run must not overwrite the new one.
        if (runId !== this.runId) return;
        this.snapshot = snapshot;
        this.charts.update(snapshot);
        this.alerts.update(snapshot.alerts);
      },
      (status) => {
        if (runId === this.runId) this.storage = status;
        // Runs removed to make room are told in the History too, until dismissed.
        if (status.removed) this.library?.noteRemoved(status.removed);
        void this.library?.refresh();
      },
    );
    this.live = run;
    if (this.library) this.library.liveRunId = runId;
    const poll = setInterval(() => void this.refreshObservations(), OBSERVATIONS_INTERVAL_MS);
    try {
      const result = await run;
      if (runId === this.runId) {
        this.result = result;
        if (result.storage) this.storage = result.storage;
        // A run stopped by force has no series in its report: the live ones stay.
        if (RunCharts.hasMetrics(result.report)) this.charts.fromReport(result.report);
        this.alerts.load(result.report.alerts);
        // The report is the final word; a cancelled-by-force run's report has what the worker last said.
        this.observations = observationsOf(result.report) ?? this.observations;
      }
    } catch (error) {
      this.notice = `The run stopped unexpectedly: ${errorText(error)}`;
      if (runId === this.runId && this.snapshot) {
        this.snapshot = { ...this.snapshot, status: 'failed', etaMs: null, message: errorText(error) };
      }
    } finally {
      clearInterval(poll);
      if (this.library?.liveRunId === runId) this.library.liveRunId = null;
      void this.library?.refresh();
      void this.library?.refreshEstimate();
      if (this.live === run) {
        this.live = null;
        this.busy = false;
        this.cancelling = false;
      }
    }
  }

  /** The sampling policy the options describe (whether or not tracing is on). */
  get tracePolicy(): TracePolicy {
    switch (this.traceMode) {
      case 'all':
        return { mode: 'all' };
      case 'sample':
        return { mode: 'sample', n: wholeIn(this.traceSampleN, 1, Number.MAX_SAFE_INTEGER, 100) };
      case 'first':
        return { mode: 'first', n: wholeIn(this.traceFirstN, 1, Number.MAX_SAFE_INTEGER, 1000) };
    }
  }

  /** Switches the run area's tab; a view of details gets fresh ones at once rather than within a second. */
  show(view: View): void {
    this.view = view;
    void this.refreshObservations();
  }

  /** Fetches the live run's traces, errors and events if a view shows them and anything changed. */
  async refreshObservations(): Promise<void> {
    const snapshot = this.snapshot;
    if (!this.busy || !snapshot || this.observing || !OBSERVING.has(this.view)) return;
    const observed = snapshot.observed;
    const key = observed ? `${snapshot.runId}:${observed.traces}:${observed.errors}:${observed.events}` : null;
    if (key !== null && key === this.observedKey) return;
    const runId = this.runId;
    this.observing = true;
    try {
      const observations = await this.engine.observations();
      // Once the run has ended its report is the final word; a newer run has its own.
      if (observations && runId === this.runId && this.busy) {
        this.observations = observations;
        this.observedKey = key ?? '';
      }
    } catch {
      // The next tick asks again, and the report carries the final data in any case.
    } finally {
      this.observing = false;
    }
  }

  /** Fetches the bundled sample (precached, so it works offline) and runs it. */
  async trySample(): Promise<void> {
    let blob: Blob;
    try {
      const response = await fetch(SAMPLE_URL);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      blob = await response.blob();
    } catch (error) {
      this.notice = `The sample log could not be loaded: ${errorText(error)}`;
      return;
    }
    await this.open(new File([blob], 'sample.log', { type: 'text/plain' }));
  }

  /** Stops the live run; what it counted so far stays on screen and in the report. */
  cancel(): void {
    if (!this.live || this.cancelling) return;
    this.cancelling = true;
    this.engine.cancel();
  }

  /** Validates and applies a config; on issues the previous pipeline stays. Returns whether it applied. */
  async applyPipeline(text: string, name = presetOf(text) ?? 'Edited config'): Promise<boolean> {
    this.pipelineText = text;
    const ticket = ++this.applying;
    let result: Awaited<ReturnType<Engine['validatePipeline']>>;
    try {
      result = await this.engine.validatePipeline(text);
    } catch (error) {
      this.notice = `The pipeline could not be checked: ${errorText(error)}`;
      return false;
    }
    if (ticket !== this.applying) return false;
    if (!result.ok) {
      this.issues = result.error;
      return false;
    }
    this.issues = [];
    this.applied = { name, text, config: result.value };
    return true;
  }

  async importPipeline(file: File): Promise<boolean> {
    const text = await this.readOrSay(file.name, () => file.text());
    if (text === null) return false;
    return this.applyPipeline(text, file.name);
  }

  async choosePreset(name: string): Promise<boolean> {
    const text = presetText(name);
    if (text === undefined) return false;
    return this.applyPipeline(text, name);
  }

  /** Downloads the shown run's report: a stored run's as read back from IndexedDB, the same document its live run gave. */
  exportReport(): void {
    if (this.stored && !this.stored.report) return; // still reading it
    const stored = this.stored?.report;
    if (stored) {
      download(new Blob([JSON.stringify(stored, null, 2)], { type: 'application/json' }), `linesight-report-${stored.run.id}.json`);
      return;
    }
    const report = this.result?.report;
    if (!report) return;
    const json = JSON.stringify(report, null, 2);
    download(new Blob([json], { type: 'application/json' }), reportFileName(report));
  }

  /** The shown run's whole report: a stored or imported one's once read, else the last finished run's. */
  get shownReport(): AnyReport | null {
    if (this.stored) return this.stored.report;
    return this.result?.report ?? null;
  }

  /** Downloads the shown run's metrics in the Prometheus text exposition format. */
  exportMetrics(): void {
    const report = this.shownReport;
    if (!report) return;
    download(new Blob([toPrometheus(report)], { type: PROMETHEUS_CONTENT_TYPE }), `linesight-metrics-${report.run.id}.prom`);
  }

  /** Downloads the shown run's traces as OTLP JSON (what an OTLP/HTTP collector, Jaeger or Tempo take). */
  exportTraces(): void {
    const report = this.shownReport;
    if (!report) return;
    download(new Blob([JSON.stringify(toOtlpTraces(report))], { type: 'application/json' }), `linesight-traces-${report.run.id}.otlp.json`);
  }

  /** Downloads a self-contained HTML page of the shown run's dashboard. */
  exportSnapshot(): void {
    const report = this.shownReport;
    if (!report) return;
    download(new Blob([toHtmlSnapshot(report)], { type: 'text/html' }), `linesight-${report.run.id}.html`);
  }

  /**
   * Shows a report file read-only, like a stored run. The file may come from anyone: a refused
   * one says why in the notice (as text) and changes nothing else. Returns whether it is shown.
   */
  async importReport(file: File): Promise<boolean> {
    const ticket = ++this.storedTicket;
    // Asked before reading: the text of a file of a few GB does not even fit in a string.
    const tooLarge = reportSizeIssue(file.size);
    if (tooLarge) {
      this.notice = `${file.name} cannot be imported: ${tooLarge}.`;
      return false;
    }
    const text = await this.readOrSay(file.name, () => file.text());
    if (text === null || ticket !== this.storedTicket) return false;
    const parsed = readReport(text);
    if (!parsed.ok) {
      this.notice = `${file.name} cannot be imported: ${parsed.error}`;
      return false;
    }
    const { report, cut } = parsed.value;
    this.notice = cut
      ? `${file.name}: ${cut.toLocaleString('en-US')} ${cut === 1 ? 'text was' : 'texts were'} longer than Linesight keeps and ${cut === 1 ? 'is' : 'are'} shown cut.`
      : null;
    this.showStored(importedView(report));
    this.showSection('analyze');
    return true;
  }

  /** Downloads the run's kept events, one JSON object per line. */
  exportEvents(): void {
    const events = this.shownObservations?.events.items;
    const runId = this.stored?.runId ?? this.result?.report.run.id ?? this.snapshot?.runId;
    if (!events || !runId) return;
    download(new Blob([eventsToNdjson(events)], { type: 'application/x-ndjson' }), `linesight-events-${runId}.ndjson`);
  }

  /** Downloads the output kept on disk by the worker; it is never read into this tab's memory. */
  async saveOutput(): Promise<void> {
    const result = this.result;
    if (!result?.output?.lines) return;
    let file: File | null;
    try {
      file = await this.engine.latestOutputFile();
    } catch (error) {
      this.notice = `The output could not be opened: ${errorText(error)}`;
      return;
    }
    if (!file) {
      this.notice = 'The output of this run is no longer available in this browser’s storage.';
      return;
    }
    download(file, `linesight-output-${result.report.run.id}.log`);
  }

  dismissNotice(): void {
    this.notice = null;
  }

  /**
   * An alert action on the live or last run; the report to export follows what the engine says
   * (and, once the run has ended, the engine updates its stored copy in the history too).
   */
  private async alertAction(id: string, action: AlertUserAction, untilMs?: number | null): Promise<AlertView[] | null> {
    const result = this.result;
    const alerts = await this.engine.alertAction(id, action, untilMs);
    if (alerts && result && result === this.result) this.result = { ...result, report: { ...result.report, alerts } };
    return alerts;
  }

  /** The run the run area shows: a stored one opened from the history, else the live (or last) one. */
  get shownSnapshot(): RunSnapshot | null {
    return this.stored?.snapshot ?? this.snapshot;
  }

  get shownObservations(): Observations | null {
    return this.stored ? this.stored.observations : this.observations;
  }

  /** The id of the run live in this tab, if any: the history shows it as running here, and never deletes it. */
  get liveRunId(): string | null {
    return this.busy ? this.runId : null;
  }

  showSection(section: Section): void {
    this.section = section;
    // Only a visible history follows the runs of other tabs.
    this.library?.watch(section === 'history');
    if (section === 'settings') void this.library?.refreshEstimate();
  }

  /** Shows a stored run, read-only, from IndexedDB alone. The live run of this tab is its live view. */
  async openStored(runId: string): Promise<void> {
    const library = this.library;
    if (!library) return;
    if (runId === this.liveRunId) return this.backToLive();
    const ticket = ++this.storedTicket;
    const started = performance.now();
    const head = await library.loadRunHead(runId);
    if (ticket !== this.storedTicket) return;
    if (!head) return this.storedGone();
    this.showStored(headView(head, performance.now() - started));
    this.showSection('analyze');
    // Tens of thousands of rows at full caps: read after the stats are on screen.
    const report = await library.loadRun(runId);
    // The user may have gone back, or opened another run, meanwhile.
    if (ticket !== this.storedTicket || this.stored?.runId !== runId) return;
    if (!report) return this.storedGone();
    this.showStored(storedView(report, this.stored.firstMs, performance.now() - started));
  }

  /**
   * Shows a stored or imported run in place of the live one (null: the live one again). A time
   * filter picked on another run's chart means nothing here: it goes when the shown run changes.
   */
  private showStored(view: StoredRunView | null): void {
    if ((view?.runId ?? null) !== (this.stored?.runId ?? null)) this.timeFilter = null;
    this.stored = view;
  }

  private storedGone(): void {
    this.showStored(null);
    this.notice = 'That run is no longer stored (it was deleted or evicted).';
    void this.library?.refresh();
  }

  backToLive(): void {
    this.storedTicket++;
    this.showStored(null);
    this.showSection('analyze');
  }

  async deleteRun(runId: string): Promise<void> {
    if (runId === this.liveRunId) return;
    if (this.stored?.runId === runId) this.showStored(null);
    await this.library?.deleteRun(runId);
  }

  async clearRuns(): Promise<void> {
    await this.library?.clearRuns();
    const kept = new Set(this.library?.runs.map((run) => run.id));
    if (this.stored && !kept.has(this.stored.runId)) this.showStored(null);
  }

  /** Saves retention settings; they apply from the next run. The traces-kept field follows. */
  async saveSettings(values: RetentionSettings): Promise<RetentionIssue[]> {
    const library = this.library;
    if (!library) return [{ path: '', message: 'Settings cannot be kept in this browser.' }];
    const issues = await library.saveSettings(values);
    if (!issues.length) this.traceCap = values.tracesPerRun;
    return issues;
  }

  /** Keeps the editor's text under a name. Returns what went wrong, or null. */
  async savePipelineAs(name: string): Promise<string | null> {
    return this.library ? this.library.savePipeline(name, this.pipelineText) : 'Pipelines cannot be kept in this browser.';
  }

  /** Puts a saved pipeline in the editor and applies it under its name. */
  async pickSavedPipeline(name: string): Promise<boolean> {
    const saved = this.library?.pipelines.find((p) => p.name === name);
    return saved ? this.applyPipeline(saved.text, name) : false;
  }

  async deleteSavedPipeline(name: string): Promise<void> {
    await this.library?.deletePipeline(name);
  }
}

/** Sortable, readable and URL-safe: `20261122-224100-x7k2`. */
export function makeRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(36).padStart(4, '0').slice(-4);
  return `${stamp}-${random}`;
}

/** The report's traces, errors and events, when it has them. */
function observationsOf(report: Report): Observations | null {
  const { traces, errors, events } = report;
  return traces && errors && events ? { traces, errors, events } : null;
}

/** A whole number within [min, max]; a cleared or non-numeric field gives the fallback. */
function wholeIn(value: unknown, min: number, max: number, fallback: number): number {
  // Number(null) and Number('') are 0, not "nothing typed".
  const n = value === null || value === '' ? NaN : Number(value);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(n)));
}

