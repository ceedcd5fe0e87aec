/**
 * Time per processor on a file, three runs: where a pipeline spends its time.
 *   npx tsx bench/profile.ts FILE ['{"processors":[...]}']
 * For a CPU profile: node --cpu-prof --import tsx bench/profile.ts FILE
 */
import { formatIssues, parsePipeline } from '../src/engine/pipeline/config.ts';
import { runLog } from '../src/engine/run.ts';
import { fileSource } from './file-source.ts';

const [file, pipeline = '{"processors":[{"type":"parse"},{"type":"counter","id":"levels","by":"level"},{"type":"filter","id":"problems","pattern":"ERROR|WARN"}]}'] =
  process.argv.slice(2);
if (!file) throw new Error('usage: npx tsx bench/profile.ts FILE [pipeline JSON]');
const config = parsePipeline(pipeline);
if (!config.ok) throw new Error(formatIssues(config.error));
const source = await fileSource(file);
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  const report = await runLog(source, config.value);
  const perProcessor = report.processors.map((p) => `${p.id} ${p.timeMs.toFixed(0)} ms`).join(', ');
  console.log(`${(performance.now() - started).toFixed(0)} ms in all; ${perProcessor}`);
}
