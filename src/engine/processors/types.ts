import type { ParsedFields } from '../formats/types.ts';
import type { LogRecord } from '../types.ts';
import type { CounterTable } from './counter-table.ts';
import type { ConfigIssue, ParamSpec, Params } from './params.ts';

export type { ConfigIssue, ParamSpec, Params, ParamsOf } from './params.ts';

/** Self-description of a processor type (Vector style): the registry lists these. */
export interface ProcessorDescriptor {
  type: string;
  title: string;
  /** One line. */
  description: string;
  /** `map` emits, changes or drops a record; `router` sends it to one named branch. */
  kind: 'map' | 'router';
  params: readonly ParamSpec[];
  /** Optional longer notes (Markdown) for the reference, e.g. how a value is derived. */
  details?: string;
  /**
   * Why the processor's output depends on the lines before it (numbering, windows, first N), when
   * it does. A pipeline with such a processor reads its lines in file order on one worker, so its
   * answer is the one a single pass gives; the others run on the pool over byte ranges.
   */
  ordered?: string;
  /**
   * The processor can fail on a line (a JSON parser on text that is not JSON). Only then does
   * its circuit breaker, which counts failures in line order, make the pipeline read in order.
   */
  canFail?: boolean;
}

/** Returns the record to pass on (the same object, changed or not), or null to drop it. Throws on error. */
export type MapFn = (record: LogRecord) => LogRecord | null;
/** Returns the branch the record goes to, or null when no branch (and no default) takes it. */
export type RouteFn = (record: LogRecord) => string | null;

/**
 * A processor's whole state over the lines it saw, for a processor that is not `ordered`: the
 * states of the byte ranges of a file merge (mergePartialStates, in file order) into the state
 * of one pass over the file.
 */
export type PartialState = { kind: 'counter'; table: CounterTable; top: number } | { kind: 'redact'; masked: Record<string, number> };

interface InstanceState {
  /** What the processor has to show (a counter's top keys, redact's counts), small enough for every snapshot. */
  state?: () => unknown;
  partial?: () => PartialState;
  /**
   * The state gained since the last call, and a fresh start: a range worker reports its state
   * piece by piece this way, and the pieces merge in file order as ranges do.
   */
  takePartial?: () => PartialState;
}

export type ProcessorInstance = ({ kind: 'map'; map: MapFn } | { kind: 'router'; route: RouteFn }) & InstanceState;

/**
 * What a run shares with its processors. `parser` is set once the run has detected the file's
 * format (before the first line reaches a processor), and only when the pipeline parses.
 * `timeZoneOffsetMinutes` is the run's zone for log times written without one (UTC when absent).
 */
export interface RunContext {
  parser: { parse(text: string): ParsedFields } | null;
  timeZoneOffsetMinutes?: number;
}

/** A check across params that specs cannot say: the offending param path (relative to the processor) and the reason. */
export interface ParamProblem {
  path: string;
  message: string;
}

export interface ProcessorModule {
  descriptor: ProcessorDescriptor;
  /**
   * Validates one processor's keys as written in a config: its params (defaults filled in) and
   * the checks across them. Keys in `allowed` (the keys every processor takes) are left to the
   * caller; issues go to `issues` under `path`.
   */
  parse(item: Record<string, unknown>, path: string, issues: ConfigIssue[], allowed: ReadonlySet<string>): Params | undefined;
  create(params: Params, context?: RunContext): ProcessorInstance;
  /** Routers only: branch name -> ids of the processors it feeds. */
  branches?(params: Params): Record<string, string[]>;
  /** Checks across params that specs cannot say; null when the params are fine. */
  check?(params: Params): ParamProblem | null;
}
