import { counter } from './counter.ts';
import { filter } from './filter.ts';
import { json } from './json.ts';
import { level } from './level.ts';
import { lineCounter } from './line_counter.ts';
import { lowercase } from './lowercase.ts';
import { parse } from './parse.ts';
import { router } from './router.ts';
import type { ProcessorDescriptor, ProcessorModule } from './types.ts';
import { uppercase } from './uppercase.ts';

/** Every processor type by type id, in reference order: text, parsing, statistics, routing. */
export const registry: ReadonlyMap<string, ProcessorModule> = new Map(
  [filter, uppercase, lowercase, lineCounter, parse, level, json, counter, router].map((module) => [
    module.descriptor.type,
    module,
  ]),
);

/** Introspection: what the registry can run, for the UI, the reference and config errors. */
export function describeProcessors(): ProcessorDescriptor[] {
  return [...registry.values()].map((module) => module.descriptor);
}
