/**
 * The one way to write a processor: its descriptor (params as data, see params.ts) with typed
 * hooks. `create`, `check` and `branches` receive the params typed by the descriptor's own specs,
 * so a processor never casts its params.
 */
import { parseParams, type ConfigIssue, type Params, type ParamSpec, type ParamsOf } from './params.ts';
import type { Result } from '../types.ts';
import type { ParamProblem, ProcessorDescriptor, ProcessorInstance, ProcessorModule, RunContext } from './types.ts';

export interface ProcessorDefinition<P extends readonly ParamSpec[]> {
  descriptor: ProcessorDescriptor & { readonly params: P };
  /** Checks across params (e.g. "give either pattern or op"); the path is relative to the processor. */
  check?(params: ParamsOf<P>): ParamProblem | null;
  create(params: ParamsOf<P>, context: RunContext): ProcessorInstance;
  /** Routers: branch name -> ids of the processors it feeds. */
  branches?(params: ParamsOf<P>): Record<string, string[]>;
}

export function defineProcessor<const P extends readonly ParamSpec[]>(definition: ProcessorDefinition<P>): ProcessorModule {
  const { descriptor, check, create, branches } = definition;
  const specs = descriptor.params;
  // Params stored in a config are plain data; they are checked against the specs again (cheap,
  // once per run) rather than trusted, so what `create` receives is what the type says.
  // Once per params object: graph building asks a router for its branches several times.
  const checked = new WeakMap<Params, Result<ParamsOf<P>, ParamProblem>>();
  const typed = (params: Params): Result<ParamsOf<P>, ParamProblem> => {
    let result = checked.get(params);
    if (result === undefined) {
      const issues: ConfigIssue[] = [];
      const parsed = parseParams(specs, params, '', issues, descriptor.type);
      result = parsed === undefined ? { ok: false, error: issues[0] } : { ok: true, value: parsed };
      checked.set(params, result);
    }
    return result;
  };
  const valid = (params: Params): ParamsOf<P> => {
    const result = typed(params);
    if (!result.ok) throw new Error(`${descriptor.type}: ${result.error.path}: ${result.error.message}`);
    return result.value;
  };
  return {
    descriptor,
    parse(item, path, issues, allowed) {
      const before = issues.length;
      const parsed = parseParams(specs, item, path, issues, descriptor.type, allowed);
      if (parsed === undefined || issues.length !== before) return undefined;
      const problem = check?.(parsed) ?? null;
      if (problem !== null) {
        issues.push({ path: problem.path ? `${path}.${problem.path}` : path, message: problem.message });
        return undefined;
      }
      return parsed;
    },
    create: (params, context = { parser: null }) => create(valid(params), context),
    ...(check && {
      check(params: Params) {
        const result = typed(params);
        return result.ok ? check(result.value) : result.error;
      },
    }),
    ...(branches && { branches: (params: Params) => branches(valid(params)) }),
  };
}
