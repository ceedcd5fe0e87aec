/** What the worker tells the UI while a run is live: small aggregates, never lines. */

import type { CircuitState, ErrorPolicy, GraphSection } from './observe/types.ts';

export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed';

export interface ProcessorStats {
  id: string;
  type: string;
  linesIn: number;
  linesOut: number;
  dropped: number;
  errors: number;
  timeMs: number;
  circuit: CircuitState;
  circuitOpenings: number;
  errorPolicy: ErrorPolicy;
  /** Lines that went around the processor while its circuit was open. */
  bypassed: number;
}

export interface Totals {
  /** Lines the pipeline received (lines read). */
  linesIn: number;
  /** Lines the last processors emitted (the pipeline's output). */
  linesOut: number;
  dropped: number;
  errors: number;
}

/** What the line splitter saw in the input. */
export interface InputStats {
  compression: 'gzip' | 'none';
  /** Bytes after decompression (equal to bytesRead when not compressed). */
  decodedBytes: number;
  truncatedLines: number;
  invalidUtf8Lines: number;
  maxLineBytes: number;
}

/** Keys counted by a stateful `counter` processor, most frequent first. */
export interface CounterState {
  processor: string;
  counts: [key: string, count: number][];
  /** Distinct keys seen, including ones beyond the kept top. */
  distinct: number;
}

export interface RunSnapshot {
  runId: string;
  status: RunStatus;
  file: { name: string; size: number };
  startedAt: string;
  elapsedMs: number;
  bytesRead: number;
  linesRead: number;
  linesPerSec: number;
  bytesPerSec: number;
  /** Estimated time left; null when unknown (e.g. at the start). */
  etaMs: number | null;
  processors: ProcessorStats[];
  totals: Totals;
  input: InputStats;
  counters: CounterState[];
  /** The DAG with the lines that crossed each edge. */
  graph: GraphSection;
  /** How many traces, errors and events exist so far (details: the worker's `observations()`). */
  observed: { traces: number; errors: number; events: number };
  /** Why the run stopped early or failed, in words a user understands. */
  message?: string;
}
