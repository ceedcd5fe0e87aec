import { parsePipeline } from '../engine/pipeline/config.ts';
import { describeProcessors } from '../engine/processors/registry.ts';
import type { TracePolicy } from '../engine/observe/types.ts';
import type { Observations, Report } from '../engine/report/report.ts';
import { LogRun } from '../engine/run.ts';
import type { RunSnapshot } from '../engine/snapshot.ts';
import { latestOutputFile, OpfsOutput, type OutputSummary } from './output.ts';

export interface StartRun {
  runId: string;
  /** The pipeline config as JSON text (validated again here: the worker trusts nothing). */
  pipeline: string;
  /** Keep the pipeline's output lines so they can be saved to a file. */
  keepOutput: boolean;
  /** Which lines to trace through the pipeline; null: tracing off. */
  trace: TracePolicy | null;
  /** Traces kept (most recent), 1 to 10,000. */
  traceCap: number;
}

export interface RunResult {
  report: Report;
  output: OutputSummary | null;
}

let current: AbortController | null = null;
/** The live run, or the last one: its traces, errors and events are asked for on demand. */
let latest: LogRun | null = null;

/** The worker's whole surface: a plain object over the engine. */
export const api = {
  describeProcessors,

  validatePipeline(text: string) {
    return parsePipeline(text);
  },

  async run(file: File, start: StartRun, onSnapshot: (snapshot: RunSnapshot) => void): Promise<RunResult> {
    const config = parsePipeline(start.pipeline);
    if (!config.ok) throw new Error(config.error.map((i) => `${i.path}: ${i.message}`).join('\n'));
    current?.abort();
    const controller = (current = new AbortController());
    const output = start.keepOutput ? await OpfsOutput.open() : undefined;
    const run = new LogRun(
      file,
      config.value,
      {
        runId: start.runId,
        fileName: file.name,
        signal: controller.signal,
        trace: start.trace,
        caps: { traces: start.traceCap },
      },
      { onSnapshot, output },
    );
    latest = run;
    try {
      const report = await run.execute();
      return { report, output: output?.summary ?? null };
    } finally {
      if (current === controller) current = null;
    }
  },

  cancel(): void {
    current?.abort();
  },

  /** Traces, errors and events of the live or last run (null before any run). */
  observations(): Observations | null {
    return latest?.observations() ?? null;
  },

  latestOutputFile,
};

export type WorkerApi = typeof api;
