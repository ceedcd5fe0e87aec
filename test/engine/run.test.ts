import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline, type PipelineConfig } from '../../src/engine/pipeline/config.ts';
import { runLog, type OutputSink } from '../../src/engine/run.ts';
import type { RunSnapshot } from '../../src/engine/snapshot.ts';
import { zstdCompress, zstdDecodablePrefix } from '../fixtures/zstd.ts';

function config(value: unknown): PipelineConfig {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

const FILTER_ERRORS = config({ processors: [{ type: 'level' }, { type: 'filter', id: 'errors', pattern: 'ERROR' }] });

function logText(lines: number): string {
  const levels = ['INFO', 'WARN', 'ERROR', 'DEBUG'];
  return Array.from({ length: lines }, (_, i) => `2024-05-01 10:00:${String(i % 60).padStart(2, '0')} ${levels[i % 4]} line ${i}`).join('\n') + '\n';
}

/** A Blob that streams in 64 KiB chunks, like a File does (a Blob of one string is one chunk in Node). */
function fileLike(text: string | Uint8Array<ArrayBuffer>): Blob {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let at = 0; at < bytes.length; at += 65536) parts.push(bytes.subarray(at, at + 65536));
  return new Blob(parts);
}

async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

class MemoryOutput implements OutputSink {
  lines: string[] = [];
  closed = false;
  write(lines: string[]) {
    this.lines.push(...lines);
  }
  close() {
    this.closed = true;
  }
}

