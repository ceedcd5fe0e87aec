import { counter } from './counter.ts';
import { dedupe } from './dedupe.ts';
import { drop } from './drop.ts';
import { extract } from './extract.ts';
import { filter } from './filter.ts';
import { json } from './json.ts';
import { kv } from './kv.ts';
import { level } from './level.ts';
import { lineCounter } from './line_counter.ts';
import { lowercase } from './lowercase.ts';
import { parse } from './parse.ts';
import { redact } from './redact.ts';
import { rename } from './rename.ts';
import { router } from './router.ts';
import { sample } from './sample.ts';
import { set } from './set.ts';
import { throttle } from './throttle.ts';
import { timestamp } from './timestamp.ts';
import type { ProcessorDescriptor, ProcessorModule } from './types.ts';
import { uppercase } from './uppercase.ts';

/** Every processor type by type id, in reference order: text, parsing and fields, selection, statistics, routing. */
export const registry: ReadonlyMap<string, ProcessorModule> = new Map(
  [
    filter,
    uppercase,
    lowercase,
    lineCounter,
    redact,
    parse,
    level,
    json,
    kv,
    extract,
    timestamp,
    set,
    rename,
    drop,
    sample,
    dedupe,
    throttle,
    counter,
    router,
  ].map((module) => [module.descriptor.type, module]),
);

/** Introspection: what the registry can run, for the UI, the reference and config errors. */
export function describeProcessors(): ProcessorDescriptor[] {
  return [...registry.values()].map((module) => module.descriptor);
}
