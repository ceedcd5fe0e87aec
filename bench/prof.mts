// Quick per-processor timing on a file: npx tsx bench/prof.mts FILE [pipeline-json]
import { createReadStream, openAsBlob } from 'node:fs';
import { Readable } from 'node:stream';
import { parsePipeline } from '../src/engine/pipeline/config.ts';
import { runLog } from '../src/engine/run.ts';
const file = process.argv[2];
const pipe = process.argv[3] ?? '{"processors":[{"type":"level","id":"level"},{"type":"counter","id":"levels","by":"level"},{"type":"filter","id":"problems","pattern":"ERROR|WARN"}]}';
const c = parsePipeline(pipe); if (!c.ok) throw new Error(JSON.stringify(c.error));
const blob = await openAsBlob(file);
const source = { size: blob.size, slice: blob.slice.bind(blob), stream: () => Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array<ArrayBuffer>> };
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const r = await runLog(source, c.value);
  console.log((performance.now() - t).toFixed(0), 'ms', r.processors.map((p) => `${p.id}:${p.timeMs.toFixed(0)}`).join(' '));
}
