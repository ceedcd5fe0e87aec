import {
  eventsToNdjson,
  reportFileName,
  type ConfigIssue,
  type EngineClient,
  type LogEvent,
  type Observations,
  type PipelineConfig,
  type ProcessorDescriptor,
  type Report,
  type RunResult,
  type RunSnapshot,
  type Trace,
  type TracePolicy,
} from '../worker/client.ts';
import { download } from './download.ts';
import { DEFAULT_PRESET, presetOf, presetText } from './presets.ts';

/** What the session needs of the engine; tests hand in a fake. */
export type Engine = Pick<
  EngineClient,
  'describeProcessors' | 'validatePipeline' | 'run' | 'cancel' | 'latestOutputFile' | 'observations'
>;

/** The tabs of the run area. */
export type View = 'stats' | 'graph' | 'journeys' | 'errors' | 'events' | 'processors';
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

  constructor(private readonly engine: Engine) {
    this.ready = this.init();
  }

  private async init(): Promise<void> {
    try {
      const [processors] = await Promise.all([
        this.engine.describeProcessors(),
        this.choosePreset(DEFAULT_PRESET),
      ]);
      this.processors = processors;
    } catch (error) {
      this.notice = `The analysis engine could not start: ${reason(error)}`;
    }
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
    this.notice = null;
    this.result = null;
    this.cancelling = false;
    this.busy = true;
    this.snapshot = startingSnapshot(file, runId, applied.config);
    this.observations = null;
    this.observedKey = '';
    const run = this.engine.run(
      file,
      {
        runId,
        pipeline: applied.text,
        keepOutput: this.keepOutput,
        trace: this.traceEnabled ? this.tracePolicy : null,
        traceCap: wholeIn(this.traceCap, 1, MAX_TRACE_CAP, DEFAULT_TRACE_CAP),
      },
      applied.config,
      (snapshot) => {
        // Late updates of a replaced run must not overwrite the new one.
        if (runId === this.runId) this.snapshot = snapshot;
      },
    );
    this.live = run;
    const poll = setInterval(() => void this.refreshObservations(), OBSERVATIONS_INTERVAL_MS);
    try {
      const result = await run;
      if (runId === this.runId) {
        this.result = result;
        // The report is the final word; a cancelled-by-force run's report has what the worker last said.
        this.observations = observationsOf(result.report) ?? this.observations;
      }
    } catch (error) {
      this.notice = `The run stopped unexpectedly: ${reason(error)}`;
      if (runId === this.runId && this.snapshot) {
        this.snapshot = { ...this.snapshot, status: 'failed', etaMs: null, message: reason(error) };
      }
    } finally {
      clearInterval(poll);
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
      this.notice = `The sample log could not be loaded: ${reason(error)}`;
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
      this.notice = `The pipeline could not be checked: ${reason(error)}`;
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
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      this.notice = `${file.name} could not be read: ${reason(error)}`;
      return false;
    }
    return this.applyPipeline(text, file.name);
  }

  async choosePreset(name: string): Promise<boolean> {
    const text = presetText(name);
    if (text === undefined) return false;
    return this.applyPipeline(text, name);
  }

  exportReport(): void {
    const report = this.result?.report;
    if (!report) return;
    const json = JSON.stringify(report, null, 2);
    download(new Blob([json], { type: 'application/json' }), reportFileName(report));
  }

  /** Downloads the run's kept events, one JSON object per line. */
  exportEvents(): void {
    const events = this.observations?.events.items;
    const runId = this.result?.report.run.id ?? this.snapshot?.runId;
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
      this.notice = `The output could not be opened: ${reason(error)}`;
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
}

/** Sortable, readable and URL-safe: `20261122-224100-x7k2`. */
export function makeRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(36).padStart(4, '0').slice(-4);
  return `${stamp}-${random}`;
}

/** Shown until the worker's first update, so the table lists the pipeline at once. */
function startingSnapshot(file: File, runId: string, config: PipelineConfig): RunSnapshot {
  return {
    runId,
    status: 'running',
    file: { name: file.name, size: file.size },
    startedAt: new Date().toISOString(),
    elapsedMs: 0,
    bytesRead: 0,
    linesRead: 0,
    linesPerSec: 0,
    bytesPerSec: 0,
    etaMs: null,
    processors: config.processors.map(({ id, type }) => ({
      id,
      type,
      linesIn: 0,
      linesOut: 0,
      dropped: 0,
      errors: 0,
      timeMs: 0,
      circuit: 'closed',
      circuitOpenings: 0,
      errorPolicy: 'drop',
      bypassed: 0,
    })),
    totals: { linesIn: 0, linesOut: 0, dropped: 0, errors: 0 },
    input: { compression: 'none', decodedBytes: 0, truncatedLines: 0, invalidUtf8Lines: 0, maxLineBytes: 0 },
    counters: [],
    // Edges come with the worker's first update (the engine owns how `next` and routes connect).
    graph: { nodes: config.processors.map(({ id, type }) => ({ id, type })), edges: [] },
    observed: { traces: 0, errors: 0, events: 0 },
  };
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

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
