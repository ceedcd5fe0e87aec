import { DEFAULT_CIRCUIT } from '../observe/circuit.ts';
import type { CircuitConfig, ErrorPolicy } from '../observe/types.ts';
import { isObject, parseParams, parseValue, unknownKeyMessage, type ConfigIssue, type Params } from '../processors/params.ts';
import { registry } from '../processors/registry.ts';
import type { Result } from '../types.ts';
import { CIRCUIT_PARAMS, COMMON_PARAMS, NEXT_PARAM, ON_ERROR_PARAM, RETRY_PARAMS } from './common-params.ts';
import { branchTargets, buildGraph, type WorkMeter } from './graph.ts';

export type { ConfigIssue } from '../processors/params.ts';

/** One processor as written in a pipeline config, after validation. */
export interface ProcessorConfig {
  type: string;
  id: string;
  /** Explicit successors; absent means "the processor listed after me" (see graph.ts). */
  next?: string[];
  /** What a processor error does to the line (once its retries, if any, have failed too). */
  onError: ErrorPolicy;
  /** Times a failing line is tried again at this processor before `onError` applies (0: none). */
  retry: number;
  /** null: the circuit breaker is off for this processor. */
  circuit: CircuitConfig | null;
  params: Params;
}

/** How entries are read from the file: the run's first stage, before any processor. */
export interface InputConfig {
  /** A format id, or "auto": detected from the head of the file. */
  format: string;
  /** Join continuation lines (stack traces) to the entry they belong to. */
  multiline: boolean;
  /** Zone of timestamps written without one ("UTC", "+02:00", "-0530"); absent: the run's option (UTC by default). */
  timeZone?: string;
}

export interface PipelineConfig {
  /** Absent in configs that do not say: the defaults, or the first `parse` processor's params. */
  input?: InputConfig;
  processors: ProcessorConfig[];
}

export const DEFAULT_INPUT: InputConfig = { format: 'auto', multiline: true };

/**
 * The input stage a config asks for: its `input` section, else what an older config's `parse`
 * processor says (the same meaning), else the defaults.
 */
export function inputOf(config: PipelineConfig): InputConfig {
  if (config.input) return config.input;
  const parse = config.processors.find((p) => p.type === 'parse');
  if (parse) return { format: (parse.params.format as string) ?? 'auto', multiline: (parse.params.multiline as boolean) ?? true };
  return DEFAULT_INPUT;
}

/** "UTC", "Z", "+02:00", "+0200", "-05" as minutes east of UTC, or null. */
export function zoneOffsetMinutes(text: string): number | null {
  if (/^(?:UTC|GMT|Z)$/i.test(text)) return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})?$/i.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  if (minutes > 14 * 60) return null;
  return m[1] === '-' ? -minutes : minutes;
}
/**
 * The most processors a pipeline may have. Setup is near-linear, but every processor is a row
 * of the stats, a node of the graph view and a step of each traced line: beyond this the page
 * stops being responsive, and no real pipeline needs as many.
 */
export const MAX_PROCESSORS = 1000;

const ID_PATTERN = /^[A-Za-z_][\w.-]*$/;
/** Keys every processor accepts; everything else must be one of its type's params. */
const COMMON_KEYS: ReadonlySet<string> = new Set(['type', ...COMMON_PARAMS.map((spec) => spec.name)]);

/**
 * Validates a pipeline config (JSON text or an already parsed value) against the processor
 * registry. All issues are reported at once; nothing is half-applied. `meter` counts the work
 * of building the graph (see graph.ts).
 */
