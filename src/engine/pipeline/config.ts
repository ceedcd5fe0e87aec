import { DEFAULT_CIRCUIT, ERROR_POLICY_PARAM } from '../observe/circuit.ts';
import type { CircuitConfig, ErrorPolicy } from '../observe/types.ts';
import type { ParamSpec, Params } from '../processors/types.ts';
import { registry } from '../processors/registry.ts';
import type { Result } from '../types.ts';
import { CIRCUIT_PARAM, COMMON_PARAMS } from './common-params.ts';
import { branchTargets, buildGraph } from './graph.ts';

/** One processor as written in a pipeline config, after validation. */
export interface ProcessorConfig {
  type: string;
  id: string;
  /** Explicit successors; absent means "the processor listed after me" (see graph.ts). */
  next?: string[];
  /** What a processor error does to the line. */
  onError: ErrorPolicy;
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

/** A reason a config was refused: where (`processors[2].pattern`) and why. */
export interface ConfigIssue {
  path: string;
  message: string;
}

const ID_PATTERN = /^[A-Za-z_][\w.-]*$/;
/** Keys every processor accepts; everything else must be one of its type's params. */
const COMMON_KEYS = new Set(['type', ...COMMON_PARAMS.map((spec) => spec.name)]);

/**
 * Validates a pipeline config (JSON text or an already parsed value) against the processor
 * registry. All issues are reported at once; nothing is half-applied.
 */
export function parsePipeline(input: string | unknown): Result<PipelineConfig, ConfigIssue[]> {
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

  const processors: ProcessorConfig[] = [];
  const typeCounts = new Map<string, number>();
  list.forEach((item, index) => {
    const processor = parseProcessor(item, `processors[${index}]`, typeCounts, issues);
    if (processor) processors.push(processor);
  });
  checkReferences(processors, list, issues);
  if (issues.length) return { ok: false, error: issues };
  // Only a config that forms a DAG is valid: cycles are config errors too.
  const graph = buildGraph({ processors });
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
    next = parseIds(item.next, `${path}.next`, issues) ?? undefined;
  }
  const onError = parseParam(ERROR_POLICY_PARAM, item.onError, `${path}.onError`, issues) as ErrorPolicy;
  const circuit = parseCircuit(item.circuit, `${path}.circuit`, issues);
  const params: Params = {};
  const specs = new Map(module.descriptor.params.map((spec) => [spec.name, spec]));
  for (const key of Object.keys(item)) {
    if (!COMMON_KEYS.has(key) && !specs.has(key)) {
      issues.push({ path: `${path}.${key}`, message: unknownKeyMessage(key, module.descriptor.type, [...specs.keys()]) });
    }
  }
  const before = issues.length;
  for (const spec of module.descriptor.params) {
    const value = parseParam(spec, item[spec.name], `${path}.${spec.name}`, issues);
    if (value !== undefined) params[spec.name] = value;
  }
  if (issues.length === before && module.check) {
    const problem = module.check(params);
    if (problem) issues.push({ path: problem.path ? `${path}.${problem.path}` : path, message: problem.message });
  }
  // Params that failed (a router without routes) cannot be asked for their branches.
  if (issues.length !== before) return null;
  return { type: module.descriptor.type, id, next, onError, circuit, params };
}

/** `circuit`: absent for the defaults, `false` to turn it off, or an object of overrides. */
function parseCircuit(value: unknown, path: string, issues: ConfigIssue[]): CircuitConfig | null {
  if (value === false) return null;
  if (value === undefined || value === true) return { ...DEFAULT_CIRCUIT };
  const parsed = parseParam(CIRCUIT_PARAM, value, path, issues);
  return parsed === undefined ? null : (parsed as unknown as CircuitConfig);
}

function parseParam(spec: ParamSpec, value: unknown, path: string, issues: ConfigIssue[]): unknown {
  if (value === undefined) {
    if (spec.required) issues.push({ path, message: `required (${spec.description})` });
    return spec.default;
  }
  const problem = (message: string) => {
    issues.push({ path, message });
    return undefined;
  };
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' ? value : problem('expected a string');
    case 'boolean':
      return typeof value === 'boolean' ? value : problem('expected true or false');
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return problem('expected a number');
      if (spec.type === 'integer' && !Number.isInteger(value)) return problem('expected a whole number');
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        return problem(`expected a value from ${spec.min ?? '-∞'} to ${spec.max ?? '∞'}, got ${value}`);
      }
      return value;
    }
    case 'scalar':
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
        ? value
        : problem('expected a number or a string');
    case 'enum':
      return typeof value === 'string' && spec.values?.includes(value)
        ? value
        : problem(`expected one of ${spec.values?.map((v) => JSON.stringify(v)).join(', ')}`);
    case 'strings': {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) return problem('expected a string or a list of strings');
      const allowed = spec.values;
      const bad = allowed && list.find((v) => !allowed.includes(v));
      if (allowed && bad !== undefined) return problem(`${JSON.stringify(bad)} is not one of ${allowed.join(', ')}`);
      return list;
    }
    case 'regex': {
      if (typeof value !== 'string') return problem('expected a regular expression as a string');
      try {
        new RegExp(value);
      } catch (err) {
        return problem(`invalid regular expression: ${regexReason(err)}`);
      }
      return value;
    }
    case 'ids':
      return parseIds(value, path, issues) ?? undefined;
    case 'list':
      if (!Array.isArray(value)) return problem('expected a list');
      return value.map((entry, index) => parseFields(spec, entry, `${path}[${index}]`, issues));
    case 'object':
      return parseFields(spec, value, path, issues);
  }
}

/** An object whose keys are the spec's `items`: unknown keys refused, each field parsed. */
function parseFields(spec: ParamSpec, value: unknown, path: string, issues: ConfigIssue[]): Params | undefined {
  if (!isObject(value)) {
    issues.push({ path, message: 'expected an object' });
    return undefined;
  }
  const fields = spec.items ?? [];
  const names = fields.map((f) => f.name);
  for (const key of Object.keys(value)) {
    if (!names.includes(key)) issues.push({ path: `${path}.${key}`, message: unknownKeyMessage(key, spec.name, names) });
  }
  const parsed: Params = {};
  for (const field of fields) {
    const v = parseParam(field, value[field.name], `${path}.${field.name}`, issues);
    if (v !== undefined) parsed[field.name] = v;
  }
  return parsed;
}

function parseIds(value: unknown, path: string, issues: ConfigIssue[]): string[] | null {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) {
    issues.push({ path, message: 'expected a processor id or a list of ids' });
    return null;
  }
  return list;
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

function unknownKeyMessage(key: string, owner: string, known: string[]): string {
  return `unknown key "${key}" for ${owner} (known: ${known.length ? known.join(', ') : 'none'})`;
}

function regexReason(err: unknown): string {
  // V8 says "Invalid regular expression: /(/: Unterminated group"; keep only the reason.
  const message = (err as Error).message;
  return message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
}

function fail(path: string, message: string): Result<never, ConfigIssue[]> {
  return { ok: false, error: [{ path, message }] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The issues as one message per line, e.g. for the UI or an error. */
export function formatIssues(issues: ConfigIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n');
}