describe('runLog', () => {
  it('counts lines, bytes and per-processor stats for a plain file', async () => {
    const text = logText(1000);
    const output = new MemoryOutput();
    const report = await runLog(new Blob([text]), FILTER_ERRORS, { runId: 'r1', fileName: 'app.log' }, { output });
    expect(report.schema).toBe('linesight.report/v1');
    expect(report.run).toMatchObject({ id: 'r1', status: 'completed', linesRead: 1000, bytesRead: text.length, file: { name: 'app.log', size: text.length } });
    expect(report.processors.map((p) => [p.id, p.linesIn, p.linesOut, p.dropped])).toEqual([
      ['level', 1000, 1000, 0],
      ['errors', 1000, 250, 750],
    ]);
    expect(report.totals).toEqual({ linesIn: 1000, linesOut: 250, dropped: 750, errors: 0 });
    expect(output.lines).toHaveLength(250);
    expect(output.lines[0]).toBe('2024-05-01 10:00:02 ERROR line 2');
    expect(output.closed).toBe(true);
    expect(report.pipeline.processors[1]).toEqual({
      type: 'filter',
      id: 'errors',
      pattern: 'ERROR',
      invert: false,
      ignoreCase: false,
      onError: 'drop',
      circuit: { consecutiveErrors: 50, errorRate: 0.8, window: 500, cooldownMs: 1000, whileOpen: 'pass' },
    });
  });

  it('reads gzip files as if uncompressed, counting file bytes for progress', async () => {
    const text = logText(500);
    const compressed = await gzip(text);
    const report = await runLog(new Blob([compressed]), FILTER_ERRORS);
    expect(report.run.status).toBe('completed');
    expect(report.run.linesRead).toBe(500);
    expect(report.run.bytesRead).toBe(compressed.length);
    expect(report.input).toMatchObject({ compression: 'gzip', decodedBytes: text.length });
  });

  it('stops a truncated gzip with a clear message and keeps the counts so far', async () => {
    const compressed = await gzip(logText(20000));
    const report = await runLog(fileLike(compressed.subarray(0, Math.floor(compressed.length * 0.6))), FILTER_ERRORS);
    expect(report.run.status).toBe('failed');
    expect(report.run.message).toMatch(/gzip/i);
    expect(report.run.linesRead).toBeGreaterThan(1000);
    expect(report.processors[0].linesIn).toBe(report.run.linesRead);
  });

  it('reads zstd files as if uncompressed, counting file bytes for progress', async () => {
    const text = logText(500);
    const compressed = zstdCompress(text);
    const report = await runLog(new Blob([compressed]), FILTER_ERRORS);
    expect(report.run.status).toBe('completed');
    expect(report.run.linesRead).toBe(500);
    expect(report.run.bytesRead).toBe(compressed.length);
    expect(report.input).toMatchObject({ compression: 'zstd', decodedBytes: text.length });
  });

  it('stops a truncated zstd with a message naming zstd, having counted every line decoded before the cut', async () => {
    const compressed = zstdCompress(logText(200_000));
    const cut = compressed.subarray(0, Math.floor(compressed.length * 0.6));
    const decodable = zstdDecodablePrefix(cut).text;
    const report = await runLog(fileLike(cut), FILTER_ERRORS);
    expect(report.run.status).toBe('failed');
    expect(report.run.message).toMatch(/^The zstd data is truncated or corrupt/);
    expect(report.run.linesRead).toBeGreaterThan(1000);
    expect(report.run.linesRead).toBe(decodable.split('\n').length - 1);
    expect(report.processors[0].linesIn).toBe(report.run.linesRead);
  });

  it('finishes an empty file with zero lines', async () => {
    const report = await runLog(new Blob([]), FILTER_ERRORS);
    expect(report.run).toMatchObject({ status: 'completed', linesRead: 0, bytesRead: 0 });
  });

  it('refuses a binary file with a clear message', async () => {
    // A PNG: its header, then compressed (random-looking) bytes with the odd NUL.
    const png = new Uint8Array(4096);
    let seed = 1;
    for (let i = 0; i < png.length; i++) png[i] = (seed = (seed * 48271) % 2147483647) & 0xff;
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const report = await runLog(new Blob([png]), FILTER_ERRORS);
    expect(report.run.status).toBe('failed');
    expect(report.run.message).toMatch(/binary/i);
  });

  it('cuts a huge line to the cap and counts it, without failing', async () => {
    const huge = 'x'.repeat(5_000_000);
    const report = await runLog(new Blob(['first\n', huge, '\nlast']), config({ processors: [{ type: 'uppercase' }] }), { maxLineBytes: 1024 });
    expect(report.run.status).toBe('completed');
    expect(report.run.linesRead).toBe(3);
    expect(report.input.truncatedLines).toBe(1);
  });

  it('stops at once when cancelled and reports what was processed', async () => {
    const controller = new AbortController();
    const text = logText(200_000);
    let snapshots = 0;
    const report = await runLog(fileLike(text), FILTER_ERRORS, { signal: controller.signal, snapshotIntervalMs: 0 }, {
      onSnapshot: () => {
        if (++snapshots === 2) controller.abort();
      },
    });
    expect(report.run.status).toBe('cancelled');
    expect(report.run.linesRead).toBeGreaterThan(0);
    expect(report.run.linesRead).toBeLessThan(200_000);
    expect(report.processors[0].linesIn).toBe(report.run.linesRead);
  });

  it('sends snapshots no more often than the interval, and a final one', async () => {
    const seen: RunSnapshot[] = [];
    await runLog(fileLike(logText(50_000)), FILTER_ERRORS, { snapshotIntervalMs: 60_000 }, { onSnapshot: (s) => seen.push(s) });
    // The first chunk always reports; then nothing until the interval; then the final state.
    expect(seen.length).toBe(2);
    expect(seen.at(-1)!.status).toBe('completed');
    expect(seen.at(-1)!.linesRead).toBe(50_000);
    // Aggregates, not lines: 50,000 lines make a snapshot of a few KB.
    expect(JSON.stringify(seen.at(-1)).length).toBeLessThan(16_000);
  });

  it('reports counter states', async () => {
    const report = await runLog(new Blob([logText(400)]), config({ processors: [{ type: 'counter', id: 'levels', by: 'level' }] }));
    expect(report.counters).toEqual([
      { processor: 'levels', counts: expect.arrayContaining([['INFO', 100], ['WARN', 100], ['ERROR', 100], ['DEBUG', 100]]), distinct: 4 },
    ]);
  });
});