export function parsePipeline(input: string | unknown, meter?: WorkMeter): Result<PipelineConfig, ConfigIssue[]> {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (err) {
      return fail('', `not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!isObject(raw)) return fail('', 'expected an object like {"processors": [...]}');
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(raw)) {
    if (key !== 'processors' && key !== 'input') issues.push({ path: key, message: `unknown key (expected "input" and "processors")` });
  }
  const inputSection = raw.input === undefined ? undefined : parseInput(raw.input, issues);
  const list = raw.processors;
  if (!Array.isArray(list)) return fail('processors', 'expected a list of processors');
  if (list.length === 0) return fail('processors', 'a pipeline needs at least one processor');
  if (list.length > MAX_PROCESSORS) {
    return fail(
      'processors',
      `${list.length.toLocaleString('en-US')} processors: a pipeline may have at most ${MAX_PROCESSORS.toLocaleString('en-US')} (beyond that the stats, the graph and traced lines stop being readable or responsive)`,
    );
  }

  const processors: ProcessorConfig[] = [];
  const typeCounts = new Map<string, number>();
  list.forEach((item, index) => {
    const processor = parseProcessor(item, `processors[${index}]`, typeCounts, issues);
    if (processor) processors.push(processor);
  });
  checkReferences(processors, list, issues);
  if (issues.length) return { ok: false, error: issues };
  // Only a config that forms a DAG is valid: cycles are config errors too.
  const graph = buildGraph({ processors }, meter);
  if (!graph.ok) return graph;
  return { ok: true, value: inputSection ? { input: inputSection, processors } : { processors } };
}

const INPUT_KEYS = ['format', 'multiline', 'timeZone'];

function parseInput(value: unknown, issues: ConfigIssue[]): InputConfig | undefined {
  if (!isObject(value)) {
    issues.push({ path: 'input', message: 'expected an object like {"format": "auto", "multiline": true}' });
    return undefined;
  }
  const before = issues.length;
  for (const key of Object.keys(value)) {
    if (!INPUT_KEYS.includes(key)) issues.push({ path: `input.${key}`, message: unknownKeyMessage(key, 'input', INPUT_KEYS) });
  }
  const { format = 'auto', multiline = true, timeZone } = value;
  if (typeof format !== 'string' || !/^[\w.-]{1,64}$/.test(format)) issues.push({ path: 'input.format', message: 'expected a format id, or "auto"' });
  if (typeof multiline !== 'boolean') issues.push({ path: 'input.multiline', message: 'expected true or false' });
  if (timeZone !== undefined && (typeof timeZone !== 'string' || zoneOffsetMinutes(timeZone) === null)) {
    issues.push({ path: 'input.timeZone', message: 'expected a zone like "UTC", "+02:00" or "-0530"' });
  }
  if (issues.length !== before) return undefined;
  return { format: format as string, multiline: multiline as boolean, ...(timeZone !== undefined ? { timeZone: timeZone as string } : {}) };
}

function parseProcessor(
  item: unknown,
  path: string,
  typeCounts: Map<string, number>,
  issues: ConfigIssue[],
): ProcessorConfig | null {
  if (!isObject(item)) {
    issues.push({ path, message: 'expected an object with a "type"' });
    return null;
  }
  const type = item.type;
  const module = typeof type === 'string' ? registry.get(type) : undefined;
  if (!module) {
    const known = [...registry.keys()].join(', ');
    issues.push({ path: `${path}.type`, message: `unknown processor type ${JSON.stringify(type)} (known: ${known})` });
    return null;
  }
  // Ids default to the type, numbered from the second one on, so short configs stay short.
  const seen = (typeCounts.get(module.descriptor.type) ?? 0) + 1;
  typeCounts.set(module.descriptor.type, seen);
  let id = seen === 1 ? module.descriptor.type : `${module.descriptor.type}_${seen}`;
  if (item.id !== undefined) {
    if (typeof item.id !== 'string' || !ID_PATTERN.test(item.id)) {
      issues.push({ path: `${path}.id`, message: 'expected a name of letters, digits, "_", "-" or "." not starting with a digit' });
    } else id = item.id;
  }
  let next: string[] | undefined;
  if (item.next !== undefined) {
    const ids = parseValue(NEXT_PARAM, item.next, `${path}.next`, issues);
    if (Array.isArray(ids)) next = ids;
  }
  const errors = parseErrorPolicy(item.onError, `${path}.onError`, issues);
  const circuit = parseCircuit(item.circuit, `${path}.circuit`, issues);
  const before = issues.length;
  const params = module.parse(item, path, issues, COMMON_KEYS);
  // Params that failed (a router without routes) cannot be asked for their branches.
  if (params === undefined || issues.length !== before || errors === undefined) return null;
  return { type: module.descriptor.type, id, next, onError: errors.onError, retry: errors.retry, circuit, params };
}

/** `onError`: a policy ("drop", "pass", "stop"), or `{"retry": N, "then": policy}`. */
function parseErrorPolicy(value: unknown, path: string, issues: ConfigIssue[]): { onError: ErrorPolicy; retry: number } | undefined {
  if (isObject(value)) {
    const retry = parseParams(RETRY_PARAMS, value, path, issues, 'onError');
    return retry && { onError: retry.then, retry: retry.retry };
  }
  const before = issues.length;
  const policy = parseValue(ON_ERROR_PARAM, value, path, issues);
  if (issues.length !== before) {
    issues[issues.length - 1].message += ', or {"retry": N} to try a failing line again first';
    return undefined;
  }
  return policy === 'drop' || policy === 'pass' || policy === 'stop' ? { onError: policy, retry: 0 } : undefined;
}

/** `circuit`: absent for the defaults, `false` to turn it off, or an object of overrides. */
function parseCircuit(value: unknown, path: string, issues: ConfigIssue[]): CircuitConfig | null {
  if (value === false) return null;
  if (value === undefined || value === true) return { ...DEFAULT_CIRCUIT };
  return parseParams(CIRCUIT_PARAMS, value, path, issues, 'circuit') ?? null;
}

/** Every id named by `next` or a router branch must exist; ids must be unique. */
function checkReferences(processors: ProcessorConfig[], list: unknown[], issues: ConfigIssue[]): void {
  if (processors.length !== list.length) return; // earlier issues already explain what is wrong
  const ids = new Map<string, number>();
  processors.forEach((p, index) => {
    if (ids.has(p.id)) issues.push({ path: `processors[${index}].id`, message: `duplicate id "${p.id}" (also processors[${ids.get(p.id)}])` });
    else ids.set(p.id, index);
  });
  processors.forEach((p, index) => {
    const targets = [...(p.next ?? []).map((id) => ({ id, path: 'next' })), ...branchTargets(p)];
    for (const target of targets) {
      if (!ids.has(target.id)) {
        issues.push({ path: `processors[${index}].${target.path}`, message: `no processor has the id "${target.id}"` });
      } else if (target.id === p.id) {
        issues.push({ path: `processors[${index}].${target.path}`, message: 'a processor cannot feed itself' });
      }
    }
  });
}

function fail(path: string, message: string): Result<never, ConfigIssue[]> {
  return { ok: false, error: [{ path, message }] };
}

/** The issues as one message per line, e.g. for the UI or an error. */
export function formatIssues(issues: ConfigIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n');
}
