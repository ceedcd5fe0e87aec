import type { LogRecord } from '../../../src/engine/types.ts';
import { registry } from '../../../src/engine/processors/registry.ts';
import type { MapFn, ParamSpec, Params, ProcessorInstance, ProcessorModule } from '../../../src/engine/processors/types.ts';

export const record = (text: string, lineNo = 1): LogRecord => ({ lineNo, offset: 0, text });

export function moduleOf(type: string): ProcessorModule {
  const module = registry.get(type);
  if (module === undefined) throw new Error(`no processor type ${type}`);
  return module;
}

/** What the pipeline's validation does before create(): fill in defaults, also in list items. */
export function withDefaults(specs: readonly ParamSpec[], params: Params): Params {
  const filled: Params = { ...params };
  for (const spec of specs) {
    if (filled[spec.name] === undefined && spec.default !== undefined) filled[spec.name] = spec.default;
    if (spec.items !== undefined && Array.isArray(filled[spec.name])) {
      filled[spec.name] = (filled[spec.name] as Params[]).map((item) => withDefaults(spec.items!, item));
    }
  }
  return filled;
}

/** Validated params of a type, or the check() failure as an exception (tests expect valid configs). */
export function validParams(type: string, params: Params = {}): Params {
  const module = moduleOf(type);
  const filled = withDefaults(module.descriptor.params, params);
  const problem = module.check?.(filled) ?? null;
  if (problem !== null) throw new Error(`${problem.path}: ${problem.message}`);
  return filled;
}

export function create(type: string, params: Params = {}): ProcessorInstance {
  return moduleOf(type).create(validParams(type, params));
}

export function createMap(type: string, params: Params = {}): MapFn {
  const instance = create(type, params);
  if (instance.kind !== 'map') throw new Error(`${type} is not a map processor`);
  return instance.map;
}

/** Texts of the records a map processor passes on. */
export function texts(map: MapFn, lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const result = map(record(line));
    if (result !== null) out.push(result.text);
  }
  return out;
}
