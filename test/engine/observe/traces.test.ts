import { describe, expect, it } from 'vitest';
import { TraceRecorder } from '../../../src/engine/observe/traces.ts';
import { MAX_TRACES, type Trace, type TracePolicy } from '../../../src/engine/observe/types.ts';

function sampledLines(policy: TracePolicy | null, upTo: number): number[] {
  const recorder = new TraceRecorder(policy, 1000);
  const lines: number[] = [];
  for (let lineNo = 1; lineNo <= upTo; lineNo++) if (recorder.samples(lineNo)) lines.push(lineNo);
  return lines;
}

function trace(lineNo: number, status: Trace['status'] = 'emitted'): Trace {
  return { lineNo, offset: lineNo * 10, text: `line ${lineNo}`, status, steps: [{ processor: 'p', status: 'emit', durationUs: 1 }] };
}

describe('TraceRecorder sampling', () => {
  it('traces no line and reports disabled when tracing is off', () => {
    const recorder = new TraceRecorder(null, 100);
    expect(recorder.enabled).toBe(false);
    expect(sampledLines(null, 1000)).toEqual([]);
    expect(recorder.canForce).toBe(false);
  });

  it('traces every line with the all policy', () => {
    expect(sampledLines({ mode: 'all' }, 1000)).toHaveLength(1000);
  });

  it('1 in 1 traces every line', () => {
    expect(sampledLines({ mode: 'sample', n: 1 }, 1000)).toHaveLength(1000);
  });

  it('1 in 100 over lines 1..1000 traces lines 1, 101, ..., 901', () => {
    expect(sampledLines({ mode: 'sample', n: 100 }, 1000)).toEqual([1, 101, 201, 301, 401, 501, 601, 701, 801, 901]);
  });

  it('1 in 3 starts at line 1 and keeps the stride', () => {
    expect(sampledLines({ mode: 'sample', n: 3 }, 10)).toEqual([1, 4, 7, 10]);
  });

  it('first N traces exactly lines 1..N', () => {
    expect(sampledLines({ mode: 'first', n: 5 }, 1000)).toEqual([1, 2, 3, 4, 5]);
    expect(sampledLines({ mode: 'first', n: 0 }, 1000)).toEqual([]);
  });

  it('makes a fractional or zero sampling rate whole', () => {
    expect(new TraceRecorder({ mode: 'sample', n: 0 }, 10).section().policy).toEqual({ mode: 'sample', n: 1 });
    expect(new TraceRecorder({ mode: 'sample', n: 2.7 }, 10).section().policy).toEqual({ mode: 'sample', n: 2 });
  });
});

describe('TraceRecorder caps', () => {
  it('clamps the cap to 1..MAX_TRACES', () => {
    expect(new TraceRecorder({ mode: 'all' }, 0).cap).toBe(1);
    expect(new TraceRecorder({ mode: 'all' }, 50_000).cap).toBe(MAX_TRACES);
    expect(new TraceRecorder({ mode: 'all' }, 250).cap).toBe(250);
  });

  it('lets drops and errors be forced in only while fewer than cap traces are kept', () => {
    const recorder = new TraceRecorder({ mode: 'sample', n: 100 }, 3);
    expect(recorder.canForce).toBe(true);
    recorder.add(trace(5, 'dropped'));
    recorder.add(trace(6, 'error'));
    expect(recorder.canForce).toBe(true);
    recorder.add(trace(7, 'error'));
    expect(recorder.canForce).toBe(false);
    recorder.add(trace(101));
    expect(recorder.canForce).toBe(false);
  });

  it('keeps the most recent traces past the cap and counts every one made', () => {
    const recorder = new TraceRecorder({ mode: 'all' }, 3);
    for (let i = 1; i <= 10; i++) recorder.add(trace(i));
    const section = recorder.section();
    expect(section).toMatchObject({ enabled: true, policy: { mode: 'all' }, seen: 10, kept: 3 });
    expect(section.items.map((t) => t.lineNo)).toEqual([8, 9, 10]);
  });

  it('records nothing when tracing is off', () => {
    const recorder = new TraceRecorder(null, 10);
    recorder.add(trace(1));
    expect(recorder.section()).toEqual({ enabled: false, policy: null, seen: 0, kept: 0, items: [] });
  });
});
