import { describe, expect, it } from 'vitest';
import { assessHealth, percent, ThroughputWindow, timeShares, type ProcessorHealthInput } from '../../../src/engine/metrics/health.ts';

function proc(id: string, over: Partial<ProcessorHealthInput> = {}): ProcessorHealthInput {
  return { id, linesIn: 10_000, errors: 0, timeMs: 10, circuit: 'closed', ...over };
}

describe('assessHealth', () => {
  it('is HEALTHY with no reasons when nothing is wrong, and names the bottleneck with its lines/s', () => {
    const health = assessHealth({ processors: [proc('parse', { timeMs: 40 }), proc('filter', { timeMs: 10 })] });
    expect(health.status).toBe('HEALTHY');
    expect(health.reasons).toEqual([]);
    expect(health.bottleneck).toEqual({ processor: 'parse', linesPerSec: 250_000 });
    expect(health.recentThroughputLps).toBe(0);
    expect('peakMemoryBytes' in health).toBe(false);
  });

  it('has no bottleneck before any processor spent time', () => {
    expect(assessHealth({ processors: [proc('a', { timeMs: 0, linesIn: 0 })] }).bottleneck).toBeNull();
    expect(assessHealth({ processors: [] }).bottleneck).toBeNull();
  });

  it('is DEGRADED when a processor fails on more than 1 % of its lines', () => {
    const health = assessHealth({ processors: [proc('json', { linesIn: 1000, errors: 15 })] });
    expect(health.status).toBe('DEGRADED');
    expect(health.reasons).toEqual(["errors in 'json': 1.5% of lines (threshold 1%)"]);
  });

  it('is UNHEALTHY above 10 %, and says so', () => {
    const health = assessHealth({ processors: [proc('json', { linesIn: 800, errors: 100 })] });
    expect(health.status).toBe('UNHEALTHY');
    expect(health.reasons).toEqual(["errors in 'json': 12.5% of lines (threshold 1%, unhealthy above 10%)"]);
  });

  it('stays HEALTHY at exactly the threshold (the rule is "above")', () => {
    expect(assessHealth({ processors: [proc('json', { linesIn: 1000, errors: 10 })] }).status).toBe('HEALTHY');
  });

  it('takes thresholds of the run and of single processors', () => {
    const processors = [proc('json', { linesIn: 1000, errors: 30 }), proc('geo', { linesIn: 1000, errors: 30 })];
    const health = assessHealth({ processors, thresholds: { errorRate: 0.05 }, processorThresholds: { geo: { errorRate: 0.02 } } });
    expect(health.status).toBe('DEGRADED');
    expect(health.reasons).toEqual(["errors in 'geo': 3% of lines (threshold 2%)"]);
  });

  it('is DEGRADED with one open circuit off the bottleneck', () => {
    const health = assessHealth({ processors: [proc('parse', { timeMs: 50 }), proc('geo', { circuit: 'open', timeMs: 5 })] });
    expect(health.status).toBe('DEGRADED');
    expect(health.reasons).toEqual(["circuit of 'geo' is open"]);
  });

  it('is UNHEALTHY with more than one tripped circuit (half-open counts)', () => {
    const health = assessHealth({
      processors: [proc('parse', { timeMs: 50 }), proc('geo', { circuit: 'open' }), proc('dns', { circuit: 'half-open' })],
    });
    expect(health.status).toBe('UNHEALTHY');
    expect(health.reasons).toEqual(["circuit of 'geo' is open", "circuit of 'dns' is half-open (trying a line after failures)"]);
  });

  it('is UNHEALTHY when the open circuit is on the bottleneck', () => {
    const health = assessHealth({ processors: [proc('parse', { timeMs: 50, circuit: 'open' }), proc('geo')] });
    expect(health.status).toBe('UNHEALTHY');
    expect(health.reasons).toEqual(["circuit of 'parse' is open, and it is the bottleneck"]);
  });

  it('calls a throughput collapse when the recent mean is below 20 % of the peak after warm-up', () => {
    const health = assessHealth({
      processors: [proc('parse')],
      throughput: { recentLps: [1000, 2000], peakLps: 100_000, elapsedMs: 30_000 },
    });
    expect(health.status).toBe('DEGRADED');
    expect(health.recentThroughputLps).toBe(1500);
    expect(health.reasons).toEqual(['throughput collapsed: 1,500 lines/s lately, 1.5% of the peak 100,000 lines/s']);
  });

  it('calls no collapse during warm-up, after the run ended, or above 20 % of the peak', () => {
    const processors = [proc('parse')];
    const low = { recentLps: [1000], peakLps: 100_000 };
    expect(assessHealth({ processors, throughput: { ...low, elapsedMs: 2000 } }).status).toBe('HEALTHY');
    expect(assessHealth({ processors, throughput: { ...low, elapsedMs: 60_000, running: false } }).status).toBe('HEALTHY');
    expect(assessHealth({ processors, throughput: { recentLps: [25_000], peakLps: 100_000, elapsedMs: 60_000 } }).status).toBe('HEALTHY');
    expect(assessHealth({ processors, throughput: { recentLps: [], peakLps: 100_000, elapsedMs: 60_000 } }).status).toBe('HEALTHY');
  });

  it('reports the worst status and every reason', () => {
    const health = assessHealth({
      processors: [proc('parse', { timeMs: 50 }), proc('geo', { circuit: 'open' }), proc('json', { linesIn: 100, errors: 50 })],
      throughput: { recentLps: [10], peakLps: 1000, elapsedMs: 10_000 },
      peakMemoryBytes: 123_456_789,
    });
    expect(health.status).toBe('UNHEALTHY');
    expect(health.reasons).toHaveLength(3);
    expect(health.peakMemoryBytes).toBe(123_456_789);
  });
});

