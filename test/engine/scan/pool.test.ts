/**
 * The pool's answer is one pass's answer: a file cut into ranges anywhere (inside a multi-line
 * entry, inside a CRLF pair, ranges holding no line end at all), scanned by several scanners at
 * once and merged in file order, gives the report one scanner reading the whole file gives.
 */
import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { inProcessPool, LogRun, runLog, type OutputSink, type RunOptions } from '../../../src/engine/run.ts';
import type { Report } from '../../../src/engine/report/report.ts';

function config(value: unknown) {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

/** A small deterministic generator: the same seed, the same numbers. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];

/**
 * A log4j-style log with stack traces (multi-line entries), a JSON line now and then (which the
 * json processor reads and text lines fail), invalid UTF-8 in some lines, and CRLF or LF ends.
 */
export function mixedLogForDebug(lines: number, seed: number, crlf: boolean) { return mixedLog(lines, seed, crlf) as Uint8Array<ArrayBuffer>; }
function mixedLog(lines: number, seed: number, crlf: boolean): Uint8Array {
  const next = rng(seed);
  const parts: (string | Uint8Array)[] = [];
  const eol = crlf ? '\r\n' : '\n';
  let t = Date.UTC(2024, 4, 1, 10, 0, 0);
  for (let i = 0; i < lines; i++) {
    t += Math.floor(next() * 4000);
    const stamp = new Date(t).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    const level = LEVELS[Math.floor(next() * LEVELS.length)];
    const roll = next();
    if (roll < 0.08) {
      parts.push(JSON.stringify({ ts: new Date(t).toISOString(), level: level.toLowerCase(), msg: `json event ${i}`, user: `u-${i % 7}` }) + eol);
    } else if (roll < 0.13) {
      parts.push(`${stamp} ERROR [main] com.example.Worker: failed job ${i}${eol}java.lang.IllegalStateException: bad state ${i}${eol}\tat com.example.Worker.run(Worker.java:42)${eol}\tat java.lang.Thread.run(Thread.java:750)${eol}`);
    } else if (roll < 0.15) {
      parts.push(`${stamp} WARN [io-${i % 3}] com.example.Io: odd bytes `, new Uint8Array([0xff, 0xfe, 0x41]), eol);
    } else {
      parts.push(`${stamp} ${level} [http-${i % 5}] com.example.Api: request ${i} took ${Math.floor(next() * 900)}ms status=${next() < 0.1 ? 500 : 200}${eol}`);
    }
  }
  const encoder = new TextEncoder();
  const chunks = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** What must be equal: everything but timings, events about batches, and ids. */
function answer(report: Report) {
  return {
    linesRead: report.run.linesRead,
    bytesRead: report.run.bytesRead,
    status: report.run.status,
    message: report.run.message,
    totals: report.totals,
    input: report.input,
    processors: report.processors.map(({ id, linesIn, linesOut, dropped, errors, bypassed }) => ({ id, linesIn, linesOut, dropped, errors, bypassed })),
    counters: report.counters,
    graph: report.graph,
    levels: report.levels,
    timeRange: report.timeRange,
    timeline: report.timeline,
    format: report.format,
    errors: { ...report.errors, items: report.errors.items.map(({ processor, lineNo, text, type, message, ts }) => ({ processor, lineNo, text, type, message, ts })) },
    traces: {
      seen: report.traces.seen,
      items: report.traces.items.map((t) => ({ lineNo: t.lineNo, offset: t.offset, ts: t.ts, text: t.text, status: t.status, steps: t.steps.map((s) => [s.processor, s.status, s.branch, s.text]) })),
    },
    events: report.events.items.filter((e) => e.event === 'processor_error').map((e) => [e.component, e.lineNo, e.type]),
  };
}

const PIPELINES: Record<string, unknown> = {
  'counter by level, filter': { processors: [{ type: 'counter', id: 'levels', by: 'level' }, { type: 'filter', id: 'problems', pattern: 'ERROR|WARN' }] },
  'json (failing on text lines), counters by field': {
    processors: [
      { type: 'json', id: 'json', onError: 'pass', circuit: false },
      { type: 'counter', id: 'users', by: 'field', field: 'user' },
      { type: 'counter', id: 'components', by: 'field', field: 'component' },
    ],
  },
  'router with branches, lowercase, uppercase, counter by pattern': {
    processors: [
      { type: 'router', id: 'route', routes: [{ branch: 'bad', levels: ['ERROR', 'FATAL'], next: 'bad' }], default: 'rest' },
      { type: 'counter', id: 'bad', by: 'pattern', pattern: 'status=(\\d+)' },
      { type: 'lowercase', id: 'rest', next: ['upper'] },
      { type: 'uppercase', id: 'upper' },
    ],
  },
  'filter on a field, parse': { processors: [{ type: 'parse' }, { type: 'filter', id: 'slow', field: 'thread', pattern: '^http' }, { type: 'level' }] },
};

/** Random cuts, and cuts at the places that are hard: inside a CRLF pair, inside an entry, in the middle of a long line. */
function cutsFor(bytes: Uint8Array, seed: number): number[] {
  const next = rng(seed);
  const cuts = new Set<number>();
  for (let i = 0; i < 6; i++) cuts.add(1 + Math.floor(next() * (bytes.length - 2)));
  const crlf = bytes.indexOf(13, Math.floor(bytes.length / 3));
  if (crlf > 0) cuts.add(crlf + 1);
  const frame = findText(bytes, '\tat com.example.Worker');
  if (frame > 0) cuts.add(frame + 3);
  // Two cuts a few bytes apart: a range with no line end at all.
  const mid = Math.floor(bytes.length / 2);
  cuts.add(mid);
  cuts.add(mid + 3);
  return [...cuts].sort((a, b) => a - b);
}

function findText(bytes: Uint8Array, text: string): number {
  const needle = new TextEncoder().encode(text);
  let at = bytes.indexOf(needle[0]);
  while (at !== -1) {
    let k = 1;
    while (k < needle.length && bytes[at + k] === needle[k]) k++;
    if (k === needle.length) return at;
    at = bytes.indexOf(needle[0], at + 1);
  }
  return -1;
}

async function pooled(bytes: Uint8Array<ArrayBuffer>, pipeline: unknown, cuts: number[], options: RunOptions = {}) {
  return runLog(new Blob([bytes]), config(pipeline), { ...options, pool: inProcessPool(3), cuts });
}

describe('the pool over byte ranges', () => {
  for (const crlf of [false, true]) {
    const bytes = mixedLog(3000, crlf ? 7 : 3, crlf) as Uint8Array<ArrayBuffer>;
    for (const [name, pipeline] of Object.entries(PIPELINES)) {
      it(`gives one pass's answer, cut anywhere (${name}, ${crlf ? 'CRLF' : 'LF'})`, async () => {
        const single = answer(await runLog(new Blob([bytes]), config(pipeline), { trace: { mode: 'all' }, caps: { traces: 50, errors: 40 } }));
        expect(single.linesRead).toBeGreaterThan(3000);
        for (const seed of [1, 2, 3]) {
          const cuts = cutsFor(bytes, seed);
          const merged = answer(await pooled(bytes, pipeline, cuts, { trace: { mode: 'all' }, caps: { traces: 50, errors: 40 } }));
          expect(merged, `cuts ${cuts.join(', ')}`).toEqual(single);
        }
      });
    }
  }

  it('cuts a file into several ranges by itself, and reads an ordered pipeline in one', async () => {
    const bytes = mixedLog(20_000, 5, false) as Uint8Array<ArrayBuffer>;
    const free = new LogRun(new Blob([bytes]), config(PIPELINES['counter by level, filter']), { pool: inProcessPool(2) });
    const freeReport = await free.execute();
    // 2 MB: at least two ranges of a megabyte.
    expect(free.parallelism).toEqual({ workers: 2, orderedBecause: null, compressed: false });
    const ordered = new LogRun(new Blob([bytes]), config({ processors: [{ type: 'line_counter', id: 'n' }] }), { pool: inProcessPool(2) });
    const orderedReport = await ordered.execute();
    expect(ordered.parallelism.workers).toBe(1);
    expect(ordered.parallelism.orderedBecause).toMatch(/^n numbers the lines/);
    // The report says how each was read.
    expect(freeReport.run.reading).toEqual({ workers: 2, orderedBecause: null });
    expect(orderedReport.run.reading).toEqual({ workers: 1, orderedBecause: ordered.parallelism.orderedBecause });
    expect(answer(freeReport)).toEqual(answer(await runLog(new Blob([bytes]), config(PIPELINES['counter by level, filter']))));
  });

  it('writes each range its own output, which read in file order is one pass\'s output', async () => {
    const bytes = mixedLog(2000, 9, false) as Uint8Array<ArrayBuffer>;
    const pipeline = config({ processors: [{ type: 'filter', pattern: 'ERROR|json' }, { type: 'uppercase' }] });
    const one: string[] = [];
    await runLog(new Blob([bytes]), pipeline, {}, { output: memoryOutput(one) });
    const outputs: string[][] = [];
    await runLog(new Blob([bytes]), pipeline, {
      cuts: cutsFor(bytes, 4),
      pool: inProcessPool(3, (range) => memoryOutput((outputs[range] = []))),
    });
    expect(outputs.length).toBeGreaterThan(3);
    expect(outputs.flat()).toEqual(one);
  });

  it('stops at the first failing line of the file under the stop policy, whichever range finds one first', async () => {
    const bytes = mixedLog(3000, 11, false) as Uint8Array<ArrayBuffer>;
    const pipeline = { processors: [{ type: 'json', onError: 'stop', circuit: false }] };
    const single = answer(await runLog(new Blob([bytes]), config(pipeline)));
    expect(single.status).toBe('failed');
    const merged = answer(await pooled(bytes, pipeline, cutsFor(bytes, 1)));
    expect(merged).toEqual(single);
  });

  it('fails the run with a clear message when a scanner breaks, keeping what came before', async () => {
    const bytes = mixedLog(3000, 13, false) as Uint8Array<ArrayBuffer>;
    const inner = inProcessPool(2);
    let calls = 0;
    const report = await runLog(new Blob([bytes]), config(PIPELINES['counter by level, filter']), {
      cuts: [bytes.length / 2],
      pool: {
        size: 2,
        scan: (input, setup, range, onPiece, signal) => (++calls === 2 ? Promise.reject(new Error('out of memory')) : inner.scan(input, setup, range, onPiece, signal)),
      },
    });
    expect(report.run.status).toBe('failed');
    expect(report.run.message).toMatch(/A worker reading the file stopped unexpectedly \(out of memory\)/);
    expect(report.run.linesRead).toBeGreaterThan(0);
    expect(report.run.linesRead).toBeLessThan(3000);
  });

  it('cancel stops every range at once', async () => {
    const bytes = mixedLog(40_000, 15, false) as Uint8Array<ArrayBuffer>;
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const inner = inProcessPool(3);
    let pieces = 0;
    const report = await runLog(
      new Blob([bytes]),
      config(PIPELINES['counter by level, filter']),
      {
        signal: controller.signal,
        snapshotIntervalMs: 0,
        cuts: [1e6, 2e6, 3e6],
        pool: {
          size: 3,
          scan: (input, setup, range, onPiece, signal) => {
            signals.push(signal);
            return inner.scan(input, setup, range, (piece) => {
              onPiece(piece);
              if (++pieces === 3) controller.abort();
            }, signal);
          },
        },
      },
    );
    expect(report.run.status).toBe('cancelled');
    expect(signals.length).toBe(3);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });
});

function memoryOutput(into: string[]): OutputSink {
  return {
    write: (lines) => void into.push(...lines),
    close: () => {},
  };
}
