/**
 * Observability data of one run, in the exact shapes of the report's sections
 * (`linesight.report/v1`: traces, errors, events). Live views, finished runs and stored runs
 * all render these same shapes.
 */

/** What happened to a line at one processor. */
export type StepStatus = 'emit' | 'drop' | 'error' | 'route';
/** Where a traced line ended. Emitted wins over dropped when a fan-out sent it several ways. */
export type TraceStatus = 'emitted' | 'dropped' | 'error';

export interface TraceStep {
  processor: string;
  status: StepStatus;
  /** Routers: the branch taken. */
  branch?: string;
  durationUs: number;
  /** The line's text after this step, only when this processor changed it. */
  text?: string;
  /** For `error` steps: "Type: message". */
  error?: string;
  /** The step was not timed on its own (a line traced only because it was dropped or failed): the processor's mean time per line in that batch. */
  estimated?: boolean;
  /** The circuit was open and the line went around the processor. */
  bypassed?: boolean;
}

export interface Trace {
  /** Which of the run's files, when it read several. */
  file?: number;
  lineNo: number;
  offset: number;
  /** The line's own time (epoch ms), when it has a timestamp. */
  ts?: number;
  /** The original line. */
  text: string;
  status: TraceStatus;
  steps: TraceStep[];
}

export type TracePolicy =
  | { mode: 'all' }
  /** Every n-th line (1 in n). */
  | { mode: 'sample'; n: number }
  /** The first n lines. */
  | { mode: 'first'; n: number };

export interface TracesSection {
  enabled: boolean;
  policy: TracePolicy | null;
  /** Traces made (sampled, plus drops and errors traced while the cap allowed). */
  seen: number;
  kept: number;
  items: Trace[];
  /** Texts (lines, step texts and errors) cut to the byte caps, over every trace made; absent when none. */
  cut?: number;
}

export interface ProcessorErrorItem {
  processor: string;
  /** Which of the run's files, when it read several. */
  file?: number;
  lineNo: number;
  /** The line's own time (epoch ms), when it has a timestamp. */
  ts?: number;
  /** The line as the processor received it. */
  text: string;
  /** The exception's name, e.g. JsonParseError. */
  type: string;
  message: string;
  /** The first frames of the stack, when there is one. */
  stack?: string[];
}

export interface ErrorsSection {
  total: number;
  byProcessor: Record<string, number>;
  byType: Record<string, number>;
  /** The most recent errors, up to the cap. */
  items: ProcessorErrorItem[];
  /** Lines and messages cut to the byte caps, over every error counted; absent when none. */
  cut?: number;
}

export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

/** One structured event of the run's event log; extra fields depend on `event`. */
export interface LogEvent {
  /** ISO 8601. */
  ts: string;
  level: EventLevel;
  /** "run", "pipeline", or a processor id. */
  component: string;
  /** run_started, stage_completed, circuit_state_change, processor_error, run_completed, run_cancelled, run_failed, ... */
  event: string;
  [field: string]: unknown;
}

export interface EventsSection {
  seen: number;
  kept: number;
  items: LogEvent[];
  /** Texts in events cut to the byte caps, over every event logged; absent when none. */
  cut?: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** What a processor error does to the line: drop it, pass it on unchanged, or stop the run. */
export type ErrorPolicy = 'drop' | 'pass' | 'stop';

export interface CircuitConfig {
  /** Opens after this many errors in a row. */
  consecutiveErrors: number;
  /** ...or when the share of failing lines within a window of `window` lines exceeds this (0–1). */
  errorRate: number;
  window: number;
  /** Time the circuit stays open before letting one line try (half-open). */
  cooldownMs: number;
  /** While open, lines go around the processor unchanged (`pass`) or are dropped (`drop`). */
  whileOpen: 'pass' | 'drop';
}

export interface GraphSection {
  nodes: { id: string; type: string }[];
  edges: { from: string; to: string; branch?: string; lines: number }[];
}

/** Caps of a run's observability data; counts stay exact when items are evicted. */
export interface ObserveCaps {
  traces: number;
  errors: number;
  events: number;
}

export const DEFAULT_CAPS: ObserveCaps = { traces: 1000, errors: 1000, events: 5000 };
export const MAX_TRACES = 10_000;
