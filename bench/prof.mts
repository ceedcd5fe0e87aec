import { openAsBlob } from 'node:fs';
import { parsePipeline } from '../src/engine/pipeline/config.ts';
import { runLog } from '../src/engine/run.ts';
const file = process.argv[2]; const pipe = process.argv[3] ?? '{"processors":[{"type":"level","id":"level"},{"type":"counter","id":"levels","by":"level"},{"type":"filter","id":"problems","pattern":"ERROR|WARN"}]}';
const c = parsePipeline(pipe); if (!c.ok) throw 1;
const blob = await openAsBlob(file);
for (let i=0;i<2;i++){ const t=performance.now(); const r = await runLog(blob, c.value); console.log((performance.now()-t).toFixed(0),'ms', r.processors.map(p=>p.id+':'+p.timeMs.toFixed(0)).join(' '));}
