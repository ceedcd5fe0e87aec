import { parsePipeline } from '../src/engine/pipeline/config.ts';
import { runLog } from '../src/engine/run.ts';
import { fileSource } from './file-source.ts';
const [p, idx] = [process.argv[2], process.argv[3] !== 'noindex'];
const cfg = parsePipeline(p); if (!cfg.ok) throw new Error('bad');
const blob = await fileSource('/tmp/app-50MB.log');
for (let i = 0; i < 2; i++) { const t = performance.now(); await runLog(blob, cfg.value, { index: idx }); console.error('ms', (performance.now() - t).toFixed(0)); }
