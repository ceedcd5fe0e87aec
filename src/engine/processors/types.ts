import type { ParsedFields } from '../formats/types.ts';
import type { LogRecord } from '../types.ts';

/** One parameter of a processor type, as shown in the reference and checked by config validation. */
export interface ParamSpec {
  name: string;
  /** `strings`: a string or a list of strings (checked against `values` when given); `ids`: processor ids; `scalar`: a number or a string. */
  type: 'string' | 'strings' | 'regex' | 'integer' | 'number' | 'scalar' | 'boolean' | 'enum' | 'ids' | 'list' | 'object';
  description: string;
  /** Value used when the key is absent; absent and no default means the key is optional. */
  default?: unknown;
  required?: boolean;
  /** Inclusive range for integer and number. */
  min?: number;
  max?: number;
  /** Allowed values for enum (and for each item of a string list). */
  values?: readonly string[];
  /** For `list`: the fields of each object in the list; for `object`: its fields. */
  items?: readonly ParamSpec[];
  example?: unknown;
}

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
 * A processor at work. One that keeps a state (a counter's table) reports it as the parts it
 * gained since the last `drain()`, so the parts of every range of a file can be merged in file
 * order (the module's `mergeState`) into what one pass gives.
 */
interface Stateful {
  /** The state as the report shows it (a counter's top keys). */
  state?: () => unknown;
  /** In a range worker: what the state gained since the last call (plain data). */
  drain?: () => unknown;
  /** In the coordinator: adds a part drained from a range, parts in file order. */
  absorb?: (part: unknown) => void;
}

export type ProcessorInstance = ({ kind: 'map'; map: MapFn } | { kind: 'router'; route: RouteFn }) & Stateful;

/** Params after validation: defaults filled in, types checked, regexes compile. */
export type Params = Record<string, unknown>;

/**
 * What a run shares with its processors. `parser` is set once the run has detected the file's
 * format (before the first line reaches a processor), and only when the pipeline parses.
 */
export interface RunContext {
  parser: { parse(text: string): ParsedFields } | null;
}

export interface ProcessorModule {
  descriptor: ProcessorDescriptor;
  create(params: Params, context?: RunContext): ProcessorInstance;
  /** Routers only: branch name -> ids of the processors it feeds. */
  branches?(params: Params): Record<string, string[]>;
  /** Checks across params that ParamSpec cannot say; returns the offending param path and reason. */
  check?(params: Params): { path: string; message: string } | null;
}