describe('timeShares', () => {
  it('gives each processor its share of the processing time, summing to 1', () => {
    const shares = timeShares([{ timeMs: 30 }, { timeMs: 10 }, { timeMs: 0 }]);
    expect(shares).toEqual([0.75, 0.25, 0]);
    expect(timeShares([{ timeMs: 0 }])).toEqual([0]);
  });
});

describe('percent', () => {
  it('writes shares as short percentages', () => {
    expect([percent(0.125), percent(0.01), percent(0.0104), percent(0.05), percent(1)]).toEqual(['12.5%', '1%', '1.04%', '5%', '100%']);
  });
});

describe('ThroughputWindow', () => {
  it('samples lines/s once per interval and keeps the peak and the recent window', () => {
    const w = new ThroughputWindow({ windowMs: 3000, sampleMs: 1000 });
    w.sample(0, 0);
    w.sample(500, 400); // too soon: no sample
    expect(w.samples().length).toBe(0);
    w.sample(1000, 1000);
    w.sample(2000, 11_000);
    w.sample(3000, 12_000);
    w.sample(4000, 12_500);
    w.sample(5000, 12_600);
    expect(Array.from(w.samples())).toEqual([1000, 500, 100]);
    expect(w.peakLps).toBe(10_000);
    expect(w.recentLps).toBeCloseTo(1600 / 3, 9);
  });

  it('is the mean over all the time seen while that is shorter than the window, a sample or not', () => {
    const w = new ThroughputWindow({ windowMs: 10_000, sampleMs: 1000 });
    w.sample(0, 0);
    w.sample(400, 1000); // a run of 0.4 s: no sample yet, a throughput all the same
    expect(w.samples().length).toBe(0);
    expect(w.recentLps).toBe(2500);
    w.sample(1000, 1000);
    w.sample(2500, 4000);
    expect(w.recentLps).toBe(1600);
    // Once a window has passed, the recent samples alone.
    for (let t = 3000; t <= 12_000; t += 1000) w.sample(t, 4000 + (t - 2500) * 10);
    expect(w.recentLps).toBeCloseTo(Array.from(w.samples()).reduce((a, b) => a + b, 0) / w.samples().length, 9);
    // The last ten: the one at 2.5 s (2,000 lines/s), then nine at 10,000 lines/s.
    expect(w.recentLps).toBeCloseTo((2000 + 9 * 10_000) / 10, 9);
  });

  it('measures each rate over the real interval since the previous sample', () => {
    const w = new ThroughputWindow({ sampleMs: 1000 });
    w.sample(0, 0);
    w.sample(2000, 1000);
    expect(Array.from(w.samples())).toEqual([500]);
    expect(new ThroughputWindow().recentLps).toBe(0);
  });
});
