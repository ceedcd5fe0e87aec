import {
  reportFileName,
  type ConfigIssue,
  type EngineClient,
  type PipelineConfig,
  type ProcessorDescriptor,
  type RunResult,
  type RunSnapshot,
} from '../worker/client.ts';
import { download } from './download.ts';
import { DEFAULT_PRESET, presetOf, presetText } from './presets.ts';

/** What the session needs of the engine; tests hand in a fake. */
export type Engine = Pick<EngineClient, 'describeProcessors' | 'validatePipeline' | 'run' | 'cancel' | 'latestOutputFile'>;

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
    const run = this.engine.run(
      file,
      { runId, pipeline: applied.text, keepOutput: this.keepOutput },
      applied.config,
      (snapshot) => {
        // Late updates of a replaced run must not overwrite the new one.
        if (runId === this.runId) this.snapshot = snapshot;
      },
    );
    this.live = run;
    try {
      const result = await run;
      if (runId === this.runId) this.result = result;
    } catch (error) {
      this.notice = `The run stopped unexpectedly: ${reason(error)}`;
      if (runId === this.runId && this.snapshot) {
        this.snapshot = { ...this.snapshot, status: 'failed', etaMs: null, message: reason(error) };
      }
    } finally {
      if (this.live === run) {
        this.live = null;
        this.busy = false;
        this.cancelling = false;
      }
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
    processors: config.processors.map(({ id, type }) => ({ id, type, linesIn: 0, linesOut: 0, dropped: 0, errors: 0, timeMs: 0 })),
    totals: { linesIn: 0, linesOut: 0, dropped: 0, errors: 0 },
    input: { compression: 'none', decodedBytes: 0, truncatedLines: 0, invalidUtf8Lines: 0, maxLineBytes: 0 },
    counters: [],
  };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
