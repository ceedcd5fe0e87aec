/**
 * What a counter holds after 300 distinct lines of 1 MB each (issue 12's case): the heap kept
 * by the counter once the lines themselves are gone, beside a plain Map of whole lines (what
 * the counter held before its keys were capped in bytes).
 *
 *   node --expose-gc --import tsx bench/counter-memory.ts
 */
import { formatIssues, parsePipeline } from '../src/engine/pipeline/config.ts';
import { buildGraph, instantiate } from '../src/engine/pipeline/graph.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc --import tsx bench/counter-memory.ts');

const LINES = 300;
// Decoded from bytes, as the splitter hands lines on: flat strings, not the rope `repeat` builds.
const decoder = new TextDecoder();
const body = new TextEncoder().encode(` ${'x'.repeat(1_000_000)}`);
const line = (i: number) => {
  const bytes = new Uint8Array(6 + body.length);
  bytes.set(new TextEncoder().encode(String(i).padStart(6, '0')));
  bytes.set(body, 6);
  return decoder.decode(bytes);
};

function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const parsed = parsePipeline({ processors: [{ type: 'counter', by: 'pattern', pattern: '^(.*)$' }] });
if (!parsed.ok) throw new Error(formatIssues(parsed.error));
const graph = buildGraph(parsed.value);
if (!graph.ok) throw new Error(formatIssues(graph.error));
const [counter] = instantiate(graph.value);
if (counter.kind !== 'map') throw new Error('map expected');

const before = heapAfterGc();
let ms = 0;
for (let i = 0; i < LINES; i++) {
  const text = line(i);
  const started = performance.now();
  counter.map({ lineNo: i + 1, offset: 0, text });
  ms += performance.now() - started;
}
const held = heapAfterGc() - before;

const peerBefore = heapAfterGc();
const peer = new Map<string, number>();
for (let i = 0; i < LINES; i++) peer.set(line(i), 1);
const peerHeld = heapAfterGc() - peerBefore;

const state = counter.state?.() as { distinct: number; cut?: number };
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(`${LINES} distinct lines of 1 MB: the counter holds ${mb(held)} (${state.distinct} keys, ${state.cut} cut to 1 KiB) in ${ms.toFixed(0)} ms; a Map of the whole lines holds ${mb(peerHeld)} (${peer.size} keys)`);
