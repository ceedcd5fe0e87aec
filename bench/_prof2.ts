import { parsePipeline } from '../src/engine/pipeline/config.ts';
import { inProcessPool, runLog } from '../src/engine/run.ts';
import { fileSource } from './file-source.ts';
const cfg = parsePipeline('{"processors":[{"type":"parse","id":"parse"},{"type":"counter","id":"by_level","by":"level"}]}');
if (!cfg.ok) throw new Error('bad');
const blob = await fileSource(process.argv[2] ?? '/tmp/app-50MB.log');
for (const pool of [1, 2]) {
  const t = performance.now();
  let snaps = 0;
  const r = await runLog(blob, cfg.value, { pool: inProcessPool(pool) }, { onSnapshot: () => snaps++ });
  console.log(pool, (performance.now() - t).toFixed(0), 'ms', r.run.linesRead, r.format?.id, snaps, 'snapshots');
}
