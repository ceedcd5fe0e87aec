/**
 * Parameters as data: one list of specs per processor gives the reference (README, the
 * Processors tab), the validation (path and reason, unknown keys refused) and, through
 * `ParamsOf`, the TypeScript type of the params its `create` receives.
 */
import { compilePattern } from '../text/pattern.ts';

/** One parameter of a processor type, as shown in the reference and checked by config validation. */
export interface ParamSpec {
  readonly name: string;
  /**
   * `strings`: a string or a list of strings, each one of `values`; `names`: a name or a list
   * of names (fields, keys); `ids`:
   * processor ids; `scalar`: a number or a string; `value`: a string, a number, true or false;
   * `regex`: a pattern for the linear-time engine (src/engine/text/pattern.ts).
   */
  readonly type: 'string' | 'strings' | 'names' | 'regex' | 'integer' | 'number' | 'scalar' | 'value' | 'boolean' | 'enum' | 'ids' | 'list' | 'object';
  readonly description: string;
  /** Value used when the key is absent; absent and no default means the key is optional. */
  readonly default?: unknown;
  readonly required?: boolean;
  /** Inclusive range for integer and number. */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for enum (and for each item of a string list). */
  readonly values?: readonly string[];
  /** For `list`: the fields of each object in the list; for `object`: its fields. */
  readonly items?: readonly ParamSpec[];
  readonly example?: unknown;
}

type ValuesOf<S> = S extends { readonly values: readonly (infer V extends string)[] } ? V : string;
type ItemsOf<S> = S extends { readonly items: infer I extends readonly ParamSpec[] } ? I : readonly [];

/** The value of a param after validation (lists of strings and ids are always lists). */
export type ValueOf<S extends ParamSpec> = S['type'] extends 'string' | 'regex'
  ? string
  : S['type'] extends 'integer' | 'number'
    ? number
    : S['type'] extends 'boolean'
      ? boolean
      : S['type'] extends 'scalar'
        ? number | string
        : S['type'] extends 'value'
          ? number | string | boolean
          : S['type'] extends 'enum'
            ? ValuesOf<S>
            : S['type'] extends 'strings'
              ? readonly ValuesOf<S>[]
              : S['type'] extends 'ids' | 'names'
                ? readonly string[]
                : S['type'] extends 'list'
                  ? readonly ParamsOf<ItemsOf<S>>[]
                  : S['type'] extends 'object'
                    ? ParamsOf<ItemsOf<S>>
                    : never;

/** Whether validation guarantees the key: it is required or has a default. */
type Guaranteed<S> = S extends { readonly required: true } ? true : S extends { readonly default: unknown } ? true : false;

type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The params object a list of specs validates to: guaranteed keys present, the others optional. */
export type ParamsOf<P extends readonly ParamSpec[]> = Flatten<
  { readonly [S in P[number] as Guaranteed<S> extends true ? S['name'] : never]: ValueOf<S> } & {
    readonly [S in P[number] as Guaranteed<S> extends true ? never : S['name']]?: ValueOf<S>;
  }
>;

/** Params after validation, untyped: what a pipeline config stores (plain data, it crosses postMessage). */
export type Params = Record<string, unknown>;

/** A reason a config was refused: where (`processors[2].pattern`) and why. */
export interface ConfigIssue {
  path: string;
  message: string;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function unknownKeyMessage(key: string, owner: string, known: readonly string[]): string {
  return `unknown key "${key}" for ${owner} (known: ${known.length ? known.join(', ') : 'none'})`;
}

/**
 * Validates the keys of `value` against `specs`: each known key checked, defaults filled in,
 * unknown keys refused (except those in `allowed`, which the caller checks itself). Issues go
 * to `issues` with `path` in front; undefined when there was any.
 */
export function parseParams<const P extends readonly ParamSpec[]>(
  specs: P,
  value: unknown,
  path: string,
  issues: ConfigIssue[],
  owner: string,
  allowed: ReadonlySet<string> = new Set(),
): ParamsOf<P> | undefined {
  if (!isObject(value)) {
    issues.push({ path, message: 'expected an object' });
    return undefined;
  }
  const before = issues.length;
  const names = specs.map((spec) => spec.name);
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  for (const key of Object.keys(value)) {
    if (!allowed.has(key) && !names.includes(key)) issues.push({ path: at(key), message: unknownKeyMessage(key, owner, names) });
  }
  const parsed: Params = {};
  for (const spec of specs) {
    const v = parseValue(spec, value[spec.name], at(spec.name), issues);
    if (v !== undefined) parsed[spec.name] = v;
  }
  // The object is built key by key from the specs above, which TypeScript cannot follow.
  return issues.length === before ? (parsed as ParamsOf<P>) : undefined;
}

/** One value against its spec: the value to keep (default filled in), or undefined with an issue. */
export function parseValue(spec: ParamSpec, value: unknown, path: string, issues: ConfigIssue[]): unknown {
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
    case 'value':
      return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
        ? value
        : problem('expected a string, a number, true or false');
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
    case 'names': {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) return problem('expected a name or a list of names');
      return list.some((v) => v === '') ? problem('a name cannot be empty') : list;
    }
    case 'regex': {
      if (typeof value !== 'string') return problem('expected a regular expression as a string');
      const compiled = compilePattern(value);
      return compiled.ok ? value : problem(compiled.error);
    }
    case 'ids': {
      const list = typeof value === 'string' ? [value] : value;
      return Array.isArray(list) && list.every((v) => typeof v === 'string') ? list : problem('expected a processor id or a list of ids');
    }
    case 'list':
      if (!Array.isArray(value)) return problem('expected a list');
      return value.map((entry, index) => parseParams(spec.items ?? [], entry, `${path}[${index}]`, issues, spec.name));
    case 'object':
      return parseParams(spec.items ?? [], value, path, issues, spec.name);
  }
}
