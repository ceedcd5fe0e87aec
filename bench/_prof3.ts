import { parsePipeline } from '../src/engine/pipeline/config.ts';
import { runLog } from '../src/engine/run.ts';
import { fileSource } from './file-source.ts';
const blob = await fileSource('/tmp/app-50MB.log');
for (const [name, p, opts] of [
  ['parse+counter', '{"processors":[{"type":"parse","id":"parse"},{"type":"counter","id":"by_level","by":"level"}]}', {}],
  ['parse+counter noindex', '{"processors":[{"type":"parse","id":"parse"},{"type":"counter","id":"by_level","by":"level"}]}', { index: false }],
  ['log4j nomulti counter', '{"input":{"format":"log4j","multiline":false},"processors":[{"type":"counter","id":"by_level","by":"level"}]}', {}],
  ['plain counter', '{"input":{"format":"plain","multiline":false},"processors":[{"type":"counter","id":"by_level","by":"level"}]}', {}],
  ['uppercase only (plain)', '{"input":{"format":"plain","multiline":false},"processors":[{"type":"uppercase"}]}', {}],
] as const) {
  const cfg = parsePipeline(p); if (!cfg.ok) throw new Error(JSON.stringify(cfg.error));
  let best = Infinity;
  for (let i = 0; i < 3; i++) { const t = performance.now(); await runLog(blob, cfg.value, opts as object); best = Math.min(best, performance.now() - t); }
  console.log(name.padEnd(26), best.toFixed(0), 'ms', (50 / (best / 1000)).toFixed(0), 'MB/s');
}
