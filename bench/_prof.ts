import { parsePipeline } from '../src/engine/pipeline/config.ts';
import { runLog } from '../src/engine/run.ts';
import { fileSource } from './file-source.ts';
const cfg = parsePipeline(process.argv[2]);
if (!cfg.ok) throw new Error('bad');
const blob = await fileSource(process.argv[3] ?? '/tmp/app-50MB.log');
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await runLog(blob, cfg.value);
  console.log((performance.now() - t).toFixed(0), 'ms', r.run.linesRead, r.format?.id, r.processors.map(p => p.timeMs.toFixed(0)).join(' '));
}
