import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline, type PipelineConfig } from '../../../src/engine/pipeline/config.ts';
import { EventLog } from '../../../src/engine/observe/events.ts';
import { CUT_MARK_SLACK, cutMark, TEXT_CAPS, TextCapper } from '../../../src/engine/observe/text-caps.ts';
import { TraceRecorder } from '../../../src/engine/observe/traces.ts';
import type { Trace } from '../../../src/engine/observe/types.ts';
import { runLog } from '../../../src/engine/run.ts';

const MiB = 1 << 20;
const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('TextCapper', () => {
  it('keeps a text that fits as it is and counts nothing', () => {
    const texts = new TextCapper();
    expect(texts.keep('a'.repeat(4096))).toBe('a'.repeat(4096));
    expect(texts.keep('€'.repeat(1365))).toBe('€'.repeat(1365));
    expect(texts.cut).toBe(0);
  });

  it('cuts to the byte cap at a character boundary, marks and counts the cut', () => {
    const texts = new TextCapper();
    // Three bytes each: 1,365 fill 4,095 bytes; the 1,366th would pass 4,096.
    expect(texts.keep('€'.repeat(2000))).toBe('€'.repeat(1365) + cutMark(2000));
    expect(texts.keep('x'.repeat(MiB), 100)).toBe('x'.repeat(100) + cutMark(MiB));
    expect(texts.cut).toBe(2);
    expect(cutMark(MiB)).toBe('… [cut: 1,048,576 characters in all]');
  });

  it('recheck leaves a text already cut by Linesight alone, and cuts a longer one once', () => {
    const texts = new TextCapper();
    const once = texts.keep('y'.repeat(10_000));
    expect(texts.cut).toBe(1);
    expect(utf8Bytes(once)).toBeLessThanOrEqual(TEXT_CAPS.text + CUT_MARK_SLACK);
    const again = new TextCapper();
    expect(again.recheck(once)).toBe(once);
    expect(again.recheck('z'.repeat(32 * MiB))).toBe('z'.repeat(4096) + cutMark(32 * MiB));
    expect(again.cut).toBe(1);
  });
});

describe('trace text budget', () => {
  it('cuts the line and each changed text to 4 KiB, and the whole trace to 16 KiB', () => {
    const recorder = new TraceRecorder({ mode: 'all' }, 10);
    const line = 'L'.repeat(MiB);
    const trace: Trace = {
      lineNo: 1,
      offset: 0,
      text: line,
      status: 'emitted',
      steps: Array.from({ length: 8 }, (_, i) => ({ processor: `p${i}`, status: 'emit' as const, durationUs: 1, text: String(i).repeat(MiB) })),
    };
    recorder.add(trace);
    const [kept] = recorder.section().items;
    expect(kept.text).toBe('L'.repeat(4096) + cutMark(MiB));
    const texts = [kept.text, ...kept.steps.map((s) => s.text!)];
    const bytes = texts.map((t) => utf8Bytes(t.slice(0, t.indexOf('…'))));
    expect(bytes).toEqual([4096, 4096, 4096, 4096, 0, 0, 0, 0, 0]);
    // Every text past the budget still says it was cut, and how long it was.
    expect(kept.steps[7].text).toBe(cutMark(MiB));
    expect(recorder.cut).toBe(9);
    expect(recorder.section().cut).toBe(9);
  });
});

describe('event texts', () => {
  it('cuts every text in an event, at any depth, and counts them', () => {
    const log = new EventLog(10, () => new Date(0));
    const long = 'm'.repeat(100_000);
    log.emit('error', 'run', 'run_failed', { message: long, nested: { list: [long, 'short'] }, n: 3 });
    const [event] = log.section().items;
    expect(event.message).toBe('m'.repeat(4096) + cutMark(100_000));
    expect(event.nested).toEqual({ list: ['m'.repeat(4096) + cutMark(100_000), 'short'] });
    expect(event.n).toBe(3);
    expect(log.cut).toBe(2);
    expect(log.section().cut).toBe(2);
  });
});

function config(value: unknown): PipelineConfig {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

// 40 MB through the engine: seconds on a busy machine.
describe('a run over 1 MiB lines', { timeout: 60_000 }, () => {
  it('keeps its traces and errors within the byte caps, counting every text cut', async () => {
    // Each line is JSON-ish but broken, 1 MiB long: `json` fails on every one, uppercase changes every one.
    const lines = 40;
    const line = '{"a":"' + 'x'.repeat(MiB - 8) + '",';
    const blob = new Blob(Array.from({ length: lines }, () => line + '\n'));
    const report = await runLog(
      blob,
      config({ processors: [{ type: 'uppercase' }, { type: 'json', onError: 'pass' }] }),
      { trace: { mode: 'all' }, maxLineBytes: 2 * MiB },
    );
    expect(report.run.linesRead).toBe(lines);
    expect(report.errors.total).toBe(lines);
    const traceBytes = report.traces.items.map((t) => [t.text, ...t.steps.flatMap((s) => [s.text ?? '', s.error ?? ''])].reduce((n, s) => n + utf8Bytes(s), 0));
    expect(report.traces.items).toHaveLength(lines);
    for (const bytes of traceBytes) expect(bytes).toBeLessThanOrEqual(TEXT_CAPS.trace + 4 * CUT_MARK_SLACK);
    for (const item of report.errors.items) expect(utf8Bytes(item.text)).toBeLessThanOrEqual(TEXT_CAPS.text + CUT_MARK_SLACK);
    // Each trace cuts its line and the uppercased text; each error its line.
    expect(report.traces.cut).toBe(2 * lines);
    expect(report.errors.cut).toBe(lines);
  });
});
